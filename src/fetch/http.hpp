// The HTTP machinery of every remote store: libcurl's multi interface with one connection pool (keep-alive,
// HTTP/2 multiplexing where a TLS server offers it), N parallel transfers, connect and low-speed timeouts,
// retries with full-jitter exponential backoff on throttling/5xx/resets/timeouts (never on 403/404), a
// circuit breaker per endpoint, resume with Range after a broken body, size and MD5 verification, and atomic
// writes (AtomicFile: temp name in the target folder, fsync, rename). Errors are classified and name the URL.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "fetch/transfer_stats.hpp"

namespace goesvfi::fetch {

struct HttpOptions {
  // The defaults of the config keys are the schema's (fetch.* rows): HttpOptions{} equals
  // from_config(Config::defaults()); no default value of a key is written here.
  HttpOptions();

  int jobs;                    // parallel transfers (and pooled connections)
  int retries;                 // further attempts after the first one
  double connect_timeout_s;    // fetch.connect_timeout_s
  double low_speed_timeout_s;  // abort when below 1 kB/s for this long
  int breaker_failures;        // consecutive failures that open an endpoint's breaker
  // Not config keys.
  double breaker_cooldown_s = 10.0;  // open time before a half-open probe
  int breaker_max_probes = 3;        // failed probes in a row after which waiting requests fail
  double backoff_base_s = 0.25;
  double backoff_cap_s = 20.0;
  std::string user_agent = "goesvfi/0.1 (+https://github.com/goesvfi)";

  // From fetch.jobs, fetch.retries, fetch.connect_timeout_s, fetch.low_speed_timeout_s,
  // fetch.breaker_failures.
  static HttpOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit HttpOptions(FromConfig)
      : jobs(0), retries(0), connect_timeout_s(0), low_speed_timeout_s(0), breaker_failures(0) {}
};

// Extra request headers ("Name: value") for a request about to start: SigV4 signing for private S3 endpoints.
// Called for every attempt (signatures carry the time).
using RequestSigner =
    std::function<std::vector<std::string>(const std::string& method, const std::string& url)>;

struct DownloadRequest {
  std::string url;
  std::filesystem::path target;     // the final file; its folder must exist
  std::int64_t expected_size = -1;  // -1: unknown (Content-Length still checked by libcurl)
  std::string expected_md5;         // lowercase hex; empty = not checked
  bool md5_from_etag = false;       // use a single-part ETag of the response as the MD5 when none is expected
};

struct DownloadResult {
  bool ok = false;
  std::int64_t size = 0;  // bytes of the finished file
  int attempts = 0;
  std::string md5;  // hex MD5 of the finished file
  std::optional<Error> error;
};

// A single-part S3 ETag ("\"9e107d9d372bb6826bd81d3542a419d6\"") as lowercase hex; empty for multipart
// ("...-12") or non-MD5 ETags.
std::string etag_md5(std::string_view etag);
// Percent-encodes per RFC 3986 (SigV4 rules): unreserved characters stay; '/' stays when keep_slash.
std::string uri_encode(std::string_view text, bool keep_slash);
// "https://host:port" of a URL: the circuit breaker's endpoint key.
std::string endpoint_of(std::string_view url);

// What a HEAD request tells about an object.
struct HeadInfo {
  std::int64_t size = -1;           // Content-Length; -1 when not sent
  std::string etag;                 // as sent, quotes included
  std::optional<UtcTime> modified;  // Last-Modified
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options, RequestSigner signer = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Downloads all requests, `options.jobs` at a time; one result per request (same order). A failure of one
  // file never stops the others. on_done(index, result) runs as each file finishes; on_bytes(n) as body bytes
  // arrive (both on the calling thread). Throws Error(Cancelled) when `cancel` trips (temporaries removed).
  std::vector<DownloadResult> download(
      const std::vector<DownloadRequest>& requests, const CancelToken& cancel,
      const std::function<void(std::size_t, const DownloadResult&)>& on_done = {},
      const std::function<void(std::int64_t)>& on_bytes = {});

  // GETs a small document (a listing page) with the same retries and breaker; throws the classified Error.
  std::string get_text(const std::string& url, const CancelToken& cancel);
  // HEAD `url` with the same retries and breaker: nullopt when the server answers 404, the classified Error
  // for other failures.
  std::optional<HeadInfo> head(const std::string& url, const CancelToken& cancel);
  // GETs several documents, `options.jobs` at a time (listing pages of many prefixes); one text per URL, in
  // order. Throws the first failure's classified Error after every request has ended.
  std::vector<std::string> get_texts(const std::vector<std::string>& urls, const CancelToken& cancel);

  const TransferStats& stats() const { return *m_stats; }
  const HttpOptions& options() const { return m_options; }

  struct Impl;

 private:
  HttpOptions m_options;
  RequestSigner m_signer;
  std::unique_ptr<TransferStats> m_stats;
  std::unique_ptr<Impl> m_impl;
  std::mutex m_mutex;  // one multi loop at a time per client
};

}  // namespace goesvfi::fetch
