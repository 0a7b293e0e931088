// Fetch benchmark: N files of S bytes from a local s3rver (tests/fixtures/s3), our S3Store with 8 parallel
// transfers against sequential curl (one process, one kept-alive connection, files one after another) in the
// same run: on plain loopback, through the proxy adding 30 ms per request (a WAN's time to first byte), and
// through the proxy with latency and injected faults (503 SlowDown, 500, resets, broken bodies, stalls).
// Every downloaded file is compared with its source: "corrupt" counts files missing or not byte-identical.
// A third row without faults runs 8 curl processes at once: what the server can deliver to 8 connections.
//   bench_fetch [--files 500] [--size 1000000] [--jobs 8] [--cases loopback,latency,faults]
// Needs `npm ci` in tests/fixtures/s3 and curl on PATH.
#include <openssl/evp.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include <fmt/format.h>

#include "../tests/fixtures/s3/node_process.hpp"
#include "core/progress.hpp"
#include "fetch/fetch.hpp"
#include "fetch/s3_store.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"

namespace fs = std::filesystem;
using namespace goesvfi;
using namespace std::chrono_literals;

namespace {

struct Source {
  std::string key;
  std::string bytes;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int count_corrupt(const std::vector<Source>& files, const fs::path& dest) {
  int corrupt = 0;
  for (const Source& f : files) {
    std::error_code ec;
    if (!fs::exists(dest / f.key, ec) || read_file(dest / f.key) != f.bytes) ++corrupt;
  }
  return corrupt;
}

struct Run {
  double seconds = 0;
  int corrupt = 0;
  std::int64_t retries = 0;
};

// `processes` curl processes at once, each with every processes-th URL in a config file: sequential
// transfers over one reused connection per process. One process is the baseline; eight of them, with no
// checksums and no fsync, show what the server itself can deliver to 8 connections.
Run run_curl(const std::string& base_url, const std::vector<Source>& files, const fs::path& dest, bool faults,
             int processes = 1) {
  fs::create_directories(dest);
  std::vector<fs::path> configs;
  for (int p = 0; p < processes; ++p) {
    configs.push_back(dest.parent_path() / fmt::format("{}.curl{}.cfg", dest.filename().string(), p));
    std::ofstream cfg(configs.back());
    for (std::size_t i = static_cast<std::size_t>(p); i < files.size();
         i += static_cast<std::size_t>(processes)) {
      const Source& f = files[i];
      fs::create_directories((dest / f.key).parent_path());
      cfg << "url = \"" << base_url << "/noaa-goes16/" << f.key << "\"\n";
      cfg << "output = \"" << (dest / f.key).string() << "\"\n";
    }
  }
  // With faults curl gets the same retry budget and timeouts as ours.
  const std::string retry =
      faults ? " --retry 10 --retry-delay 0 --retry-all-errors --speed-limit 1000 --speed-time 1" : "";
  std::string cmd;
  for (const fs::path& config : configs)
    cmd += fmt::format("curl -s --fail{} -K '{}' 2>/dev/null & ", retry, config.string());
  cmd += "wait";
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = std::system(cmd.c_str());
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0) fmt::print(stderr, "curl exited with {}\n", rc);
  for (const fs::path& config : configs) fs::remove(config);
  r.corrupt = count_corrupt(files, dest);
  return r;
}

Run run_ours(const std::string& endpoint, int jobs, const std::vector<Source>& files, const fs::path& dest,
             const fetch::ListQuery& query) {
  fetch::S3StoreOptions o;
  o.endpoint = endpoint;
  o.http.jobs = jobs;
  o.http.retries = 10;
  o.http.low_speed_timeout_s = 1;
  o.http.backoff_base_s = 0.05;
  o.http.backoff_cap_s = 1;
  fetch::S3Store store(o);
  const auto t0 = std::chrono::steady_clock::now();
  const auto listed =
      store.list(query, CancelToken());  // listing is part of our run (curl is given the keys)
  ProgressTask task = Progress::null().task("fetch", static_cast<std::int64_t>(listed.size()), "files");
  const auto results = store.fetch(listed, dest, fetch::Layout::Bucket, task, CancelToken());
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.retries = store.totals().retries;
  r.corrupt = count_corrupt(files, dest);
  if (listed.size() != files.size())
    fmt::print(stderr, "listed {} of {} files\n", listed.size(), files.size());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 500, jobs = 8;
  std::size_t size = 1'000'000;
  std::string wanted = "loopback,latency,faults";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--files")
      n = std::atoi(argv[i + 1]);
    else if (flag == "--size")
      size = static_cast<std::size_t>(std::atoll(argv[i + 1]));
    else if (flag == "--jobs")
      jobs = std::atoi(argv[i + 1]);
    else if (flag == "--cases")
      wanted = argv[i + 1];
  }
  const fs::path fixtures = fs::path(GOESVFI_SOURCE_DIR) / "tests" / "fixtures" / "s3";
  std::string tmpl = (fs::temp_directory_path() / "goesvfi-bench-fetch-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return 1;
  const fs::path work = tmpl;

  // N scans of RadC band 13, every 30 s from 2024-01-01 00:00 (so they span several hour prefixes).
  std::vector<Source> files;
  std::mt19937_64 rng(1);
  const UtcTime t0 = *make_utc(2024, 1, 1, 0, 0, 1, 100);
  for (int i = 0; i < n; ++i) {
    goes::NoaaName name;
    name.product = {goes::Level::L1b, "Rad"};
    name.sector = goes::Sector::Conus;
    name.band = 13;
    name.start = t0 + std::chrono::seconds(30 * i);
    name.end = name.start + 25s;
    name.created = name.end + 3s;
    Source s{goes::bucket_key(name), std::string(size, '\0')};
    for (char& c : s.bytes) c = static_cast<char>(rng());
    const fs::path path = work / "seed" / "noaa-goes16" / s.key;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(s.bytes.data(), static_cast<std::streamsize>(s.bytes.size()));
    files.push_back(std::move(s));
  }
  const fetch::ListQuery query =
      fetch::make_query("G16", "ABI-L1b-RadC", 13, "", t0 - 1s, t0 + std::chrono::seconds(30 * n));

  int status = 0;
  try {
    test::NodeProcess s3(fixtures, "start-s3rver.js",
                         {"--data", (work / "data").string(), "--seed", (work / "seed").string()}, 600s);
    fs::remove_all(work / "seed");
    const std::string upstream = std::to_string(s3.port());
    // Loopback has no latency, so there the node server's throughput bounds every client; a WAN adds a time
    // to first byte per request (emulated by the proxy), which sequential clients pay once per file.
    test::NodeProcess wan(fixtures, "fault-proxy.js", {"--upstream", upstream, "--latency-ms", "30"});
    test::NodeProcess wan_faults(
        fixtures, "fault-proxy.js",
        {"--upstream", upstream, "--latency-ms", "30", "--slowdown", "0.05", "--http500", "0.02", "--reset",
         "0.02", "--drop", "0.05", "--stall", "0.005", "--stall-ms", "3000"});
    fmt::print("fetch benchmark: {} files x {}, ours with {} connections vs sequential curl (keep-alive)\n",
               n, format_bytes(static_cast<double>(size)), jobs);
    fmt::print("{:<44} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "case", "time s", "MB/s", "corrupt", "retries",
               "speedup");
    const double mb = static_cast<double>(n) * static_cast<double>(size) / 1e6;
    struct Case {
      const char* id;
      const char* label;
      std::string url;
      bool faults;
    };
    const Case cases[] = {{"loopback", "loopback", s3.url(), false},
                          {"latency", "30 ms latency", wan.url(), false},
                          {"faults", "30 ms latency + faults", wan_faults.url(), true}};
    for (const Case& c : cases) {
      if (("," + wanted + ",").find(fmt::format(",{},", c.id)) == std::string::npos) continue;
      const fs::path curl_dir = work / "curl";
      const fs::path ours_dir = work / "ours";
      const Run curl = run_curl(c.url, files, curl_dir, c.faults);
      fs::remove_all(curl_dir);
      // The server's ceiling for 8 connections (only without faults: with them it measures curl's retries).
      std::optional<Run> ceiling;
      if (!c.faults) ceiling = run_curl(c.url, files, curl_dir, false, 8);
      const Run ours = run_ours(c.url, jobs, files, ours_dir, query);
      fmt::print("{:<44} {:>8.2f} {:>8.1f} {:>8} {:>8} {:>8}\n", fmt::format("curl sequential, {}", c.label),
                 curl.seconds, mb / curl.seconds, curl.corrupt, "-", "1.00x");
      if (ceiling) {
        fmt::print("{:<44} {:>8.2f} {:>8.1f} {:>8} {:>8} {:>7.2f}x\n",
                   fmt::format("8 curl processes (no MD5/fsync), {}", c.label), ceiling->seconds,
                   mb / ceiling->seconds, ceiling->corrupt, "-", curl.seconds / ceiling->seconds);
      }
      fmt::print("{:<44} {:>8.2f} {:>8.1f} {:>8} {:>8} {:>7.2f}x\n",
                 fmt::format("goesvfi S3Store x{}, {}", jobs, c.label), ours.seconds, mb / ours.seconds,
                 ours.corrupt, ours.retries, curl.seconds / ours.seconds);
      std::fflush(stdout);
      fs::remove_all(curl_dir);
      fs::remove_all(ours_dir);
      if (ours.corrupt != 0) status = 1;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_fetch: {}\n", e.what());
    status = 1;
  }
  fs::remove_all(work);
  return status;
}
