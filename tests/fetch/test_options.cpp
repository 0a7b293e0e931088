// The fetch option structs take their defaults from the schema: T{} equals T::from_config(Config::defaults())
// field by field, compared with the schema's values (not literals), and from_config reads every key.
#include <gtest/gtest.h>

#include "core/config.hpp"
#include "fetch/cdn_store.hpp"
#include "fetch/composite_store.hpp"
#include "fetch/http.hpp"
#include "fetch/s3_store.hpp"

namespace goesvfi::fetch {
namespace {

void expect_http(const HttpOptions& o, const Config& c) {
  EXPECT_EQ(o.jobs, c.get_int("fetch.jobs"));
  EXPECT_EQ(o.retries, c.get_int("fetch.retries"));
  EXPECT_EQ(o.connect_timeout_s, c.get_float("fetch.connect_timeout_s"));
  EXPECT_EQ(o.low_speed_timeout_s, c.get_float("fetch.low_speed_timeout_s"));
  EXPECT_EQ(o.breaker_failures, c.get_int("fetch.breaker_failures"));
}

void expect_stores(const S3StoreOptions& s3, const CdnStoreOptions& cdn, const Config& c) {
  EXPECT_EQ(s3.endpoint, c.get_string("fetch.endpoint"));
  EXPECT_EQ(s3.region, c.get_string("fetch.region"));
  EXPECT_EQ(s3.bucket, c.get_string("fetch.bucket"));
  expect_http(s3.http, c);
  EXPECT_EQ(cdn.base_url, c.get_string("fetch.cdn_url"));
  EXPECT_EQ(cdn.size, c.get_string("fetch.cdn_size"));
  expect_http(cdn.http, c);
}

TEST(FetchOptions, DefaultsAreTheSchemas) {
  const Config& d = Config::defaults();
  expect_http(HttpOptions{}, d);
  expect_http(HttpOptions::from_config(d), d);
  expect_stores(S3StoreOptions{}, CdnStoreOptions{}, d);
  EXPECT_EQ(CompositeStoreParts{}.cdn_days, d.get_int("fetch.cdn_days"));
  // Not config keys: keep their own values.
  EXPECT_GT(HttpOptions{}.backoff_cap_s, HttpOptions{}.backoff_base_s);
}

TEST(FetchOptions, FromConfigReadsEveryKey) {
  Config c;
  c.set("fetch.jobs", std::int64_t{3}, "test");
  c.set("fetch.retries", std::int64_t{1}, "test");
  c.set("fetch.connect_timeout_s", 2.5, "test");
  c.set("fetch.low_speed_timeout_s", 7.0, "test");
  c.set("fetch.breaker_failures", std::int64_t{2}, "test");
  c.set("fetch.endpoint", std::string("http://127.0.0.1:9000"), "test");
  c.set("fetch.region", std::string("eu-west-1"), "test");
  c.set("fetch.bucket", std::string("mirror"), "test");
  c.set("fetch.cdn_url", std::string("http://cdn.test"), "test");
  c.set("fetch.cdn_size", std::string("678x678"), "test");
  for (const char* key : {"fetch.jobs", "fetch.region", "fetch.cdn_url"})
    ASSERT_NE(format_config_value(c.get(key)), format_config_value(Config::defaults().get(key))) << key;
  expect_http(HttpOptions::from_config(c), c);
  expect_stores(S3StoreOptions::from_config(c), CdnStoreOptions::from_config(c), c);
}

}  // namespace
}  // namespace goesvfi::fetch
