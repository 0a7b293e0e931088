// Pieces the convolution paths share: scratch buffers, the GEMM epilogue, zero-bordered input copies.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "interp/rife/conv_parts.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/thread_pool.hpp"
#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

float* scratch_ptr(int which, std::size_t n) {
  thread_local std::vector<float> buffers[4];
  auto& v = buffers[which];
  if (v.size() < n) v.resize(n);
  return v.data();
}

namespace {

// Epilogue of a GEMM band: out rows from C (row pitch `pitch`) with bias, activation, optional residual +
// leaky. Branch-free selects so the row loops vectorise.
template <int ActType, bool Residual>
[[gnu::always_inline]] inline void epilogue_rows(const float* c, std::size_t c_channel_stride, int pitch,
                                                 const Tensor& out, int y0, int rows,
                                                 std::span<const float> bias, const Activation& act,
                                                 const Tensor* residual, float slope) {
  const float act_slope = ActType == 1 ? 0.0f : act.p0;
  for (int oc = 0; oc < out.c; ++oc) {
    const float bv = bias.empty() ? 0.0f : bias[oc];
    for (int r = 0; r < rows; ++r) {
      const float* __restrict src = c + oc * c_channel_stride + static_cast<std::size_t>(r) * pitch;
      float* __restrict dst = out.row(oc, y0 + r);
      const float* __restrict res = Residual ? residual->row(oc, y0 + r) : nullptr;
      for (int x = 0; x < out.w; ++x) {
        float v = src[x] + bv;
        if constexpr (ActType == 1 || ActType == 2) v = std::max(v, 0.0f) + std::min(v, 0.0f) * act_slope;
        if constexpr (ActType == 3 || ActType == 4) v = activate(v, act);
        if constexpr (Residual) {
          v += res[x];
          v = std::max(v, 0.0f) + std::min(v, 0.0f) * slope;
        }
        dst[x] = v;
      }
    }
  }
}

template <bool Residual>
[[gnu::always_inline]] inline void epilogue_act(const float* c, std::size_t c_channel_stride, int pitch,
                                                const Tensor& out, int y0, int rows,
                                                std::span<const float> bias, const Activation& act,
                                                const Tensor* residual, float slope) {
  switch (act.type) {
    case 0:
      return epilogue_rows<0, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    case 1:
      return epilogue_rows<1, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    case 2:
      return epilogue_rows<2, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    default:
      return epilogue_rows<3, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
  }
}

}  // namespace

GOESVFI_SIMD_CLONES
void epilogue(const float* c, std::size_t c_channel_stride, int pitch, const Tensor& out, int y0, int rows,
              std::span<const float> bias, const Activation& act, const Tensor* residual, float slope) {
  if (residual != nullptr)
    return epilogue_act<true>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual, slope);
  epilogue_act<false>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual, slope);
}

// Zero-bordered copy of `in` (top/left/bottom/right), with `slack` zero floats after the last channel so
// tap-offset GEMM reads of junk columns stay inside the buffer.
std::shared_ptr<float[]> bordered(const Tensor& in, int top, int left, int bottom, int right,
                                  std::size_t slack, int& bh, int& bw) {
  bh = in.h + top + bottom;
  bw = in.w + left + right;
  const std::size_t plane = static_cast<std::size_t>(bh) * bw;
  std::shared_ptr<float[]> buf = acquire_floats(plane * in.c + slack);
  float* base = buf.get();
  const int ww = bw;
  ThreadPool::global().parallel_for(0, in.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
    for (std::ptrdiff_t c = c0; c < c1; ++c) {
      float* dst = base + plane * c;
      std::fill(dst, dst + static_cast<std::size_t>(top) * ww, 0.0f);
      for (int y = 0; y < in.h; ++y) {
        float* row = dst + static_cast<std::size_t>(top + y) * ww;
        std::fill(row, row + left, 0.0f);
        std::memcpy(row + left, in.row(static_cast<int>(c), y), sizeof(float) * in.w);
        std::fill(row + left + in.w, row + ww, 0.0f);
      }
      std::fill(dst + static_cast<std::size_t>(top + in.h) * ww, dst + plane, 0.0f);
    }
  });
  std::fill(base + plane * in.c, base + plane * in.c + slack, 0.0f);
  return buf;
}

}  // namespace goesvfi::rife
