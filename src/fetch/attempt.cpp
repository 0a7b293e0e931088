#include "fetch/attempt.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "fetch/http_util.hpp"

namespace goesvfi::fetch {

CircuitBreaker& AttemptPolicy::breaker(const std::string& endpoint) {
  auto it = m_breakers.find(endpoint);
  if (it == m_breakers.end()) {
    it = m_breakers
             .emplace(endpoint, CircuitBreaker(m_options.breaker_failures,
                                               std::chrono::milliseconds(static_cast<std::int64_t>(
                                                   m_options.breaker_cooldown_s * 1000.0))))
             .first;
  }
  return it->second;
}

Outcome AttemptPolicy::finish(TransferJob& job, CURLcode code, Clock::time_point now) {
  const long status = job.response_code();
  job.end_attempt();
  if (job.request != nullptr) job.flush();  // a resumed attempt continues from what is on disk
  CircuitBreaker& br = breaker(job.endpoint);

  ErrorKind kind = ErrorKind::Internal;
  std::string what;
  bool retryable = false;
  if (job.io_error) {
    kind = ErrorKind::Io;
    what = fmt::format("cannot write {}: {}", job.temp ? job.temp->temp_path().string() : "",
                       job.io_message.empty() ? "write failed" : job.io_message);
  } else if (job.misaligned) {
    kind = ErrorKind::Corrupt;
    what = fmt::format("resumed body starts at '{}', expected byte {}", job.content_range, job.written);
    retryable = true;
    job.reset_body();
  } else if (code == CURLE_OK && (status == 200 || status == 206)) {
    br.record_success();
    if (job.request == nullptr) return succeed(job, now);
    const DownloadRequest& req = *job.request;
    if (req.expected_size >= 0 && job.written != req.expected_size) {
      kind = ErrorKind::Corrupt;
      what = fmt::format("received {} bytes, expected {}", job.written, req.expected_size);
    } else {
      job.expected_md5 = req.expected_md5;
      if (job.expected_md5.empty() && req.md5_from_etag) job.expected_md5 = etag_md5(job.etag);
      return succeed(job, now);
    }
    retryable = true;
    job.reset_body();
  } else if (code == CURLE_OK && status == 416 && job.written > 0) {
    kind = ErrorKind::Corrupt;  // our partial file is longer than the object: it changed; start over
    what = "HTTP 416: the object is shorter than the partial download";
    retryable = true;
    job.reset_body();
    br.record_success();
  } else {
    const std::string s3_code = between(job.error_body, "<Code>", "</Code>");
    kind = classify_http(code, status, s3_code);
    retryable = is_retryable(code, status, kind);
    if (code != CURLE_OK) {
      what = job.errbuf[0] != '\0' ? fmt::format("{} ({})", curl_easy_strerror(code), job.errbuf)
                                   : std::string(curl_easy_strerror(code));
    } else {
      const std::string message = between(job.error_body, "<Message>", "</Message>");
      what = fmt::format("HTTP {}{}{}", status, s3_code.empty() ? "" : " " + s3_code,
                         message.empty() ? "" : ": " + message);
    }
    if (kind == ErrorKind::Network || kind == ErrorKind::Throttled) {
      if (br.record_failure(now)) {
        m_stats.breaker_opened();
        spdlog::warn("{}: {} consecutive failures, pausing requests to it for {:.1f} s", job.endpoint,
                     br.consecutive_failures(), m_options.breaker_cooldown_s);
      }
    } else {
      br.record_success();  // the endpoint answered; the object itself is the problem
    }
  }
  return retry_or_give_up(job, kind, retryable, what, now);
}

Outcome AttemptPolicy::retry_or_give_up(TransferJob& job, ErrorKind kind, bool retryable,
                                        const std::string& what, Clock::time_point now) {
  const bool give_up_now = !retryable || job.attempts > m_options.retries;
  m_stats.failure(now, kind, give_up_now);
  if (!give_up_now) {
    const auto delay = backoff_delay(
        job.attempts, std::chrono::milliseconds(static_cast<std::int64_t>(m_options.backoff_base_s * 1000.0)),
        std::chrono::milliseconds(static_cast<std::int64_t>(m_options.backoff_cap_s * 1000.0)), m_rng,
        parse_retry_after(job.retry_after));
    spdlog::debug("GET {}: {}; retry {} in {} ms", job.url, what, job.attempts, delay.count());
    job.not_before = now + delay;
    return Outcome::Retry;
  }
  give_up(job, kind, what);
  return Outcome::Finished;
}

// A complete body: documents are done; files go to the committers (MD5 check, fsync, rename off the transfer
// thread, so transfers keep flowing and concurrent fsyncs share journal commits).
Outcome AttemptPolicy::succeed(TransferJob& job, Clock::time_point now) {
  job.result.attempts = job.attempts;
  job.result.size = job.written;
  if (job.request != nullptr) {
    job.close_file();
    return Outcome::Committing;
  }
  job.result.ok = true;
  m_stats.success(now);
  return Outcome::Finished;
}

void AttemptPolicy::give_up(TransferJob& job, ErrorKind kind, const std::string& what) {
  job.close_file();
  job.temp.reset();  // removes the temporary
  job.result.ok = false;
  job.result.attempts = job.attempts;
  job.result.error = Error(kind, fmt::format("GET {}: {} after {} attempt{} ({})", job.url, what,
                                             job.attempts, job.attempts == 1 ? "" : "s", hint_for(kind)));
}

}  // namespace goesvfi::fetch
