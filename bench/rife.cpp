// RIFE engine benchmark driver: steady-state time per frame (median of N after warm-up runs), GMAC/s, peak
// RSS, TTA cost and tiled full-disk runs. With --baseline it also runs the portable kernels and then the
// portable GEMM fallback in the same process and prints the ratios. Usage:
//   bench_rife --model DIR [--width 1920 --height 1080] [--threads 2] [--runs 5] [--warmup 2]
//              [--tta-spatial] [--tta-temporal] [--tile N] [--scale 0.5] [--baseline]
// Weights are whatever the model folder holds (timing does not depend on their values).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/rife.hpp"

using namespace goesvfi;
using namespace goesvfi::rife;

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// A smooth textured frame, shifted by (dx, dy) pixels.
Tensor pattern(int w, int h, float dx, float dy) {
  Tensor t = Tensor::make(3, h, w);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const float u = static_cast<float>(x) + dx, v = static_cast<float>(y) + dy;
        t.row(c, y)[x] = 0.5f + 0.25f * std::sin(u * 0.021f + c) * std::cos(v * 0.017f) +
                         0.15f * std::sin((u + v) * 0.063f + 2 * c);
      }
    }
  }
  return t;
}

struct Timing {
  double median_s = 0, min_s = 0;
  double median_cpu_s = 0;  // CPU seconds of the process per frame: what a busy shared machine cannot distort
  double macs = 0;
};

Timing measure(const RifeModel& model, const Tensor& a, const Tensor& b, const RifeOptions& o, int warmup,
               int runs) {
  std::vector<double> times, cpu;
  for (int r = 0; r < warmup + runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    const std::size_t alloc0 = buffer_allocations();
    rusage ru0{};
    getrusage(RUSAGE_SELF, &ru0);
    const Tensor out = interpolate_rgb(model, a, b, 0.5f, o, CancelToken());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double c = cpu_seconds() - c0;
    if (r >= warmup) {
      times.push_back(s);
      cpu.push_back(c);
    }
    rusage ru1{};
    getrusage(RUSAGE_SELF, &ru1);
    // Steady state means no fresh tensor buffers and (almost) no page faults.
    std::fprintf(stderr, "  run %d: %.3f s wall, %.3f s CPU, %zu new buffers, %ld page faults%s\n", r + 1, s,
                 c, buffer_allocations() - alloc0, ru1.ru_minflt - ru0.ru_minflt,
                 r < warmup ? " (warm-up)" : "");
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  Timing t;
  t.median_cpu_s = cpu[cpu.size() / 2];
  t.median_s = times[times.size() / 2];
  t.min_s = times.front();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_dir = "../shared/golden/rife-v4.6";
  int width = 1920, height = 1080, threads = 2, runs = 5, warmup = 2;
  bool baseline = false;
  RifeOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--model")
      model_dir = next();
    else if (a == "--width")
      width = std::stoi(next());
    else if (a == "--height")
      height = std::stoi(next());
    else if (a == "--threads")
      threads = std::stoi(next());
    else if (a == "--runs")
      runs = std::stoi(next());
    else if (a == "--warmup")
      warmup = std::stoi(next());
    else if (a == "--tta-spatial")
      o.tta_spatial = true;
    else if (a == "--tta-temporal")
      o.tta_temporal = true;
    else if (a == "--tile")
      o.tile = std::stoi(next());
    else if (a == "--tile-overlap")
      o.tile_overlap = std::stoi(next());
    else if (a == "--max-memory")
      o.max_memory_mb = std::stoll(next());
    else if (a == "--scale")
      o.scale = std::stod(next());
    else if (a == "--baseline")
      baseline = true;
    else {
      std::fprintf(stderr, "unknown argument %s (see the comment at the top of bench/rife.cpp)\n", a.c_str());
      return 2;
    }
  }
  try {
    ThreadPool::configure_global(threads);
    const auto model = RifeModel::load(model_dir);
    const Tensor a = pattern(width, height, 0, 0), b = pattern(width, height, 5.0f, -3.0f);
    // MACs of one plain evaluation of the padded frame (TTA multiplies it).
    double macs = 0;
    if (width * height <= 4096 * 4096 / 4) {  // (full disks are tiled: no single plain pass to count)
      const int hp = (height + 31) / 32 * 32, wp = (width + 31) / 32 * 32;
      Tensor t = Tensor::make(1, hp, wp);
      std::fill(t.data(), t.data() + t.size(), 0.5f);
      Tensor pa = Tensor::zeros(3, hp, wp), pb = Tensor::zeros(3, hp, wp);
      const int out = model->out0;
      std::vector<std::pair<int, Tensor>> in = {{model->in0, pa}, {model->in1, pb}, {model->in2, t}};
      model->net().run(in, std::span<const int>(&out, 1), CancelToken(), &macs);
    }
    release_cached_buffers();  // the counting pass's buffers are not part of what is measured
    const int tile = choose_tile_size(width, height, o);
    fmt::print(
        "RIFE {}x{}, {} threads, gemm {}, tta spatial {} temporal {}, scale {}, tile {} (overlap {})\n",
        width, height, threads, to_string(gemm_backend()), o.tta_spatial, o.tta_temporal, o.scale, tile,
        o.tile_overlap);
    const Timing t = measure(*model, a, b, o, warmup, runs);
    const double passes = (o.tta_spatial ? 8 : 1) * (o.tta_temporal ? 2 : 1);
    fmt::print(
        "median {:.3f} s wall (min {:.3f} s) per frame over {} runs; median CPU {:.3f} s per frame ({:.3f} s "
        "per thread); {:.1f} GMAC per plain pass -> {:.1f} GMAC/s wall, {:.1f} GMAC per CPU-second; peak RSS "
        "{:.0f} "
        "MB\n",
        t.median_s, t.min_s, runs, t.median_cpu_s, t.median_cpu_s / threads, macs / 1e9,
        macs * passes / t.median_s / 1e9, macs * passes / t.median_cpu_s / 1e9, peak_rss_mb());
    fmt::print(
        "tensor buffers: peak in use {:.0f} MB, largest inference working set {:.0f} MB, cached at the end "
        "{:.0f} MB\n",
        static_cast<double>(peak_live_buffer_bytes()) / 1048576.0,
        static_cast<double>(working_set_buffer_bytes()) / 1048576.0,
        static_cast<double>(cached_buffer_bytes()) / 1048576.0);
    if (baseline) {
      // The fallbacks of a machine without oneDNN or AVX-512, one at a time, in this process.
      set_vector_kernels(false);
      const Timing nv = measure(*model, a, b, o, 1, std::max(1, runs / 2));
      fmt::print(
          "without AVX-512 kernels (portable warp/resize/Winograd transforms): {:.3f} s CPU ({:.2f}x)\n",
          nv.median_cpu_s, nv.median_cpu_s / t.median_cpu_s);
      set_vector_kernels(true);
      set_gemm_backend(GemmBackend::Portable);
      const Timing p = measure(*model, a, b, o, 1, std::max(1, runs / 2));
      fmt::print(
          "baseline (portable GEMM): median {:.3f} s wall, {:.3f} s CPU; oneDNN-GEMM speed-up {:.2f}x "
          "(CPU time)\n",
          p.median_s, p.median_cpu_s, p.median_cpu_s / t.median_cpu_s);
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.describe().c_str());
    return 1;
  }
  return 0;
}
