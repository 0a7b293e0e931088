// Segments of a plan as a Slurm job array, the join as a job that depends on it. Slurm's own tools do the
// work (sbatch, squeue, sacct, scancel, run as programs); goesvfi writes readable sbatch scripts next to the
// plan and remembers the job ids in PLAN.parts/slurm.json. Errors from Slurm are shown verbatim with a hint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster/segments.hpp"
#include "core/config.hpp"

namespace goesvfi::cluster {

// What a submit asks Slurm for; the defaults and checks are the cluster.* rows of the config schema.
struct SlurmOptions {
  std::string partition, time, account;  // empty: the cluster's defaults
  int cpus_per_task;
  std::string mem;   // e.g. "4G"; empty: from the measured need (segment reports, else the backend model)
  int max_parallel;  // array tasks running at once (0: no limit)

  SlurmOptions();  // the schema's defaults
  static SlurmOptions from_config(const Config& config);
  // `base` with the cluster.* keys that `config` sets (config file, profile or flag) put over it.
  static SlurmOptions overlay(SlurmOptions base, const Config& config);

 private:
  struct FromConfig {};
  explicit SlurmOptions(FromConfig) : cpus_per_task(0), max_parallel(0) {}
};

struct SubmitResult {
  std::string array_job;  // id of the segments' array
  std::string join_job;
  std::vector<std::size_t> segments;  // submitted
  std::string mem;                    // what was requested per task
  std::filesystem::path script, join_script;
  std::string describe() const;
};

// Writes PLAN.sbatch and PLAN.join.sbatch next to the plan and submits every segment, then the join
// (--dependency=afterok:<array>). Errors from sbatch: InvalidArgument with its message and a hint.
SubmitResult submit(const std::filesystem::path& plan_file, const SlurmOptions& options);

enum class SegmentState { Done, Pending, Running, Failed, Missing };
std::string_view to_string(SegmentState state);

struct SegmentStatus {
  SegmentState state = SegmentState::Missing;
  std::string job;          // "123_4" (empty: never submitted, or forgotten by Slurm)
  std::string slurm_state;  // as squeue/sacct say it, e.g. CANCELLED
  std::string detail;       // why a segment counts as failed or missing
};

struct ClusterStatus {
  std::vector<SegmentStatus> segments;
  std::string join_job, join_state;  // join_state: Slurm's word, "done" when the video is joined, or ""
  std::size_t count(SegmentState state) const;
  bool joined = false;  // the plan's output exists and holds this plan's segments
  std::string describe() const;
};

// Per segment: done (its video is complete), pending/running (squeue), failed (Slurm says it ended badly,
// or it ended without a complete video), missing (never submitted or no record left). sacct is asked when the
// cluster keeps accounting.
ClusterStatus status(const std::filesystem::path& plan_file);

// Resubmits only the failed and missing segments (with the options of the last submit, overridden by the
// cluster.* keys that `overrides` sets, see SlurmOptions::overlay), cancels a join still waiting on the old
// array, and submits the join again. Nothing to resubmit and the video not joined: submits the join alone.
SubmitResult resume(const std::filesystem::path& plan_file, const Config* overrides = nullptr);

// The --mem request for `plan`'s segments: from the peak memory measured by completed segments of this plan
// (x1.25), else from the per-pixel model of the backend at the plan's frame size (x1.5).
std::string memory_request(const TimelapsePlan& plan, const PlanFiles& files, int cpus);

}  // namespace goesvfi::cluster
