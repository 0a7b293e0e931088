// S3 protocol pieces: where a bucket lives (AWS virtual-host style or a custom endpoint with path-style
// addressing), ListObjectsV2 pages (pugixml), and AWS Signature Version 4 (OpenSSL) for S3-compatible
// endpoints that need keys. The NOAA buckets are public: requests to AWS go unsigned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace goesvfi::fetch {

struct S3Location {
  std::string endpoint;  // "" = AWS; else "http://127.0.0.1:4568" (scheme, host, port; no trailing slash)
  std::string region = "us-east-1";
  std::string bucket;

  // https://<bucket>.s3.amazonaws.com/<key> (us-east-1) or https://<bucket>.s3.<region>.amazonaws.com/<key>
  // on AWS; <endpoint>/<bucket>/<key> (path style) elsewhere. The key is percent-encoded ('/' kept).
  std::string object_url(std::string_view key) const;
  // The ListObjectsV2 request for `prefix` (continuation token when paging).
  std::string list_url(std::string_view prefix, std::string_view continuation_token = {}) const;
};

// The endpoint to use: an explicit one (flag or config) first, then $AWS_ENDPOINT_URL_S3, then
// $AWS_ENDPOINT_URL; "" means AWS. Validates the scheme (http/https) and strips a trailing '/'.
std::string resolve_s3_endpoint(std::string_view explicit_endpoint);

struct S3Object {
  std::string key;
  std::int64_t size = 0;
  std::string etag;  // as listed, quotes removed
  std::string last_modified;
};
struct S3ListPage {
  std::vector<S3Object> objects;
  bool truncated = false;
  std::string next_token;
};
// Parses a ListObjectsV2 response; Corrupt naming `source` when it is not one (or is an S3 <Error>).
S3ListPage parse_list_objects_v2(std::string_view xml, std::string_view source);

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // optional (temporary credentials)
  bool empty() const { return access_key.empty() || secret_key.empty(); }
};
// $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY / $AWS_SESSION_TOKEN; empty when unset.
SigV4Credentials credentials_from_environment();

// Signs a request (AWS Signature Version 4, header form). `headers` are extra headers to sign (lowercase
// names); host, x-amz-date and x-amz-content-sha256 are always signed. Returns the headers to add
// ("x-amz-date: ...", "x-amz-content-sha256: ...", optionally "x-amz-security-token: ...", "Authorization:
// ...").
std::vector<std::string> sigv4_sign(std::string_view method, std::string_view url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    std::string_view region, std::string_view service,
                                    const SigV4Credentials& credentials, UtcTime now,
                                    std::string_view payload_sha256 = "UNSIGNED-PAYLOAD");

std::string sha256_hex(std::string_view data);

}  // namespace goesvfi::fetch
