// `goesvfi check DIR`: which scans of a series are missing, duplicated, unreadable or off the schedule;
// `--fix` fetches the missing ones through the stores of src/fetch and checks again.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "pipeline/check_fix.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string folder;
  bool fix, no_catalog;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>(Flags{{}, false, false});
  app.add_option("folder", f->folder, "folder of GOES files (NOAA .nc, CDN .jpg, goesproc names, frames)")
      ->required();
  // Query keys not given are read from the files.
  for (const char* group : {"query", "check", "interval", "catalog"}) add_flag_group(app, g, group);
  app.add_flag("--no-catalog", f->no_catalog, "check without the persistent catalog (nothing cached)");
  app.add_flag("--fix", f->fix, "fetch the missing scans, then check again");
  for (const char* group : {"fetch", "layout"}) add_flag_group(app, g, group);

  return [f, &g]() -> int {
    const Config& config = g.config;
    const catalog::CheckOptions o = check_options_from(config, f->folder, !f->no_catalog);
    const auto format = catalog::parse_report_format(config.get_string("catalog.report_format"));
    Progress progress(parse_progress_mode(config.get_string("general.progress")));
    catalog::CheckReport report;
    if (f->fix) {
      const CheckFixResult r = check_and_fix(o, config, progress, CancelToken::process());
      if (r.fix) {
        fmt::print(stderr, "{}", catalog::format_check_report(r.before, catalog::ReportFormat::Table));
        for (const auto& failure : r.fix->failures) fmt::print(stderr, "failed: {}\n", failure);
        if (!r.fix->transfer_stats.empty()) fmt::print(stderr, "{}\n", r.fix->transfer_stats);
        if (!r.fix->failures.empty())
          fmt::print(stderr, "{} file(s) could not be fetched\n", r.fix->failures.size());
      }
      report = r.after;
    } else {
      report = catalog::check_folder(o, CancelToken::process(), progress);
    }
    fmt::print("{}", catalog::format_check_report(report, format));
    return report.complete() ? 0 : 1;
  };
}

const bool registered = register_command(
    {"check", "report missing, duplicate, unreadable and off-schedule scans of a folder", setup});

}  // namespace
}  // namespace goesvfi::cli
