// `goesvfi render FILES|DIR... -o DIR`: ABI NetCDF files (and, with --false-colour, goesproc/CDN IR images)
// to PNG/JPG frames named GOES16_FD_CH13_20241221T180021Z.png (GOES16_FD_FC_... for false colour).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.hpp"
#include "colour/false_colour.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "render/render.hpp"

namespace goesvfi::cli {
namespace {

struct RenderFlags {
  std::vector<std::string> inputs;
  std::string output, range, resolution, format = "png";
  int band = 0, jobs = 0, jpeg_quality = 95;
  bool false_colour = false;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  auto f = std::make_shared<RenderFlags>();
  app.add_option("inputs", f->inputs, "NetCDF files or folders (images too with --false-colour)")->required();
  app.add_option("-o,--output", f->output, "output folder")->required();
  app.add_option(
      "--range", f->range,
      "value range MIN:MAX mapped to the grey scale: kelvin for IR (cold end white), reflectance for "
      "visible [config render.range; default: the band's range, docs/products.md]");
  app.add_option("--resolution", f->resolution,
                 "area-average to this resolution, e.g. 4km (native if omitted)");
  app.add_option("--band", f->band, "ABI band (needed for multi-band MCMIP files)");
  app.add_option("--format", f->format, "png or jpg")->check(CLI::IsMember({"png", "jpg"}));
  app.add_option("--jpeg-quality", f->jpeg_quality, "JPEG quality 1-100")->check(CLI::Range(1, 100));
  app.add_option("--jobs", f->jobs, "files rendered at once (default: one per worker thread)")
      ->check(CLI::Range(0, 1024));
  app.add_flag("--false-colour,--false-color", f->false_colour,
               "false colour as Sanchez makes it (IR tinted over an Earth map; see the colour flags)");
  config_flag(app, globals, "--colormap", "render.colormap",
              "colour table: noaa-ir, darkred-blue, red-blue, purple-yellow, atmosphere, grey or a gradient "
              "JSON file");
  config_flag(app, globals, "--background", "render.background",
              "fill and off-disk pixels: black or transparent");
  config_flag(app, globals, "--dqf-invalid", "render.dqf_invalid", "DQF values masked, comma-separated");
  config_flag(app, globals, "--gamma", "render.gamma", "gamma of visible reflectance");
  add_colour_flags(app, globals);

  return [f, &globals]() -> int {
    apply_config_flags(globals);
    const Config& config = globals.config;
    RenderBatchOptions options;
    options.render = RenderOptions::from_config(config);
    options.render.band = f->band;
    if (!f->range.empty()) {
      const auto [lo, hi] = parse_range(f->range);
      options.render.range_min = lo;
      options.render.range_max = hi;
    }
    if (!f->resolution.empty()) options.render.resolution_km = parse_resolution_km(f->resolution);
    options.output_dir = f->output;
    options.format = f->format;
    options.jpeg_quality = f->jpeg_quality;
    options.jobs = f->jobs;
    if (shows_false_colour(config, f->false_colour)) {
      const auto colour = FalseColourOptions::from_config(config);
      options.transform = [colour](const RenderedFrame& frame) {
        return false_colour(frame.image, frame.header.projection.lon0_deg, colour, frame.header.area);
      };
      options.transform_product = "FC";
    }
    std::vector<std::filesystem::path> inputs(f->inputs.begin(), f->inputs.end());
    inputs = list_netcdf_inputs(inputs);
    if (inputs.empty())
      fail(ErrorKind::NotFound, "no NetCDF or image files in {}", fmt::join(f->inputs, ", "));
    std::filesystem::create_directories(options.output_dir);
    Progress progress(parse_progress_mode(config.get_string("general.progress")));
    const auto result = render_files(inputs, options, progress, CancelToken::process());
    fmt::print("rendered {} file(s) into {}\n", result.written.size(), options.output_dir.string());
    return 0;
  };
}

const bool registered =
    register_command({"render", "render ABI NetCDF files to images (optionally false colour)", setup});

}  // namespace
}  // namespace goesvfi::cli
