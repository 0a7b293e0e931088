// `goesvfi fetch`: list a satellite/product/band/sector over a time range from S3, the STAR CDN, a local
// archive or all of them (auto), skip files already complete in the output folder, download the rest with
// one progress bar, print a summary. Exit code != 0 when any file failed; Ctrl-C stops cleanly and a re-run
// resumes.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "fetch/fetch.hpp"

namespace goesvfi::cli {
namespace {

struct FetchFlags {
  std::string satellite, product, sector, start, end, output, layout = "bucket";
  std::optional<int> band;
  bool dry_run = false;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  auto flags = std::make_shared<FetchFlags>();
  app.add_option("--satellite", flags->satellite, "east, west (resolved by date), G16, G17, G18 or G19")
      ->required();
  app.add_option("--product", flags->product,
                 "bucket product folder: ABI-L1b-RadF, ABI-L2-CMIPC, ABI-L2-MCMIPM ...")
      ->required();
  app.add_option("--band", flags->band, "ABI band 1-16 (omit for band-less products such as MCMIP)");
  app.add_option("--sector", flags->sector, "M1 or M2 for mesoscale products (default M1)");
  app.add_option("--start", flags->start, "first scan time, UTC (2024-05-01T00:00Z)")->required();
  app.add_option("--end", flags->end, "end of the range, exclusive (2024-05-01T06:00Z)")->required();
  app.add_option("-o,--output", flags->output, "destination folder")->required();
  app.add_option("--layout", flags->layout, "bucket: <product>/<YYYY>/<DOY>/<HH>/<name>; flat: names only")
      ->check(CLI::IsMember({"bucket", "flat"}));
  app.add_flag("--dry-run", flags->dry_run, "list what would be fetched and exit");
  config_flag(app, globals, "--source", "fetch.source", "s3, cdn, auto or a local folder");
  config_flag(app, globals, "--jobs", "fetch.jobs", "parallel transfers");
  config_flag(app, globals, "--endpoint", "fetch.endpoint",
              "S3-compatible endpoint URL (path-style addressing)");
  config_flag(app, globals, "--region", "fetch.region", "S3 region");
  config_flag(app, globals, "--bucket", "fetch.bucket", "S3 bucket (default: the satellite's NOAA bucket)");
  config_flag(app, globals, "--retries", "fetch.retries", "retries per request");

  return [flags, &globals]() -> int {
    apply_config_flags(globals);
    fetch::FetchOptions options;
    options.query = fetch::make_query(flags->satellite, flags->product, flags->band, flags->sector,
                                      parse_utc(flags->start), parse_utc(flags->end));
    options.output = flags->output;
    options.layout = fetch::parse_layout(flags->layout);
    options.dry_run = flags->dry_run;
    auto store = fetch::make_store(globals.config);
    Progress progress(parse_progress_mode(globals.config.get_string("general.progress")));
    const fetch::FetchSummary summary = fetch::run_fetch(*store, options, progress, CancelToken::process());

    if (options.dry_run) {
      for (const fetch::FetchResult& r : summary.results) {
        fmt::print("{}  {}  {}\n", r.status == fetch::FetchStatus::Skipped ? "complete" : "fetch   ",
                   r.file.size >= 0 ? format_bytes(static_cast<double>(r.file.size)) : std::string("?"),
                   r.path.string());
      }
      fmt::print("{} files listed from {}, {} already complete\n", summary.listed, store->describe(),
                 summary.skipped);
      return 0;
    }
    ErrorKind worst = ErrorKind::Internal;
    for (const fetch::FetchResult& r : summary.results) {
      if (r.status != fetch::FetchStatus::Failed || !r.error) continue;
      fmt::print(stderr, "goesvfi: failed: {}\n", r.error->describe());
      worst = r.error->kind();
    }
    fmt::print("{}\n", summary.text());
    if (!summary.transfer_stats.empty()) fmt::print("transfers: {}\n", summary.transfer_stats);
    return summary.failed > 0 ? exit_code_for(worst) : 0;
  };
}

const bool registered = register_command(
    {"fetch", "download GOES ABI files from NOAA S3, the STAR CDN or a local archive", setup});

}  // namespace
}  // namespace goesvfi::cli
