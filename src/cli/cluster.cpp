// `goesvfi cluster submit|status|resume|run PLAN.json`: a plan's segments on Slurm or as local processes.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cluster/segments.hpp"
#include "cluster/slurm.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string plan;
  cluster::SlurmOptions slurm;
  cluster::SlurmOptions resume{"", "", "", 0, "", -1};  // unset: the last submit's values
  int jobs = 2;
};

void add_slurm_flags(CLI::App* sub, cluster::SlurmOptions& o) {
  sub->add_option("--partition", o.partition, "Slurm partition (default: the cluster's)");
  sub->add_option("--time", o.time, "time limit per segment, e.g. 4:00:00");
  sub->add_option("--cpus-per-task", o.cpus_per_task, "cores per segment")->capture_default_str();
  sub->add_option("--mem", o.mem,
                  "memory per segment, e.g. 8G (default: measured by earlier segments, else the backend's "
                  "per-frame need at the plan's frame size)");
  sub->add_option("--max-parallel", o.max_parallel, "segments running at once (0 = no limit)");
  sub->add_option("--account", o.account, "account to charge");
}

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>();
  app.require_subcommand(1);
  auto* submit = app.add_subcommand("submit", "submit the segments as a Slurm job array, then the join");
  auto* status =
      app.add_subcommand("status", "per segment: pending, running, done, failed; overall progress");
  auto* resume = app.add_subcommand("resume", "resubmit only missing or failed segments, then the join");
  auto* run = app.add_subcommand("run", "run the segments as N local processes and join them (no Slurm)");
  for (auto* sub : {submit, status, resume, run})
    sub->add_option("plan", f->plan, "the plan file, PLAN.json")->required();
  add_slurm_flags(submit, f->slurm);
  add_slurm_flags(resume, f->resume);
  run->add_option("-j,--jobs", f->jobs, "segments at once")->capture_default_str();

  return [f, &g, submit, status, resume, run]() -> int {
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    if (submit->parsed()) {
      fmt::print("{}", cluster::submit(f->plan, f->slurm).describe());
      return 0;
    }
    if (status->parsed()) {
      const auto st = cluster::status(f->plan);
      fmt::print("{}", st.describe());
      return 0;
    }
    if (resume->parsed()) {
      const auto r = cluster::resume(f->plan, &f->resume);
      if (r.join_job.empty()) {
        fmt::print("nothing to resume: every segment is done and the video is joined\n");
      } else if (r.segments.empty()) {
        fmt::print("every segment is done; submitted the join as job {}\n", r.join_job);
      } else {
        fmt::print("{}", r.describe());
      }
      return 0;
    }
    (void)run;
    const auto summary = cluster::run_local(f->plan, f->jobs, progress, CancelToken::process());
    fmt::print(stderr, "{}", summary.describe());
    fmt::print("{}\n", summary.output.string());
    return 0;
  };
}

const bool registered = register_command(
    {"cluster", "run a plan's segments on Slurm (submit, status, resume) or as local processes (run)",
     setup});

}  // namespace
}  // namespace goesvfi::cli
