// The stores against real servers on loopback: s3rver (npm) holding a bucket laid out like noaa-goes16,
// behind our fault-injecting proxy (tests/fixtures/s3/fault-proxy.js), and the proxy serving a STAR-CDN-like
// folder. Every fetch must end with each file complete and byte-identical, and no temporary file left.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "core/thread_pool.hpp"
#include "fetch/cdn_store.hpp"
#include "fetch/composite_store.hpp"
#include "fetch/fetch.hpp"
#include "fetch/local_store.hpp"
#include "fetch/s3_store.hpp"
#include "fetch/scheduler.hpp"
#include "fixtures/s3/node_process.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"
#include "goes/scan_files.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi::fetch {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::NodeProcess;
using test::read_file;
using test::TempDir;

fs::path fixture_dir() {
  return test::source_dir() / "tests" / "fixtures" / "s3";
}

std::string bytes_for(const std::string& name, std::size_t size) {
  std::mt19937_64 rng(std::hash<std::string>{}(name));
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Temporaries of AtomicFile are hidden ".<name>.tmp-..." files.
std::vector<std::string> leftover_temporaries(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().find(".tmp-") != std::string::npos) out.push_back(it->path().string());
  }
  return out;
}

goes::NoaaName noaa(goes::Product product, goes::Sector sector, std::optional<int> band, UtcTime start) {
  goes::NoaaName n;
  n.product = std::move(product);
  n.sector = sector;
  n.mode = 6;
  n.band = band;
  n.satellite = goes::Satellite::G16;
  n.start = start;
  n.end = start + 9min + 30s + 800ms;
  n.created = n.end + 5s + 300ms;
  return n;
}

struct SeedFile {
  std::string key, name;
  std::string bytes;
  UtcTime start;
  int band = 0;
  goes::Sector sector = goes::Sector::FullDisk;
};

// The bucket: full-disk CMIP every 10 minutes across an hour, day and year boundary (bands 2 and 13, sizes up
// to 1.6 MB), 1280 mesoscale radiance files in one hour prefix (pagination), and a stray non-NOAA key.
class S3Fixture : public ::testing::Environment {
 public:
  void SetUp() override {
    dir = std::make_unique<TempDir>();
    const fs::path seed = dir->path() / "seed" / "noaa-goes16";
    const UtcTime first = *make_utc(2023, 12, 31, 22, 0, 20, 500);
    int i = 0;
    for (UtcTime t = first; t < first + 4h; t += 10min) {
      for (int band : {2, 13}) {
        const goes::NoaaName n = noaa({goes::Level::L2, "CMIP"}, goes::Sector::FullDisk, band, t);
        const std::size_t size = (i % 8 == 0) ? 1'600'000 + static_cast<std::size_t>(i) * 1000
                                              : 20'000 + static_cast<std::size_t>(i * 7919 % 200'000);
        ++i;
        SeedFile f{goes::bucket_key(n), goes::format_noaa_name(n), {}, t, band, goes::Sector::FullDisk};
        f.bytes = bytes_for(f.name, size);
        write_file(seed / f.key, f.bytes);
        cmip.push_back(std::move(f));
      }
    }
    const UtcTime meso0 = *make_utc(2024, 1, 1, 5, 0, 24, 200);
    for (goes::Sector sector : {goes::Sector::Meso1, goes::Sector::Meso2}) {
      for (int band = 1; band <= 16; ++band) {
        for (int m = 0; m < 40; ++m) {
          goes::NoaaName n = noaa({goes::Level::L1b, "Rad"}, sector, band, meso0 + std::chrono::minutes(m));
          n.end = n.start + 57s;
          n.created = n.end + 4s;
          SeedFile f{goes::bucket_key(n), goes::format_noaa_name(n), {}, n.start, band, sector};
          f.bytes = bytes_for(f.name, 200 + static_cast<std::size_t>(band * m));
          write_file(seed / f.key, f.bytes);
          meso.push_back(std::move(f));
        }
      }
    }
    // Around the GOES-East switch (2025-04-04 15:10 UTC) both G16 and G19 scan, each into its own bucket.
    const UtcTime switch0 = *make_utc(2025, 4, 4, 14, 40, 20, 500);
    for (goes::Satellite sat : {goes::Satellite::G16, goes::Satellite::G19}) {
      for (UtcTime t = switch0; t < switch0 + 1h; t += 10min) {
        goes::NoaaName n = noaa({goes::Level::L2, "CMIP"}, goes::Sector::FullDisk, 13, t);
        n.satellite = sat;
        SeedFile f{goes::bucket_key(n), goes::format_noaa_name(n), {}, t, 13, goes::Sector::FullDisk};
        f.bytes = bytes_for(f.name, 30'000);
        write_file(dir->path() / "seed" / goes::bucket_name(sat) / f.key, f.bytes);
        east_switch.push_back(std::move(f));
      }
    }
    write_file(seed / "ABI-L2-CMIPF/2024/001/00/index.html", "<html>not a NOAA file</html>");
    server =
        std::make_unique<NodeProcess>(fixture_dir(), "start-s3rver.js",
                                      std::vector<std::string>{"--data", (dir->path() / "data").string(),
                                                               "--seed", (dir->path() / "seed").string()});
  }
  void TearDown() override {
    server.reset();
    dir.reset();
  }

  std::unique_ptr<TempDir> dir;
  std::unique_ptr<NodeProcess> server;
  std::vector<SeedFile> cmip, meso, east_switch;
};

S3Fixture* g_s3 = nullptr;
const bool g_registered = [] {
  g_s3 = static_cast<S3Fixture*>(::testing::AddGlobalTestEnvironment(new S3Fixture));
  return true;
}();

HttpOptions fast_http(int jobs = 8) {
  HttpOptions o;
  o.jobs = jobs;
  o.retries = 10;
  o.connect_timeout_s = 2;
  o.low_speed_timeout_s = 1;
  o.backoff_base_s = 0.01;
  o.backoff_cap_s = 0.2;
  o.breaker_failures = 50;
  o.breaker_cooldown_s = 0.2;
  return o;
}

std::unique_ptr<S3Store> s3_store(const std::string& endpoint, HttpOptions http = fast_http(),
                                  SigV4Credentials credentials = {}) {
  S3StoreOptions o;
  o.endpoint = endpoint;
  o.http = http;
  o.credentials = std::move(credentials);
  return std::make_unique<S3Store>(std::move(o));
}

std::unique_ptr<NodeProcess> proxy(std::vector<std::string> args) {
  args.insert(args.begin(), {"--upstream", std::to_string(g_s3->server->port())});
  return std::make_unique<NodeProcess>(fixture_dir(), "fault-proxy.js", args);
}

nlohmann::json proxy_stats(const NodeProcess& p) {
  HttpClient client(HttpOptions{});
  return nlohmann::json::parse(client.get_text(p.url() + "/__stats", CancelToken()));
}

ListQuery cmip_query(std::optional<int> band, UtcTime start, UtcTime end) {
  return make_query("G16", "ABI-L2-CMIPF", band, "", start, end);
}

std::vector<const SeedFile*> expected_cmip(std::optional<int> band, UtcTime start, UtcTime end) {
  std::vector<const SeedFile*> out;
  for (const SeedFile& f : g_s3->cmip) {
    if ((!band || f.band == *band) && f.start >= start && f.start < end) out.push_back(&f);
  }
  std::sort(out.begin(), out.end(),
            [](auto* a, auto* b) { return std::tie(a->start, a->key) < std::tie(b->start, b->key); });
  return out;
}

void expect_identical(const std::vector<FetchResult>& results, const fs::path& dest) {
  std::map<std::string, const SeedFile*> by_key;
  for (const SeedFile& f : g_s3->cmip) by_key[f.key] = &f;
  for (const SeedFile& f : g_s3->meso) by_key[f.key] = &f;
  for (const SeedFile& f : g_s3->east_switch) by_key[f.key] = &f;
  for (const FetchResult& r : results) {
    SCOPED_TRACE(r.file.key);
    ASSERT_NE(r.status, FetchStatus::Failed) << (r.error ? r.error->describe() : "");
    const auto it = by_key.find(r.file.key);
    ASSERT_NE(it, by_key.end());
    EXPECT_EQ(r.path, dest / r.file.key);
    EXPECT_EQ(read_file(r.path), it->second->bytes);
  }
  EXPECT_THAT(leftover_temporaries(dest), ::testing::IsEmpty());
}

TEST(S3Store, ListsAcrossHourDayAndYearBoundaries) {
  auto store = s3_store(g_s3->server->url());
  const UtcTime start = *make_utc(2023, 12, 31, 23, 30, 0);
  const UtcTime end = *make_utc(2024, 1, 1, 0, 30, 0);
  const auto files = store->list(cmip_query(13, start, end), CancelToken());
  const auto expected = expected_cmip(13, start, end);
  ASSERT_EQ(expected.size(), 6u);  // 23:30 ... 00:20, one per 10 minutes
  ASSERT_EQ(files.size(), expected.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].key, expected[i]->key);
    EXPECT_EQ(files[i].name, expected[i]->name);
    EXPECT_EQ(files[i].size, static_cast<std::int64_t>(expected[i]->bytes.size()));
    EXPECT_EQ(files[i].time, expected[i]->start);
    EXPECT_EQ(files[i].url, g_s3->server->url() + "/noaa-goes16/" + expected[i]->key);
    EXPECT_EQ(files[i].etag.size(), 32u);
  }
  // Both bands, and the stray index.html ignored.
  EXPECT_EQ(store->list(cmip_query(std::nullopt, start, end), CancelToken()).size(), 12u);
}

TEST(S3Store, EastRangeAcrossTheSwitchListsEachSatelliteForItsPart) {
  auto store = s3_store(g_s3->server->url());
  const UtcTime start = *make_utc(2025, 4, 4, 14, 40, 0);
  const UtcTime end = start + 1h;
  const auto files = store->list(make_query("east", "ABI-L2-CMIPF", 13, "", start, end), CancelToken());
  ASSERT_EQ(files.size(), 6u);
  const UtcTime cut = goes::east_switch_to_g19();
  for (const RemoteFile& f : files) {
    SCOPED_TRACE(f.name);
    const bool g19 = f.time >= cut;
    EXPECT_THAT(f.name, ::testing::HasSubstr(g19 ? "_G19_" : "_G16_"));
    EXPECT_THAT(f.url, ::testing::HasSubstr(g19 ? "/noaa-goes19/" : "/noaa-goes16/"));
  }
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end(),
                             [](const RemoteFile& a, const RemoteFile& b) { return a.time < b.time; }));
  EXPECT_EQ(std::count_if(files.begin(), files.end(), [&](const RemoteFile& f) { return f.time < cut; }), 3);
  // GOES-16 kept scanning after the switch: naming it gets all six of its own files.
  EXPECT_EQ(store->list(make_query("G16", "ABI-L2-CMIPF", 13, "", start, end), CancelToken()).size(), 6u);

  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 6, "files");
  expect_identical(store->fetch(files, out.path(), Layout::Bucket, task, CancelToken()), out.path());
}

TEST(S3Store, PaginatesPastAThousandKeysInOnePrefix) {
  auto store = s3_store(g_s3->server->url());
  const UtcTime start = *make_utc(2024, 1, 1, 5, 0, 0);
  // M2 band 16 sorts last in the 1280-key prefix: only reachable through continuation tokens.
  const auto m2 = store->list(make_query("G16", "ABI-L1b-RadM", 16, "M2", start, start + 1h), CancelToken());
  ASSERT_EQ(m2.size(), 40u);
  for (const RemoteFile& f : m2)
    EXPECT_THAT(f.name, ::testing::StartsWith("OR_ABI-L1b-RadM2-M6C16_G16_s2024001"));
  const auto m1 =
      store->list(make_query("G16", "ABI-L1b-RadM", 1, "M1", start + 10min, start + 20min), CancelToken());
  EXPECT_EQ(m1.size(), 10u);
  EXPECT_EQ(store->totals().attempts, 2 + 2);  // two pages per listing
}

TEST(S3Store, FetchesByteIdenticalFilesThroughInjectedFaults) {
  auto faults = proxy({"--slowdown", "0.1", "--http500", "0.05", "--reset", "0.05", "--drop", "0.1",
                       "--stall", "0.02", "--stall-ms", "2500", "--seed", "7"});
  auto store = s3_store(faults->url());
  const UtcTime start = *make_utc(2023, 12, 31, 22, 0, 0);
  const UtcTime end = start + 4h;
  const auto files = store->list(cmip_query(std::nullopt, start, end), CancelToken());
  ASSERT_EQ(files.size(), g_s3->cmip.size());
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", static_cast<std::int64_t>(files.size()), "files");
  const auto results = store->fetch(files, out.path(), Layout::Bucket, task, CancelToken());
  ASSERT_EQ(results.size(), files.size());
  for (const FetchResult& r : results) EXPECT_EQ(r.status, FetchStatus::Downloaded);
  expect_identical(results, out.path());
  const nlohmann::json stats = proxy_stats(*faults);
  int injected = 0;
  for (const auto& [name, count] : stats["faults"].items()) injected += count.get<int>();
  EXPECT_GT(injected, 5);
  EXPECT_GT(store->totals().retries, 0);
  EXPECT_EQ(store->totals().failed, 0);
  EXPECT_EQ(task.done(), static_cast<std::int64_t>(files.size()));

  // A second run finds every file complete and downloads nothing.
  const auto before = store->totals().attempts;
  const auto again = store->fetch(files, out.path(), Layout::Bucket, task, CancelToken());
  for (const FetchResult& r : again) EXPECT_EQ(r.status, FetchStatus::Skipped);
  EXPECT_EQ(store->totals().attempts, before);
}

TEST(S3Store, ResumesBrokenBodiesWithRange) {
  // Every object's first response breaks after half of its body; the retry must ask only for the rest.
  auto faults = proxy({"--first", "drop"});
  auto store = s3_store(faults->url());
  const UtcTime start = *make_utc(2023, 12, 31, 22, 0, 0);
  std::vector<RemoteFile> files = store->list(cmip_query(13, start, start + 1h), CancelToken());
  ASSERT_EQ(files.size(), 6u);
  const auto list_bytes = store->totals().bytes;
  std::int64_t total = 0;
  for (const RemoteFile& f : files) total += f.size;
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 6, "files");
  const auto results = store->fetch(files, out.path(), Layout::Flat, task, CancelToken());
  for (const FetchResult& r : results) {
    EXPECT_EQ(r.status, FetchStatus::Downloaded);
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(r.path, out.path() / r.file.name);
  }
  // Without resume the first halves would be received twice.
  EXPECT_EQ(store->totals().bytes - list_bytes, total);
  EXPECT_EQ(proxy_stats(*faults)["ranged"].get<int>(), 6);
  std::map<std::string, std::string> want;
  for (const SeedFile& f : g_s3->cmip) want[f.name] = f.bytes;
  for (const FetchResult& r : results) EXPECT_EQ(read_file(r.path), want[r.file.name]);
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());
}

TEST(S3Store, StalledTransfersHitTheLowSpeedTimeoutAndRecover) {
  auto faults = proxy({"--first", "stall", "--stall-ms", "4000"});
  auto store = s3_store(faults->url());
  const UtcTime start = *make_utc(2024, 1, 1, 0, 0, 0);
  auto files = store->list(cmip_query(2, start, start + 20min), CancelToken());
  ASSERT_EQ(files.size(), 2u);
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 2, "files");
  const auto results = store->fetch(files, out.path(), Layout::Bucket, task, CancelToken());
  for (const FetchResult& r : results) EXPECT_EQ(r.attempts, 2);
  expect_identical(results, out.path());
  EXPECT_GE(store->totals().network, 3);  // the listing and both objects stalled once
}

TEST(S3Store, SlowDownIsRetriedAndCountedAsThrottling) {
  auto faults = proxy({"--first", "slowdown"});
  auto store = s3_store(faults->url());
  const UtcTime start = *make_utc(2024, 1, 1, 1, 0, 0);
  auto files = store->list(cmip_query(13, start, start + 30min), CancelToken());
  ASSERT_EQ(files.size(), 3u);
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 3, "files");
  const auto results = store->fetch(files, out.path(), Layout::Bucket, task, CancelToken());
  expect_identical(results, out.path());
  EXPECT_EQ(store->totals().throttled, 4);  // one listing + three objects
  EXPECT_EQ(store->totals().retries, 4);
}

TEST(S3Store, ChecksumMismatchIsRetriedThenFailsAsCorruptAndLeavesNothing) {
  HttpOptions http = fast_http();
  http.retries = 2;
  auto store = s3_store(g_s3->server->url(), http);
  const UtcTime start = *make_utc(2024, 1, 1, 1, 0, 0);
  std::vector<RemoteFile> files = store->list(cmip_query(13, start, start + 20min), CancelToken());
  ASSERT_EQ(files.size(), 2u);
  // The size matches, the listed ETag does not: the body is whole but not the object that was listed.
  files[1].etag = "\"0123456789abcdef0123456789abcdef\"";
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 2, "files");
  const auto results = store->fetch(files, out.path(), Layout::Bucket, task, CancelToken());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, FetchStatus::Downloaded);
  EXPECT_EQ(results[1].status, FetchStatus::Failed);
  ASSERT_TRUE(results[1].error);
  EXPECT_EQ(results[1].error->kind(), ErrorKind::Corrupt);
  EXPECT_EQ(results[1].attempts, 3);
  EXPECT_THAT(results[1].error->message(),
              ::testing::HasSubstr("does not match the ETag 0123456789abcdef0123456789abcdef"));
  EXPECT_THAT(results[1].error->message(), ::testing::HasSubstr(files[1].url));
  EXPECT_FALSE(fs::exists(results[1].path));
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());
  EXPECT_EQ(store->totals().corrupt, 3);
}

// A committer that throws something other than goesvfi::Error (a bug, std::bad_alloc, a filesystem_error)
// still hands its job back: download() reports that file as failed, naming it, instead of waiting forever for
// it, and the other files are committed as usual.
TEST(HttpEngine, CommitterExceptionsOfAnyTypeAreReportedNotHung) {
  TempDir out;
  std::vector<DownloadRequest> requests;
  for (std::size_t i = 0; i < 4; ++i) {
    const SeedFile& f = g_s3->cmip[i + 1];
    DownloadRequest r;
    r.url = g_s3->server->url() + "/noaa-goes16/" + f.key;
    r.target = out / f.name;
    r.expected_size = static_cast<std::int64_t>(f.bytes.size());
    requests.push_back(r);
  }
  const HttpOptions options = fast_http(2);
  const RequestSigner signer;
  TransferStats stats;
  TransferScheduler scheduler(options, signer, stats, [&](TransferJob& job) {
    if (job.request->target == requests[1].target) throw std::runtime_error("disk on fire");
    if (job.request->target == requests[2].target) throw 42;
    verify_and_commit(job);
  });
  // The bug this guards against is a hang: give download() a generous deadline, then stop the test binary.
  auto done = std::async(std::launch::async, [&] { return scheduler.download(requests, CancelToken()); });
  if (done.wait_for(std::chrono::minutes(3)) != std::future_status::ready) {
    ADD_FAILURE() << "download() did not return after a committer threw";
    std::abort();
  }
  const std::vector<DownloadResult> results = done.get();
  ASSERT_EQ(results.size(), 4u);
  for (std::size_t i : {0u, 3u}) {
    EXPECT_TRUE(results[i].ok) << (results[i].error ? results[i].error->describe() : "");
    EXPECT_EQ(read_file(requests[i].target), g_s3->cmip[i + 1].bytes);
  }
  for (std::size_t i : {1u, 2u}) {
    SCOPED_TRACE(i);
    EXPECT_FALSE(results[i].ok);
    ASSERT_TRUE(results[i].error);
    EXPECT_EQ(results[i].error->kind(), ErrorKind::Internal);
    EXPECT_THAT(results[i].error->message(), ::testing::HasSubstr(requests[i].target.string()));
    EXPECT_FALSE(fs::exists(requests[i].target));
  }
  EXPECT_THAT(results[1].error->message(), ::testing::HasSubstr("disk on fire"));
  EXPECT_THAT(results[2].error->message(), ::testing::HasSubstr("unknown exception"));
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());
}

TEST(S3Store, MissingObjectsFailOnceAsNotFoundNamingTheUrl) {
  auto store = s3_store(g_s3->server->url());
  RemoteFile ghost;
  ghost.key =
      "ABI-L2-CMIPF/2024/001/00/OR_ABI-L2-CMIPF-M6C13_G16_s20240010000000_e20240010009000_c20240010009100.nc";
  ghost.name = ghost.key.substr(ghost.key.rfind('/') + 1);
  ghost.url = g_s3->server->url() + "/noaa-goes16/" + ghost.key;
  ghost.size = 10;
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 1, "files");
  const auto results = store->fetch({ghost}, out.path(), Layout::Bucket, task, CancelToken());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, FetchStatus::Failed);
  ASSERT_TRUE(results[0].error);
  EXPECT_EQ(results[0].error->kind(), ErrorKind::NotFound);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_THAT(results[0].error->message(), ::testing::HasSubstr(ghost.url));
  EXPECT_THAT(results[0].error->message(), ::testing::HasSubstr("404"));
  EXPECT_FALSE(fs::exists(results[0].path));
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());

  // A bucket that does not exist is named too.
  S3StoreOptions o;
  o.endpoint = g_s3->server->url();
  o.bucket = "no-such-bucket";
  o.http = fast_http();
  S3Store missing(o);
  try {
    missing.list(cmip_query(13, *make_utc(2024, 1, 1, 0, 0, 0), *make_utc(2024, 1, 1, 1, 0, 0)),
                 CancelToken());
    FAIL() << "expected NotFound";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_THAT(e.describe(), ::testing::HasSubstr("no-such-bucket"));
  }
}

TEST(S3Store, CircuitBreakerStopsHammeringAFailingEndpoint) {
  auto faults = proxy({"--slowdown", "1"});
  HttpOptions http = fast_http();
  http.retries = 50;
  http.breaker_failures = 3;
  http.breaker_cooldown_s = 0.1;
  http.breaker_max_probes = 2;
  auto store = s3_store(faults->url(), http);
  try {
    store->list(cmip_query(13, *make_utc(2024, 1, 1, 0, 0, 0), *make_utc(2024, 1, 1, 1, 0, 0)),
                CancelToken());
    FAIL() << "expected the listing to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Network);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("circuit open"));
    EXPECT_THAT(e.message(), ::testing::HasSubstr(faults->url()));
  }
  // Three failures open it; two half-open probes fail; then it gives up instead of using all 51 attempts.
  EXPECT_EQ(store->totals().attempts, 5);
  EXPECT_EQ(store->totals().breaker_opened, 3);
}

TEST(S3Store, SignsRequestsWhenKeysAreConfigured) {
  const UtcTime start = *make_utc(2024, 1, 1, 1, 0, 0);
  // The proxy checks SigV4 with its own JavaScript implementation and answers 403 to anything else.
  auto checker = proxy({"--sigv4", "AKIDGOESVFI:secret/Key+1"});
  auto good = s3_store(checker->url(), fast_http(), SigV4Credentials{"AKIDGOESVFI", "secret/Key+1", ""});
  auto files = good->list(cmip_query(13, start, start + 30min), CancelToken());
  ASSERT_EQ(files.size(), 3u);
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 3, "files");
  expect_identical(good->fetch(files, out.path(), Layout::Bucket, task, CancelToken()), out.path());
  EXPECT_FALSE(proxy_stats(*checker).contains("rejected"));

  for (const SigV4Credentials& wrong :
       {SigV4Credentials{"AKIDGOESVFI", "wrong-secret", ""}, SigV4Credentials{}}) {
    auto bad = s3_store(checker->url(), fast_http(), wrong);
    try {
      bad->list(cmip_query(13, start, start + 30min), CancelToken());
      FAIL() << "expected AccessDenied";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::AccessDenied);
      EXPECT_THAT(e.message(), ::testing::HasSubstr("403 SignatureDoesNotMatch"));
      EXPECT_EQ(bad->totals().attempts, 1);  // never retried
    }
  }
}

TEST(S3Store, CancellationStopsTransfersAndLeavesNoTemporaries) {
  auto faults = proxy({"--stall", "1", "--stall-ms", "20000"});
  HttpOptions http = fast_http();
  http.low_speed_timeout_s = 30;
  auto store = s3_store(g_s3->server->url(), http);
  const UtcTime start = *make_utc(2023, 12, 31, 22, 0, 0);
  auto files = store->list(cmip_query(std::nullopt, start, start + 1h), CancelToken());
  ASSERT_EQ(files.size(), 12u);
  for (RemoteFile& f : files) f.url = faults->url() + "/noaa-goes16/" + f.key;  // every body stalls
  auto stalled = s3_store(faults->url(), http);
  TempDir out;
  CancelToken cancel;
  auto canceller = ThreadPool::global().submit([&] {
    std::this_thread::sleep_for(300ms);
    cancel.cancel();
  });
  ProgressTask task = Progress::null().task("fetch", 12, "files");
  try {
    stalled->fetch(files, out.path(), Layout::Bucket, task, cancel);
    FAIL() << "expected Cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
  canceller.get();
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());
  for (const RemoteFile& f : files) EXPECT_FALSE(fs::exists(out.path() / f.key));
}

TEST(LocalStore, ReadsBucketMirrorsAndFlatFolders) {
  TempDir root;
  const UtcTime start = *make_utc(2023, 12, 31, 23, 0, 0);
  const auto expected = expected_cmip(13, start, start + 2h);
  ASSERT_EQ(expected.size(), 12u);
  // Half as an `aws s3 sync` mirror below noaa-goes16/, half flat.
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const fs::path where =
        i % 2 == 0 ? root.path() / "noaa-goes16" / expected[i]->key : root.path() / expected[i]->name;
    write_file(where, expected[i]->bytes);
  }
  write_file(root.path() / ".OR_partial.nc.tmp-1-1", "x");
  LocalStore store(root.path());
  const auto files = store.list(cmip_query(13, start, start + 2h), CancelToken());
  ASSERT_EQ(files.size(), expected.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].name, expected[i]->name);
    EXPECT_EQ(files[i].key, expected[i]->key);
    EXPECT_EQ(files[i].size, static_cast<std::int64_t>(expected[i]->bytes.size()));
  }
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 12, "files");
  expect_identical(store.fetch(files, out.path(), Layout::Bucket, task, CancelToken()), out.path());
  for (const FetchResult& r : store.fetch(files, out.path(), Layout::Bucket, task, CancelToken()))
    EXPECT_EQ(r.status, FetchStatus::Skipped);
  EXPECT_ERROR(LocalStore(root.path() / "missing"), ErrorKind::NotFound, "missing is not a folder");
}

TEST(LocalStore, MatchesCdnAndGoesprocNamesAndRealNoaaFiles) {
  TempDir root;
  const UtcTime t = *make_utc(2024, 5, 1, 18, 0, 0);
  for (int m = 0; m < 60; m += 10) {
    goes::CdnName c{t + std::chrono::minutes(m), goes::Satellite::G16, "FD", 13, "", 1808, 1808, ".jpg", ""};
    write_file(root.path() / goes::format_cdn_name(c), "cdn");
    goes::GoesprocName g{goes::Satellite::G16, "FD", 13, "", t + std::chrono::minutes(m) + 21s, ".jpg"};
    write_file(root.path() / ("x" + goes::format_goesproc_name(g)), "junk prefix: not a goesproc name");
    g.band = 2;
    write_file(root.path() / goes::format_goesproc_name(g), "goesproc band 2");
  }
  LocalStore store(root.path());
  EXPECT_EQ(store.list(cmip_query(13, t, t + 1h), CancelToken()).size(), 6u);
  EXPECT_EQ(store.list(cmip_query(2, t + 15min, t + 1h), CancelToken()).size(), 4u);  // 18:20 ... 18:50
  EXPECT_EQ(store.list(make_query("G17", "ABI-L2-CMIPF", 13, "", t, t + 1h), CancelToken()).size(), 0u);

  // The real NOAA files of ../shared/data/goes.
  LocalStore shared(test::shared_dir() / "data" / "goes");
  const UtcTime d1 = *make_utc(2019, 12, 1, 10, 0, 0);
  const auto g17 = shared.list(make_query("G17", "ABI-L1b-RadM", 13, "M1", d1, d1 + 1h), CancelToken());
  ASSERT_EQ(g17.size(), 1u);
  EXPECT_EQ(g17[0].name, "OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc");
  EXPECT_EQ(g17[0].key, "ABI-L1b-RadM/2019/335/10/" + g17[0].name);
  EXPECT_EQ(g17[0].size,
            static_cast<std::int64_t>(fs::file_size(test::shared_dir() / "data/goes" / g17[0].name)));
  EXPECT_EQ(g17[0].time, *make_utc(2019, 12, 1, 10, 27, 27, 500));
  EXPECT_TRUE(shared.list(make_query("G17", "ABI-L1b-RadM", 13, "M2", d1, d1 + 1h), CancelToken()).empty());
  const UtcTime d2 = *make_utc(2019, 10, 27, 20, 0, 0);
  const auto fire =
      shared.list(make_query("G17", "ABI-L2-FDCC", std::nullopt, "", d2, d2 + 1h), CancelToken());
  ASSERT_EQ(fire.size(), 1u);
  EXPECT_THAT(fire[0].name, ::testing::StartsWith("OR_ABI-L2-FDCC-M6_G17_s2019300200119"));
}

// A STAR-CDN-like folder served (with faults) by the proxy's static mode.
struct CdnFolder {
  TempDir root;
  std::map<std::string, std::string> files;  // name -> bytes
  UtcTime first = *make_utc(2024, 1, 1, 0, 0, 0);
  CdnFolder() {
    const fs::path dir = root.path() / "GOES16/ABI/FD/13";
    for (int m = 0; m < 60; m += 10) {
      for (int size : {1808, 5424}) {
        goes::CdnName c{
            first + std::chrono::minutes(m), goes::Satellite::G16, "FD", 13, "", size, size, ".jpg", ""};
        const std::string name = goes::format_cdn_name(c);
        files[name] = bytes_for(name, static_cast<std::size_t>(size) * 40);
        write_file(dir / name, files[name]);
      }
    }
    write_file(dir / "latest.jpg", "latest");
    write_file(dir / "5424x5424.jpg", "latest big");
  }
};

TEST(CdnStore, ListsOneSizePerScanAndFetchesThroughFaults) {
  CdnFolder cdn;
  NodeProcess server(
      fixture_dir(), "fault-proxy.js",
      {"--static", cdn.root.path().string(), "--drop", "0.2", "--slowdown", "0.1", "--seed", "3"});
  CdnStoreOptions o;
  o.base_url = server.url() + "/";
  o.http = fast_http();
  CdnStore store(o);
  const auto files = store.list(cmip_query(13, cdn.first + 10min, cdn.first + 50min), CancelToken());
  ASSERT_EQ(files.size(), 4u);  // 00:10 ... 00:40
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].time, cdn.first + std::chrono::minutes(10 * (i + 1)));
    EXPECT_THAT(files[i].name, ::testing::EndsWith("-5424x5424.jpg"));
    EXPECT_EQ(files[i].key, "GOES16/ABI/FD/13/" + files[i].name);
  }
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 4, "files");
  const auto results = store.fetch(files, out.path(), Layout::Flat, task, CancelToken());
  for (const FetchResult& r : results) {
    ASSERT_EQ(r.status, FetchStatus::Downloaded) << (r.error ? r.error->describe() : "");
    EXPECT_EQ(read_file(out.path() / r.file.name), cdn.files[r.file.name]);
  }
  EXPECT_THAT(leftover_temporaries(out.path()), ::testing::IsEmpty());

  o.size = "1808x1808";
  CdnStore small(o);
  const auto small_files = small.list(cmip_query(13, cdn.first, cdn.first + 1h), CancelToken());
  ASSERT_EQ(small_files.size(), 6u);
  for (const RemoteFile& f : small_files) EXPECT_THAT(f.name, ::testing::EndsWith("-1808x1808.jpg"));
  // Another band's folder does not exist: NotFound naming it.
  try {
    store.list(cmip_query(7, cdn.first, cdn.first + 1h), CancelToken());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_THAT(e.describe(), ::testing::HasSubstr("GOES16/ABI/FD/07/"));
  }
}

TEST(CdnStore, ListsMesoscaleFoldersWithTheirSecondsAndCentreNames) {
  TempDir root;
  const UtcTime first = *make_utc(2025, 5, 6, 14, 30, 26);
  std::vector<std::string> m1_names;
  for (int m = 0; m < 3; ++m) {
    goes::CdnName c{
        first + std::chrono::minutes(m), goes::Satellite::G19, "MESO", 13, "", 1000, 1000, ".jpg", "22N-93W"};
    m1_names.push_back(goes::format_cdn_name(c));
    write_file(root.path() / "GOES19/ABI/MESO/M1/13" / m1_names.back(), bytes_for(m1_names.back(), 3000));
    c.location = "40N-100W";
    const std::string m2 = goes::format_cdn_name(c);
    write_file(root.path() / "GOES19/ABI/MESO/M2/13" / m2, bytes_for(m2, 3000));
  }
  NodeProcess server(fixture_dir(), "fault-proxy.js", {"--static", root.path().string()});
  CdnStoreOptions o;
  o.base_url = server.url();
  o.http = fast_http();
  CdnStore store(o);
  const auto files =
      store.list(make_query("G19", "ABI-L1b-RadM", 13, "M1", first - 1min, first + 2min), CancelToken());
  ASSERT_EQ(files.size(), 2u);  // 14:30:26 and 14:31:26; 14:32:26 is past the end
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].name, m1_names[i]);
    EXPECT_EQ(files[i].key, "GOES19/ABI/MESO/M1/13/" + m1_names[i]);
    EXPECT_EQ(files[i].time, first + std::chrono::minutes(i));
  }
  const auto m2 =
      store.list(make_query("G19", "ABI-L1b-RadM", 13, "M2", first, first + 10min), CancelToken());
  ASSERT_EQ(m2.size(), 3u);
  EXPECT_THAT(m2[0].name, ::testing::HasSubstr("-40N-100W-"));
}

TEST(CompositeStore, LocalFirstThenCdnForRecentDataElseS3) {
  CdnFolder cdn;
  NodeProcess server(fixture_dir(), "fault-proxy.js", {"--static", cdn.root.path().string()});
  TempDir local_root;
  const UtcTime start = *make_utc(2024, 1, 1, 0, 0, 0);
  const auto wanted = expected_cmip(13, start, start + 1h);
  ASSERT_EQ(wanted.size(), 6u);
  write_file(local_root.path() / wanted[1]->name, wanted[1]->bytes);
  write_file(local_root.path() / wanted[4]->name, wanted[4]->bytes);

  auto make = [&](UtcTime now) {
    CompositeStoreParts parts;
    parts.local = std::make_unique<LocalStore>(local_root.path());
    CdnStoreOptions c;
    c.base_url = server.url();
    c.http = fast_http();
    parts.cdn = std::make_unique<CdnStore>(c);
    parts.s3 = s3_store(g_s3->server->url());
    parts.cdn_days = 7;
    parts.now = [now] { return now; };
    return CompositeStore(std::move(parts));
  };
  // Old data: S3 fills what the local folder lacks.
  CompositeStore old = make(start + std::chrono::days(30));
  const auto files = old.list(cmip_query(13, start, start + 1h), CancelToken());
  ASSERT_EQ(files.size(), 6u);
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].name, wanted[i]->name);
    EXPECT_THAT(files[i].origin, ::testing::StartsWith(i == 1 || i == 4 ? "local" : "s3"));
  }
  TempDir out;
  ProgressTask task = Progress::null().task("fetch", 6, "files");
  expect_identical(old.fetch(files, out.path(), Layout::Bucket, task, CancelToken()), out.path());

  // Recent data: the CDN's JPGs for the scans the local folder lacks.
  CompositeStore recent = make(start + std::chrono::days(2));
  const auto recent_files = recent.list(cmip_query(13, start, start + 1h), CancelToken());
  ASSERT_EQ(recent_files.size(), 6u);
  for (std::size_t i = 0; i < recent_files.size(); ++i) {
    EXPECT_THAT(recent_files[i].origin, ::testing::StartsWith(i == 1 || i == 4 ? "local" : "cdn"));
  }
  // Band 2 is not on this CDN: S3 answers instead.
  const auto band2 = recent.list(cmip_query(2, start, start + 1h), CancelToken());
  ASSERT_EQ(band2.size(), 6u);
  for (const RemoteFile& f : band2) EXPECT_THAT(f.origin, ::testing::StartsWith("s3"));
}

}  // namespace
}  // namespace goesvfi::fetch

namespace goesvfi::fetch {
namespace {

TEST(Stores, StatReportsSizeTimeAndEtagWithoutDownloading) {
  auto s3 = s3_store(g_s3->server->url());
  const UtcTime start = *make_utc(2024, 1, 1, 1, 0, 0);
  const auto files = s3->list(cmip_query(13, start, start + 10min), CancelToken());
  ASSERT_EQ(files.size(), 1u);
  const auto seeded = expected_cmip(13, start, start + 10min);
  ASSERT_EQ(seeded.size(), 1u);
  const auto bytes_before = s3->totals().bytes;
  const auto info = s3->stat(files[0], CancelToken());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, static_cast<std::int64_t>(seeded[0]->bytes.size()));
  EXPECT_EQ(info->etag, files[0].etag);  // the listing's MD5 ETag, quotes removed
  ASSERT_TRUE(info->modified);           // s3rver stamps the upload time
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  EXPECT_LT(*info->modified, now + 1min);
  EXPECT_GT(*info->modified, now - 1h);
  EXPECT_EQ(s3->totals().bytes, bytes_before);  // no body was received

  RemoteFile ghost = files[0];
  ghost.key.replace(ghost.key.find("_s2024"), 6, "_s2023");
  ghost.name = ghost.key.substr(ghost.key.rfind('/') + 1);
  ghost.url = g_s3->server->url() + "/noaa-goes16/" + ghost.key;
  EXPECT_FALSE(s3->stat(ghost, CancelToken()));

  // A local mirror: size and the file's own modification time; a file it lacks is not there.
  TempDir mirror;
  const fs::path local_path = mirror.path() / "noaa-goes16" / files[0].key;
  write_file(local_path, seeded[0]->bytes);
  const UtcTime stamp = *make_utc(2024, 2, 3, 4, 5, 6);
  fs::last_write_time(local_path, std::chrono::file_clock::from_sys(stamp));
  LocalStore local(mirror.path());
  RemoteFile from_s3 = files[0];  // listed by S3: found by its key
  const auto local_info = local.stat(from_s3, CancelToken());
  ASSERT_TRUE(local_info);
  EXPECT_EQ(local_info->size, static_cast<std::int64_t>(seeded[0]->bytes.size()));
  EXPECT_EQ(local_info->modified, stamp);
  EXPECT_TRUE(local_info->etag.empty());
  EXPECT_FALSE(local.stat(ghost, CancelToken()));

  // Composite: the first part that has the file answers (the local mirror), else the next (S3).
  CompositeStoreParts parts;
  parts.local = std::make_unique<LocalStore>(mirror.path());
  parts.s3 = s3_store(g_s3->server->url());
  CompositeStore composite(std::move(parts));
  EXPECT_EQ(composite.stat(files[0], CancelToken())->modified, stamp);
  fs::remove(local_path);
  const auto remote_info = composite.stat(files[0], CancelToken());
  ASSERT_TRUE(remote_info);
  EXPECT_EQ(remote_info->etag, files[0].etag);
  EXPECT_FALSE(composite.stat(ghost, CancelToken()));

  // The CDN: HEAD of <base>/<key>.
  CdnFolder cdn;
  NodeProcess server(fixture_dir(), "fault-proxy.js", {"--static", cdn.root.path().string()});
  CdnStoreOptions o;
  o.base_url = server.url();
  o.http = fast_http();
  CdnStore cdn_store(o);
  const auto& [cdn_name, cdn_bytes] = *cdn.files.begin();
  RemoteFile jpg;
  jpg.name = cdn_name;
  jpg.key = "GOES16/ABI/FD/13/" + cdn_name;
  const auto jpg_info = cdn_store.stat(jpg, CancelToken());
  ASSERT_TRUE(jpg_info) << jpg.key;
  EXPECT_EQ(jpg_info->size, static_cast<std::int64_t>(cdn_bytes.size()));
  jpg.key = "GOES16/ABI/FD/02/" + cdn_name;
  EXPECT_FALSE(cdn_store.stat(jpg, CancelToken()));
}

TEST(RunFetch, SummarisesSkipsAndDryRuns) {
  auto store = s3_store(g_s3->server->url());
  FetchOptions options;
  const UtcTime start = *make_utc(2024, 1, 1, 0, 0, 0);
  options.query = cmip_query(std::nullopt, start, start + 1h);
  TempDir out;
  options.output = out.path() / "new-folder";
  options.dry_run = true;
  FetchSummary dry = run_fetch(*store, options, Progress::null(), CancelToken());
  EXPECT_EQ(dry.listed, 12);
  EXPECT_EQ(dry.skipped, 0);
  EXPECT_FALSE(fs::exists(options.output));  // a dry run writes nothing

  // One file already complete, one truncated leftover of an older tool: fetched again.
  const auto expected = expected_cmip(std::nullopt, start, start + 1h);
  write_file(options.output / expected[0]->key, expected[0]->bytes);
  write_file(options.output / expected[1]->key, expected[1]->bytes.substr(0, 10));
  options.dry_run = false;
  const FetchSummary summary = run_fetch(*store, options, Progress::null(), CancelToken());
  EXPECT_EQ(summary.listed, 12);
  EXPECT_EQ(summary.downloaded, 11);
  EXPECT_EQ(summary.skipped, 1);
  EXPECT_EQ(summary.failed, 0);
  std::int64_t bytes = 0;
  for (std::size_t i = 1; i < expected.size(); ++i)
    bytes += static_cast<std::int64_t>(expected[i]->bytes.size());
  EXPECT_EQ(summary.bytes, bytes);
  EXPECT_THAT(summary.text(), ::testing::HasSubstr("11 downloaded, 1 skipped"));
  expect_identical(summary.results, options.output);
  FetchSummary again = run_fetch(*store, options, Progress::null(), CancelToken());
  EXPECT_EQ(again.skipped, 12);
  EXPECT_EQ(again.bytes, 0);
}

TEST(RunFetch, MakeStoreHonoursSourceAndEndpointSettings) {
  Config config;
  config.set_text("fetch.endpoint", g_s3->server->url(), "test");
  EXPECT_EQ(make_store(config, "s3")->describe(), "s3 " + g_s3->server->url() + " (path style)");
  EXPECT_THAT(make_store(config, "cdn")->describe(),
              ::testing::StartsWith("cdn https://cdn.star.nesdis.noaa.gov"));
  EXPECT_THAT(make_store(config)->describe(), ::testing::StartsWith("auto: [cdn"));
  TempDir dir;
  EXPECT_EQ(make_store(config, dir.path().string())->describe(), "local " + dir.path().string());
  EXPECT_ERROR(make_store(config, "ftp"), ErrorKind::InvalidArgument, "source 'ftp'");
  config.set_text("fetch.endpoint", "", "test");
  EXPECT_EQ(make_store(config, "s3")->describe(), "s3 AWS us-east-1");
}

}  // namespace
}  // namespace goesvfi::fetch

namespace goesvfi::fetch {
namespace {

// A multi-band product lists every band it needs; the listing groups by scan, and a scan without one band is
// incomplete, not dropped.
TEST(LocalStore, ListBandsGroupsTheBandsOfEachScan) {
  TempDir root;
  const UtcTime start = *make_utc(2024, 5, 1, 18, 0, 0);
  std::vector<std::string> written;
  for (int scan = 0; scan < 3; ++scan) {
    for (int band : {7, 8, 10, 12, 13}) {
      if (scan == 1 && band == 12) continue;  // the 18:06 scan lacks band 12
      goes::NoaaName n;
      n.product = {goes::Level::L1b, "Rad"};
      n.sector = goes::Sector::Conus;
      n.band = band;
      n.start = start + std::chrono::minutes(1 + 5 * scan) + 17200ms;
      n.end = n.start + 150s;
      n.created = n.end + 5s;
      write_file(root.path() / goes::bucket_key(n), "band " + std::to_string(band));
      written.push_back(goes::format_noaa_name(n));
    }
  }
  LocalStore store(root.path());
  const auto query = make_query("G16", "ABI-L1b-RadC", std::nullopt, "", start, start + 1h);
  const auto files = list_bands(store, query, {8, 10, 12, 13}, CancelToken());
  ASSERT_EQ(files.size(), 11u);  // 3 scans x 4 bands, one missing; band 7 is not asked for
  for (std::size_t i = 1; i < files.size(); ++i) EXPECT_LE(files[i - 1].time, files[i].time);
  std::vector<std::string> names;
  for (const auto& f : files) {
    EXPECT_EQ(f.name.find("M6C07"), std::string::npos) << f.name;
    names.push_back(f.name);
  }
  const auto scans = goes::group_by_scan(names, {8, 10, 12, 13});
  ASSERT_EQ(scans.size(), 3u);
  EXPECT_TRUE(scans[0].complete());
  EXPECT_EQ(scans[1].missing, std::vector<int>{12});
  EXPECT_EQ(scans[1].describe(), "G16 ABI-L1b-RadC scan of 2024-05-01T18:06:17.200Z");
  EXPECT_TRUE(scans[2].complete());
  for (std::size_t b = 0; b < 4; ++b) {
    const auto& name = names[*scans[2].files[b]];
    EXPECT_NE(name.find(fmt::format("M6C{:02}_G16_s2024122181117", std::vector<int>{8, 10, 12, 13}[b])),
              std::string::npos)
        << name;
  }
  EXPECT_ERROR(list_bands(store, query, {8, 17}, CancelToken()), ErrorKind::InvalidArgument, "17");
  // MCMIP files hold every band: listed once each.
  for (int scan = 0; scan < 2; ++scan) {
    goes::NoaaName n;
    n.product = {goes::Level::L2, "MCMIP"};
    n.sector = goes::Sector::Conus;
    n.start = start + std::chrono::minutes(1 + 5 * scan) + 17200ms;
    n.end = n.start + 150s;
    n.created = n.end + 40s;
    write_file(root.path() / goes::bucket_key(n), "all bands");
  }
  const auto mcmip =
      list_bands(store, make_query("G16", "ABI-L2-MCMIPC", std::nullopt, "", start, start + 1h),
                 {8, 10, 12, 13}, CancelToken());
  EXPECT_EQ(mcmip.size(), 2u);
  // `goesvfi fetch --show airmass`: the same listing, the incomplete scan reported.
  TempDir out;
  FetchOptions o;
  o.query = query;
  o.output = out.path();
  o.dry_run = true;
  o.bands = {8, 10, 12, 13};
  const FetchSummary summary = run_fetch(store, o, Progress::null(), CancelToken());
  EXPECT_EQ(summary.listed, 11);
  EXPECT_EQ(summary.results.size(), 11u);
  EXPECT_EQ(summary.incomplete, std::vector<std::string>{
                                    "G16 ABI-L1b-RadC scan of 2024-05-01T18:06:17.200Z: no file of band 12"});
}

}  // namespace
}  // namespace goesvfi::fetch
