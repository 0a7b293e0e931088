// Interpolation backends side by side, in one run: milliseconds per interpolated frame for flow (each
// preset), blend and minterpolate (mci, GOES_VFI's settings) at 1920x1080 and 2712x2712, with ratios to
// minterpolate; then PSNR/SSIM of each on a synthetic moving-cloud sequence (Earth-like disk on black) via
// evaluate.
//
//   bench_interp_backends [--reps N] [--quick] [--threads N] [--only LABEL] [--size WxH] [--no-quality]
// --quick: 960x540 and 1356x1356 timings (for a smoke run); --size: that size only; --only: one backend row
// (plus minterpolate, the baseline of the ratios); --no-quality: timings only. Each backend first runs one
// untimed warm-up pair; the minor page faults per frame are counted over the timed pairs after it.
// Output: markdown tables on stdout.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "core/memory_policy.hpp"
#include "core/thread_pool.hpp"
#include "interp/blend.hpp"
#include "interp/evaluate.hpp"
#include "interp/flow/flow.hpp"
#include "interp/minterpolate/minterpolate.hpp"

namespace {

using namespace goesvfi;

// Multi-octave smooth noise: cloud-like texture with detail at several scales.
cv::Mat cloud_texture(int width, int height, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  cv::Mat sum = cv::Mat::zeros(height, width, CV_32F);
  float amplitude = 1.0f, total = 0.0f;
  for (double sigma : {24.0, 10.0, 4.0, 1.5}) {
    cv::Mat noise(height, width, CV_32F);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) noise.at<float>(y, x) = u(rng);
    }
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), sigma);
    cv::normalize(noise, noise, 0.0, 1.0, cv::NORM_MINMAX);
    sum += amplitude * noise;
    total += amplitude;
    amplitude *= 0.55f;
  }
  return sum / total;
}

// Frame k of the sequence: the texture moved by k*(3, 1.5) px inside a static disk on black, 8-bit RGB.
Image disk_frame(const cv::Mat& texture, int width, int height, double k) {
  cv::Mat moved;
  const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, 3.0 * k, 0, 1, 1.5 * k);
  cv::warpAffine(texture, moved, shift, cv::Size(width, height), cv::INTER_CUBIC, cv::BORDER_REFLECT);
  Image out(width, height, 3, SampleType::U8);
  const double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0, radius = 0.45 * std::min(width, height);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = out.row<std::uint8_t>(y);
    const float* src = moved.ptr<float>(y);
    for (int x = 0; x < width; ++x) {
      if (std::hypot(x - cx, y - cy) > radius) continue;
      const float v = std::clamp(src[x], 0.0f, 1.0f);
      row[x * 3] = static_cast<std::uint8_t>(30 + 200 * v);
      row[x * 3 + 1] = static_cast<std::uint8_t>(30 + 210 * v);
      row[x * 3 + 2] = static_cast<std::uint8_t>(40 + 215 * v);
    }
  }
  return out;
}

struct Backend {
  std::string label;
  std::unique_ptr<Interpolator> impl;
  int reps_divisor = 1;  // minterpolate is slow: fewer repetitions
};

std::vector<Backend> make_backends() {
  std::vector<Backend> b;
  auto preset = [](FlowPreset p) {
    FlowOptions o;  // the schema's defaults
    o.preset = p;
    return o;
  };
  b.push_back({"blend", std::make_unique<BlendInterpolator>(), 1});
  b.push_back({"flow fast", std::make_unique<FlowInterpolator>(preset(FlowPreset::Fast)), 1});
  b.push_back({"flow medium", std::make_unique<FlowInterpolator>(preset(FlowPreset::Medium)), 1});
  b.push_back({"flow quality", std::make_unique<FlowInterpolator>(preset(FlowPreset::Quality)), 1});
  // The medium preset without each of its per-pixel stages, to see what each costs and gives.
  FlowOptions plain = preset(FlowPreset::Medium);
  plain.static_overlays = false;
  plain.confidence = false;
  b.push_back({"flow medium, no static/confidence", std::make_unique<FlowInterpolator>(plain), 1});
  plain.confidence = true;
  b.push_back({"flow medium, no static", std::make_unique<FlowInterpolator>(plain), 1});
  plain.static_overlays = true;
  plain.confidence = false;
  b.push_back({"flow medium, no confidence", std::make_unique<FlowInterpolator>(plain), 1});
  b.push_back({"minterpolate mci", std::make_unique<MinterpolateInterpolator>(MinterpolateOptions{}), 3});
  return b;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median time of one pair with N intermediate frames, divided by N: the cost per output frame. N = 1 is the
// worst case for flow, whose estimate is shared by all frames of a pair (minterpolate shares its motion
// search the same way).
// Wall and process CPU time (all threads): CPU time stays meaningful on a shared, oversubscribed machine.
// Minor page faults per frame over the repetitions after the first (the first pair sizes the backend's
// scratch buffers): a backend that reuses its buffers faults in no fresh pages per frame.
struct Timing {
  double wall_ms = 0, cpu_ms = 0, faults = 0;
};

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

Timing ms_per_frame(Interpolator& backend, const Image& a, const Image& b, int reps, int intermediate) {
  const std::vector<double> ts = uniform_timesteps(intermediate);
  std::vector<double> wall, cpu;
  long faults_start = 0;
  for (int r = 0; r <= reps; ++r) {  // r = 0: warm-up pair, not timed
    if (r == 1) faults_start = minor_faults();
    const std::clock_t cpu_start = std::clock();
    const auto start = std::chrono::steady_clock::now();
    auto out = backend.interpolate(a, b, ts, CancelToken(), nullptr);
    const auto end = std::chrono::steady_clock::now();
    if (r == 0) continue;
    cpu.push_back(1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / intermediate);
    wall.push_back(std::chrono::duration<double, std::milli>(end - start).count() / intermediate);
  }
  const double faults = static_cast<double>(minor_faults() - faults_start) / (reps * intermediate);
  return {median(wall), median(cpu), faults};
}

}  // namespace

int main(int argc, char** argv) {
  goesvfi::use_flat_memory_policy();  // the programs' memory policy: page faults as `goesvfi` sees them
  int reps = 3;
  bool quick = false, quality = true;
  std::string only;
  std::vector<std::pair<int, int>> sizes;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--no-quality") == 0) quality = false;
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      ThreadPool::configure_global(std::atoi(argv[++i]));
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    int w = 0, h = 0;
    if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc && std::sscanf(argv[++i], "%dx%d", &w, &h) == 2) {
      sizes.emplace_back(w, h);
    }
  }
  auto backends = make_backends();
  if (!only.empty()) {
    std::erase_if(backends,
                  [&](const Backend& b) { return b.label != only && b.label != "minterpolate mci"; });
  }
  fmt::print("pool threads: {}\n\n", ThreadPool::global().size());

  if (sizes.empty()) {
    sizes = quick ? std::vector<std::pair<int, int>>{{960, 540}, {1356, 1356}}
                  : std::vector<std::pair<int, int>>{{1920, 1080}, {2712, 2712}};
  }
  for (auto [w, h] : sizes) {
    const cv::Mat texture = cloud_texture(w, h, 42);
    const Image a = disk_frame(texture, w, h, 0), b = disk_frame(texture, w, h, 1);
    fmt::print(
        "### {}x{} RGB u8, ms per interpolated frame, N = 1 and 3 frames per pair ({} runs, minterpolate "
        "{})\n\n",
        w, h, reps, std::max(1, reps / 3));
    fmt::print(
        "| backend | N=1 wall ms/frame | N=1 CPU ms/frame | minterpolate / backend, N=1 wall (CPU) | N=3 CPU "
        "ms/frame | minterpolate / backend, N=3 CPU | page faults/frame N=1, N=3 |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n");
    std::vector<Timing> one, three;
    for (auto& backend : backends) {
      const int r = std::max(1, reps / backend.reps_divisor);
      one.push_back(ms_per_frame(*backend.impl, a, b, r, 1));
      three.push_back(ms_per_frame(*backend.impl, a, b, r, 3));
    }
    for (std::size_t i = 0; i < backends.size(); ++i) {
      fmt::print("| {} | {:.1f} | {:.1f} | {:.1f}x ({:.1f}x) | {:.1f} | {:.1f}x | {:.0f}, {:.0f} |\n",
                 backends[i].label, one[i].wall_ms, one[i].cpu_ms, one.back().wall_ms / one[i].wall_ms,
                 one.back().cpu_ms / one[i].cpu_ms, three[i].cpu_ms, three.back().cpu_ms / three[i].cpu_ms,
                 one[i].faults, three[i].faults);
    }
    fmt::print("\n");
    std::fflush(stdout);
  }

  if (!quality) return 0;
  // Quality: 7 frames of moving clouds, every triplet (a,b,c): interpolate a->c at t=0.5, score against b.
  const int qw = 960, qh = 540;
  const cv::Mat texture = cloud_texture(qw, qh, 7);
  std::vector<Image> frames;
  for (int k = 0; k < 7; ++k) frames.push_back(disk_frame(texture, qw, qh, k));
  fmt::print("### Quality: {}x{} disk on black, clouds moving (3, 1.5) px per frame, 5 triplets\n\n", qw, qh);
  fmt::print("| backend | mean PSNR dB | mean SSIM | pairs fallen back |\n|---|---:|---:|---:|\n");
  for (auto& backend : backends) {
    const auto r = evaluate_interpolator(std::span<const Image>(frames), *backend.impl, {}, CancelToken());
    fmt::print("| {} | {:.2f} | {:.4f} | {} |\n", backend.label, r.mean_psnr, r.mean_ssim, r.fell_back_pairs);
  }
  return 0;
}
