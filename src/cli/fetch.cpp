// `goesvfi fetch`: list a satellite/product/band/sector over a time range from S3, the STAR CDN, a local
// archive or all of them (auto), skip files already complete in the output folder, download the rest with
// one progress bar, print a summary. Exit code != 0 when any file failed; Ctrl-C stops cleanly and a re-run
// resumes.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "colour/product.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "fetch/fetch.hpp"

namespace goesvfi::cli {
namespace {

struct FetchFlags {
  std::string output;
  bool dry_run;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  auto flags = std::make_shared<FetchFlags>(FetchFlags{{}, false});
  add_flag_group(app, globals, "query");
  add_flag_group(app, globals, "product");  // --show airmass: every band the product needs, by scan
  app.add_option("-o,--output", flags->output, "destination folder")->required();
  add_flag_group(app, globals, "layout");
  app.add_flag("--dry-run", flags->dry_run, "list what would be fetched and exit");
  add_flag_group(app, globals, "fetch");

  return [flags, &globals]() -> int {
    fetch::FetchOptions options;
    options.query = fetch::query_from(globals.config);
    options.output = flags->output;
    options.layout = fetch::layout_from(globals.config, options.output);
    options.dry_run = flags->dry_run;
    if (const Product* p = shown_product(globals.config); p && p->kind == ProductKind::Recipe)
      options.bands = p->bands;
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
      for (const auto& scan : summary.incomplete) fmt::print("incomplete: {}\n", scan);
      return 0;
    }
    ErrorKind worst = ErrorKind::Internal;
    for (const fetch::FetchResult& r : summary.results) {
      if (r.status != fetch::FetchStatus::Failed || !r.error) continue;
      fmt::print(stderr, "goesvfi: failed: {}\n", r.error->describe());
      worst = r.error->kind();
    }
    for (const auto& scan : summary.incomplete) fmt::print(stderr, "goesvfi: incomplete: {}\n", scan);
    fmt::print("{}\n", summary.text());
    if (!summary.transfer_stats.empty()) fmt::print("transfers: {}\n", summary.transfer_stats);
    return summary.failed > 0 ? exit_code_for(worst) : 0;
  };
}

const bool registered = register_command(
    {"fetch", "download GOES ABI files from NOAA S3, the STAR CDN or a local archive", setup});

}  // namespace
}  // namespace goesvfi::cli
