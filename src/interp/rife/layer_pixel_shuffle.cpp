// ncnn PixelShuffle (mode 0, PyTorch order) and the layer's row.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  const ParamDict& p = site.layer.params;
  const int r = p.get_int(0, 1);
  if (r <= 0 || r > 16) site.bad("upscale factor 0= must be in 1..16");
  if (p.get_int(1, 0) != 0) site.bad("only mode 1=0 (PyTorch order) is supported");
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = pixel_shuffle(*r.in[0], r.layer.params.get_int(0, 1));
}

}  // namespace

Tensor pixel_shuffle(const Tensor& in, int r) {
  if (r <= 0 || in.c % (r * r) != 0) {
    fail(ErrorKind::InvalidArgument, "PixelShuffle: {} channels are not a multiple of {}^2", in.c, r);
  }
  const int oc = in.c / (r * r);
  Tensor out = Tensor::make(oc, in.h * r, in.w * r);
  // out[c][y*r + i][x*r + j] = in[c*r*r + i*r + j][y][x]: one strided pass per (channel, input row, i, j).
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(oc) * in.h,
      [&](std::ptrdiff_t r0, std::ptrdiff_t r1) {
        for (std::ptrdiff_t task = r0; task < r1; ++task) {
          const int c = static_cast<int>(task / in.h), y = static_cast<int>(task % in.h);
          for (int i = 0; i < r; ++i) {
            float* dst = out.row(c, y * r + i);
            for (int j = 0; j < r; ++j) {
              const float* src = in.row(c * r * r + i * r + j, y);
              for (int x = 0; x < in.w; ++x) dst[x * r + j] = src[x];
            }
          }
        }
      },
      4);
  return out;
}

extern constinit const LayerKind k_pixel_shuffle_layer = {
    .type = "PixelShuffle", .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
