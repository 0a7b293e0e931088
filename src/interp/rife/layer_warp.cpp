// rife.Warp (the CPU layer of rife-ncnn-vulkan): backward bilinear warp by a flow field, and the layer's row.
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layer_warp.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

namespace {

// Rows [y0, y1) of rife.Warp. Pre-clamping to [-1, size] changes nothing (both taps are the border there)
// and keeps NaN (-> -1) and huge flows from overflowing the int conversion.
GOESVFI_SIMD_CLONES
void warp_rows(const Tensor& image, const Tensor& flow, const Tensor& out, int y0, int y1) {
  const int w = image.w, h = image.h;
  for (int y = y0; y < y1; ++y) {
    const float* fx = flow.row(0, y);
    const float* fy = flow.row(1, y);
    for (int x = 0; x < w; ++x) {
      float sx = static_cast<float>(x) + fx[x], sy = static_cast<float>(y) + fy[x];
      sx = sx > -1.0f ? sx : -1.0f;
      sy = sy > -1.0f ? sy : -1.0f;
      sx = std::min(sx, static_cast<float>(w));
      sy = std::min(sy, static_cast<float>(h));
      // floor() of values in [-1, size]: truncate, then step down for negatives.
      int xa = static_cast<int>(sx), ya = static_cast<int>(sy);
      xa -= static_cast<float>(xa) > sx;
      ya -= static_cast<float>(ya) > sy;
      const int xb = std::clamp(xa + 1, 0, w - 1), yb = std::clamp(ya + 1, 0, h - 1);
      xa = std::clamp(xa, 0, w - 1);
      ya = std::clamp(ya, 0, h - 1);
      const float alpha = sx - static_cast<float>(xa), beta = sy - static_cast<float>(ya);
      for (int c = 0; c < image.c; ++c) {
        const float* r0 = image.row(c, ya);
        const float* r1 = image.row(c, yb);
        const float v4 = r0[xa] * (1 - alpha) + r0[xb] * alpha;
        const float v5 = r1[xa] * (1 - alpha) + r1[xb] * alpha;
        out.row(c, y)[x] = v4 * (1 - beta) + v5 * beta;
      }
    }
  }
}

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = warp(*r.in[0], *r.in[1]);
}

}  // namespace

Tensor warp(const Tensor& image, const Tensor& flow) {
  if (flow.c < 2 || flow.h != image.h || flow.w != image.w) {
    fail(ErrorKind::InvalidArgument, "rife.Warp: flow {}x{}x{} does not match image {}x{}x{}", flow.c, flow.h,
         flow.w, image.c, image.h, image.w);
  }
  Tensor out = Tensor::make(image.c, image.h, image.w);
  const bool vector = vector_kernels();
  ThreadPool::global().parallel_for(
      0, image.h,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
        if (vector) return warp_rows_avx512(image, flow, out, static_cast<int>(y0), static_cast<int>(y1));
#endif
        warp_rows(image, flow, out, static_cast<int>(y0), static_cast<int>(y1));
      },
      4);
  return out;
}

extern constinit const LayerKind k_warp_layer = {.type = "rife.Warp", .inputs = 2, .run = &run};

}  // namespace goesvfi::rife
