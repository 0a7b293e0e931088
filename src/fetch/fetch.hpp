// `goesvfi fetch` as a library call, and the store factory the pipeline uses: list what a range holds, skip
// files already complete on disk, download the rest with one progress bar, summarise.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "fetch/store.hpp"

namespace goesvfi::fetch {

// A store for `source` ("s3", "cdn", "auto" or a local folder) with every fetch.* setting of `config`
// (jobs, retries, timeouts, breaker, endpoint/region/bucket, cdn_url/cdn_size/cdn_days). An empty `source`
// means fetch.source. S3 requests are signed when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set and the
// endpoint is not AWS (NOAA's buckets are public and take anonymous requests).
std::unique_ptr<Store> make_store(const Config& config, std::string_view source = {});

// The store kinds make_store knows besides a local folder, one row each (the choices of fetch.source). A new
// store: a class implementing Store in its own file and one row here.
struct StoreKind {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<Store>(const Config&)> create;
};
const std::vector<StoreKind>& store_kinds();

// The query of the query.* keys (satellite, product, band, sector, start, end); InvalidArgument naming the
// key when one is missing or wrong.
ListQuery query_from(const Config& config);
// fetch.layout for files going into `folder` ("auto": as the folder is laid out, see detect_layout).
Layout layout_from(const Config& config, const std::filesystem::path& folder);

// Builds a query from user text: satellite "east"/"west"/"G16"/..., product folder "ABI-L2-CMIPF", optional
// band and sector ("M1", "M2"; for mesoscale products), [start, end). InvalidArgument naming the bad value.
ListQuery make_query(std::string_view satellite, std::string_view product, std::optional<int> band,
                     std::string_view sector, UtcTime start, UtcTime end);

// The files of `query` for every band in `bands` (query.band set to each in turn), merged in time order:
// what a multi-band product (a recipe) lists (a band-less product such as MCMIP, whose files hold every band:
// its files, listed once). goes::group_by_scan groups them into scans.
std::vector<RemoteFile> list_bands(Store& store, ListQuery query, const std::vector<int>& bands,
                                   const CancelToken& cancel);

struct FetchOptions {
  ListQuery query;
  std::filesystem::path output;
  Layout layout = Layout::Bucket;
  bool dry_run = false;  // list and report what would be fetched
  std::vector<int>
      bands;  // a multi-band product's bands: each is listed (list_bands), scans lacking one reported
};

struct FetchSummary {
  std::vector<FetchResult> results;  // dry run: every listed file, status Skipped if complete on disk
  int listed = 0, downloaded = 0, skipped = 0, failed = 0;
  std::int64_t bytes = 0;  // bytes downloaded this run (not counting skipped files)
  std::int64_t retries = 0;
  double seconds = 0;
  std::string transfer_stats;  // the stores' statistics summary
  // With `bands`: the scans missing a band ("<scan>: no file of band 12").
  std::vector<std::string> incomplete;
  std::string text() const;  // the human summary line
};

FetchSummary run_fetch(Store& store, const FetchOptions& options, Progress& progress,
                       const CancelToken& cancel);

}  // namespace goesvfi::fetch
