#include "fetch/transfer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "fetch/http_util.hpp"

namespace goesvfi::fetch {

namespace {

// libcurl hands the body over in pieces of at most 16 kB (CURL_MAX_WRITE_SIZE); collecting them into writes
// of this size turns ~60 write(2) calls per MB into two.
constexpr std::size_t kWriteChunk = 512 * 1024;

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<TransferJob*>(user);
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

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<TransferJob*>(user);
  const std::size_t n = size * count;
  if (!job->decided) {
    job->decided = true;
    const long status = job->response_code();
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
  job->observer.stats->bytes(Clock::now(), static_cast<std::int64_t>(n));
  if (job->observer.on_bytes != nullptr && *job->observer.on_bytes)
    (*job->observer.on_bytes)(static_cast<std::int64_t>(n));
  return n;
}

}  // namespace

void TransferJob::begin_attempt(const HttpOptions& options, const RequestSigner& signer) {
  decided = accept_body = misaligned = false;
  error_body.clear();
  etag.clear();
  retry_after.clear();
  content_range.clear();
  errbuf[0] = '\0';
  if (request != nullptr && !temp) {
    buffer.reserve(kWriteChunk + CURL_MAX_WRITE_SIZE);
    temp = std::make_unique<AtomicFile>(request->target);
    fd.reset(::open(temp->temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) {
      fail(ErrorKind::Io, "cannot create {}: {}", temp->temp_path().string(), std::strerror(errno));
    }
  }
  if (request == nullptr) reset_body();  // documents are small: always fetched whole

  easy.reset(curl_easy_init());
  if (!easy) fail(ErrorKind::Internal, "libcurl could not create an easy handle");
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::max(1.0, options.connect_timeout_s * 1000.0)));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1000L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(std::max(1.0, options.low_speed_timeout_s + 0.5)));
  if (request == nullptr && !head) curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  if (head) curl_easy_setopt(e, CURLOPT_NOBODY, 1L);

  if (written > 0) append_header(headers, fmt::format("Range: bytes={}-", written));
  if (signer) {
    for (const std::string& header : signer(head ? "HEAD" : "GET", url)) append_header(headers, header);
  }
  if (headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
}

void TransferJob::end_attempt() {
  easy.reset();
  headers.reset();
}

long TransferJob::response_code() const {
  long status = 0;
  if (easy) curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

void TransferJob::close_file() {
  fd.reset();
  std::string().swap(buffer);  // memory stays bounded by the transfers in flight, not the files done
}

void TransferJob::reset_body() {
  written = 0;
  buffer.clear();
  memory.clear();
  if (fd.valid()) {
    if (::ftruncate(fd.get(), 0) != 0 || ::lseek(fd.get(), 0, SEEK_SET) != 0) io_error = true;
  }
}

bool TransferJob::flush() {
  std::size_t done = 0;
  while (done < buffer.size() && fd.valid()) {
    const ssize_t w = ::write(fd.get(), buffer.data() + done, buffer.size() - done);
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

}  // namespace goesvfi::fetch
