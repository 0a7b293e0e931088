#include "pipeline/check_fix.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "fetch/fetch.hpp"

namespace goesvfi {

catalog::CheckOptions check_options_from(const Config& config, const std::filesystem::path& folder,
                                         bool use_catalog) {
  catalog::CheckOptions o;
  o.folder = folder;
  auto set = [&](const char* key) { return config.is_set(key) && !config.get_string(key).empty(); };
  if (set("query.start"))
    o.start = with_context("in query.start", [&] { return parse_utc(config.get_string("query.start")); });
  if (set("query.end"))
    o.end = with_context("in query.end", [&] { return parse_utc(config.get_string("query.end")); });
  if (set("query.satellite"))
    o.satellite = goes::parse_satellite(config.get_string("query.satellite"), o.start ? o.start : o.end);
  if (set("query.product")) o.product = config.get_string("query.product");
  if (set("query.sector")) o.sector = goes::parse_sector(config.get_string("query.sector"));
  if (config.is_set("query.band") && config.get_int("query.band") > 0)
    o.band = goes::check_band(static_cast<int>(config.get_int("query.band")));
  if (const auto mode = config.get_int("catalog.mode"); mode != 0)
    o.mode = goes::check_mode(static_cast<int>(mode));
  if (const double s = config.get_float("catalog.interval_s"); s > 0)
    o.interval = catalog::Millis(static_cast<std::int64_t>(s * 1000));
  if (use_catalog) {
    const std::string& path = config.get_string("catalog.path");
    o.catalog_file = path.empty() ? catalog::Catalog::default_path() : std::filesystem::path(path);
  }
  return o;
}

FixSummary fetch_missing(const catalog::CheckReport& report, const catalog::CheckOptions& options,
                         const Config& config, Progress& progress, const CancelToken& cancel) {
  const auto& scene = report.series_scene;
  std::optional<goes::Satellite> sat = options.satellite;
  if (!sat && scene) sat = scene->satellite;
  std::optional<goes::ProductFolder> folder;
  if (options.product) {
    folder = goes::parse_product_folder(*options.product);
  } else if (scene && scene->folder) {
    folder = scene->folder;
  }
  if (!sat || !folder) {
    fail(ErrorKind::InvalidArgument,
         "fixing {} needs to know what to fetch: set query.satellite and query.product (the files' names do "
         "not say)",
         options.folder.string());
  }
  if (options.sector) folder->sector = *options.sector;
  std::optional<int> band = options.band;
  if (!band && scene) band = scene->band;

  FixSummary summary;
  summary.missing = report.missing.size();
  auto store = fetch::make_store(config);
  summary.store = store->describe();
  const fetch::Layout layout = fetch::layout_from(config, options.folder);
  std::vector<fetch::RemoteFile> wanted;
  for (const auto& run : report.missing_runs) {
    fetch::ListQuery q;
    q.satellite = *sat;
    q.folder = *folder;
    q.band = band;
    q.start = run.first;
    q.end = run.last + report.interval;
    const auto listed = store->list(q, cancel);
    wanted.insert(wanted.end(), listed.begin(), listed.end());
  }
  summary.requested = wanted.size();
  auto task = progress.task("fetch", static_cast<std::int64_t>(wanted.size()), "files");
  task.note(fmt::format("fetching {} file(s) for {} missing scan(s) from {}", wanted.size(), summary.missing,
                        summary.store));
  const auto results = store->fetch(wanted, options.folder, layout, task, cancel);
  task.finish();
  for (const auto& r : results) {
    if (r.status == fetch::FetchStatus::Failed)
      summary.failures.push_back(
          fmt::format("{}: {}", r.file.key, r.error ? r.error->describe() : "unknown error"));
  }
  summary.transfer_stats = store->stats_summary();
  return summary;
}

CheckFixResult check_and_fix(catalog::CheckOptions options, const Config& config, Progress& progress,
                             const CancelToken& cancel) {
  CheckFixResult result;
  result.before = catalog::check_folder(options, cancel, progress);
  result.after = result.before;
  if (result.before.missing.empty()) return result;
  // The range stays what the first check saw, so the re-check counts the same slots.
  options.start = result.before.start;
  options.end = result.before.end;
  result.fix = fetch_missing(result.before, options, config, progress, cancel);
  result.after = catalog::check_folder(options, cancel, progress);
  return result;
}

}  // namespace goesvfi
