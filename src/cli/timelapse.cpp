// `goesvfi timelapse`: satellite + product + band + time range to a finished video.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cluster/segments.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "goes/domain.hpp"
#include "pipeline/input.hpp"
#include "pipeline/timelapse.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string satellite = "east", product = "ABI-L2-CMIPF", sector, start, end, source, data_dir,
              output = "timelapse.mp4";
  std::string crop, resize, profile, gaps = "interpolate", range, resolution;
  int band = 13;
  bool false_colour = false, dry_run = false, strict = false;
  std::string write_plan, plan, segment_length;  // cluster segments (README "Cluster runs")
  int segments = 0, segment = -1;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>();
  app.add_option("--satellite", f->satellite,
                 "east, west, G16, G17, G18 or G19 (east/west resolved by date)");
  app.add_option("--product", f->product,
                 "bucket product folder, e.g. ABI-L2-CMIPF, ABI-L1b-RadC, ABI-L2-CMIPM");
  app.add_option("--band", f->band, "ABI band 1-16");
  app.add_option("--sector", f->sector, "M1 or M2 for mesoscale products");
  app.add_option("--start", f->start, "UTC start, e.g. 2024-05-01T12:00Z (required without --plan)");
  app.add_option("--end", f->end, "UTC end (exclusive; required without --plan)");
  app.add_option("--source", f->source, "auto, s3, cdn or a local archive folder [config fetch.source]");
  app.add_option("--data-dir", f->data_dir,
                 "where fetched files are kept (default $XDG_CACHE_HOME/goesvfi/data)");
  app.add_option("-o,--output", f->output, "output video (.mp4/.mkv/.mov/.webm)");
  app.add_flag("--false-colour,--false-color", f->false_colour,
               "colour IR frames like Sanchez (underlay from config)");
  add_colour_flags(app, g);
  app.add_option("--range", f->range, "brightness-temperature range in kelvin, e.g. 180:320");
  app.add_option("--resolution", f->resolution, "downsample by area averaging, e.g. 4km");
  config_flag(app, g, "--colormap", "render.colormap", "colour table (built-in name or gradient JSON)");
  app.add_option("--crop", f->crop, "crop X,Y,W,H of the rendered frame");
  app.add_option("--resize", f->resize, "scale frames to WxH");
  add_backend_flags(app, g);
  config_flag(app, g, "-n,--intermediate", "interpolate.intermediate", "frames inserted between scans");
  config_flag(app, g, "--fps", "interpolate.fps", "frame rate of the video");
  app.add_option("--gaps", f->gaps,
                 "missing scans: skip, hold or interpolate (uniform motion across the gap)");
  app.add_option("--profile", f->profile, "encoding profile");
  config_flag(app, g, "--codec", "encode.codec", "video encoder");
  config_flag(app, g, "--crf", "encode.crf", "constant rate factor");
  config_flag(app, g, "--preset", "encode.preset", "encoder preset");
  config_flag(app, g, "--pix-fmt", "encode.pix_fmt", "output pixel format");
  config_flag(app, g, "-j,--jobs", "fetch.jobs", "parallel downloads");
  app.add_flag("--strict", f->strict, "exit with code 3 when scans are missing (the video is still written)");
  app.add_flag("--dry-run", f->dry_run, "list and plan only: no downloads, no video");
  app.add_option("--write-plan", f->write_plan, "write the plan (JSON) to this file and exit");
  app.add_option("--segments", f->segments, "with --write-plan: split into K segments at scan boundaries");
  app.add_option("--segment-length", f->segment_length,
                 "with --write-plan: split into segments of this length, e.g. 1d, 6h, 90min");
  app.add_option("--plan", f->plan, "run a plan written by --write-plan (all other flags come from it)");
  app.add_option("--segment", f->segment, "with --plan: run only segment k into PLAN.parts/seg-k.<ext>");

  return [f, &g]() -> int {
    Config& config = g.config;
    if (!f->plan.empty()) {
      apply_config_flags(g);
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
    if (f->start.empty() || f->end.empty())
      fail(ErrorKind::InvalidArgument, "--start and --end are required (or --plan PLAN.json)");
    if ((f->segments > 0 || !f->segment_length.empty()) && f->write_plan.empty())
      fail(ErrorKind::InvalidArgument, "--segments and --segment-length need --write-plan PLAN.json");
    if (f->segments > 0 && !f->segment_length.empty())
      fail(ErrorKind::InvalidArgument, "--segments and --segment-length exclude each other");
    config.apply_profile(f->profile.empty() ? config.get_string("encode.profile") : f->profile);
    apply_config_flags(g);
    TimelapseJob job;
    job.satellite = f->satellite;
    job.product = f->product;
    job.sector = f->sector;
    if (goes::product_has_band(goes::parse_product_folder(f->product).product))
      job.band = f->band;
    else
      job.band.reset();
    job.start = parse_utc(f->start);
    job.end = parse_utc(f->end);
    job.source = f->source.empty() ? config.get_string("fetch.source") : f->source;
    job.data_dir = f->data_dir;
    job.output = f->output;
    job.render = RenderOptions::from_config(config);
    if (!f->range.empty()) std::tie(job.render.range_min, job.render.range_max) = parse_range(f->range);
    if (!f->resolution.empty()) job.render.resolution_km = parse_resolution_km(f->resolution);
    job.false_colour = shows_false_colour(config, f->false_colour);
    job.colour = FalseColourOptions::from_config(config);
    if (!f->crop.empty()) job.crop = parse_crop(f->crop);
    if (!f->resize.empty()) job.resize = parse_size(f->resize);
    job.backend = config.get_string("interpolate.backend");
    job.intermediate = static_cast<int>(config.get_int("interpolate.intermediate"));
    job.gaps = parse_gap_mode(f->gaps);
    job.encode = EncodeOptions::from_config(config);
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
