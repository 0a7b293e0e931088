// `goesvfi timelapse`: satellite + product + band + time range to a finished video in one streaming process.
// The stages, in the order timelapse.cpp reads:
//   1. plan       list the store, then plan_timelapse (pure): expected scan slots, present/missing, gap
//                 decisions, frames (pipeline/timelapse_plan.hpp)
//   2. inventory  what is already on disk (SQLite catalog scan of the data folder, incremental; or a stat of
//                 each planned file for cluster segments on shared file systems)
//   3. fetch      what is missing (stage thread, in parallel inside the store), announcing each file when
//   ready
//   4. render     render NetCDF to a data frame (render_abi_data) or decode JPEG (pool, a few files ahead),
//                 colour (frame_colouring) and crop; unreadable files become gaps. interpolate.space = data
//                 (auto for NetCDF) crops the data and leaves the colouring to after interpolation
//   5. stream     interpolate -> (colour, on the pool) -> encode (run_stream)
// Stages overlap through bounded queues: early frames are rendered and encoded while later files download.
// Missing scans are gaps: skipped, held, or bridged by interpolation with timesteps uniform in time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"
#include "pipeline/stream.hpp"
#include "pipeline/timelapse_plan.hpp"

namespace goesvfi {

// TimelapseJob::from_config for a run: query.start and query.end must be set (InvalidArgument naming the
// key).
TimelapseJob timelapse_job_from(const Config& config);

struct TimelapseSummary {
  std::string store;  // describe() of the store
  std::int64_t expected_slots = 0;
  std::int64_t listed = 0;         // scans the store has in the range (one per slot)
  std::int64_t already_local = 0;  // files on disk before the run (per the catalog; a recipe: every band's)
  std::int64_t fetched = 0;        // files
  std::int64_t fetch_failed = 0;   // scans that could not be fetched or read
  std::int64_t bytes_fetched = 0;
  std::vector<std::string> missing_runs;  // "2024-05-01 12:10–12:40, 4 scans"
  std::vector<std::string> incomplete;    // a recipe's scans missing a band (the whole plan's run only)
  std::vector<std::string> failures;      // files that could not be fetched or read
  std::int64_t missing_slots = 0;
  StreamSummary stream;  // frames in/out, gaps, fallbacks, interpolate/encode time
  double seconds_fetch = 0, seconds_render = 0, seconds_total = 0;
  std::filesystem::path output;
  std::string describe(double fps) const;  // the summary the CLI prints
};

// Plan, then run the whole plan (or only list, plan and take the inventory with job.dry_run).
TimelapseSummary run_timelapse(const TimelapseJob& job, const Config& config, Progress& progress,
                               const CancelToken& cancel);

// The dry-run summary: the plan's description and the inventory ("on disk: 4, to fetch: 0").
std::string describe_dry_run(const TimelapsePlan& plan, const TimelapseSummary& inventory);

// Stage 1: lists the job's source and plans it (no files are fetched).
TimelapsePlan plan_from_source(const TimelapseJob& job, const Config& config, const CancelToken& cancel);

// How to run (a slice of) a plan.
struct PlanRun {
  PlanSegment slice;             // the scans; a slice that does not encode its last scan ends before it
  std::filesystem::path output;  // the video
  EncodeOptions encode;          // the plan's, plus per-run container metadata / closed GOP
  bool use_catalog = true;       // false: no SQLite catalog, each planned file is checked by stat
  bool dry_run = false;          // inventory only
};
// The run of the whole plan into its own output.
PlanRun whole_plan(const TimelapsePlan& plan);

// Stages 2-5 over `run.slice` of `plan`. `config`: the plan's config (TimelapsePlan::make_config). A scan
// shared with a neighbouring segment that cannot be read is an error (the neighbour used it), not a gap.
TimelapseSummary run_timelapse_plan(const TimelapsePlan& plan, const PlanRun& run, const Config& config,
                                    Progress& progress, const CancelToken& cancel);

// The one colouring step of a frame, on whichever side of the interpolation it runs (interpolate.space): a
// data frame through its palette (the product's levels and colour table), then false colour seen from `lon`
// over `area` (the frame's geometry as coloured) when `false_colour` is set. Empty when neither applies.
FrameColour frame_colouring(std::shared_ptr<const DataPalette> palette,
                            const std::optional<FalseColourOptions>& false_colour, double lon,
                            const std::optional<FixedGridArea>& area);

// The data folder used when TimelapseJob::data_dir is empty: $XDG_CACHE_HOME/goesvfi/data (or ~/.cache/...).
std::filesystem::path default_data_dir();

}  // namespace goesvfi
