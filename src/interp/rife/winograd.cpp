// Winograd F(4x4,3x3): transforms, weights and the convolution driver (see winograd.hpp).
// Hot loops are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "interp/rife/winograd.hpp"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.hpp"
#include "interp/rife/conv_parts.hpp"
#include "interp/rife/simd.hpp"
#include "interp/rife/winograd_parts.hpp"

// The 8-float vectors of the portable kernels only pass between always-inlined helpers: the ABI note GCC
// attaches to every such call does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace goesvfi::rife {

namespace {

// B^T d B for one row of tiles of one channel. `d` holds the 6 input rows of the tiles (nullptr: a zero row
// of the padding), each `in_w` wide and placed `pad_left` columns in; `v` is the first tile's slot of
// transform position 0 (position p at v + p * v_stride).
GOESVFI_SIMD_CLONES
void winograd_input_row(const float* const d[6], int in_w, int pad_left, int tiles, float* rows, float* v,
                        std::size_t v_stride) {
  const std::size_t stride = winograd_row_stride(tiles), phase_stride = winograd_phase_stride(tiles);
  float* zero = rows + k_wino_in * stride;
  std::fill(zero, zero + in_w, 0.0f);
  float* t[6];
  const float* src[6];
  for (int r = 0; r < 6; ++r) {
    t[r] = rows + r * stride;
    std::fill(t[r], t[r] + pad_left, 0.0f);
    std::fill(t[r] + pad_left + in_w, t[r] + stride, 0.0f);
    src[r] = d[r] != nullptr ? d[r] : zero;
  }
  int x = 0;  // B^T d: vertical, 8 columns at a time, then one at a time
  for (; x + 8 <= in_w; x += 8) {
    const simd::f32x8 in[6] = {simd::load8(src[0] + x), simd::load8(src[1] + x), simd::load8(src[2] + x),
                               simd::load8(src[3] + x), simd::load8(src[4] + x), simd::load8(src[5] + x)};
    simd::f32x8 out[6];
    wino_bt(in, out);
    for (int r = 0; r < 6; ++r) simd::store8(t[r] + pad_left + x, out[r]);
  }
  for (; x < in_w; ++x) {
    const float in[6] = {src[0][x], src[1][x], src[2][x], src[3][x], src[4][x], src[5][x]};
    float out[6];
    wino_bt(in, out);
    for (int r = 0; r < 6; ++r) t[r][pad_left + x] = out[r];
  }
  float* p[4];
  for (int q = 0; q < 4; ++q) p[q] = rows + (k_wino_in + 1) * stride + q * phase_stride;
  for (int i = 0; i < 6; ++i) {            // (B^T d) B: horizontal, on the rows' 4 column phases
    for (int k = 0; k <= tiles; k += 8) {  // P_q[k] = t[4k + q], 8 tiles from 4 vectors (rows are padded)
      const float* ti = t[i] + k_wino_tile * k;
      const simd::f32x8 q0 = simd::load8(ti), q1 = simd::load8(ti + 8), q2 = simd::load8(ti + 16),
                        q3 = simd::load8(ti + 24);
      const simd::f32x8 a = __builtin_shufflevector(q0, q1, 0, 4, 8, 12, 1, 5, 9, 13);
      const simd::f32x8 b = __builtin_shufflevector(q0, q1, 2, 6, 10, 14, 3, 7, 11, 15);
      const simd::f32x8 c = __builtin_shufflevector(q2, q3, 0, 4, 8, 12, 1, 5, 9, 13);
      const simd::f32x8 e = __builtin_shufflevector(q2, q3, 2, 6, 10, 14, 3, 7, 11, 15);
      simd::store8(p[0] + k, __builtin_shufflevector(a, c, 0, 1, 2, 3, 8, 9, 10, 11));
      simd::store8(p[1] + k, __builtin_shufflevector(a, c, 4, 5, 6, 7, 12, 13, 14, 15));
      simd::store8(p[2] + k, __builtin_shufflevector(b, e, 0, 1, 2, 3, 8, 9, 10, 11));
      simd::store8(p[3] + k, __builtin_shufflevector(b, e, 4, 5, 6, 7, 12, 13, 14, 15));
    }
    float* vi = v + static_cast<std::size_t>(i * 6) * v_stride;
    int k = 0;
    for (; k + 8 <= tiles; k += 8) {
      const simd::f32x8 in[6] = {simd::load8(p[0] + k), simd::load8(p[1] + k),     simd::load8(p[2] + k),
                                 simd::load8(p[3] + k), simd::load8(p[0] + k + 1), simd::load8(p[1] + k + 1)};
      simd::f32x8 out[6];
      wino_bt(in, out);
      for (int j = 0; j < 6; ++j) simd::store8(vi + j * v_stride + k, out[j]);
    }
    for (; k < tiles; ++k) {
      const float in[6] = {p[0][k], p[1][k], p[2][k], p[3][k], p[0][k + 1], p[1][k + 1]};
      float out[6];
      wino_bt(in, out);
      for (int j = 0; j < 6; ++j) vi[j * v_stride + k] = out[j];
    }
  }
}

// A^T M A for one row of tiles of every output channel: `m` is position 0 of channel 0's first tile
// (channel stride `n`, position stride `p_stride`); writes 4 rows of `pitch` per channel into `y`.
GOESVFI_SIMD_CLONES
void winograd_output_row(const float* m, int n, std::size_t p_stride, int channels, int tiles, float* y,
                         int pitch) {
  for (int oc = 0; oc < channels; ++oc) {
    const float* mm = m + static_cast<std::size_t>(oc) * n;
    float* yc = y + static_cast<std::size_t>(oc) * k_wino_tile * pitch;
    int k = 0;
    for (; k + 8 <= tiles; k += 8) {  // 8 tiles: A^T M vertical, then horizontal, then interleave columns
      simd::f32x8 s[4][6];
      for (int j = 0; j < 6; ++j) {
        simd::f32x8 col[6], out[4];
        for (int i = 0; i < 6; ++i) col[i] = simd::load8(mm + (i * 6 + j) * p_stride + k);
        wino_at(col, out);
        for (int r = 0; r < 4; ++r) s[r][j] = out[r];
      }
      for (int r = 0; r < 4; ++r) {
        simd::f32x8 c[4];
        wino_at(s[r], c);
        const simd::f32x8 a = __builtin_shufflevector(c[0], c[1], 0, 8, 1, 9, 2, 10, 3, 11);
        const simd::f32x8 b = __builtin_shufflevector(c[0], c[1], 4, 12, 5, 13, 6, 14, 7, 15);
        const simd::f32x8 e = __builtin_shufflevector(c[2], c[3], 0, 8, 1, 9, 2, 10, 3, 11);
        const simd::f32x8 f = __builtin_shufflevector(c[2], c[3], 4, 12, 5, 13, 6, 14, 7, 15);
        float* dst = yc + static_cast<std::size_t>(r) * pitch + k_wino_tile * k;
        simd::store8(dst, __builtin_shufflevector(a, e, 0, 1, 8, 9, 2, 3, 10, 11));
        simd::store8(dst + 8, __builtin_shufflevector(a, e, 4, 5, 12, 13, 6, 7, 14, 15));
        simd::store8(dst + 16, __builtin_shufflevector(b, f, 0, 1, 8, 9, 2, 3, 10, 11));
        simd::store8(dst + 24, __builtin_shufflevector(b, f, 4, 5, 12, 13, 6, 7, 14, 15));
      }
    }
    for (; k < tiles; ++k) {
      float s[4][6];
      for (int j = 0; j < 6; ++j) {
        float col[6], out[4];
        for (int i = 0; i < 6; ++i) col[i] = mm[(i * 6 + j) * p_stride + k];
        wino_at(col, out);
        for (int r = 0; r < 4; ++r) s[r][j] = out[r];
      }
      for (int r = 0; r < 4; ++r) {
        float out[4];
        wino_at(s[r], out);
        for (int c = 0; c < 4; ++c) yc[static_cast<std::size_t>(r) * pitch + k_wino_tile * k + c] = out[c];
      }
    }
  }
}

}  // namespace

bool winograd_applies(const ConvShape& s) {
  return s.kernel_w == 3 && s.kernel_h == 3 && s.stride_w == 1 && s.stride_h == 1 && s.dilation_w == 1 &&
         s.dilation_h == 1;
}

std::vector<float> winograd_weights(const ConvShape& shape, std::span<const float> weights) {
  const int oc_n = shape.out_channels, ic_n = shape.in_channels;
  // U = G g G^T per (out, in), G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6;
  // 1/24 -1/12 1/6; 0 0 1], in double then rounded once.
  static constexpr double G[6][3] = {{1.0 / 4, 0, 0},
                                     {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                     {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                     {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                     {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                     {0, 0, 1}};
  std::vector<float> transformed(k_wino_positions * static_cast<std::size_t>(oc_n) * ic_n);
  for (int oc = 0; oc < oc_n; ++oc) {
    for (int ic = 0; ic < ic_n; ++ic) {
      const float* g = weights.data() + (static_cast<std::size_t>(oc) * ic_n + ic) * 9;
      double gg[6][3];  // G g
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 3; ++j) gg[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
      }
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) {
          const double u = gg[i][0] * G[j][0] + gg[i][1] * G[j][1] + gg[i][2] * G[j][2];
          transformed[(static_cast<std::size_t>(i * 6 + j) * oc_n + oc) * ic_n + ic] = static_cast<float>(u);
        }
      }
    }
  }
  return transformed;
}

void winograd_conv(const Tensor& in, const ConvPlan& plan, std::span<const float> bias, const Activation& act,
                   const Tensor* residual, float residual_slope, const Tensor& out) {
  const ConvShape& s = plan.shape;
  const int oc_n = s.out_channels, ic_n = s.in_channels, oh = out.h, ow = out.w;
  const int tiles_x = (ow + k_wino_tile - 1) / k_wino_tile, tiles_y = (oh + k_wino_tile - 1) / k_wino_tile;
  // Tiles read the input in place: rows above/below it are zero rows, columns left/right of it zeros in the
  // row scratch (outputs past the edge come out of zeros and are not written).
  auto& pool = ThreadPool::global();
  // Tile rows per band: V and M (36 x channels x tiles each) about 2 MB together, so they stay in L2;
  // at least 4 bands per thread for balance.
  const int target_tiles = std::max(16, 16384 / (ic_n + oc_n));
  int band = std::max(1, std::min(tiles_y, target_tiles / tiles_x));
  while (band > 1 && (tiles_y + band - 1) / band < 4 * pool.size()) band = (band + 1) / 2;
  const int bands = (tiles_y + band - 1) / band;
  const int pitch = k_wino_tile * tiles_x;
  const bool vector = vector_kernels();
  pool.parallel_for(0, bands, [&](std::ptrdiff_t b0, std::ptrdiff_t b1) {
    for (std::ptrdiff_t bi = b0; bi < b1; ++bi) {
      const int ty0 = static_cast<int>(bi) * band, ty1 = std::min(tiles_y, ty0 + band);
      const int n = (ty1 - ty0) * tiles_x;  // tiles in this band
      float* v = scratch_ptr(0, k_wino_positions * static_cast<std::size_t>(ic_n) * n);
      float* m = scratch_ptr(1, k_wino_positions * static_cast<std::size_t>(oc_n) * n);
      float* rows = scratch_ptr(2, winograd_rows_size(tiles_x));
      for (int ic = 0; ic < ic_n; ++ic) {
        for (int ty = ty0; ty < ty1; ++ty) {
          const float* d[6];
          for (int r = 0; r < 6; ++r) {
            const int yy = k_wino_tile * ty - s.pad_top + r;
            d[r] = yy >= 0 && yy < in.h ? in.row(ic, yy) : nullptr;
          }
          float* vt = v + static_cast<std::size_t>(ic) * n + static_cast<std::size_t>(ty - ty0) * tiles_x;
          const std::size_t v_stride = static_cast<std::size_t>(ic_n) * n;
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
          if (vector) {
            winograd_input_row_avx512(d, in.w, s.pad_left, tiles_x, rows, vt, v_stride);
            continue;
          }
#endif
          winograd_input_row(d, in.w, s.pad_left, tiles_x, rows, vt, v_stride);
        }
      }
      for (int p = 0; p < k_wino_positions; ++p) {
        sgemm(oc_n, n, ic_n, plan.winograd.data() + static_cast<std::size_t>(p) * oc_n * ic_n, ic_n,
              v + static_cast<std::size_t>(p) * ic_n * n, n, m + static_cast<std::size_t>(p) * oc_n * n, n,
              0.0f);
      }
      // A^T M A per tile row into four output rows per channel, then the shared epilogue.
      float* y = scratch_ptr(3, static_cast<std::size_t>(oc_n) * k_wino_tile * pitch);
      const std::size_t p_stride = static_cast<std::size_t>(oc_n) * n;
      for (int ty = ty0; ty < ty1; ++ty) {
        const float* mt = m + static_cast<std::size_t>(ty - ty0) * tiles_x;
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
        if (vector) {
          winograd_output_row_avx512(mt, n, p_stride, oc_n, tiles_x, y, pitch);
        } else
#endif
        {
          winograd_output_row(mt, n, p_stride, oc_n, tiles_x, y, pitch);
        }
        epilogue(y, static_cast<std::size_t>(k_wino_tile) * pitch, pitch, out, k_wino_tile * ty,
                 std::min(k_wino_tile, oh - k_wino_tile * ty), bias, act, residual, residual_slope);
      }
    }
  });
}

}  // namespace goesvfi::rife
