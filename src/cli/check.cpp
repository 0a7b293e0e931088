// `goesvfi check DIR`: which scans of a series are missing, duplicated, unreadable or off the schedule;
// `--fix` fetches the missing ones through the stores of src/fetch and checks again.
#include <fmt/format.h>

#include "catalog/check.hpp"
#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "fetch/fetch.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string folder, satellite, product, sector, start, end, format = "table", source, layout;
  int band = 0, mode = 0;
  double interval_s = 0;
  bool fix = false, no_catalog = false;
};

// Bucket layout when the folder holds <product>/<YYYY>/<DOY>/<HH>/<name> paths, flat otherwise.
fetch::Layout detect_layout(const std::filesystem::path& folder) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it.depth() >= 4 && it->is_regular_file(ec)) return fetch::Layout::Bucket;
  }
  return fetch::Layout::Flat;
}

// Fetches the missing scans of the report's series; returns the number of files that failed.
int fetch_missing(const catalog::CheckReport& report, const catalog::CheckOptions& options, const Flags& f,
                  const Config& config, Progress& progress) {
  const auto& scene = report.series_scene;
  std::optional<goes::Satellite> sat = options.satellite;
  if (!sat && scene) sat = scene->satellite;
  std::optional<goes::ProductFolder> folder;
  if (!f.product.empty()) {
    folder = goes::parse_product_folder(f.product);
  } else if (scene && scene->folder) {
    folder = scene->folder;
  }
  if (!sat || !folder) {
    fail(ErrorKind::InvalidArgument,
         "--fix needs to know what to fetch for {}: give --satellite and --product (the files' names do not "
         "say)",
         options.folder.string());
  }
  if (options.sector) folder->sector = *options.sector;
  std::optional<int> band = options.band;
  if (!band && scene) band = scene->band;

  auto store = fetch::make_store(config, f.source);
  const fetch::Layout layout =
      f.layout.empty() ? detect_layout(options.folder) : fetch::parse_layout(f.layout);
  std::vector<fetch::RemoteFile> wanted;
  for (const auto& run : report.missing_runs) {
    fetch::ListQuery q;
    q.satellite = *sat;
    q.folder = *folder;
    q.band = band;
    q.start = run.first;
    q.end = run.last + report.interval;
    const auto listed = store->list(q, CancelToken::process());
    wanted.insert(wanted.end(), listed.begin(), listed.end());
  }
  fmt::print(stderr, "fetching {} file(s) for {} missing scan(s) from {}\n", wanted.size(),
             report.missing.size(), store->describe());
  auto task = progress.task("fetch", static_cast<std::int64_t>(wanted.size()), "files");
  const auto results = store->fetch(wanted, options.folder, layout, task, CancelToken::process());
  task.finish();
  int failed = 0;
  for (const auto& r : results) {
    if (r.status == fetch::FetchStatus::Failed) {
      ++failed;
      fmt::print(stderr, "failed: {}: {}\n", r.file.key, r.error ? r.error->describe() : "unknown error");
    }
  }
  if (const std::string stats = store->stats_summary(); !stats.empty()) fmt::print(stderr, "{}\n", stats);
  return failed;
}

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>();
  app.add_option("folder", f->folder, "folder of GOES files (NOAA .nc, CDN .jpg, goesproc names, frames)")
      ->required();
  app.add_option("--satellite", f->satellite, "G16, G17, G18, G19, east or west (default: from the files)");
  app.add_option("--product", f->product,
                 "product folder, e.g. ABI-L1b-RadF, ABI-L2-CMIPC (default: from the files)");
  app.add_option("--sector", f->sector, "F, C, M1 or M2 (default: from the files)");
  app.add_option("--band", f->band, "ABI band 1-16 (default: from the files)");
  app.add_option("--start", f->start, "first scan time, ISO-8601 UTC (default: the first file)");
  app.add_option("--end", f->end, "end of the range, exclusive (default: just after the last file)");
  app.add_option("--mode", f->mode, "scan mode before the first file: 3, 4 or 6 (default: the first file's)");
  app.add_option("--interval", f->interval_s, "seconds between frames without a sector (default: detected)");
  app.add_option("--format", f->format, "table, json or csv")->capture_default_str();
  config_flag(app, g, "--catalog", "catalog.path", "SQLite catalog file (empty = the per-user cache)");
  app.add_flag("--no-catalog", f->no_catalog, "check without the persistent catalog (nothing cached)");
  app.add_flag("--fix", f->fix, "fetch the missing scans, then check again");
  app.add_option("--source", f->source, "--fix source: s3, cdn, auto or a folder (default: fetch.source)");
  app.add_option("--layout", f->layout, "--fix layout: bucket or flat (default: as the folder is laid out)");

  return [f, &g]() -> int {
    apply_config_flags(g);
    const Config& config = g.config;
    catalog::CheckOptions o;
    o.folder = f->folder;
    if (!f->start.empty()) o.start = parse_utc(f->start);
    if (!f->end.empty()) o.end = parse_utc(f->end);
    if (!f->satellite.empty()) o.satellite = goes::parse_satellite(f->satellite, o.start ? o.start : o.end);
    if (!f->product.empty()) o.product = f->product;
    if (!f->sector.empty()) o.sector = goes::parse_sector(f->sector);
    if (f->band != 0) o.band = goes::check_band(f->band);
    if (f->mode != 0) o.mode = goes::check_mode(f->mode);
    if (f->interval_s < 0)
      fail(ErrorKind::InvalidArgument, "--interval {}: expected seconds > 0", f->interval_s);
    if (f->interval_s > 0) o.interval = catalog::Millis(static_cast<std::int64_t>(f->interval_s * 1000));
    if (!f->no_catalog) {
      const std::string& path = config.get_string("catalog.path");
      o.catalog_file = path.empty() ? catalog::Catalog::default_path() : std::filesystem::path(path);
    }
    const auto format = catalog::parse_report_format(f->format);
    Progress progress(parse_progress_mode(config.get_string("general.progress")));

    catalog::CheckReport report = catalog::check_folder(o, CancelToken::process(), progress);
    if (f->fix && !report.missing.empty()) {
      // The range stays what the first check saw, so the re-check counts the same slots.
      o.start = report.start;
      o.end = report.end;
      fmt::print(stderr, "{}", catalog::format_check_report(report, catalog::ReportFormat::Table));
      const int failed = fetch_missing(report, o, *f, config, progress);
      report = catalog::check_folder(o, CancelToken::process(), progress);
      if (failed > 0) fmt::print(stderr, "{} file(s) could not be fetched\n", failed);
    }
    fmt::print("{}", catalog::format_check_report(report, format));
    return report.complete() ? 0 : 1;
  };
}

const bool registered = register_command(
    {"check", "report missing, duplicate, unreadable and off-schedule scans of a folder", setup});

}  // namespace
}  // namespace goesvfi::cli
