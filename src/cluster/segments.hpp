// A long timelapse as segments of one plan, run anywhere (Slurm array tasks, local processes) and joined into
// the video one process would have made.
//
// Files of a plan PLAN.json (all beside it, so a shared folder holds everything):
//   PLAN.parts/seg-<k>.<ext>    segment k's video: closed GOPs, the first frame a keyframe, the plan's time
//   base,
//                               its plan hash and index in the container's comment tag; written atomically
//   PLAN.parts/seg-<k>.json     what segment k did (scans found/fetched/missing, frames, stage times, peak
//   memory) PLAN.parts/logs/            one log per segment and one for the join PLAN.parts/summary.json the
//   merged summary the join writes
// The final video is the plan's output.
//
// Segments keep no SQLite catalog: each checks its own planned files by size (every download is atomic, so a
// file of the listed size is whole), which is safe for any number of segments on a shared file system.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"
#include "pipeline/timelapse.hpp"

namespace goesvfi::cluster {

struct PlanFiles {
  std::filesystem::path plan;   // absolute
  std::filesystem::path parts;  // PLAN.parts
  std::string extension;        // of the plan's output, e.g. ".mkv"

  std::filesystem::path segment_video(std::size_t k) const;
  std::filesystem::path segment_summary(std::size_t k) const;
  std::filesystem::path log(std::size_t k) const;
  std::filesystem::path join_log() const;
  std::filesystem::path merged_summary() const;
};
PlanFiles plan_files(const std::filesystem::path& plan_file, const TimelapsePlan& plan);

// What one segment did; also its sidecar file seg-<k>.json.
struct SegmentReport {
  std::size_t segment = 0;
  std::string plan_hash;
  std::int64_t expected = 0, found = 0, already_local = 0, fetched = 0, failed = 0, missing = 0;
  std::int64_t bytes_fetched = 0;
  std::int64_t frames = 0;
  int width = 0, height = 0;
  double seconds_fetch = 0, seconds_render = 0, seconds_interpolate = 0, seconds_encode = 0,
         seconds_total = 0;
  double seconds_cpu = 0;  // user + system time of the segment's process
  double peak_rss_mb = 0;
  std::string host;
};

struct SegmentRun {
  bool skipped = false;  // already complete for this plan
  SegmentReport report;
  std::filesystem::path video;
};

// Runs segment k of the plan in `plan_file` (the plan's config over `base`, whose general.* keys stay).
// Skips a segment whose video and report are complete for this plan hash.
SegmentRun run_segment(const std::filesystem::path& plan_file, std::size_t k, const Config& base,
                       Progress& progress, const CancelToken& cancel);

// The state of segment k's files: complete for this plan, or why not.
struct SegmentCheck {
  bool complete = false;
  std::string problem;  // "missing", "from another plan (hash ...)", "has 10 frames, expected 12", ...
  std::optional<SegmentReport> report;
};
SegmentCheck check_segment(const PlanFiles& files, const TimelapsePlan& plan, const std::string& hash,
                           std::size_t k);

// The container's comment tag, where segments and joined videos carry their plan hash ("" when unreadable).
std::string read_video_comment(const std::filesystem::path& video);

struct JoinSummary {
  std::filesystem::path output;
  std::vector<SegmentReport> segments;
  SegmentReport total;  // sums (peak memory: the largest)
  std::int64_t bytes_read = 0;
  double seconds_join = 0;
  std::string describe() const;
};

// Checks every segment (plan hash, frame count, stream parameters) and concatenates them by stream copy into
// the plan's output, atomically; writes PLAN.parts/summary.json. InvalidArgument naming each segment that is
// missing, corrupt, or from another plan.
JoinSummary join_segments(const std::filesystem::path& plan_file, Progress& progress,
                          const CancelToken& cancel);

// `goesvfi cluster run PLAN -j N`: the plan's segments as N local processes of this same binary (each with
// its share of the cores, its log in PLAN.parts/logs), then the join in this process. Segments already
// complete are skipped. Io naming each failed segment and its log.
JoinSummary run_local(const std::filesystem::path& plan_file, int jobs, Progress& progress,
                      const CancelToken& cancel);

}  // namespace goesvfi::cluster
