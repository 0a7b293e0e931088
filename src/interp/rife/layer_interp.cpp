// ncnn Interp: nearest and bilinear resize (half-pixel centres, border clamp), and the layer's row.
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layer_interp.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"
#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

namespace {

// ncnn's linear_coeffs (align_corner 0).
void linear_coeffs(int w, int outw, std::vector<int>& ofs, std::vector<float>& alpha) {
  ofs.resize(outw);
  alpha.resize(2 * static_cast<std::size_t>(outw));
  const double scale = static_cast<double>(w) / outw;
  for (int dx = 0; dx < outw; ++dx) {
    float fx = static_cast<float>((dx + 0.5) * scale - 0.5);
    int sx = static_cast<int>(std::floor(fx));
    fx -= static_cast<float>(sx);
    if (sx < 0) {
      sx = 0;
      fx = 0.f;
    }
    if (sx >= w - 1) {
      sx = std::max(w - 2, 0);
      fx = w >= 2 ? 1.f : 0.f;
    }
    ofs[dx] = sx;
    alpha[2 * dx] = 1.f - fx;
    alpha[2 * dx + 1] = fx;
  }
}

GOESVFI_SIMD_CLONES
void resize_row(const ResizeRows& r, const float* s0, const float* s1, float b0, float b1, float* dst,
                float* top, float* bottom) {
  const int out_w = r.out.w, xmax = r.in.w - 1;
  for (int dx = 0; dx < out_w; ++dx) {
    const int sx = r.xofs[dx], sx1 = std::min(sx + 1, xmax);
    const float a0 = r.alpha[2 * dx], a1 = r.alpha[2 * dx + 1];
    top[dx] = s0[sx] * a0 + s0[sx1] * a1;
    bottom[dx] = s1[sx] * a0 + s1[sx1] * a1;
  }
  for (int dx = 0; dx < out_w; ++dx) dst[dx] = top[dx] * b0 + bottom[dx] * b1;
}

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  const ParamDict& p = site.layer.params;
  const int rt = p.get_int(0, 0);
  if (rt != 1 && rt != 2) {
    fail(ErrorKind::Unsupported, "{} resize_type {} (supported: 1 nearest, 2 bilinear)", site.where(), rt);
  }
  if (p.get_int(6, 0) != 0)
    fail(ErrorKind::Unsupported, "{} with align_corner=1 is not supported", site.where());
  const float hs = p.get_float(1, 1.f), ws = p.get_float(2, 1.f);
  if (!(hs > 0 && hs <= 64) || !(ws > 0 && ws <= 64)) site.bad("scale factors 1= and 2= must be in (0, 64]");
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  const ParamDict& p = r.layer.params;
  const Tensor& x = *r.in[0];
  int oh = p.get_int(3, 0), ow = p.get_int(4, 0);
  if (oh == 0 || ow == 0) {
    oh = static_cast<int>(static_cast<float>(x.h) * p.get_float(1, 1.f));
    ow = static_cast<int>(static_cast<float>(x.w) * p.get_float(2, 1.f));
  }
  out[0] = resize(x, oh, ow, p.get_int(0, 0));
}

}  // namespace

Tensor resize(const Tensor& in, int out_h, int out_w, int resize_type) {
  if (out_h <= 0 || out_w <= 0) {
    fail(ErrorKind::InvalidArgument, "Interp: output size {}x{} from {}x{} is empty", out_h, out_w, in.h,
         in.w);
  }
  if (out_h == in.h && out_w == in.w) return in;
  Tensor out = Tensor::make(in.c, out_h, out_w);
  if (resize_type == 1) {
    const float sx = static_cast<float>(in.w) / out_w, sy = static_cast<float>(in.h) / out_h;
    ThreadPool::global().parallel_for(0, in.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
      for (std::ptrdiff_t c = c0; c < c1; ++c) {
        for (int y = 0; y < out_h; ++y) {
          const int iy = std::min(static_cast<int>(y * sy), in.h - 1);
          const float* src = in.row(static_cast<int>(c), iy);
          float* dst = out.row(static_cast<int>(c), y);
          for (int x = 0; x < out_w; ++x) dst[x] = src[std::min(static_cast<int>(x * sx), in.w - 1)];
        }
      }
    });
    return out;
  }
  std::vector<int> xofs, yofs;
  std::vector<float> alpha, beta;
  linear_coeffs(in.w, out_w, xofs, alpha);
  linear_coeffs(in.h, out_h, yofs, beta);
  ResizeRows rows{in, out, xofs, alpha};
  const bool vector = vector_kernels();
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(in.c) * out_h,
      [&](std::ptrdiff_t r0, std::ptrdiff_t r1) {
        std::vector<float> top(out_w), bottom(out_w);
        for (std::ptrdiff_t r = r0; r < r1; ++r) {
          const int c = static_cast<int>(r / out_h), dy = static_cast<int>(r % out_h);
          const int sy = yofs[dy];
          const float* s0 = in.row(c, sy);
          const float* s1 = in.row(c, std::min(sy + 1, in.h - 1));
          float* dst = out.row(c, dy);
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
          if (vector) {
            resize_row_avx512(rows, s0, s1, beta[2 * dy], beta[2 * dy + 1], dst);
            continue;
          }
#endif
          resize_row(rows, s0, s1, beta[2 * dy], beta[2 * dy + 1], dst, top.data(), bottom.data());
        }
      },
      8);
  return out;
}

extern constinit const LayerKind k_interp_layer = {.type = "Interp", .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
