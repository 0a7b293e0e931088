// HttpClient: the public face of the HTTP engine. The engine's parts each have their own file:
// http_util (helpers, MD5), curl_handles (RAII), transfer (one request and its attempts), attempt (retry and
// breaker policy), commit_stage (verify + commit off the transfer thread), scheduler (the multi loop).
#include "fetch/http.hpp"

#include <curl/curl.h>

#include "fetch/scheduler.hpp"

namespace goesvfi::fetch {

struct HttpClient::Impl : TransferScheduler {
  using TransferScheduler::TransferScheduler;
};

HttpOptions::HttpOptions() : HttpOptions(from_config(Config::defaults())) {}

HttpOptions HttpOptions::from_config(const Config& c) {
  HttpOptions o(FromConfig{});
  o.jobs = static_cast<int>(c.get_int("fetch.jobs"));
  o.retries = static_cast<int>(c.get_int("fetch.retries"));
  o.connect_timeout_s = c.get_float("fetch.connect_timeout_s");
  o.low_speed_timeout_s = c.get_float("fetch.low_speed_timeout_s");
  o.breaker_failures = static_cast<int>(c.get_int("fetch.breaker_failures"));
  return o;
}

HttpClient::HttpClient(HttpOptions options, RequestSigner signer)
    : m_options(std::move(options)),
      m_signer(std::move(signer)),
      m_stats(std::make_unique<TransferStats>()),
      m_impl(std::make_unique<Impl>(m_options, m_signer, *m_stats)) {}

HttpClient::~HttpClient() = default;

std::vector<DownloadResult> HttpClient::download(
    const std::vector<DownloadRequest>& requests, const CancelToken& cancel,
    const std::function<void(std::size_t, const DownloadResult&)>& on_done,
    const std::function<void(std::int64_t)>& on_bytes) {
  std::lock_guard lock(m_mutex);
  return m_impl->download(requests, cancel, on_done, on_bytes);
}

std::string HttpClient::get_text(const std::string& url, const CancelToken& cancel) {
  return std::move(get_texts({url}, cancel).front());
}

std::optional<HeadInfo> HttpClient::head(const std::string& url, const CancelToken& cancel) {
  std::lock_guard lock(m_mutex);
  std::vector<TransferJob> jobs(1);
  jobs[0].url = url;
  jobs[0].head = true;
  m_impl->run(jobs, cancel, {});
  TransferJob& job = jobs[0];
  if (!job.result.ok) {
    if (job.result.error->kind() == ErrorKind::NotFound) return std::nullopt;
    throw *job.result.error;
  }
  HeadInfo info;
  info.size = job.content_length;
  info.etag = job.etag;
  if (!job.last_modified.empty()) {
    const time_t t = curl_getdate(job.last_modified.c_str(), nullptr);
    if (t != -1)
      info.modified =
          std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::from_time_t(t));
  }
  return info;
}

std::vector<std::string> HttpClient::get_texts(const std::vector<std::string>& urls,
                                               const CancelToken& cancel) {
  std::lock_guard lock(m_mutex);
  std::vector<TransferJob> jobs(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    jobs[i].index = i;
    jobs[i].url = urls[i];
  }
  m_impl->run(jobs, cancel, {});
  std::vector<std::string> texts;
  texts.reserve(jobs.size());
  for (TransferJob& job : jobs) {
    if (!job.result.ok) throw *job.result.error;
    texts.push_back(std::move(job.memory));
  }
  return texts;
}

}  // namespace goesvfi::fetch
