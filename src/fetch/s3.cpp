#include "fetch/s3.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/error.hpp"
#include "fetch/http.hpp"

namespace goesvfi::fetch {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", data[i]);
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

struct UrlParts {
  std::string host, path, query;
};

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const auto slash = rest.find('/');
  parts.host = std::string(rest.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  const auto q = path.find('?');
  if (q != std::string_view::npos) {
    parts.query = std::string(path.substr(q + 1));
    path = path.substr(0, q);
  }
  parts.path = std::string(path);
  return parts;
}

// Query parameters sorted by name, each "name=value" (our URLs are already percent-encoded per SigV4).
std::string canonical_query(std::string_view query) {
  std::vector<std::string> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string param(query.substr(0, amp));
    if (param.find('=') == std::string::npos) param += '=';
    if (param != "=") params.push_back(std::move(param));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& p : params) out += (out.empty() ? "" : "&") + p;
  return out;
}

std::string aws_region_host(std::string_view region) {
  return region.empty() || region == "us-east-1" ? "s3.amazonaws.com"
                                                 : fmt::format("s3.{}.amazonaws.com", region);
}

}  // namespace

std::string S3Location::object_url(std::string_view key) const {
  if (endpoint.empty())
    return fmt::format("https://{}.{}/{}", bucket, aws_region_host(region), uri_encode(key, true));
  return fmt::format("{}/{}/{}", endpoint, bucket, uri_encode(key, true));
}

std::string S3Location::list_url(std::string_view prefix, std::string_view continuation_token) const {
  const std::string base = endpoint.empty() ? fmt::format("https://{}.{}/", bucket, aws_region_host(region))
                                            : fmt::format("{}/{}", endpoint, bucket);
  std::string url = fmt::format("{}?list-type=2&max-keys=1000&prefix={}", base, uri_encode(prefix, false));
  if (!continuation_token.empty()) url += "&continuation-token=" + uri_encode(continuation_token, false);
  return url;
}

std::string resolve_s3_endpoint(std::string_view explicit_endpoint) {
  std::string endpoint(explicit_endpoint);
  std::string source = "fetch.endpoint";
  for (const char* var : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    if (!endpoint.empty()) break;
    if (const char* value = std::getenv(var); value != nullptr && *value != '\0') {
      endpoint = value;
      source = std::string("$") + var;
    }
  }
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (!endpoint.empty() && !endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
    fail(ErrorKind::InvalidArgument, "S3 endpoint '{}' (from {}) must start with http:// or https://",
         endpoint, source);
  }
  if (endpoint.find('/', endpoint.find("://") + 3) != std::string::npos) {
    fail(ErrorKind::InvalidArgument, "S3 endpoint '{}' (from {}) must be scheme://host[:port] without a path",
         endpoint, source);
  }
  return endpoint;
}

S3ListPage parse_list_objects_v2(std::string_view xml, std::string_view source) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    fail(ErrorKind::Corrupt, "{}: the listing is not XML ({} at byte {})", source, parsed.description(),
         parsed.offset);
  }
  if (pugi::xml_node error = doc.child("Error")) {
    const std::string code = error.child_value("Code");
    fail(code == "AccessDenied"   ? ErrorKind::AccessDenied
         : code == "NoSuchBucket" ? ErrorKind::NotFound
                                  : ErrorKind::Corrupt,
         "{}: S3 error {}: {}", source, code, error.child_value("Message"));
  }
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) fail(ErrorKind::Corrupt, "{}: expected a ListBucketResult document", source);
  S3ListPage page;
  for (pugi::xml_node item : root.children("Contents")) {
    S3Object object;
    object.key = item.child_value("Key");
    const std::string size = item.child_value("Size");
    char* end = nullptr;
    object.size = std::strtoll(size.c_str(), &end, 10);
    if (object.key.empty() || size.empty() || end == nullptr || *end != '\0' || object.size < 0) {
      fail(ErrorKind::Corrupt, "{}: a <Contents> entry lacks a valid Key/Size (key '{}', size '{}')", source,
           object.key, size);
    }
    object.etag = item.child_value("ETag");
    if (object.etag.size() >= 2 && object.etag.front() == '"' && object.etag.back() == '"')
      object.etag = object.etag.substr(1, object.etag.size() - 2);
    object.last_modified = item.child_value("LastModified");
    page.objects.push_back(std::move(object));
  }
  page.truncated = std::string_view(root.child_value("IsTruncated")) == "true";
  page.next_token = root.child_value("NextContinuationToken");
  if (page.truncated && page.next_token.empty()) {
    fail(ErrorKind::Corrupt, "{}: the listing is truncated but carries no NextContinuationToken", source);
  }
  return page;
}

SigV4Credentials credentials_from_environment() {
  SigV4Credentials c;
  if (const char* v = std::getenv("AWS_ACCESS_KEY_ID")) c.access_key = v;
  if (const char* v = std::getenv("AWS_SECRET_ACCESS_KEY")) c.secret_key = v;
  if (const char* v = std::getenv("AWS_SESSION_TOKEN")) c.session_token = v;
  return c;
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return hex(out, len);
}

std::vector<std::string> sigv4_sign(std::string_view method, std::string_view url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    std::string_view region, std::string_view service,
                                    const SigV4Credentials& credentials, UtcTime now,
                                    std::string_view payload_sha256) {
  const UtcFields f = utc_fields(now);
  const std::string date = fmt::format("{:04}{:02}{:02}", f.year, f.month, f.day);
  const std::string stamp = fmt::format("{}T{:02}{:02}{:02}Z", date, f.hour, f.minute, f.second);
  const UrlParts parts = split_url(url);

  std::map<std::string, std::string> signed_headers;
  for (const auto& [name, value] : headers) signed_headers[name] = value;
  signed_headers["host"] = parts.host;
  signed_headers["x-amz-content-sha256"] = std::string(payload_sha256);
  signed_headers["x-amz-date"] = stamp;
  if (!credentials.session_token.empty()) signed_headers["x-amz-security-token"] = credentials.session_token;

  std::string canonical_headers, signed_names;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_names += (signed_names.empty() ? "" : ";") + name;
  }
  const std::string canonical_request =
      fmt::format("{}\n{}\n{}\n{}\n{}\n{}", method, parts.path, canonical_query(parts.query),
                  canonical_headers, signed_names, payload_sha256);
  const std::string scope = fmt::format("{}/{}/{}/aws4_request", date, region, service);
  const std::string string_to_sign =
      fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", stamp, scope, sha256_hex(canonical_request));
  std::string key = hmac("AWS4" + credentials.secret_key, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const std::string mac = hmac(key, string_to_sign);
  const std::string signature = hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());

  std::vector<std::string> out;
  out.push_back("x-amz-date: " + stamp);
  out.push_back("x-amz-content-sha256: " + std::string(payload_sha256));
  if (!credentials.session_token.empty()) out.push_back("x-amz-security-token: " + credentials.session_token);
  out.push_back(
      fmt::format("Authorization: AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={}, Signature={}",
                  credentials.access_key, scope, signed_names, signature));
  return out;
}

}  // namespace goesvfi::fetch
