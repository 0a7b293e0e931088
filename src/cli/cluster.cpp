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
};

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
  add_flag_group(*submit, g, "slurm");
  add_flag_group(*resume, g, "slurm");
  add_flag_group(*run, g, "cluster_run");

  return [f, &g, submit, status, resume, run]() -> int {
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    if (submit->parsed()) {
      fmt::print("{}", cluster::submit(f->plan, cluster::SlurmOptions::from_config(g.config)).describe());
      return 0;
    }
    if (status->parsed()) {
      const auto st = cluster::status(f->plan);
      fmt::print("{}", st.describe());
      return 0;
    }
    if (resume->parsed()) {
      const auto r = cluster::resume(f->plan, &g.config);
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
    const auto summary = cluster::run_local(f->plan, static_cast<int>(g.config.get_int("cluster.jobs")),
                                            progress, CancelToken::process());
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
