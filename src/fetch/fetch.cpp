#include "fetch/fetch.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "fetch/cdn_store.hpp"
#include "fetch/composite_store.hpp"
#include "fetch/local_store.hpp"
#include "fetch/s3_store.hpp"
#include "goes/scan_files.hpp"

namespace goesvfi::fetch {

namespace {

std::unique_ptr<Store> make_s3(const Config& config) {
  S3StoreOptions o = S3StoreOptions::from_config(config);
  o.endpoint = resolve_s3_endpoint(o.endpoint);
  if (!o.endpoint.empty()) o.credentials = credentials_from_environment();
  return std::make_unique<S3Store>(std::move(o));
}

std::unique_ptr<Store> make_cdn(const Config& config) {
  return std::make_unique<CdnStore>(CdnStoreOptions::from_config(config));
}

}  // namespace

const std::vector<StoreKind>& store_kinds() {
  static const std::vector<StoreKind> kinds = {
      {"auto", "the STAR CDN for recent data (fetch.cdn_days), NOAA's S3 buckets for the rest",
       [](const Config& config) -> std::unique_ptr<Store> {
         CompositeStoreParts parts;
         parts.cdn = make_cdn(config);
         parts.s3 = make_s3(config);
         parts.cdn_days = static_cast<int>(config.get_int("fetch.cdn_days"));
         return std::make_unique<CompositeStore>(std::move(parts));
       }},
      {"s3", "NOAA's GOES buckets on AWS S3 (or an S3-compatible fetch.endpoint)", make_s3},
      {"cdn", "the NOAA STAR CDN (JPEG images, recent days only)", make_cdn},
  };
  return kinds;
}

namespace {
const bool registered_store_choices = register_config_choices("stores", [] {
  std::vector<std::string> names;
  for (const auto& k : store_kinds()) names.push_back(k.name);
  return names;
});
}  // namespace

std::unique_ptr<Store> make_store(const Config& config, std::string_view source) {
  const std::string chosen = source.empty() ? config.get_string("fetch.source") : std::string(source);
  for (const auto& kind : store_kinds()) {
    if (kind.name == chosen) return kind.create(config);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(chosen, ec)) {
    std::vector<std::string> names;
    for (const auto& k : store_kinds()) names.push_back(k.name);
    fail(ErrorKind::InvalidArgument, "fetch.source '{}': expected {} or an existing folder", chosen,
         fmt::join(names, ", "));
  }
  return std::make_unique<LocalStore>(chosen);
}

ListQuery query_from(const Config& config) {
  for (const char* key : {"query.start", "query.end"}) {
    if (config.get_string(key).empty())
      fail(ErrorKind::InvalidArgument, "{} is not set: the time range (UTC) to list is needed", key);
  }
  const std::string& product = config.get_string("query.product");
  const int band = static_cast<int>(config.get_int("query.band"));
  // The default band applies to products with bands; a band set for a band-less product is an error.
  const bool banded = goes::product_has_band(goes::parse_product_folder(product).product);
  const std::optional<int> chosen_band =
      band > 0 && (banded || config.is_set("query.band")) ? std::optional<int>(band) : std::nullopt;
  const UtcTime start =
      with_context("in query.start", [&] { return parse_utc(config.get_string("query.start")); });
  const UtcTime end = with_context("in query.end", [&] { return parse_utc(config.get_string("query.end")); });
  return make_query(config.get_string("query.satellite"), product, chosen_band,
                    config.get_string("query.sector"), start, end);
}

Layout layout_from(const Config& config, const std::filesystem::path& folder) {
  const std::string& layout = config.get_string("fetch.layout");
  return layout == "auto" ? detect_layout(folder) : parse_layout(layout);
}

ListQuery make_query(std::string_view satellite, std::string_view product, std::optional<int> band,
                     std::string_view sector, UtcTime start, UtcTime end) {
  if (end <= start) {
    fail(ErrorKind::InvalidArgument, "time range {} .. {}: the end must be after the start",
         format_iso(start), format_iso(end));
  }
  ListQuery q;
  q.satellite = goes::parse_satellite(satellite, start);
  q.orbit = goes::parse_orbit(satellite);
  q.folder = goes::parse_product_folder(product);
  if (!sector.empty()) {
    const goes::Sector s = goes::parse_sector(sector);
    if (goes::sector_folder_code(s) != goes::sector_folder_code(q.folder.sector)) {
      fail(ErrorKind::InvalidArgument, "sector '{}' does not belong to product {} (expected {})", sector,
           q.folder.name(),
           q.folder.sector == goes::Sector::Meso1 ? "M1 or M2" : goes::sector_code(q.folder.sector));
    }
    q.folder.sector = s;
  }
  if (band) {
    goes::check_band(*band);
    if (!goes::product_has_band(q.folder.product)) {
      fail(ErrorKind::InvalidArgument, "product {} has no bands; drop query.band {}", q.folder.name(), *band);
    }
  }
  q.band = band;
  q.start = start;
  q.end = end;
  return q;
}

std::vector<RemoteFile> list_bands(Store& store, ListQuery query, const std::vector<int>& bands,
                                   const CancelToken& cancel) {
  for (const int band : bands) goes::check_band(band);
  if (!goes::product_has_band(query.folder.product)) {  // MCMIP: every band in each file
    query.band.reset();
    return store.list(query, cancel);
  }
  std::vector<RemoteFile> all;
  for (const int band : bands) {
    query.band = band;
    auto files = store.list(query, cancel);
    all.insert(all.end(), std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()));
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RemoteFile& a, const RemoteFile& b) { return a.time < b.time; });
  return all;
}

std::string FetchSummary::text() const {
  return fmt::format(
      "{} listed: {} downloaded, {} skipped (already complete), {} failed; {} in {} ({}/s), {} retries",
      listed, downloaded, skipped, failed, format_bytes(static_cast<double>(bytes)),
      format_duration(std::chrono::duration<double>(seconds)),
      format_bytes(seconds > 0 ? static_cast<double>(bytes) / seconds : 0.0), retries);
}

FetchSummary run_fetch(Store& store, const FetchOptions& options, Progress& progress,
                       const CancelToken& cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  const TransferTotals before = store.totals();
  FetchSummary summary;
  std::vector<RemoteFile> files = options.bands.empty()
                                      ? store.list(options.query, cancel)
                                      : list_bands(store, options.query, options.bands, cancel);
  summary.listed = static_cast<int>(files.size());
  if (!options.bands.empty()) {
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.name);
    for (const auto& scan : goes::group_by_scan(names, options.bands)) {
      if (!scan.complete()) summary.incomplete.push_back(scan.describe_missing());
    }
  }
  if (files.empty()) {
    // Almost always a wrong product, band, sector, satellite or range: say which query found nothing.
    const ListQuery& q = options.query;
    std::string satellites;
    for (const ListQuery& part : split_by_satellite(q))
      satellites += (satellites.empty() ? "" : "/") + goes::satellite_id(part.satellite);
    fail(ErrorKind::NotFound,
         "{} has no {} {}{}{} files with scans starting in [{}, {}); check query.satellite, "
         "query.product, query.band, query.sector and the range",
         store.describe(), satellites, q.folder.name(),
         goes::sector_folder_code(q.folder.sector) == "M" ? " " + goes::sector_code(q.folder.sector) : "",
         !options.bands.empty() ? fmt::format(" band {}", fmt::join(options.bands, "/"))
         : q.band               ? fmt::format(" band {}", *q.band)
                                : "",
         format_iso(q.start), format_iso(q.end));
  }
  if (options.dry_run) {
    for (RemoteFile& f : files) {
      FetchResult r;
      r.path = destination_path(f, options.output, options.layout);
      r.status = already_complete(f, r.path) ? FetchStatus::Skipped : FetchStatus::Failed;
      if (r.status == FetchStatus::Skipped) ++summary.skipped;
      r.file = std::move(f);
      summary.results.push_back(std::move(r));
    }
    return summary;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.output, ec);
  if (ec) fail(ErrorKind::Io, "cannot create output folder {}: {}", options.output.string(), ec.message());

  ProgressTask task = progress.task("fetch", static_cast<std::int64_t>(files.size()), "files");
  summary.results = store.fetch(files, options.output, options.layout, task, cancel);
  task.finish();
  for (const FetchResult& r : summary.results) {
    switch (r.status) {
      case FetchStatus::Downloaded:
        ++summary.downloaded;
        summary.bytes += r.bytes;
        break;
      case FetchStatus::Skipped:
        ++summary.skipped;
        break;
      case FetchStatus::Failed:
        ++summary.failed;
        break;
    }
  }
  summary.retries = store.totals().retries - before.retries;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  summary.transfer_stats = store.stats_summary();
  return summary;
}

}  // namespace goesvfi::fetch
