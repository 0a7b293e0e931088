// `goesvfi demo`: the offline demo — generate a GOES-like archive and make a false-colour timelapse of it
// (`--show airmass`: an Air Mass RGB timelapse of generated bands 8, 10, 12 and 13).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "colour/product.hpp"
#include "core/cancel.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"

namespace goesvfi::cli {
namespace {

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  add_flag_group(app, g, "demo");
  add_flag_group(app, g, "backend_name");
  add_flag_group(app, g, "backend");
  add_flag_group(app, g, "stream");
  add_flag_group(app, g, "product");  // --show airmass: the demo writes the recipe's bands and shows it
  return [&g]() -> int {
    Config& config = g.config;
    // The demo's own defaults (3 frames between 10-minute scans at 30 fps), unless the user set them.
    if (!config.is_set("interpolate.intermediate"))
      config.set("interpolate.intermediate", std::int64_t{3}, "demo");
    const std::filesystem::path dir = std::filesystem::absolute(config.get_string("demo.dir"));
    Progress progress(parse_progress_mode(config.get_string("general.progress")));
    DemoDataOptions data_options = DemoDataOptions::from_config(config);
    data_options.archive = dir / "archive";
    const DemoData data = generate_demo_data(data_options, progress, CancelToken::process());
    fmt::print(stderr, "generated {} NOAA-layout L2 CMIP files in {} (scan at {} left out)\n",
               data.files.size(), data_options.archive.string(), format_iso(data.missing));

    // The demo's series: GOES-East band 13 full disk, false colour, from the generated archive.
    config.set("query.satellite", std::string("east"), "demo");
    config.set("query.product", std::string("ABI-L2-CMIPF"), "demo");
    config.set("query.band", std::int64_t{13}, "demo");
    config.set("query.start", format_iso(data.start), "demo");
    config.set("query.end", format_iso(data.end), "demo");
    config.set("fetch.source", data_options.archive.string(), "demo");
    const Product* shown = shown_product(config);
    if (!shown || shown->kind != ProductKind::Recipe) config.set("colour.false_colour", true, "demo");
    TimelapseJob job = timelapse_job_from(config);
    job.data_dir = dir / "data";
    job.catalog_file = dir / "catalog.sqlite";
    job.output = dir / "demo.mp4";
    const auto summary = run_timelapse(job, config, progress, CancelToken::process());
    fmt::print(stderr, "{}", summary.describe(job.encode.fps));
    fmt::print(
        stderr,
        "  frame count: {} scans found -> ({} - 1) x ({} + 1) + 1 = {} frames, plus {} for the missing scan "
        "bridged by interpolation\n",
        summary.stream.input_frames, summary.stream.input_frames, job.intermediate,
        (summary.stream.input_frames - 1) * (job.intermediate + 1) + 1,
        summary.stream.output_frames - ((summary.stream.input_frames - 1) * (job.intermediate + 1) + 1));
    fmt::print(stderr,
               "\nThe video: {0}\n  play it with: ffplay -loop 0 {0}   (or mpv, vlc, or any browser)\n"
               "  change the defaults: goesvfi config init   (writes {1} with every setting explained)\n",
               job.output.string(), Config::default_path().string());
    fmt::print("{}\n", job.output.string());
    return 0;
  };
}

const bool registered = register_command(
    {"demo", "offline demo: generate GOES-like NetCDF files and make demo.mp4 from them", setup});

}  // namespace
}  // namespace goesvfi::cli
