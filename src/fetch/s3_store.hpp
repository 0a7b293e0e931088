// NOAA's GOES buckets (noaa-goes16 ... noaa-goes19) or any S3-compatible mirror: lists the hour prefixes a
// range touches with ListObjectsV2 (continuation tokens), keeps the keys whose parsed NOAA names match, and
// downloads them anonymously (or SigV4-signed when keys are configured for a custom endpoint).
#pragma once

#include <memory>

#include "fetch/http_fetch.hpp"
#include "fetch/s3.hpp"

namespace goesvfi::fetch {

struct S3StoreOptions {
  // S3StoreOptions{} equals from_config(Config::defaults()) (the fetch.* rows of the schema).
  S3StoreOptions();

  std::string endpoint;  // resolved by make_store (resolve_s3_endpoint); "" = AWS
  std::string region;
  std::string bucket;            // "" = the satellite's NOAA bucket (noaa-goes16 ...)
  SigV4Credentials credentials;  // signs every request when set; not a config key
  HttpOptions http;

  // fetch.endpoint (as written), fetch.region, fetch.bucket and the HTTP keys.
  static S3StoreOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit S3StoreOptions(FromConfig) {}
};

class S3Store : public HttpStore {
 public:
  explicit S3Store(S3StoreOptions options);
  std::string describe() const override;
  std::vector<RemoteFile> list_satellite(const ListQuery& query, const CancelToken& cancel) override;
  // HEAD of the object: the listed URL, or the key in the bucket of the satellite its NOAA name names.
  std::optional<ObjectInfo> stat(const RemoteFile& file, const CancelToken& cancel) override;

  // Every object below `prefix` (all pages).
  std::vector<S3Object> list_prefix(const std::string& bucket, const std::string& prefix,
                                    const CancelToken& cancel);
  // The same for several prefixes at once, listed in parallel; one vector per prefix, in order.
  std::vector<std::vector<S3Object>> list_prefixes(const std::string& bucket,
                                                   const std::vector<std::string>& prefixes,
                                                   const CancelToken& cancel);
  S3Location location(const std::string& bucket) const;

 private:
  S3StoreOptions m_options;
};

}  // namespace goesvfi::fetch
