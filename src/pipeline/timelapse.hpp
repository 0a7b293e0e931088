// `goesvfi timelapse`: satellite + product + band + time range to a finished video in one streaming process.
//
//   list (store) -> expected scan slots (catalog schedule, modes read from the names) -> what is already on
//   disk (SQLite catalog scan of the data folder, incremental) -> fetch what is missing (stage thread, in
//   parallel inside the store) -> render NetCDF or decode JPEG (pool, a few files ahead) -> false colour ->
//   crop -> interpolate -> encode.
// Stages overlap through bounded queues: early frames are rendered and encoded while later files download.
// Missing scans are gaps: skipped, held, or bridged by interpolation with timesteps uniform in time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "colour/false_colour.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "pipeline/stream.hpp"
#include "render/render.hpp"

namespace goesvfi {

struct TimelapseJob {
  std::string satellite = "east";  // east, west, G16..G19
  std::string product = "ABI-L2-CMIPF";
  std::string sector;  // M1/M2 for mesoscale products
  std::optional<int> band = 13;
  UtcTime start{}, end{};
  std::string source = "auto";         // auto, s3, cdn, or a local archive folder
  std::filesystem::path data_dir;      // where fetched files are kept (bucket layout); default: cache dir
  std::filesystem::path catalog_file;  // default: catalog.path / Catalog::default_path()

  RenderOptions render;
  bool false_colour = false;
  FalseColourOptions colour;
  std::optional<Rect> crop;
  std::optional<std::pair<int, int>> resize;

  std::string backend = "flow";
  int intermediate = 1;
  GapMode gaps = GapMode::Interpolate;
  EncodeOptions encode;
  std::filesystem::path output = "timelapse.mp4";
  int render_ahead = 3;  // files rendered ahead of the interpolator
  bool dry_run = false;  // list, plan and report; fetch and encode nothing
};

struct TimelapseSummary {
  std::string store;  // describe() of the store
  std::int64_t expected_slots = 0;
  std::int64_t listed = 0;         // files the store has in the range (one per slot)
  std::int64_t already_local = 0;  // on disk before the run (per the catalog)
  std::int64_t fetched = 0, fetch_failed = 0;
  std::int64_t bytes_fetched = 0;
  std::vector<std::string> missing_runs;  // "2024-05-01 12:10–12:40, 4 scans"
  std::vector<std::string> failures;      // files that could not be fetched or read
  std::int64_t missing_slots = 0;
  StreamSummary stream;  // frames in/out, gaps, fallbacks, interpolate/encode time
  double seconds_fetch = 0, seconds_render = 0, seconds_total = 0;
  std::filesystem::path output;
  std::string describe(double fps) const;  // the summary the CLI prints
};

TimelapseSummary run_timelapse(const TimelapseJob& job, const Config& config, Progress& progress,
                               const CancelToken& cancel);

// The data folder used when TimelapseJob::data_dir is empty: $XDG_CACHE_HOME/goesvfi/data (or ~/.cache/...).
std::filesystem::path default_data_dir();

}  // namespace goesvfi
