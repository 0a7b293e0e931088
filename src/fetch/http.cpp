#include "fetch/http.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <random>

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "core/bounded_queue.hpp"
#include "core/log.hpp"
#include "core/thread_pool.hpp"
#include "fetch/retry.hpp"

namespace goesvfi::fetch {

namespace {

void ensure_curl_initialised() {
  static const bool initialised = [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      fail(ErrorKind::Internal, "libcurl could not be initialised");
    return true;
  }();
  (void)initialised;
}

std::string to_hex(const unsigned char* data, unsigned len) {
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", data[i]);
  return out;
}

class Md5 {
 public:
  Md5() : m_ctx(EVP_MD_CTX_new()) {
    if (m_ctx == nullptr) fail(ErrorKind::Internal, "OpenSSL could not allocate an MD5 context");
    reset();
  }
  ~Md5() { EVP_MD_CTX_free(m_ctx); }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void reset() { EVP_DigestInit_ex(m_ctx, EVP_md5(), nullptr); }
  void update(const void* data, std::size_t n) { EVP_DigestUpdate(m_ctx, data, n); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(m_ctx, digest, &len);
    return to_hex(digest, len);
  }

 private:
  EVP_MD_CTX* m_ctx;
};

// MD5 of a finished temporary, read back from the page cache on a committer thread: hashing as the body
// arrives cost the one transfer thread ~0.85 s of CPU per 500 MB (bench_fetch), time it did not spend
// draining sockets. Hashing the file also covers resumed bodies without carrying a digest across attempts.
std::string file_md5(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(ErrorKind::Io, "cannot open {} to verify it: {}", path.string(), std::strerror(errno));
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail(ErrorKind::Io, "cannot read {} to verify it: {}", path.string(), std::strerror(err));
    }
    if (n == 0) break;
    md5.update(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return md5.hex();
}

// libcurl hands the body over in pieces of at most 16 kB (CURL_MAX_WRITE_SIZE); collecting them into writes
// of this size turns ~60 write(2) calls per MB into two.
constexpr std::size_t kWriteChunk = 512 * 1024;

std::string between(std::string_view text, std::string_view open, std::string_view close) {
  const auto a = text.find(open);
  if (a == std::string_view::npos) return {};
  const auto b = text.find(close, a + open.size());
  if (b == std::string_view::npos) return {};
  return std::string(text.substr(a + open.size(), b - a - open.size()));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::string_view hint_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::NotFound:
      return "the object does not exist at this endpoint; check satellite, product, band, sector and time "
             "range "
             "(and --endpoint/--bucket for mirrors)";
    case ErrorKind::AccessDenied:
      return "the server refused access; NOAA's public buckets need no keys, so check --endpoint/--bucket, "
             "or "
             "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for a private S3-compatible endpoint";
    case ErrorKind::Throttled:
      return "the server asked us to slow down; lower --jobs or try again later";
    case ErrorKind::Corrupt:
      return "the body did not match the listed size or checksum; a re-run downloads it again";
    case ErrorKind::Cancelled:
      return "cancelled";
    default:
      return "check the network and --endpoint; fetch.connect_timeout_s, fetch.low_speed_timeout_s and "
             "fetch.retries tune the timeouts and retries";
  }
}

}  // namespace

std::string etag_md5(std::string_view etag) {
  std::string text = trim(etag);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.size() >= 2 && text.starts_with("W/")) return {};  // weak ETags are not digests
  if (text.size() != 32) return {};                           // multipart "<md5>-<parts>" or other schemes
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
  }
  return lower(text);
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string endpoint_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto path = url.find('/', scheme + 3);
  return std::string(url.substr(0, path));
}

struct Job {
  std::size_t index = 0;
  std::string url;
  const DownloadRequest* request = nullptr;  // null for in-memory documents
  std::string memory;
  std::unique_ptr<AtomicFile> temp;
  int fd = -1;
  std::int64_t written = 0;  // body bytes received for this file (in `fd` or `buffer`)
  std::string buffer;        // received bytes not yet written to `fd`
  std::string expected_md5;  // set when the body is complete; checked by the committer
  bool verify_failed = false;
  std::string verify_message;
  int attempts = 0;
  Clock::time_point not_before{};
  std::string endpoint;
  DownloadResult result;

  // State of the attempt in flight.
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  bool decided = false, accept_body = false, misaligned = false, io_error = false;
  std::string error_body, etag, retry_after, content_range, io_message, last_modified;
  std::int64_t content_length = -1;
  bool head = false;  // a HEAD request (HttpClient::head)
  char errbuf[CURL_ERROR_SIZE] = {};
  HttpClient::Impl* impl = nullptr;

  void close_file() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    std::string().swap(buffer);  // memory stays bounded by the transfers in flight, not the files done
  }
  void reset_body() {
    written = 0;
    buffer.clear();
    memory.clear();
    if (fd >= 0) {
      if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) io_error = true;
    }
  }
  // Writes the buffered bytes to the temporary; false (io_error set) when that fails.
  bool flush() {
    std::size_t done = 0;
    while (done < buffer.size() && fd >= 0) {
      const ssize_t w = ::write(fd, buffer.data() + done, buffer.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        io_error = true;
        io_message = std::strerror(errno);
        return false;
      }
      done += static_cast<std::size_t>(w);
    }
    buffer.clear();
    return true;
  }
};

struct HttpClient::Impl {
  const HttpOptions& options;
  const RequestSigner& signer;
  TransferStats& stats;
  CURLM* multi = nullptr;
  std::map<std::string, CircuitBreaker> breakers;
  std::mt19937_64 rng{std::random_device{}()};
  const std::function<void(std::int64_t)>* on_bytes = nullptr;
  std::unique_ptr<BoundedQueue<Job*>> commit_queue, committed_queue;

  Impl(const HttpOptions& o, const RequestSigner& s, TransferStats& st) : options(o), signer(s), stats(st) {
    ensure_curl_initialised();
    multi = curl_multi_init();
    if (multi == nullptr) fail(ErrorKind::Internal, "libcurl could not create a multi handle");
    const long jobs = std::max(1, options.jobs);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, jobs);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, jobs);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, jobs * 2);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  }
  ~Impl() { curl_multi_cleanup(multi); }

  CircuitBreaker& breaker(const std::string& endpoint) {
    auto it = breakers.find(endpoint);
    if (it == breakers.end()) {
      it = breakers
               .emplace(endpoint, CircuitBreaker(options.breaker_failures,
                                                 std::chrono::milliseconds(static_cast<std::int64_t>(
                                                     options.breaker_cooldown_s * 1000.0))))
               .first;
    }
    return it->second;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* job = static_cast<Job*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {  // a new response (after a redirect or 100 Continue)
      job->etag.clear();
      job->retry_after.clear();
      job->content_range.clear();
      job->last_modified.clear();
      job->content_length = -1;
      return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    const std::string name = lower(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (name == "etag")
      job->etag = value;
    else if (name == "retry-after")
      job->retry_after = value;
    else if (name == "content-range")
      job->content_range = value;
    else if (name == "last-modified")
      job->last_modified = value;
    else if (name == "content-length")
      job->content_length = std::strtoll(value.c_str(), nullptr, 10);
    return n;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* job = static_cast<Job*>(user);
    const std::size_t n = size * count;
    if (!job->decided) {
      job->decided = true;
      long status = 0;
      curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
      if (status == 200) {
        job->accept_body = true;
        if (job->written > 0) job->reset_body();  // the server ignored our Range: start over
      } else if (status == 206) {
        // "bytes <first>-<last>/<total>": the body must continue exactly where the file ends.
        long long first = -1;
        if (std::sscanf(job->content_range.c_str(), "bytes %lld-", &first) != 1 || first != job->written) {
          job->misaligned = true;
          return 0;
        }
        job->accept_body = true;
      }
    }
    if (!job->accept_body) {
      if (job->error_body.size() < 8192) job->error_body.append(data, std::min<std::size_t>(n, 8192));
      return n;
    }
    if (job->request == nullptr) {
      job->memory.append(data, n);
    } else {
      job->buffer.append(data, n);
      if (job->buffer.size() >= kWriteChunk && !job->flush()) return 0;
    }
    job->written += static_cast<std::int64_t>(n);
    job->impl->stats.bytes(Clock::now(), static_cast<std::int64_t>(n));
    if (job->impl->on_bytes != nullptr && *job->impl->on_bytes)
      (*job->impl->on_bytes)(static_cast<std::int64_t>(n));
    return n;
  }

  void start(Job& job, Clock::time_point now) {
    job.decided = job.accept_body = job.misaligned = false;
    job.error_body.clear();
    job.etag.clear();
    job.retry_after.clear();
    job.content_range.clear();
    job.errbuf[0] = '\0';
    if (job.request != nullptr && !job.temp) {
      job.buffer.reserve(kWriteChunk + CURL_MAX_WRITE_SIZE);
      job.temp = std::make_unique<AtomicFile>(job.request->target);
      job.fd = ::open(job.temp->temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (job.fd < 0) {
        fail(ErrorKind::Io, "cannot create {}: {}", job.temp->temp_path().string(), std::strerror(errno));
      }
    }
    if (job.request == nullptr) job.reset_body();  // documents are small: always fetched whole

    CURL* easy = curl_easy_init();
    if (easy == nullptr) fail(ErrorKind::Internal, "libcurl could not create an easy handle");
    job.easy = easy;
    curl_easy_setopt(easy, CURLOPT_URL, job.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &job);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &job);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &job);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, job.errbuf);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::max(1.0, options.connect_timeout_s * 1000.0)));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1000L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max(1.0, options.low_speed_timeout_s + 0.5)));
    if (job.request == nullptr && !job.head) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    if (job.head) curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);

    if (job.written > 0) {
      job.headers = curl_slist_append(job.headers, fmt::format("Range: bytes={}-", job.written).c_str());
    }
    if (signer) {
      for (const std::string& header : signer(job.head ? "HEAD" : "GET", job.url)) {
        job.headers = curl_slist_append(job.headers, header.c_str());
      }
    }
    if (job.headers != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, job.headers);

    stats.attempt(now, job.attempts > 0);
    ++job.attempts;
    curl_multi_add_handle(multi, easy);
  }

  void release(Job& job) {
    if (job.easy != nullptr) {
      curl_multi_remove_handle(multi, job.easy);
      curl_easy_cleanup(job.easy);
      job.easy = nullptr;
    }
    curl_slist_free_all(job.headers);
    job.headers = nullptr;
  }

  enum class Outcome { Finished, Retry, Committing };

  // Ends an attempt: finished (ok or given up), to be retried, or handed to the committers.
  Outcome finish_attempt(Job& job, CURLcode code, Clock::time_point now) {
    long status = 0;
    curl_easy_getinfo(job.easy, CURLINFO_RESPONSE_CODE, &status);
    release(job);
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
          stats.breaker_opened();
          spdlog::warn("{}: {} consecutive failures, pausing requests to it for {:.1f} s", job.endpoint,
                       br.consecutive_failures(), options.breaker_cooldown_s);
        }
      } else {
        br.record_success();  // the endpoint answered; the object itself is the problem
      }
    }

    return retry_or_give_up(job, kind, retryable, what, now);
  }

  // After a failed attempt: schedules the next one (full-jitter backoff, Retry-After honoured) or gives up.
  Outcome retry_or_give_up(Job& job, ErrorKind kind, bool retryable, const std::string& what,
                           Clock::time_point now) {
    const bool give_up = !retryable || job.attempts > options.retries;
    stats.failure(now, kind, give_up);
    if (!give_up) {
      const auto delay = backoff_delay(
          job.attempts, std::chrono::milliseconds(static_cast<std::int64_t>(options.backoff_base_s * 1000.0)),
          std::chrono::milliseconds(static_cast<std::int64_t>(options.backoff_cap_s * 1000.0)), rng,
          parse_retry_after(job.retry_after));
      spdlog::debug("GET {}: {}; retry {} in {} ms", job.url, what, job.attempts, delay.count());
      job.not_before = now + delay;
      return Outcome::Retry;
    }
    give_up_job(job, kind, what);
    return Outcome::Finished;
  }

  // A complete body: documents are done; files go to the committers (MD5 check, fsync, rename off this
  // thread, so transfers keep flowing and concurrent fsyncs share journal commits).
  Outcome succeed(Job& job, Clock::time_point now) {
    job.result.attempts = job.attempts;
    job.result.size = job.written;
    if (job.request != nullptr) {
      job.close_file();
      commit_queue->push(&job);
      return Outcome::Committing;
    }
    job.result.ok = true;
    stats.success(now);
    return Outcome::Finished;
  }

  void commit_loop() {
    while (std::optional<Job*> next = commit_queue->pop()) {
      Job& job = **next;
      try {
        job.result.md5 = file_md5(job.temp->temp_path());
        if (!job.expected_md5.empty() && job.result.md5 != job.expected_md5) {
          // Back to the transfer loop for another attempt; it drops this temporary.
          job.verify_failed = true;
          job.verify_message =
              fmt::format("MD5 {} does not match the ETag {}", job.result.md5, job.expected_md5);
        } else {
          job.temp->commit();
          job.result.ok = true;
          job.temp.reset();
        }
      } catch (Error& e) {
        job.result.error = e;
        job.temp.reset();
      }
      committed_queue->push(&job);
    }
  }

  void give_up_job(Job& job, ErrorKind kind, const std::string& what) {
    job.close_file();
    job.temp.reset();  // removes the temporary
    job.result.ok = false;
    job.result.attempts = job.attempts;
    job.result.error = Error(kind, fmt::format("GET {}: {} after {} attempt{} ({})", job.url, what,
                                               job.attempts, job.attempts == 1 ? "" : "s", hint_for(kind)));
  }

  void abort_all(std::vector<Job>& jobs) {
    for (Job& job : jobs) {
      release(job);
      job.close_file();
      job.temp.reset();
    }
  }

  void run(std::vector<Job>& jobs, const CancelToken& cancel,
           const std::function<void(std::size_t, const DownloadResult&)>& on_done) {
    std::deque<Job*> pending;
    for (Job& job : jobs) {
      job.impl = this;
      job.endpoint = endpoint_of(job.url);
      pending.push_back(&job);
    }
    std::size_t remaining = jobs.size();
    int active = 0, committing = 0;
    const int max_active = std::max(1, options.jobs);
    commit_queue = std::make_unique<BoundedQueue<Job*>>(jobs.size());
    committed_queue = std::make_unique<BoundedQueue<Job*>>(jobs.size());
    std::vector<std::future<void>> committers;
    const auto file_jobs =
        std::count_if(jobs.begin(), jobs.end(), [](const Job& j) { return j.request != nullptr; });
    for (int i = 0; i < std::min<std::ptrdiff_t>(max_active, file_jobs); ++i) {
      committers.push_back(ThreadPool::global().start_stage("fetch-commit", [this] { commit_loop(); }));
    }
    auto stop_committers = [&] {
      commit_queue->close();
      for (auto& f : committers) f.wait();
      committers.clear();
    };
    try {
      while (remaining > 0) {
        cancel.throw_if_cancelled();
        auto now = Clock::now();
        Clock::time_point next_wake = now + std::chrono::milliseconds(100);
        for (auto it = pending.begin(); it != pending.end() && active < max_active;) {
          Job& job = **it;
          if (job.not_before > now) {
            next_wake = std::min(next_wake, job.not_before);
            ++it;
            continue;
          }
          CircuitBreaker& br = breaker(job.endpoint);
          if (br.state() != CircuitBreaker::State::Closed &&
              br.failed_probes() >= options.breaker_max_probes) {
            stats.failure(now, ErrorKind::Network, true);
            give_up_job(
                job, ErrorKind::Network,
                fmt::format("{} failed {} probes in a row after {} consecutive failures (circuit open)",
                            job.endpoint, br.failed_probes(), options.breaker_failures));
            if (on_done) on_done(job.index, job.result);
            --remaining;
            it = pending.erase(it);
            continue;
          }
          if (!br.allow(now)) {
            next_wake = std::min(next_wake, std::max(now + std::chrono::milliseconds(1), br.reopens_at()));
            ++it;
            continue;
          }
          try {
            start(job, now);
          } catch (Error& e) {
            release(job);
            br.release_probe();
            job.result.error = e;
            job.result.attempts = job.attempts;
            stats.failure(now, e.kind(), true);
            if (on_done) on_done(job.index, job.result);
            --remaining;
            it = pending.erase(it);
            continue;
          }
          ++active;
          it = pending.erase(it);
        }

        int running = 0;
        curl_multi_perform(multi, &running);
        int left = 0;
        bool finished_any = false;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
          if (msg->msg != CURLMSG_DONE) continue;
          Job* job = nullptr;
          curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&job));
          const CURLcode code = msg->data.result;
          --active;
          finished_any = true;
          switch (finish_attempt(*job, code, Clock::now())) {
            case Outcome::Finished:
              if (on_done) on_done(job->index, job->result);
              --remaining;
              break;
            case Outcome::Retry:
              pending.push_back(job);
              break;
            case Outcome::Committing:
              ++committing;
              break;
          }
        }
        while (std::optional<Job*> done = committed_queue->try_pop()) {
          Job& job = **done;
          --committing;
          finished_any = true;
          if (job.verify_failed) {
            job.verify_failed = false;
            job.temp.reset();  // the next attempt starts a new temporary from byte 0
            job.written = 0;
            job.buffer.clear();
            if (retry_or_give_up(job, ErrorKind::Corrupt, true, job.verify_message, Clock::now()) ==
                Outcome::Retry) {
              pending.push_back(&job);
              continue;
            }
            if (on_done) on_done(job.index, job.result);
            --remaining;
            continue;
          }
          --remaining;
          if (job.result.ok)
            stats.success(Clock::now());
          else
            stats.failure(Clock::now(), ErrorKind::Io, true);
          if (on_done) on_done(job.index, job.result);
        }
        if (remaining == 0) break;
        if (finished_any) continue;  // start the next transfers at once instead of sleeping
        now = Clock::now();
        // Commits finish off this thread: look for them often while any are under way.
        const auto wait_ms = std::clamp<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(next_wake - now).count(), 0,
            committing > 0 ? 2 : 100);
        // Sleeps until socket activity, the next scheduled retry, or 100 ms (to notice cancellation).
        if (active > 0 || wait_ms > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
      }
    } catch (...) {
      stop_committers();  // they hold pointers into `jobs`
      abort_all(jobs);
      throw;
    }
    stop_committers();
  }
};

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
  std::vector<Job> jobs(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    jobs[i].index = i;
    jobs[i].url = requests[i].url;
    jobs[i].request = &requests[i];
  }
  m_impl->on_bytes = &on_bytes;
  m_impl->run(jobs, cancel, on_done);
  m_impl->on_bytes = nullptr;
  std::vector<DownloadResult> results;
  results.reserve(jobs.size());
  for (Job& job : jobs) results.push_back(std::move(job.result));
  return results;
}

std::string HttpClient::get_text(const std::string& url, const CancelToken& cancel) {
  return std::move(get_texts({url}, cancel).front());
}

std::optional<HeadInfo> HttpClient::head(const std::string& url, const CancelToken& cancel) {
  std::lock_guard lock(m_mutex);
  std::vector<Job> jobs(1);
  jobs[0].url = url;
  jobs[0].head = true;
  m_impl->on_bytes = nullptr;
  m_impl->run(jobs, cancel, {});
  Job& job = jobs[0];
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
  std::vector<Job> jobs(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    jobs[i].index = i;
    jobs[i].url = urls[i];
  }
  m_impl->on_bytes = nullptr;
  m_impl->run(jobs, cancel, {});
  std::vector<std::string> texts;
  texts.reserve(jobs.size());
  for (Job& job : jobs) {
    if (!job.result.ok) throw *job.result.error;
    texts.push_back(std::move(job.memory));
  }
  return texts;
}

}  // namespace goesvfi::fetch
