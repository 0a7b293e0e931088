// `goesvfi render FILES|DIR... -o DIR`: ABI NetCDF files (and, with --false-colour, goesproc/CDN IR images)
// to PNG/JPG frames named GOES16_FD_CH13_20241221T180021Z.png (GOES16_FD_FC_... for false colour).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.hpp"
#include "colour/false_colour.hpp"
#include "colour/product.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "render/render.hpp"

namespace goesvfi::cli {
namespace {

struct RenderFlags {
  std::vector<std::string> inputs;
  std::string output;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  auto f = std::make_shared<RenderFlags>();
  app.add_option("inputs", f->inputs, "NetCDF files or folders (images too with --false-colour)")->required();
  app.add_option("-o,--output", f->output, "output folder")->required();
  for (const char* group : {"render", "render_files", "product", "colour"})
    add_flag_group(app, globals, group);

  return [f, &globals]() -> int {
    const Config& config = globals.config;
    RenderBatchOptions options = render_batch_options_from(config);
    options.output_dir = f->output;
    if (shows_false_colour(config)) {
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
    for (const auto& scan : result.incomplete)
      fmt::print(stderr, "incomplete scan, not rendered: {}\n", scan);
    return 0;
  };
}

const bool registered =
    register_command({"render", "render ABI NetCDF files to images (optionally false colour)", setup});

}  // namespace
}  // namespace goesvfi::cli
