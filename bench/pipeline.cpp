// End-to-end benchmark of `goesvfi interpolate` against the way GOES_VFI does the same work: every output
// frame encoded as PNG and piped into an `ffmpeg` process. Both run in this one invocation on the same frames
// (generated 1080p cloud frames on disk), blend backend, N=3, x264 medium CRF 18; each side runs as a child
// process so wall time and peak RSS (the process tree, sampled from /proc) are measured alike. Also sweeps
// the frame count to show that our peak RSS does not grow with the length of the sequence.
//
//   build/release/bench/bench_pipeline [--frames 200] [--size 1920x1080] [--sweep 50,100,200,400] [--dir
//   /tmp/x]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/image_io.hpp"
#include "interp/blend.hpp"
#include "pipeline/input.hpp"
#include "pipeline/synthetic.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

struct RunResult {
  double seconds = 0;
  double peak_rss_mb = 0;  // the largest total RSS of the process tree (the run and its children) seen
};

// Sum of VmRSS over `root` and its descendants, from /proc. (wait4's ru_maxrss cannot be used: a forked child
// inherits its parent's high-water mark.)
double tree_rss_mb(pid_t root) {
  std::map<pid_t, pid_t> parent;
  std::map<pid_t, double> rss;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream status(e.path() / "status");
    std::string line;
    pid_t pid = std::stoi(name), ppid = 0;
    double kb = 0;
    while (std::getline(status, line)) {
      if (line.rfind("PPid:", 0) == 0) ppid = std::stoi(line.substr(5));
      if (line.rfind("VmRSS:", 0) == 0) kb = std::stod(line.substr(6));
    }
    parent[pid] = ppid;
    rss[pid] = kb;
  }
  double total = 0;
  for (const auto& [pid, kb] : rss) {
    for (pid_t p = pid; p > 1; p = parent.count(p) ? parent[p] : 0) {
      if (p == root) {
        total += kb;
        break;
      }
    }
  }
  return total / 1024.0;
}

// Waits for `pid`, sampling the RSS of its process tree every 20 ms.
RunResult wait_sampling(pid_t pid, std::chrono::steady_clock::time_point start, const std::string& what) {
  RunResult r;
  int status = 0;
  for (;;) {
    r.peak_rss_mb = std::max(r.peak_rss_mb, tree_rss_mb(pid));
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "failed: {}\n", what);
    std::exit(1);
  }
  return r;
}

RunResult run_child(const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return wait_sampling(pid, start, fmt::format("{}", fmt::join(argv, " ")));
}

// GOES_VFI's way, in a child process: decode pairs, blend, PNG-encode every output frame, pipe into ffmpeg.
RunResult run_png_pipe(const std::vector<fs::path>& frames, int n, const fs::path& out) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = fmt::format(
        "ffmpeg -loglevel error -y -f image2pipe -framerate 30 -i - -c:v libx264 -preset medium -crf 18 "
        "-pix_fmt yuv420p '{}'",
        out.string());
    FILE* pipe = popen(cmd.c_str(), "w");
    Image prev = read_image(frames[0]);
    auto send = [&](const Image& img) {
      const auto png = encode_image(img, ".png");
      fwrite(png.data(), 1, png.size(), pipe);
    };
    for (std::size_t i = 1; i < frames.size(); ++i) {
      Image cur = read_image(frames[i]);
      send(prev);
      for (int k = 1; k <= n; ++k) send(blend_frames(prev, cur, static_cast<double>(k) / (n + 1)));
      prev = std::move(cur);
    }
    send(prev);
    _exit(pclose(pipe) == 0 ? 0 : 1);
  }
  return wait_sampling(pid, start, "PNG-pipe baseline");
}

std::vector<fs::path> make_frames(const fs::path& dir, int count, int w, int h) {
  fs::create_directories(dir);
  std::vector<fs::path> paths;
  for (int i = 0; i < count; ++i) {
    const fs::path p = dir / fmt::format("frame{:04}.png", i);
    if (!fs::exists(p)) write_image(p, synthetic_cloud_frame(w, h, i * 10.0, 7));
    paths.push_back(p);
  }
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 200, w = 1920, h = 1080;
  std::vector<int> sweep = {50, 100, 200, 400};
  fs::path dir = fs::temp_directory_path() / "goesvfi-bench-pipeline";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--frames")
      frames = std::stoi(v);
    else if (a == "--size")
      std::tie(w, h) = parse_size(v);
    else if (a == "--dir")
      dir = v;
    else if (a == "--sweep") {
      sweep.clear();
      for (std::size_t p = 0; p < v.size();) {
        const auto q = v.find(',', p);
        sweep.push_back(std::stoi(v.substr(p, q - p)));
        p = q == std::string::npos ? v.size() : q + 1;
      }
    }
  }
  const fs::path cli = fs::canonical("/proc/self/exe").parent_path().parent_path() / "goesvfi";
  const int n = 3;
  fmt::print("generating {} frames of {}x{} in {} ...\n", std::max(frames, sweep.empty() ? 0 : sweep.back()),
             w, h, dir.string());
  int most = frames;
  for (int s : sweep) most = std::max(most, s);
  const auto all = make_frames(dir / "all", most, w, h);
  auto subset = [&](int count) {
    const fs::path d = dir / fmt::format("n{}", count);
    fs::create_directories(d);
    for (int i = 0; i < count; ++i) {
      const fs::path link = d / all[static_cast<std::size_t>(i)].filename();
      if (!fs::exists(link)) fs::create_symlink(all[static_cast<std::size_t>(i)], link);
    }
    return d;
  };
  auto ours = [&](int count) {
    return run_child({cli.string(),
                      "interpolate",
                      subset(count).string(),
                      "-o",
                      (dir / "ours.mp4").string(),
                      "--backend",
                      "blend",
                      "-n",
                      std::to_string(n),
                      "--codec",
                      "libx264",
                      "--preset",
                      "medium",
                      "--crf",
                      "18",
                      "--pix-fmt",
                      "yuv420p",
                      "--progress",
                      "none",
                      "--log-level",
                      "warn"});
  };
  const int out_frames = (frames - 1) * (n + 1) + 1;
  const RunResult a = ours(frames);
  std::vector<fs::path> list(all.begin(), all.begin() + frames);
  const RunResult b = run_png_pipe(list, n, dir / "baseline.mp4");
  fmt::print("\n{} input frames {}x{}, blend N={}, x264 medium crf 18 -> {} output frames\n", frames, w, h, n,
             out_frames);
  fmt::print("| method | wall s | output frames/s | peak RSS MB |\n|---|---|---|---|\n");
  fmt::print("| goesvfi interpolate (in process) | {:.1f} | {:.1f} | {:.0f} |\n", a.seconds,
             out_frames / a.seconds, a.peak_rss_mb);
  fmt::print("| PNG pipe to ffmpeg (GOES_VFI way) | {:.1f} | {:.1f} | {:.0f} |\n", b.seconds,
             out_frames / b.seconds, b.peak_rss_mb);
  fmt::print("speed ratio (ours / PNG pipe): {:.2f}x\n\n", b.seconds / a.seconds);
  if (!sweep.empty()) {
    fmt::print("| input frames | peak RSS MB | wall s |\n|---|---|---|\n");
    for (int count : sweep) {
      const RunResult r = ours(count);
      fmt::print("| {} | {:.0f} | {:.1f} |\n", count, r.peak_rss_mb, r.seconds);
    }
  }
  return 0;
}
