// `goesvfi timelapse`: satellite + product + band + time range to a finished video.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cluster/segments.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "pipeline/timelapse.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string data_dir;
  bool dry_run, strict;
  std::string write_plan, plan, segment_length;  // cluster segments (README "Cluster runs")
  int segments, segment;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>(Flags{{}, false, false, {}, {}, {}, 0, -1});
  for (const char* group : {"query", "fetch", "render", "product", "colour", "frame", "backend_name",
                            "backend", "stream", "encode", "timelapse"})
    add_flag_group(app, g, group);
  app.add_option("--data-dir", f->data_dir,
                 "where fetched files are kept (default $XDG_CACHE_HOME/goesvfi/data)");
  app.add_flag("--strict", f->strict, "exit with code 3 when scans are missing (the video is still written)");
  app.add_flag("--dry-run", f->dry_run, "list and plan only: no downloads, no video");
  app.add_option("--write-plan", f->write_plan, "write the plan (JSON) to this file and exit");
  app.add_option("--segments", f->segments, "with --write-plan: split into K segments at scan boundaries");
  app.add_option("--segment-length", f->segment_length,
                 "with --write-plan: split into segments of this length, e.g. 1d, 6h, 90min");
  app.add_option("--plan", f->plan, "run a plan written by --write-plan (all other flags come from it)");
  app.add_option("--segment", f->segment, "with --plan: run only segment k into PLAN.parts/seg-k.<ext>");

  return [f, &g]() -> int {
    const Config& config = g.config;
    if (!f->plan.empty()) {
      Progress progress(parse_progress_mode(config.get_string("general.progress")));
      if (f->segment >= 0) {
        const auto run = cluster::run_segment(f->plan, static_cast<std::size_t>(f->segment), config, progress,
                                              CancelToken::process());
        fmt::print(stderr, "{} segment {}: {}\n", run.skipped ? "skipped (already complete)" : "wrote",
                   f->segment, run.video.string());
        return 0;
      }
      const TimelapsePlan plan = read_plan(f->plan);
      const auto summary = run_timelapse_plan(plan, whole_plan(plan), plan.make_config(config), progress,
                                              CancelToken::process());
      fmt::print(stderr, "{}", summary.describe(plan.job.encode.fps));
      return 0;
    }
    if (f->segment >= 0) fail(ErrorKind::InvalidArgument, "--segment needs --plan");
    if ((f->segments > 0 || !f->segment_length.empty()) && f->write_plan.empty())
      fail(ErrorKind::InvalidArgument, "--segments and --segment-length need --write-plan PLAN.json");
    if (f->segments > 0 && !f->segment_length.empty())
      fail(ErrorKind::InvalidArgument, "--segments and --segment-length exclude each other");
    TimelapseJob job = timelapse_job_from(config);
    job.data_dir = f->data_dir;
    job.dry_run = f->dry_run;
    Progress progress(parse_progress_mode(config.get_string("general.progress")));
    if (!f->write_plan.empty()) {
      // Paths in a plan are absolute: segments run elsewhere (other nodes, other folders).
      job.output = std::filesystem::absolute(job.output);
      job.data_dir = std::filesystem::absolute(job.data_dir.empty() ? default_data_dir() : job.data_dir);
      if (std::filesystem::is_directory(job.source))
        job.source = std::filesystem::absolute(job.source).string();
      TimelapsePlan plan = plan_from_source(job, config, CancelToken::process());
      if (f->segments > 0) split_plan(plan, static_cast<std::size_t>(f->segments));
      if (!f->segment_length.empty()) split_plan_by_length(plan, parse_segment_length(f->segment_length));
      write_plan(f->write_plan, plan);
      fmt::print("{}wrote {} (plan {})\n", plan.describe(), f->write_plan, plan.hash().substr(0, 12));
      return 0;
    }
    if (f->dry_run) {
      // The plan (scans, gaps, frames, video length) and what is on disk already; nothing is fetched.
      const TimelapsePlan plan = plan_from_source(job, config, CancelToken::process());
      PlanRun run = whole_plan(plan);
      run.dry_run = true;
      fmt::print("{}", describe_dry_run(
                           plan, run_timelapse_plan(plan, run, config, progress, CancelToken::process())));
      return 0;
    }
    const auto summary = run_timelapse(job, config, progress, CancelToken::process());
    fmt::print(stderr, "{}", summary.describe(job.encode.fps));
    return f->strict && summary.missing_slots + summary.fetch_failed > 0 ? 3 : 0;
  };
}

const bool registered = register_command(
    {"timelapse", "satellite + time range to a finished video (fetch, render, colour, interpolate, encode)",
     setup});

}  // namespace
}  // namespace goesvfi::cli
