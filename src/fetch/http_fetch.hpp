// Shared by the HTTP stores: turns RemoteFiles into downloads (skip complete files, make folders, verify
// sizes and single-part ETags) and the download results into FetchResults, advancing the progress task.
#pragma once

#include "fetch/http.hpp"
#include "fetch/store.hpp"

namespace goesvfi::fetch {

std::vector<FetchResult> fetch_over_http(HttpClient& client, const std::vector<RemoteFile>& files,
                                         const std::filesystem::path& dest, Layout layout,
                                         ProgressTask& progress, const CancelToken& cancel);

// The part of S3Store and CdnStore that is the same: one HttpClient (connection pool, breaker, statistics)
// and fetching listed files through it.
class HttpStore : public Store {
 public:
  explicit HttpStore(const HttpOptions& http, RequestSigner signer = {})
      : m_client(http, std::move(signer)) {}
  std::vector<FetchResult> fetch(const std::vector<RemoteFile>& files, const std::filesystem::path& dest,
                                 Layout layout, ProgressTask& progress, const CancelToken& cancel) override {
    return fetch_over_http(m_client, files, dest, layout, progress, cancel);
  }
  TransferTotals totals() const override { return m_client.stats().totals(); }
  // stat() of the HTTP stores: a HEAD request to `url`.
  std::optional<ObjectInfo> stat_url(const std::string& url, const CancelToken& cancel);
  std::string stats_summary() const override { return m_client.stats().summary(TransferStats::Clock::now()); }

 protected:
  HttpClient m_client;
};

}  // namespace goesvfi::fetch
