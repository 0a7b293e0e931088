#include "fetch/http_util.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "fetch/curl_handles.hpp"
#include "fetch/http.hpp"

namespace goesvfi::fetch {

namespace {

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
    EVP_DigestInit_ex(m_ctx, EVP_md5(), nullptr);
  }
  ~Md5() { EVP_MD_CTX_free(m_ctx); }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
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

}  // namespace

void ensure_curl_initialised() {
  static const bool initialised = [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      fail(ErrorKind::Internal, "libcurl could not be initialised");
    return true;
  }();
  (void)initialised;
}

void append_header(CurlSlist& list, const std::string& header) {
  curl_slist* head = curl_slist_append(list.get(), header.c_str());
  if (head == nullptr) fail(ErrorKind::Internal, "libcurl could not allocate a request header");
  (void)list.release();  // the old head is now part of `head`
  list.reset(head);
}

// MD5 of a finished temporary, read back from the page cache on a committer thread: hashing as the body
// arrives cost the one transfer thread ~0.85 s of CPU per 500 MB (bench_fetch), time it did not spend
// draining sockets. Hashing the file also covers resumed bodies without carrying a digest across attempts.
std::string file_md5(const std::filesystem::path& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid())
    fail(ErrorKind::Io, "cannot open {} to verify it: {}", path.string(), std::strerror(errno));
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::Io, "cannot read {} to verify it: {}", path.string(), std::strerror(errno));
    if (n == 0) break;
    md5.update(buffer.data(), static_cast<std::size_t>(n));
  }
  return md5.hex();
}

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
             "(and fetch.endpoint/fetch.bucket for mirrors)";
    case ErrorKind::AccessDenied:
      return "the server refused access; NOAA's public buckets need no keys, so check "
             "fetch.endpoint/fetch.bucket, "
             "or "
             "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for a private S3-compatible endpoint";
    case ErrorKind::Throttled:
      return "the server asked us to slow down; lower fetch.jobs or try again later";
    case ErrorKind::Corrupt:
      return "the body did not match the listed size or checksum; a re-run downloads it again";
    case ErrorKind::Cancelled:
      return "cancelled";
    default:
      return "check the network and fetch.endpoint; fetch.connect_timeout_s, fetch.low_speed_timeout_s and "
             "fetch.retries tune the timeouts and retries";
  }
}

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

}  // namespace goesvfi::fetch
