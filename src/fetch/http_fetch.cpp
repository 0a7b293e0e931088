#include "fetch/http_fetch.hpp"

#include <fmt/format.h>

namespace goesvfi::fetch {

namespace fs = std::filesystem;

std::optional<ObjectInfo> HttpStore::stat_url(const std::string& url, const CancelToken& cancel) {
  const std::optional<HeadInfo> head =
      with_context(fmt::format("while asking for {}", url), [&] { return m_client.head(url, cancel); });
  if (!head) return std::nullopt;
  ObjectInfo info;
  info.size = head->size;
  info.modified = head->modified;
  info.etag = head->etag;
  if (info.etag.size() >= 2 && info.etag.front() == '"' && info.etag.back() == '"')
    info.etag = info.etag.substr(1, info.etag.size() - 2);
  return info;
}

std::vector<FetchResult> fetch_over_http(HttpClient& client, const std::vector<RemoteFile>& files,
                                         const fs::path& dest, Layout layout, ProgressTask& progress,
                                         const CancelToken& cancel) {
  std::vector<FetchResult> results(files.size());
  std::vector<DownloadRequest> requests;
  std::vector<std::size_t> request_file;  // request index -> file index
  for (std::size_t i = 0; i < files.size(); ++i) {
    FetchResult& r = results[i];
    r.file = files[i];
    try {
      r.path = destination_path(files[i], dest, layout);
      if (already_complete(files[i], r.path)) {
        r.status = FetchStatus::Skipped;
        std::error_code ec;
        r.bytes = static_cast<std::int64_t>(fs::file_size(r.path, ec));
        progress.advance();
        continue;
      }
      std::error_code ec;
      fs::create_directories(r.path.parent_path(), ec);
      if (ec) fail(ErrorKind::Io, "cannot create folder {}: {}", r.path.parent_path().string(), ec.message());
    } catch (Error& e) {
      r.status = FetchStatus::Failed;
      r.error = e;
      progress.advance();
      continue;
    }
    DownloadRequest req;
    req.url = files[i].url;
    req.target = r.path;
    req.expected_size = files[i].size;
    req.expected_md5 = etag_md5(files[i].etag);
    requests.push_back(std::move(req));
    request_file.push_back(i);
  }
  if (requests.empty()) return results;

  client.download(
      requests, cancel,
      [&](std::size_t index, const DownloadResult& d) {
        FetchResult& r = results[request_file[index]];
        r.attempts = d.attempts;
        r.bytes = d.size;
        r.status = d.ok ? FetchStatus::Downloaded : FetchStatus::Failed;
        if (!d.ok) r.error = d.error;
        progress.advance();
      },
      [&](std::int64_t n) { progress.add_bytes(n); });
  return results;
}

}  // namespace goesvfi::fetch
