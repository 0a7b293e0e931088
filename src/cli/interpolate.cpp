// `goesvfi interpolate INPUT... -o OUT.mp4`: frames in, smooth video out.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "pipeline/interpolate.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::vector<std::string> inputs;
  std::string output, keep_frames;
  bool dry_run;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>(Flags{{}, {}, {}, false});
  app.add_option("inputs", f->inputs, "folders, image files or glob patterns (PNG/JPEG/TIFF)")->required();
  app.add_option("-o,--output", f->output,
                 "output video (.mp4/.mkv/.mov/.webm); default <folder>_<UTC time>.mp4");
  for (const char* group :
       {"backend_name", "backend", "stream", "frame", "encode", "product", "colour", "frame_colour"})
    add_flag_group(app, g, group);
  app.add_option("--keep-frames", f->keep_frames, "also write every output frame as PNG into this folder");
  app.add_flag("--dry-run", f->dry_run, "print the plan (frames, duration, size, codec) and do nothing");

  return [f, &g]() -> int {
    const Config& config = g.config;
    InterpolateJob job = InterpolateJob::from_config(config);
    job.inputs = f->inputs;
    job.output = f->output;
    job.keep_frames = f->keep_frames;
    if (f->dry_run) {
      const auto plan = plan_interpolate(job, config);
      fmt::print(
          "{}codec:    {} ({}, crf {}, preset '{}'), {:g} fps, backend {} with {} intermediate frame(s)\n",
          plan.describe(), job.encode.codec, job.encode.pix_fmt, job.encode.crf, job.encode.preset,
          job.encode.fps, job.backend, job.intermediate);
      return 0;
    }
    Progress progress(parse_progress_mode(config.get_string("general.progress")));
    const auto output = job.output.empty() ? default_output_path(job.inputs.front()) : job.output;
    job.output = output;
    const auto summary = run_interpolate(job, config, progress, CancelToken::process());
    fmt::print(stderr, "{}", describe_summary(summary, output, job.encode.fps));
    return 0;
  };
}

const bool registered = register_command(
    {"interpolate", "interpolate a folder of frames into a smooth video (in process, streaming)", setup});

}  // namespace
}  // namespace goesvfi::cli
