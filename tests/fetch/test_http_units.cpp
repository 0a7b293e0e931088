// Pure pieces of the fetch machinery: classification, backoff, circuit breaker, statistics, S3 URLs and
// listings, SigV4 (AWS's published example), index pages, destination paths and queries.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "fetch/cdn_store.hpp"
#include "fetch/fetch.hpp"
#include "fetch/http.hpp"
#include "fetch/retry.hpp"
#include "fetch/s3.hpp"
#include "fetch/transfer_stats.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi::fetch {
namespace {

using namespace std::chrono_literals;

TEST(Http, EtagMd5AcceptsOnlySinglePartDigests) {
  EXPECT_EQ(etag_md5("\"9E107D9D372BB6826BD81D3542A419D6\""), "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(etag_md5("9e107d9d372bb6826bd81d3542a419d6"), "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(etag_md5("\"9e107d9d372bb6826bd81d3542a419d6-12\""), "");  // multipart
  EXPECT_EQ(etag_md5("W/\"9e107d9d372bb6826bd81d3542a419d6\""), "");   // weak
  EXPECT_EQ(etag_md5("\"5f3a-1b2c\""), "");
}

TEST(Http, UriEncodeFollowsSigV4Rules) {
  EXPECT_EQ(uri_encode("a b/c+d~e_f.g-h", true), "a%20b/c%2Bd~e_f.g-h");
  EXPECT_EQ(uri_encode("a b/c+d=", false), "a%20b%2Fc%2Bd%3D");
  EXPECT_EQ(endpoint_of("http://127.0.0.1:4568/bucket/key?x=1"), "http://127.0.0.1:4568");
  EXPECT_EQ(endpoint_of("https://noaa-goes16.s3.amazonaws.com"), "https://noaa-goes16.s3.amazonaws.com");
}

TEST(Retry, ClassifiesAndRetriesOnlyTransientFailures) {
  struct Case {
    int curl;
    long status;
    const char* code;
    ErrorKind kind;
    bool retry;
  };
  const Case cases[] = {
      {CURLE_OK, 404, "NoSuchKey", ErrorKind::NotFound, false},
      {CURLE_OK, 403, "AccessDenied", ErrorKind::AccessDenied, false},
      {CURLE_OK, 401, "", ErrorKind::AccessDenied, false},
      {CURLE_OK, 503, "SlowDown", ErrorKind::Throttled, true},
      {CURLE_OK, 503, "", ErrorKind::Throttled, true},
      {CURLE_OK, 429, "", ErrorKind::Throttled, true},
      {CURLE_OK, 500, "InternalError", ErrorKind::Network, true},
      {CURLE_OK, 502, "", ErrorKind::Network, true},
      {CURLE_OK, 408, "", ErrorKind::Network, true},
      {CURLE_OK, 400, "InvalidArgument", ErrorKind::InvalidArgument, false},
      {CURLE_OPERATION_TIMEDOUT, 0, "", ErrorKind::Network, true},
      {CURLE_RECV_ERROR, 200, "", ErrorKind::Network, true},
      {CURLE_PARTIAL_FILE, 200, "", ErrorKind::Network, true},
      {CURLE_COULDNT_CONNECT, 0, "", ErrorKind::Network, true},
      {CURLE_URL_MALFORMAT, 0, "", ErrorKind::InvalidArgument, false},
      {CURLE_WRITE_ERROR, 200, "", ErrorKind::Io, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "curl " << c.curl << " status " << c.status << " " << c.code);
    const ErrorKind kind = classify_http(c.curl, c.status, c.code);
    EXPECT_EQ(kind, c.kind);
    EXPECT_EQ(is_retryable(c.curl, c.status, kind), c.retry);
  }
}

TEST(Retry, FullJitterBackoffStaysUnderTheExponentialCeiling) {
  std::mt19937_64 rng(42);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const double ceiling = std::min(20000.0, 100.0 * std::ldexp(1.0, attempt - 1));
    double sum = 0, max_seen = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
      const auto d = backoff_delay(attempt, 100ms, 20000ms, rng);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d.count(), ceiling);
      sum += static_cast<double>(d.count());
      max_seen = std::max(max_seen, static_cast<double>(d.count()));
    }
    // Uniform on [0, ceiling]: the mean is near half of it and the samples reach close to the top.
    EXPECT_NEAR(sum / n / ceiling, 0.5, 0.05) << "attempt " << attempt;
    EXPECT_GT(max_seen, 0.95 * ceiling - 1) << "attempt " << attempt;
  }
  // A server's Retry-After is a floor, the cap a ceiling.
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(backoff_delay(1, 100ms, 20000ms, rng, 3000ms).count(), 3000);
    EXPECT_EQ(backoff_delay(1, 100ms, 2000ms, rng, 3000ms).count(), 2000);
  }
  EXPECT_EQ(parse_retry_after(" 7\r\n").count(), 7000);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").count(), 0);
  EXPECT_EQ(parse_retry_after("-3").count(), 0);
}

TEST(Retry, CircuitBreakerOpensProbesAndCloses) {
  const auto t0 = Clock::time_point{} + 1000s;
  CircuitBreaker br(3, 10s);
  EXPECT_TRUE(br.allow(t0));
  EXPECT_FALSE(br.record_failure(t0));
  EXPECT_FALSE(br.record_failure(t0));
  br.record_success();  // a success resets the count of consecutive failures
  EXPECT_FALSE(br.record_failure(t0));
  EXPECT_FALSE(br.record_failure(t0));
  EXPECT_TRUE(br.record_failure(t0));  // third in a row
  EXPECT_EQ(br.state(), CircuitBreaker::State::Open);
  EXPECT_FALSE(br.allow(t0 + 9s));
  EXPECT_FALSE(br.record_failure(t0 + 9s));  // late failures of requests started earlier change nothing
  EXPECT_TRUE(br.allow(t0 + 10s));           // the half-open probe
  EXPECT_EQ(br.state(), CircuitBreaker::State::HalfOpen);
  EXPECT_FALSE(br.allow(t0 + 10s));  // only one probe at a time
  EXPECT_TRUE(br.record_failure(t0 + 11s));
  EXPECT_EQ(br.state(), CircuitBreaker::State::Open);
  EXPECT_EQ(br.failed_probes(), 1);
  EXPECT_FALSE(br.allow(t0 + 20s));
  EXPECT_TRUE(br.allow(t0 + 21s));
  br.record_success();
  EXPECT_EQ(br.state(), CircuitBreaker::State::Closed);
  EXPECT_EQ(br.failed_probes(), 0);
  EXPECT_TRUE(br.allow(t0 + 21s));
  EXPECT_TRUE(br.allow(t0 + 21s));
}

TEST(TransferStats, RollingWindowForgetsOldSecondsInFixedMemory) {
  const auto t0 = TransferStats::Clock::time_point{} + 5000s;
  TransferStats stats(t0);
  // Two minutes at 1000 B/s with one failed attempt in ten; the last minute also has retries.
  for (int s = 0; s < 120; ++s) {
    const auto t = t0 + std::chrono::seconds(s) + 100ms;
    for (int k = 0; k < 10; ++k) stats.attempt(t, s >= 60 && k == 0);
    stats.bytes(t, 1000);
    stats.failure(t, s % 2 == 0 ? ErrorKind::Throttled : ErrorKind::Network, false);
    stats.success(t);
  }
  const auto now = t0 + 119s + 500ms;
  const TransferTotals totals = stats.totals();
  EXPECT_EQ(totals.attempts, 1200);
  EXPECT_EQ(totals.retries, 60);
  EXPECT_EQ(totals.bytes, 120000);
  EXPECT_EQ(totals.throttled, 60);
  EXPECT_EQ(totals.network, 60);
  EXPECT_EQ(totals.failed, 0);
  EXPECT_DOUBLE_EQ(stats.recent_rate(now), 1000.0);  // 60 slots of 1000 B over 60 s
  EXPECT_DOUBLE_EQ(stats.recent_error_ratio(now), 0.1);
  EXPECT_NEAR(stats.mean_rate(now), 120000.0 / 119.5, 1e-6);
  // An idle minute later the window is empty again.
  EXPECT_DOUBLE_EQ(stats.recent_rate(now + 61s), 0.0);
  EXPECT_THAT(stats.summary(now), ::testing::HasSubstr("60 retries"));
}

TEST(S3, ObjectAndListUrls) {
  const S3Location aws{"", "us-east-1", "noaa-goes16"};
  EXPECT_EQ(aws.object_url("ABI-L2-CMIPF/2024/122/00/OR_x.nc"),
            "https://noaa-goes16.s3.amazonaws.com/ABI-L2-CMIPF/2024/122/00/OR_x.nc");
  EXPECT_EQ(aws.list_url("ABI-L2-CMIPF/2024/122/00/"),
            "https://noaa-goes16.s3.amazonaws.com/"
            "?list-type=2&max-keys=1000&prefix=ABI-L2-CMIPF%2F2024%2F122%2F00%2F");
  const S3Location west{"", "us-west-2", "b"};
  EXPECT_EQ(west.object_url("k"), "https://b.s3.us-west-2.amazonaws.com/k");
  const S3Location mirror{"http://127.0.0.1:9000", "us-east-1", "noaa-goes18"};
  EXPECT_EQ(mirror.object_url("a b/c.nc"), "http://127.0.0.1:9000/noaa-goes18/a%20b/c.nc");
  EXPECT_EQ(mirror.list_url("p/", "tok+/="),
            "http://127.0.0.1:9000/"
            "noaa-goes18?list-type=2&max-keys=1000&prefix=p%2F&continuation-token=tok%2B%2F%3D");
}

TEST(S3, EndpointResolutionPrefersFlagThenS3VariableThenGeneric) {
  ::unsetenv("AWS_ENDPOINT_URL_S3");
  ::unsetenv("AWS_ENDPOINT_URL");
  EXPECT_EQ(resolve_s3_endpoint(""), "");
  ::setenv("AWS_ENDPOINT_URL", "http://generic:1/", 1);
  EXPECT_EQ(resolve_s3_endpoint(""), "http://generic:1");
  ::setenv("AWS_ENDPOINT_URL_S3", "https://s3only:2", 1);
  EXPECT_EQ(resolve_s3_endpoint(""), "https://s3only:2");
  EXPECT_EQ(resolve_s3_endpoint("http://flag:3"), "http://flag:3");
  ::unsetenv("AWS_ENDPOINT_URL_S3");
  ::unsetenv("AWS_ENDPOINT_URL");
  try {
    resolve_s3_endpoint("ftp://x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("ftp://x"));
  }
  EXPECT_ERROR(resolve_s3_endpoint("http://host/path"), ErrorKind::InvalidArgument,
               "must be scheme://host[:port] without a path");
}

TEST(S3, ParsesListObjectsV2Pages) {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>noaa-goes16</Name>
<Prefix>ABI-L2-CMIPF/2024/001/00/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>ABI-L2-CMIPF/2024/001/00/a.nc</Key><LastModified>2024-01-01T00:10:00.000Z</LastModified>
<ETag>&quot;b308b6b6c4eb1e5c4511c67e1a899669&quot;</ETag><Size>100000</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>ABI-L2-CMIPF/2024/001/00/b.nc</Key><ETag>"0123456789abcdef0123456789abcdef-3"</ETag><Size>26000000</Size></Contents>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>)";
  const S3ListPage page = parse_list_objects_v2(xml, "test");
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "ABI-L2-CMIPF/2024/001/00/a.nc");
  EXPECT_EQ(page.objects[0].size, 100000);
  EXPECT_EQ(page.objects[0].etag, "b308b6b6c4eb1e5c4511c67e1a899669");
  EXPECT_EQ(page.objects[1].size, 26000000);
  EXPECT_EQ(etag_md5(page.objects[1].etag), "");
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");

  try {
    parse_list_objects_v2("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", "URL1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::AccessDenied);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("URL1"));
  }
  EXPECT_ERROR(parse_list_objects_v2("<html>", "u"), ErrorKind::Corrupt, "the listing is not XML");
  EXPECT_ERROR(
      parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", "u"),
      ErrorKind::Corrupt, "truncated but carries no NextContinuationToken");
  EXPECT_ERROR(parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents>"
                                     "</ListBucketResult>",
                                     "u"),
               ErrorKind::Corrupt, "lacks a valid Key/Size");
}

TEST(S3, SigV4MatchesAwsPublishedGetObjectExample) {
  // "Example: GET Object" of AWS's Signature Version 4 documentation (header-based auth, S3).
  const SigV4Credentials creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  const UtcTime when = *make_utc(2013, 5, 24, 0, 0, 0);
  const auto headers = sigv4_sign("GET", "https://examplebucket.s3.amazonaws.com/test.txt",
                                  {{"range", "bytes=0-9"}}, "us-east-1", "s3", creds, when,
                                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_THAT(headers, ::testing::Contains("x-amz-date: 20130524T000000Z"));
  EXPECT_THAT(headers, ::testing::Contains(
                           "Authorization: AWS4-HMAC-SHA256 "
                           "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                           "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                           "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Cdn, ParsesIndexLinksAndFolders) {
  const std::string html = R"(<html><body><h1>Index of /GOES16/ABI/FD/13</h1><pre>
<a href="?C=N;O=D">Name</a> <a href="/GOES16/ABI/FD/">Parent Directory</a>
<a href="20241221800_GOES16-ABI-FD-13-1808x1808.jpg">20241221800_GOES16-ABI-FD-13-1808x1808.jpg</a>
<a href='latest.jpg'>latest.jpg</a> <a href=thumbnail.jpg>t</a>
<a href="GOES16-ABI-FD-13-20241221800%2D20241221900.gif">gif</a></pre></body></html>)";
  EXPECT_THAT(parse_index_links(html),
              ::testing::ElementsAre("20241221800_GOES16-ABI-FD-13-1808x1808.jpg", "latest.jpg",
                                     "thumbnail.jpg", "GOES16-ABI-FD-13-20241221800-20241221900.gif"));
  const UtcTime t = *make_utc(2024, 5, 1, 0, 0, 0);
  EXPECT_EQ(CdnStore::folder_path(make_query("G16", "ABI-L2-CMIPF", 13, "", t, t + 1h)), "GOES16/ABI/FD/13/");
  EXPECT_EQ(CdnStore::folder_path(make_query("G18", "ABI-L1b-RadC", 2, "", t, t + 1h)),
            "GOES18/ABI/CONUS/02/");
  EXPECT_EQ(CdnStore::folder_path(make_query("G16", "ABI-L1b-RadM", 13, "M2", t, t + 1h)),
            "GOES16/ABI/MESO/M2/13/");
  EXPECT_ERROR(CdnStore::folder_path(make_query("G16", "ABI-L2-MCMIPF", std::nullopt, "", t, t + 1h)),
               ErrorKind::InvalidArgument, "the STAR CDN serves single bands");
}

TEST(Fetch, QueriesResolveAliasesAndRejectMismatches) {
  const UtcTime y2024 = *make_utc(2024, 5, 1, 0, 0, 0);
  const UtcTime y2025 = *make_utc(2025, 6, 1, 0, 0, 0);
  EXPECT_EQ(make_query("east", "ABI-L2-CMIPF", 13, "", y2024, y2024 + 6h).satellite, goes::Satellite::G16);
  EXPECT_EQ(make_query("east", "ABI-L2-CMIPF", 13, "", y2025, y2025 + 6h).satellite, goes::Satellite::G19);
  EXPECT_EQ(make_query("west", "ABI-L2-CMIPF", 13, "", y2024, y2024 + 6h).satellite, goes::Satellite::G18);
  const ListQuery meso = make_query("G16", "ABI-L1b-RadM", 2, "M2", y2024, y2024 + 1h);
  EXPECT_EQ(meso.folder.sector, goes::Sector::Meso2);
  EXPECT_EQ(meso.folder.name(), "ABI-L1b-RadM");
  EXPECT_ERROR(make_query("G16", "ABI-L2-CMIPF", 13, "M1", y2024, y2024 + 1h), ErrorKind::InvalidArgument,
               "sector 'M1' does not belong to product ABI-L2-CMIPF");
  EXPECT_ERROR(make_query("G16", "ABI-L2-MCMIPF", 13, "", y2024, y2024 + 1h), ErrorKind::InvalidArgument,
               "product ABI-L2-MCMIPF has no bands");
  EXPECT_ERROR(make_query("G16", "ABI-L2-CMIPF", 17, "", y2024, y2024 + 1h), ErrorKind::InvalidArgument,
               "band 17 is out of range");
  EXPECT_ERROR(make_query("G16", "ABI-L2-CMIPF", 13, "", y2024, y2024), ErrorKind::InvalidArgument,
               "the end must be after the start");
  EXPECT_ERROR(make_query("G15", "ABI-L2-CMIPF", 13, "", y2024, y2024 + 1h), ErrorKind::InvalidArgument,
               "unknown satellite 'G15'");
}

TEST(Fetch, DestinationPathsStayInsideTheFolder) {
  RemoteFile f;
  f.key = "ABI-L2-CMIPF/2024/122/00/OR_x.nc";
  f.name = "OR_x.nc";
  EXPECT_EQ(destination_path(f, "/out", Layout::Bucket), "/out/ABI-L2-CMIPF/2024/122/00/OR_x.nc");
  EXPECT_EQ(destination_path(f, "/out", Layout::Flat), "/out/OR_x.nc");
  f.key = "../../etc/passwd";
  EXPECT_ERROR(destination_path(f, "/out", Layout::Bucket), ErrorKind::Corrupt,
               "'../../etc/passwd' would be written outside /out");
  f.key = "/etc/passwd";
  EXPECT_ERROR(destination_path(f, "/out", Layout::Bucket), ErrorKind::Corrupt,
               "'/etc/passwd' would be written outside /out");
  EXPECT_EQ(parse_layout("flat"), Layout::Flat);
  EXPECT_ERROR(parse_layout("tree"), ErrorKind::InvalidArgument, "layout 'tree'");
}

}  // namespace
}  // namespace goesvfi::fetch
