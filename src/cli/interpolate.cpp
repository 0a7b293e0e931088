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
  std::string output, crop, resize, keep_frames, profile;
  bool dry_run = false, false_colour = false;
  double longitude = 1000;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>();
  app.add_option("inputs", f->inputs, "folders, image files or glob patterns (PNG/JPEG/TIFF)")->required();
  app.add_option("-o,--output", f->output,
                 "output video (.mp4/.mkv/.mov/.webm); default <folder>_<UTC time>.mp4");
  add_backend_flags(app, g);
  config_flag(app, g, "-n,--intermediate", "interpolate.intermediate",
              "frames inserted between each input pair");
  config_flag(app, g, "--fps", "interpolate.fps", "frame rate of the video");
  app.add_option("--crop", f->crop, "crop X,Y,W,H applied to every frame");
  app.add_option("--resize", f->resize, "scale every frame to WxH first");
  app.add_option("--profile", f->profile,
                 "encoding profile: default, optimal, lossless or one from the config");
  config_flag(app, g, "--codec", "encode.codec", "video encoder");
  config_flag(app, g, "--crf", "encode.crf", "constant rate factor");
  config_flag(app, g, "--preset", "encode.preset", "encoder preset");
  config_flag(app, g, "--tune", "encode.tune", "encoder tune");
  config_flag(app, g, "--pix-fmt", "encode.pix_fmt", "output pixel format");
  config_flag(app, g, "--bitrate", "encode.bitrate", "target bitrate (e.g. 8M)");
  config_flag(app, g, "--maxrate", "encode.maxrate", "VBV maximum rate");
  config_flag(app, g, "--bufsize", "encode.bufsize", "VBV buffer size");
  config_flag(app, g, "--gop", "encode.gop", "keyframe interval in frames");
  config_flag(app, g, "--filters", "encode.filters",
              "libavfilter graph before encoding, e.g. unsharp=5:5:1.0");
  app.add_flag("--false-colour,--false-color", f->false_colour,
               "colour greyscale IR frames like Sanchez, in memory (colour.* config keys)");
  add_colour_flags(app, g);
  app.add_option("--longitude", f->longitude,
                 "satellite longitude for --false-colour (default: from the file names)");
  app.add_option("--keep-frames", f->keep_frames, "also write every output frame as PNG into this folder");
  app.add_flag("--dry-run", f->dry_run, "print the plan (frames, duration, size, codec) and do nothing");

  return [f, &g]() -> int {
    Config& config = g.config;
    config.apply_profile(f->profile.empty() ? config.get_string("encode.profile") : f->profile);
    apply_config_flags(g);
    InterpolateJob job;
    job.inputs = f->inputs;
    job.output = f->output;
    job.backend = config.get_string("interpolate.backend");
    job.intermediate = static_cast<int>(config.get_int("interpolate.intermediate"));
    job.encode = EncodeOptions::from_config(config);
    job.keep_frames = f->keep_frames;
    job.prefetch = static_cast<int>(config.get_int("interpolate.prefetch"));
    if (!f->crop.empty()) job.prep.crop = parse_crop(f->crop);
    if (!f->resize.empty()) job.prep.resize = parse_size(f->resize);
    if (shows_false_colour(config, f->false_colour)) {
      job.false_colour = FalseColourOptions::from_config(config);
      if (f->longitude < 999) job.longitude_deg = f->longitude;
    } else if (const Product* p = shown_product(config); p && p->table) {
      job.prep.transform = [lut = make_lut(p->table())](Image frame, const std::filesystem::path&) {
        return apply_colour_table(frame, lut);
      };
    }
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
