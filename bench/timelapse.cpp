// End-to-end benchmark of `goesvfi timelapse` (issue: the demo, and 60 CONUS-like frames of 2500x1500):
// wall time, peak RSS, and the share of each stage as the summary reports it. The data are generated first
// (NOAA-layout L2 CMIP NetCDF, bucket layout) and read through a LocalStore, so no network is involved.
//
//   build/release/bench/bench_timelapse [--dir /tmp/goesvfi-bench-timelapse] [--conus-scans 60] [-n 3]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "core/time.hpp"
#include "pipeline/demo.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

struct Run {
  double wall = 0, rss_mb = 0;
  std::string log;
};

Run run(const std::vector<std::string>& argv, const fs::path& log) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Run r;
  r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.rss_mb = usage.ru_maxrss / 1024.0;
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.log = ss.str();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "failed: {}\n{}\n", fmt::join(argv, " "), r.log);
    std::exit(1);
  }
  return r;
}

void report(const std::string& name, const Run& r) {
  // "time: fetch 0.0 s, render+colour 2.3 s, interpolate 20.5 s, encode 10.5 s, total 29.7 s"
  static const std::regex times(
      R"(time: fetch ([\d.]+) s, render\+colour ([\d.]+) s, interpolate ([\d.]+) s, encode ([\d.]+) s, total ([\d.]+) s)");
  static const std::regex frames(R"((\d+) rendered -> (\d+) video frames)");
  std::smatch t, f;
  std::regex_search(r.log, t, times);
  std::regex_search(r.log, f, frames);
  const double fetch = std::stod(t[1]), render = std::stod(t[2]), interp = std::stod(t[3]),
               encode = std::stod(t[4]);
  const double busy = fetch + render + interp + encode;
  fmt::print("| {} | {} -> {} | {:.1f} | {:.0f} | {:.0f}% / {:.0f}% / {:.0f}% / {:.0f}% |\n", name,
             f[1].str(), f[2].str(), r.wall, r.rss_mb, 100 * fetch / busy, 100 * render / busy,
             100 * interp / busy, 100 * encode / busy);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = fs::temp_directory_path() / "goesvfi-bench-timelapse";
  int conus_scans = 60;
  std::string n = "3";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--dir") dir = argv[i + 1];
    if (a == "--conus-scans") conus_scans = std::stoi(argv[i + 1]);
    if (a == "-n") n = argv[i + 1];
  }
  const fs::path cli = fs::canonical("/proc/self/exe").parent_path().parent_path() / "goesvfi";
  fs::create_directories(dir);
  fmt::print(
      "| run | scans -> video frames | wall s | peak RSS MB | stage time: fetch / render+colour / "
      "interpolate / encode |\n");
  fmt::print("|---|---|---|---|---|\n");
  const Run demo =
      run({cli.string(), "demo", "--dir", (dir / "demo").string(), "-n", n, "--progress", "none"},
          dir / "demo.log");
  report("goesvfi demo (13 full-disk slots 1024x1024, flow, false colour)", demo);

  DemoDataOptions o;
  o.archive = dir / "conus" / "archive";
  o.sector = goes::Sector::Conus;
  o.scans = conus_scans;
  o.missing_index = -1;
  const DemoData data = generate_demo_data(o, Progress::null(), CancelToken());
  fs::remove_all(dir / "conus" / "data");
  const Run conus = run({cli.string(),
                         "timelapse",
                         "--satellite",
                         "G16",
                         "--product",
                         "ABI-L2-CMIPC",
                         "--band",
                         "13",
                         "--start",
                         format_iso(data.start),
                         "--end",
                         format_iso(data.end),
                         "--source",
                         o.archive.string(),
                         "--data-dir",
                         (dir / "conus" / "data").string(),
                         "--false-colour",
                         "-n",
                         n,
                         "-o",
                         (dir / "conus" / "conus.mp4").string(),
                         "--progress",
                         "none"},
                        dir / "conus.log");
  report(fmt::format("timelapse, {} CONUS-like scans 2500x1500 (flow, false colour)", conus_scans), conus);
  return 0;
}
