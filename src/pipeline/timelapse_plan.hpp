// The timelapse plan: what a `goesvfi timelapse` run will make, decided before any file is fetched.
//
//   job (satellite, product, range, render/colour/encode settings) + the store's listing
//     -> expected scan slots (the ABI schedule, scan modes read from the file names)
//     -> which slots have a file and which are missing, the distance of each scan to the next in slots
//     -> the gap decisions (skip, hold, interpolate) and the frames each pair of scans becomes
//     -> optionally K segments split at scan boundaries (for cluster runs).
//
// `plan_timelapse` is pure: it does not touch the network or the disk. The plan is a value: it prints (the
// dry-run summary), serialises to versioned JSON and back (every setting a segment run needs, including the
// config values of the backend and the store), has a stable hash over its content, and a slice of it (one
// segment) can be run on its own (`run_timelapse_plan`).
//
// Segments share their boundary scan: segment k covers scans [first, last] and encodes every frame from its
// first scan up to, not including, its last one (the last segment also encodes its last scan), so the
// concatenated segments hold exactly the frames of one process. Gaps lie between two scans of one segment,
// so each is decided once, from the whole plan.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/schedule.hpp"
#include "colour/false_colour.hpp"
#include "core/config.hpp"
#include "core/time.hpp"
#include "encode/encoder.hpp"
#include "fetch/store.hpp"
#include "pipeline/stream.hpp"
#include "render/render.hpp"

namespace goesvfi {

// What to make: the settings of one timelapse (the CLI, the GUI and plan files fill it).
// The settings come from the config (TimelapseJob::from_config): TimelapseJob{} equals
// from_config(Config::defaults()) and no default value of a key is written here.
struct TimelapseJob {
  TimelapseJob();

  std::string satellite;  // east, west, G16..G19
  std::string product;
  std::string sector;  // M1/M2 for mesoscale products
  std::optional<int> band;
  UtcTime start{}, end{};              // from query.start/end when set (timelapse_job_from requires them)
  std::string source;                  // auto, s3, cdn, or a local archive folder
  std::filesystem::path data_dir;      // where fetched files are kept (bucket layout); default: cache dir
  std::filesystem::path catalog_file;  // default: catalog.path / Catalog::default_path()

  RenderOptions render;
  bool false_colour;
  FalseColourOptions colour;
  std::optional<Rect> crop;
  std::optional<std::pair<int, int>> resize;

  std::string backend;
  int intermediate;
  GapMode gaps;
  InterpSpace space;  // auto: data for NetCDF scans, colour for images
  EncodeOptions encode;
  std::filesystem::path output;
  int render_ahead = 3;  // files rendered ahead of the interpolator; not a config key
  bool dry_run = false;  // list, plan and report; fetch and encode nothing

  // query.*, fetch.source, render.*, colour.*, frame.*, interpolate.*, timelapse.*, encode.*. The caller adds
  // data_dir, catalog_file and dry_run.
  static TimelapseJob from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit TimelapseJob(FromConfig)
      : false_colour(false), intermediate(0), gaps(GapMode::Interpolate), space(InterpSpace::Auto) {}
};

// One scan of the series, in time order, with how many schedule slots lie between it and the next one.
struct PlannedScan {
  fetch::RemoteFile file;  // a recipe: its first band's file
  std::vector<fetch::RemoteFile>
      more;                    // a recipe: the other bands' files of this scan, in the recipe's order
  std::size_t slot_index = 0;  // into TimelapsePlan::slots
  int slots_to_next = 1;       // 1 for the last scan
};

// A run of consecutive scans [first_scan, last_scan] (indices into TimelapsePlan::scans).
struct PlanSegment {
  std::size_t first_scan = 0, last_scan = 0;
  bool encodes_last = false;  // only the plan's final segment encodes its last scan
};

struct TimelapsePlan {
  static constexpr int kVersion = 3;  // 2: job.space; 3: a recipe's scans (scans[].more, incomplete)

  TimelapseJob job;                           // the settings (dry_run is not part of a plan)
  std::map<std::string, ConfigValue> config;  // every config key but general.* (backend, store, catalog)
  bool synthesises = true;                    // whether the backend makes in-between frames
  std::string store;                          // describe() of the store that listed the files
  std::vector<catalog::Slot> slots;           // every expected scan slot of [start, end)
  std::vector<PlannedScan> scans;             // the slots that have a file
  std::vector<UtcTime> missing;               // the slots without a file
  std::vector<std::string> missing_runs;      // "2024-05-01 12:10–12:40, 4 scans"
  std::vector<std::string> incomplete;        // a recipe's scans missing a band (their slots are missing)
  std::vector<PlanSegment> segments;          // empty: not split (one segment, the whole plan)

  // Frames the video gets from the pair (scan i, scan i+1): scan i itself, held copies, in-between frames.
  std::int64_t pair_frames(std::size_t i) const;
  // The interpolation timesteps of the pair (scan i, scan i+1) after the gap policy (empty: none).
  std::vector<double> pair_timesteps(std::size_t i) const;
  // Frames of the whole video, and of one slice [first, last] (with or without its last scan).
  std::int64_t output_frames() const;
  std::int64_t slice_frames(std::size_t first, std::size_t last, bool encodes_last) const;
  std::int64_t segment_frames(std::size_t k) const;
  double video_seconds() const;  // output_frames / fps
  std::size_t segment_count() const { return segments.empty() ? 1 : segments.size(); }
  // A segment's own scans (the whole plan when not split).
  PlanSegment segment(std::size_t k) const;
  // The file name of segment k's video: seg-<k>.<ext of the output>.
  std::string segment_file_name(std::size_t k) const;

  // The config the plan was made with (defaults, then the plan's values; general.* from `base`).
  Config make_config(const Config& base) const;
  // sha256 (hex) of the canonical JSON of everything but the hash itself.
  std::string hash() const;
  // The dry-run summary: scans expected/found/missing, missing runs, gaps, frames, video length, segments.
  std::string describe() const;
};

// The multi-band product (a recipe such as "airmass") the job shows, or nullptr for a one-band product.
const Product* job_recipe(const TimelapseJob& job);
// The files of one scan: `file`, then `more`.
std::vector<fetch::RemoteFile> scan_files(const PlannedScan& scan);

// The plan of `job` from the store's listing (any order; files off the schedule are dropped with a log
// line). `synthesises`: the backend makes in-between frames. NotFound when no file matches;
// InvalidArgument when a video needs two scans and there is one. For a recipe, `listed` holds every band it
// needs (fetch::list_bands): files are grouped by scan, a scan is planned when it has them all and is listed
// in `incomplete` otherwise; InvalidArgument for interpolate.space data or false colour (a recipe is a
// colour picture, interpolated as one).
TimelapsePlan plan_timelapse(const TimelapseJob& job, const Config& config, std::string store,
                             const std::vector<fetch::RemoteFile>& listed, bool synthesises);

// Splits the plan at scan boundaries into `count` segments of about equal length in schedule slots, or into
// segments of `length` each from the plan's start. Boundary scans are the scans nearest to the ideal cut
// times. InvalidArgument when there are more segments than pairs of scans, or a segment would hold no pair
// (its scans missing), naming the segment and its time range.
void split_plan(TimelapsePlan& plan, std::size_t count);
void split_plan_by_length(TimelapsePlan& plan, std::chrono::milliseconds length);

// "1d", "6h", "90min", "30m", "3600s" -> milliseconds; InvalidArgument naming the text otherwise.
std::chrono::milliseconds parse_segment_length(std::string_view text);

nlohmann::json plan_to_json(const TimelapsePlan& plan);
// InvalidArgument for a plan of another version or a malformed one; Corrupt when its stored hash does not
// match its content.
TimelapsePlan plan_from_json(const nlohmann::json& json);
void write_plan(const std::filesystem::path& path, const TimelapsePlan& plan);  // atomic
TimelapsePlan read_plan(const std::filesystem::path& path);

}  // namespace goesvfi
