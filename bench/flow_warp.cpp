// The flow backend's two per-timestep passes (interp/flow/warp.hpp) by kernel, one thread, at 1920x1080 RGB
// 8-bit: the warp pass (positions from a 480x270 flow, as the default preset, two bilinear samples, weights,
// residual) and pass 2 (trust blend, rounding). The frame is a disk on black (space outside it, as the
// synthetic scene of bench_interp_backends) moving about (2.5, 1.2) px; the kernels' results are identical
// (tests/interp/flow/test_warp.cpp), so only the time differs.
//
//   bench_flow_warp [--benchmark_repetitions=N ...]   (Google Benchmark; CPU time is this thread's)
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>

#include "core/image.hpp"
#include "interp/flow/warp.hpp"

namespace {

using namespace goesvfi;
using flow_warp::WarpKernel;

constexpr int k_width = 1920, k_height = 1080, k_factor = 4;

struct Scene {
  Image a{k_width, k_height, 3, SampleType::U8}, b{k_width, k_height, 3, SampleType::U8};
  cv::Mat d[4], here, confidence, moved, residual, change, residual_mean;
  std::vector<int> col0, col1, row0, row1;
  std::vector<float> col_weight, row_weight;
  flow_warp::WarpInput warp;
  flow_warp::CombineInput combine;
  Image out{k_width, k_height, 3, SampleType::U8};

  Scene() {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> byte(0, 255);
    here.create(k_height, k_width, CV_8U);
    const double cx = (k_width - 1) / 2.0, cy = (k_height - 1) / 2.0, radius = 0.45 * k_height;
    for (int y = 0; y < k_height; ++y) {
      for (int x = 0; x < k_width; ++x) {
        const bool space = std::hypot(x - cx, y - cy) > radius;
        here.at<std::uint8_t>(y, x) = space ? 1 : 0;
        for (int c = 0; c < 3; ++c) {
          a.row<std::uint8_t>(y)[3 * x + c] = space ? 0 : static_cast<std::uint8_t>(byte(rng));
          b.row<std::uint8_t>(y)[3 * x + c] = space ? 0 : static_cast<std::uint8_t>(byte(rng));
        }
      }
    }
    confidence = cv::Mat(k_height, k_width, CV_8U, cv::Scalar(230));
    const int cw = k_width / k_factor, ch = k_height / k_factor;
    const float base[4] = {-1.25f, -0.6f, 1.25f, 0.6f};  // half of (2.5, 1.2) back to a, forward to b
    for (int k = 0; k < 4; ++k) {
      d[k].create(ch, cw, CV_32F);
      for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x)
          d[k].at<float>(y, x) = base[k] * (1.0f + 0.2f * std::sin(0.05f * (x + y)));
      }
    }
    flow_warp::upsampling_taps(cw, k_width, col0, col1, col_weight);
    flow_warp::upsampling_taps(ch, k_height, row0, row1, row_weight);
    moved.create(k_height, k_width * 3 + 1, CV_32F);
    residual.create(k_height, k_width, CV_32F);
    change = cv::Mat(k_height, k_width, CV_32F, cv::Scalar(0.05f));
    residual_mean = cv::Mat(k_height, k_width, CV_32F, cv::Scalar(0.02f));
    warp = {&a,          &b,          &d[0],
            &d[1],       &d[2],       &d[3],
            col0.data(), col1.data(), col_weight.data(),
            row0.data(), row1.data(), row_weight.data(),
            here,        here,        confidence,
            confidence,  0.5f};
    combine.a = &a;
    combine.b = &b;
    combine.original = &a;
    combine.moved = &moved;
    combine.change = change;
    combine.residual_mean = residual_mean;
    combine.t = 0.5f;
  }
};

Scene& scene() {
  static Scene s;
  return s;
}

void warp_pass(benchmark::State& state, WarpKernel kernel) {
  if (!flow_warp::warp_kernel_available(kernel))
    return state.SkipWithError("kernel not available on this CPU");
  Scene& s = scene();
  for (auto _ : state) {
    flow_warp::warp_rows(kernel, s.warp, s.moved, s.residual, 0, k_height);
    benchmark::DoNotOptimize(s.moved.data);
  }
}

void combine_pass(benchmark::State& state, WarpKernel kernel) {
  if (!flow_warp::warp_kernel_available(kernel))
    return state.SkipWithError("kernel not available on this CPU");
  Scene& s = scene();
  flow_warp::warp_rows(WarpKernel::Portable, s.warp, s.moved, s.residual, 0, k_height);
  for (auto _ : state) {
    flow_warp::combine_rows(kernel, s.combine, s.out, 0, k_height);
    benchmark::DoNotOptimize(s.out.data());
  }
}

BENCHMARK_CAPTURE(warp_pass, portable, WarpKernel::Portable)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(warp_pass, avx2, WarpKernel::Avx2)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(combine_pass, portable, WarpKernel::Portable)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(combine_pass, avx2, WarpKernel::Avx2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
