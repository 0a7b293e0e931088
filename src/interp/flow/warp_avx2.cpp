// The AVX2 kernels of the flow backend's per-timestep passes (warp.hpp), eight output pixels per step. Warp
// pass: positions, taps, space shares, weights and the blend run in lanes with the portable kernel's
// arithmetic in its order (no FMA is enabled and the file builds with -ffp-contract=off, so nothing is
// contracted: the results are bit-identical); the texture, space and consistency reads are 32-bit gathers. A
// gather reads up to three bytes past a sample, so a group whose taps touch the frame's last four pixels, and
// frames whose byte offsets do not fit 31 bits, take the portable code. Pass 2: the trust, the blend and the
// rounding on the interleaved samples.
#include "interp/flow/warp_pixel.hpp"

#if defined(GOESVFI_FLOW_HAVE_AVX2)

#include <climits>
#include <cstddef>
#include <vector>

// GCC 12's AVX-512 headers (pulled in by immintrin.h) trip -Wmaybe-uninitialized (GCC PR 105593).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop

#define GOESVFI_AVX2 __attribute__((target("avx2")))
#define GOESVFI_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

namespace goesvfi::flow_warp {

namespace {

// Frame geometry shared by every group of a band.
struct Frame8 {
  __m256 width_f, height_f;       // clamp limits of the sample positions
  __m256i width_max, height_max;  // width - 1, height - 1
  __m256i width;                  // pixels per map row (the U8 maps are continuous)
  __m256i stride;                 // bytes per frame row
  __m256i last_safe;              // the largest linear pixel index a 4-byte read may start at: w * h - 4
};

struct Taps8 {
  __m256i x0, y0;
  __m256i right, down;  // all ones where the right / lower tap is the next column / row (not clamped onto it)
  __m256i top, bottom;  // linear pixel index of the left taps: y0 * width + x0, and of the row below
  __m256i fx, fy;
  __m256i w00, w01, w10, w11;
};

GOESVFI_AVX2_INLINE Taps8 taps8(__m256 px, __m256 py, const Frame8& f) {
  const __m256 minus_one = _mm256_set1_ps(-1.0f);
  // max returns its second operand for NaN: NaN -> -1, as taps_at.
  px = _mm256_min_ps(_mm256_max_ps(px, minus_one), f.width_f);
  py = _mm256_min_ps(_mm256_max_ps(py, minus_one), f.height_f);
  const __m256 tab = _mm256_set1_ps(static_cast<float>(1 << k_tab_bits)), one = _mm256_set1_ps(1.0f),
               half = _mm256_set1_ps(0.5f);
  const __m256i qx = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(_mm256_add_ps(px, one), tab), half));
  const __m256i qy = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(_mm256_add_ps(py, one), tab), half));
  const __m256i ione = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
  const __m256i ix = _mm256_sub_epi32(_mm256_srai_epi32(qx, k_tab_bits), ione);
  const __m256i iy = _mm256_sub_epi32(_mm256_srai_epi32(qy, k_tab_bits), ione);
  const __m256i frac = _mm256_set1_epi32((1 << k_tab_bits) - 1), full = _mm256_set1_epi32(1 << k_tab_bits);
  Taps8 t;
  t.fx = _mm256_and_si256(qx, frac);
  t.fy = _mm256_and_si256(qy, frac);
  const __m256i gx = _mm256_sub_epi32(full, t.fx), gy = _mm256_sub_epi32(full, t.fy);
  t.x0 = _mm256_min_epi32(_mm256_max_epi32(ix, zero), f.width_max);
  const __m256i x1 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(ix, ione), zero), f.width_max);
  t.y0 = _mm256_min_epi32(_mm256_max_epi32(iy, zero), f.height_max);
  const __m256i y1 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(iy, ione), zero), f.height_max);
  // The second taps are the first ones or the next: offsets by adding, not multiplying.
  t.right = _mm256_cmpgt_epi32(x1, t.x0);
  t.down = _mm256_cmpgt_epi32(y1, t.y0);
  t.top = _mm256_add_epi32(_mm256_mullo_epi32(t.y0, f.width), t.x0);
  t.bottom = _mm256_add_epi32(t.top, _mm256_and_si256(t.down, f.width));
  // Products of 0..32: 16-bit multiplies are exact (the upper halves are 0 x 0).
  t.w00 = _mm256_mullo_epi16(gx, gy);
  t.w01 = _mm256_mullo_epi16(t.fx, gy);
  t.w10 = _mm256_mullo_epi16(gx, t.fy);
  t.w11 = _mm256_mullo_epi16(t.fx, t.fy);
  return t;
}

// Whether every lane's taps may be read with 4-byte gathers (its last tap is not among the frame's last four
// pixels). Linear pixel indices fit 31 bits (checked per band).
GOESVFI_AVX2_INLINE bool gathers_safe(const Taps8& t, const Frame8& f) {
  const __m256i last = _mm256_sub_epi32(t.bottom, t.right);  // right: -1 where the next column
  return _mm256_testz_si256(_mm256_cmpgt_epi32(last, f.last_safe), _mm256_cmpgt_epi32(last, f.last_safe)) !=
         0;
}

GOESVFI_AVX2_INLINE __m256i gather32(const void* base, __m256i byte_offsets) {
  return _mm256_i32gather_epi32(static_cast<const int*>(base), byte_offsets, 1);
}

// Two 16-bit values per lane (low: left tap, high: right tap) times the (left, right) weights, summed.
GOESVFI_AVX2_INLINE __m256i pair(__m256i left, __m256i right) {
  return _mm256_or_si256(left, _mm256_slli_epi32(right, 16));
}

// The bilinear sums of one U8 map (0..255 per pixel, continuous rows) at the taps, in 1/1024: one gather per
// tap row, the right tap being the next byte unless both taps clamp to the same column.
GOESVFI_AVX2_INLINE __m256i map_share(const std::uint8_t* map, const Taps8& t) {
  const __m256i low = _mm256_set1_epi32(0xFF);
  const __m256i top = gather32(map, t.top), bottom = gather32(map, t.bottom);
  const __m256i t0 = _mm256_and_si256(top, low), b0 = _mm256_and_si256(bottom, low);
  const __m256i t1 = _mm256_blendv_epi8(t0, _mm256_and_si256(_mm256_srli_epi32(top, 8), low), t.right);
  const __m256i b1 = _mm256_blendv_epi8(b0, _mm256_and_si256(_mm256_srli_epi32(bottom, 8), low), t.right);
  return _mm256_add_epi32(_mm256_madd_epi16(pair(t0, t1), pair(t.w00, t.w01)),
                          _mm256_madd_epi16(pair(b0, b1), pair(t.w10, t.w11)));
}

// nearest_confidence(): the U8 map at the nearest tap, over 255.
GOESVFI_AVX2_INLINE __m256 map_nearest(const std::uint8_t* map, const Taps8& t) {
  const __m256i half = _mm256_set1_epi32(1 << (k_tab_bits - 1));
  // fx < 16: the left column, else the right one; fy likewise.
  const __m256i row = _mm256_blendv_epi8(t.bottom, t.top, _mm256_cmpgt_epi32(half, t.fy));
  const __m256i step = _mm256_andnot_si256(_mm256_cmpgt_epi32(half, t.fx), t.right);  // -1: the right column
  const __m256i value = _mm256_and_si256(gather32(map, _mm256_sub_epi32(row, step)), _mm256_set1_epi32(0xFF));
  return _mm256_mul_ps(_mm256_cvtepi32_ps(value), _mm256_set1_ps(1.0f / 255.0f));
}

// sample_at() for eight lanes: out[c] the bilinear sample of channel c.
template <typename T, int C>
GOESVFI_AVX2_INLINE void sample8(const Image& image, const Taps8& t, const Frame8& f, __m256* out) {
  const void* base = image.data();
  constexpr int k_bytes = C * static_cast<int>(sizeof(T));
  const __m256i bytes = _mm256_set1_epi32(k_bytes);
  const __m256i o00 = _mm256_add_epi32(_mm256_mullo_epi32(t.y0, f.stride), _mm256_mullo_epi32(t.x0, bytes));
  const __m256i o01 = _mm256_add_epi32(o00, _mm256_and_si256(t.right, bytes));
  const __m256i o10 = _mm256_add_epi32(o00, _mm256_and_si256(t.down, f.stride));
  const __m256i o11 = _mm256_add_epi32(o01, _mm256_and_si256(t.down, f.stride));
  const __m256 unit = _mm256_set1_ps(k_weight_unit);
  if constexpr (std::is_same_v<T, std::uint8_t>) {
    // All channels of a tap in one gather; (left, right) 16-bit pairs times the weight pairs.
    const __m256i g00 = gather32(base, o00), g01 = gather32(base, o01);
    const __m256i g10 = gather32(base, o10), g11 = gather32(base, o11);
    const __m256i top_w = pair(t.w00, t.w01), bottom_w = pair(t.w10, t.w11), low = _mm256_set1_epi32(0xFF);
    for (int c = 0; c < C; ++c) {
      const __m256i v00 = _mm256_and_si256(_mm256_srli_epi32(g00, 8 * c), low);
      const __m256i v01 = _mm256_and_si256(_mm256_srli_epi32(g01, 8 * c), low);
      const __m256i v10 = _mm256_and_si256(_mm256_srli_epi32(g10, 8 * c), low);
      const __m256i v11 = _mm256_and_si256(_mm256_srli_epi32(g11, 8 * c), low);
      const __m256i sum = _mm256_add_epi32(_mm256_madd_epi16(pair(v00, v01), top_w),
                                           _mm256_madd_epi16(pair(v10, v11), bottom_w));
      out[c] = _mm256_mul_ps(_mm256_cvtepi32_ps(sum), unit);
    }
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    // Two channels per gather; 32-bit products (65535 x 1024 does not fit 16 bits).
    const __m256i low = _mm256_set1_epi32(0xFFFF);
    for (int c = 0; c < C; c += 2) {
      const __m256i at = _mm256_set1_epi32(2 * c);
      const __m256i g00 = gather32(base, _mm256_add_epi32(o00, at)),
                    g01 = gather32(base, _mm256_add_epi32(o01, at));
      const __m256i g10 = gather32(base, _mm256_add_epi32(o10, at)),
                    g11 = gather32(base, _mm256_add_epi32(o11, at));
      const __m256i v[2][4] = {{_mm256_and_si256(g00, low), _mm256_and_si256(g01, low),
                                _mm256_and_si256(g10, low), _mm256_and_si256(g11, low)},
                               {_mm256_srli_epi32(g00, 16), _mm256_srli_epi32(g01, 16),
                                _mm256_srli_epi32(g10, 16), _mm256_srli_epi32(g11, 16)}};
      for (int k = 0; k < 2 && c + k < C; ++k) {
        const __m256i sum = _mm256_add_epi32(
            _mm256_add_epi32(_mm256_mullo_epi32(v[k][0], t.w00), _mm256_mullo_epi32(v[k][1], t.w01)),
            _mm256_add_epi32(_mm256_mullo_epi32(v[k][2], t.w10), _mm256_mullo_epi32(v[k][3], t.w11)));
        out[c + k] = _mm256_mul_ps(_mm256_cvtepi32_ps(sum), unit);
      }
    }
  } else {
    const __m256 w00 = _mm256_cvtepi32_ps(t.w00), w01 = _mm256_cvtepi32_ps(t.w01);
    const __m256 w10 = _mm256_cvtepi32_ps(t.w10), w11 = _mm256_cvtepi32_ps(t.w11);
    const auto* floats = static_cast<const float*>(base);
    for (int c = 0; c < C; ++c) {
      const __m256i at = _mm256_set1_epi32(4 * c);
      const __m256 v00 = _mm256_i32gather_ps(floats, _mm256_add_epi32(o00, at), 1);
      const __m256 v01 = _mm256_i32gather_ps(floats, _mm256_add_epi32(o01, at), 1);
      const __m256 v10 = _mm256_i32gather_ps(floats, _mm256_add_epi32(o10, at), 1);
      const __m256 v11 = _mm256_i32gather_ps(floats, _mm256_add_epi32(o11, at), 1);
      // ((p00 w00 + p01 w01) + p10 w10) + p11 w11, as sample_at.
      const __m256 sum =
          _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(v00, w00), _mm256_mul_ps(v01, w01)),
                                      _mm256_mul_ps(v10, w10)),
                        _mm256_mul_ps(v11, w11));
      out[c] = _mm256_mul_ps(sum, unit);
    }
  }
}

// The displacement rows at eight columns: r[col0] + w (r[col1] - r[col0]). When both taps of every lane lie
// within eight coarse samples (upsampling by 2 or more), one load and two permutes; else gathers. `r` has
// eight readable floats past any tap.
GOESVFI_AVX2_INLINE __m256 coarse8(const float* r, __m256i c0, __m256i c1, __m256 w, bool window, int first) {
  __m256 v0, v1;
  if (window) {
    const __m256 block = _mm256_loadu_ps(r + first);
    const __m256i base = _mm256_set1_epi32(first);
    v0 = _mm256_permutevar8x32_ps(block, _mm256_sub_epi32(c0, base));
    v1 = _mm256_permutevar8x32_ps(block, _mm256_sub_epi32(c1, base));
  } else {
    v0 = _mm256_i32gather_ps(r, c0, 4);
    v1 = _mm256_i32gather_ps(r, c1, 4);
  }
  return _mm256_add_ps(v0, _mm256_mul_ps(w, _mm256_sub_ps(v1, v0)));
}

// Eight samples from p as floats.
template <typename T>
GOESVFI_AVX2_INLINE __m256 load8(const T* p) {
  if constexpr (std::is_same_v<T, std::uint8_t>) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  } else {
    return _mm256_loadu_ps(p);
  }
}

// Channel planes of eight pixels stored interleaved (pixel by pixel) at out[0 .. 8 C).
template <int C>
GOESVFI_AVX2_INLINE void store_interleaved(const __m256* v, float* out) {
  if constexpr (C == 1) {
    _mm256_storeu_ps(out, v[0]);
  } else if constexpr (C == 3) {
    // Each channel permuted so that its samples sit where they go in the three output vectors (r at 0, 3, 6
    // of the first, 1, 4, 7 of the second, 2, 5 of the third; g and b shifted by one and two), then blended.
    const __m256 r = _mm256_permutevar8x32_ps(v[0], _mm256_setr_epi32(0, 3, 6, 1, 4, 7, 2, 5));
    const __m256 g = _mm256_permutevar8x32_ps(v[1], _mm256_setr_epi32(5, 0, 3, 6, 1, 4, 7, 2));
    const __m256 b = _mm256_permutevar8x32_ps(v[2], _mm256_setr_epi32(2, 5, 0, 3, 6, 1, 4, 7));
    _mm256_storeu_ps(out, _mm256_blend_ps(_mm256_blend_ps(r, g, 0x92), b, 0x24));
    _mm256_storeu_ps(out + 8, _mm256_blend_ps(_mm256_blend_ps(r, g, 0x24), b, 0x49));
    _mm256_storeu_ps(out + 16, _mm256_blend_ps(_mm256_blend_ps(r, g, 0x49), b, 0x92));
  } else {
    const __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    const __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    _mm256_storeu_ps(out, _mm256_permute2f128_ps(u0, u1, 0x20));
    _mm256_storeu_ps(out + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
    _mm256_storeu_ps(out + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
    _mm256_storeu_ps(out + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
  }
}

template <typename T, int C>
GOESVFI_AVX2 void avx2_rows(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  const Image& a = *in.a;
  const Image& b = *in.b;
  const int width = a.width(), height = a.height();
  const int cw = in.d0x->cols;
  // The coarse rows, with eight spare floats for the window loads.
  std::vector<float> coarse(static_cast<std::size_t>(4 * cw + 8));
  Frame8 f;
  f.width_f = _mm256_set1_ps(static_cast<float>(width));
  f.height_f = _mm256_set1_ps(static_cast<float>(height));
  f.width_max = _mm256_set1_epi32(width - 1);
  f.height_max = _mm256_set1_epi32(height - 1);
  f.width = _mm256_set1_epi32(width);
  f.stride = _mm256_set1_epi32(static_cast<int>(a.stride()));
  f.last_safe = _mm256_set1_epi32(width * height - 4);
  const float t = in.t;
  const __m256 t_v = _mm256_set1_ps(t), one_minus_t = _mm256_set1_ps(1.0f - t), one = _mm256_set1_ps(1.0f),
               epsilon = _mm256_set1_ps(1e-6f), unit = _mm256_set1_ps(k_weight_unit),
               half = _mm256_set1_ps(0.5f), floor_norm = _mm256_set1_ps(1e-3f),
               min_sum = _mm256_set1_ps(1e-4f), abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
  const __m256 iota = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
  const std::uint8_t* here0 = in.here0.ptr<std::uint8_t>();
  const std::uint8_t* here1 = in.here1.ptr<std::uint8_t>();
  const std::uint8_t* confidence0 = in.confidence0.ptr<std::uint8_t>();
  const std::uint8_t* confidence1 = in.confidence1.ptr<std::uint8_t>();
  for (int y = y0; y < y1; ++y) {
    const WarpRow<T> row = warp_row<T>(in, moved, residual, y, coarse.data());
    const __m256 py = _mm256_set1_ps(static_cast<float>(y));
    const __m256 gain = _mm256_set1_ps(row.gain);
    int x = 0;
    for (; x + 8 <= width; x += 8) {
      const __m256i c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.col0 + x));
      const __m256i c1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.col1 + x));
      const __m256 wx = _mm256_loadu_ps(in.col_weight + x);
      const int first = in.col0[x];
      const __m256i base = _mm256_set1_epi32(first), seven = _mm256_set1_epi32(7);
      const __m256i i0 = _mm256_sub_epi32(c0, base), i1 = _mm256_sub_epi32(c1, base);
      // Both index sets in 0..7 (unsigned: negatives are huge), and the load within the row's spare floats.
      const bool window = _mm256_movemask_epi8(_mm256_cmpeq_epi32(
                              _mm256_max_epu32(_mm256_or_si256(i0, i1), seven), seven)) == -1;
      const __m256 d0x = coarse8(row.r0x, c0, c1, wx, window, first);
      const __m256 d0y = coarse8(row.r0y, c0, c1, wx, window, first);
      const __m256 d1x = coarse8(row.r1x, c0, c1, wx, window, first);
      const __m256 d1y = coarse8(row.r1y, c0, c1, wx, window, first);
      const __m256 px = _mm256_add_ps(_mm256_set1_ps(static_cast<float>(x)), iota);
      const Taps8 t0 = taps8(_mm256_add_ps(px, d0x), _mm256_add_ps(py, d0y), f);
      const Taps8 t1 = taps8(_mm256_add_ps(px, d1x), _mm256_add_ps(py, d1y), f);
      if (!gathers_safe(t0, f) || !gathers_safe(t1, f)) {
        for (int k = 0; k < 8; ++k) warp_pixel<T, C>(in, row, x + k);
        continue;
      }
      __m256 w0[C], w1[C];
      sample8<T, C>(a, t0, f, w0);
      sample8<T, C>(b, t1, f, w1);
      __m256 disagreement = _mm256_and_ps(_mm256_sub_ps(w0[0], w1[0]), abs_mask);
      for (int c = 1; c < C; ++c) {
        disagreement = _mm256_add_ps(disagreement, _mm256_and_ps(_mm256_sub_ps(w0[c], w1[c]), abs_mask));
      }
      _mm256_storeu_ps(row.residual + x, _mm256_mul_ps(disagreement, gain));
      const __m256 trust0 = map_nearest(confidence0, t0);
      const __m256 trust1 = map_nearest(confidence1, t1);
      const __m256i share0 = map_share(here0, t0), share1 = map_share(here1, t1);
      const __m256i h0 =
          _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row.here0 + x)));
      const __m256i h1 =
          _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row.here1 + x)));
      __m256 weight0 = _mm256_add_ps(_mm256_mul_ps(one_minus_t, trust0), epsilon);
      __m256 weight1 = _mm256_add_ps(_mm256_mul_ps(t_v, trust1), epsilon);
      __m256 norm0 = one, norm1 = one;
      const __m256i near_space = _mm256_cmpgt_epi32(
          _mm256_or_si256(_mm256_or_si256(share0, share1), _mm256_or_si256(h0, h1)), _mm256_setzero_si256());
      if (!_mm256_testz_si256(near_space, near_space)) {  // space near in some lane: the general case there
        const __m256 space0 = _mm256_mul_ps(_mm256_cvtepi32_ps(share0), unit);
        const __m256 space1 = _mm256_mul_ps(_mm256_cvtepi32_ps(share1), unit);
        const __m256 space_here = _mm256_cvtepi32_ps(_mm256_and_si256(h0, h1));
        const __m256 both_from_disk =
            _mm256_mul_ps(_mm256_and_ps(_mm256_cmp_ps(space0, half, _CMP_LT_OQ), one),
                          _mm256_and_ps(_mm256_cmp_ps(space1, half, _CMP_LT_OQ), one));
        const __m256 keep = _mm256_sub_ps(one, _mm256_mul_ps(space_here, _mm256_sub_ps(one, both_from_disk)));
        const __m256 g0 = _mm256_mul_ps(
            _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(one_minus_t, trust0), _mm256_sub_ps(one, space0)),
                          epsilon),
            keep);
        const __m256 g1 = _mm256_mul_ps(
            _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(t_v, trust1), _mm256_sub_ps(one, space1)), epsilon),
            keep);
        const __m256 n0 = _mm256_div_ps(one, _mm256_max_ps(_mm256_sub_ps(one, space0), floor_norm));
        const __m256 n1 = _mm256_div_ps(one, _mm256_max_ps(_mm256_sub_ps(one, space1), floor_norm));
        const __m256 lanes = _mm256_castsi256_ps(near_space);
        weight0 = _mm256_blendv_ps(weight0, g0, lanes);
        weight1 = _mm256_blendv_ps(weight1, g1, lanes);
        norm0 = _mm256_blendv_ps(norm0, n0, lanes);
        norm1 = _mm256_blendv_ps(norm1, n1, lanes);
      }
      const __m256 sum = _mm256_add_ps(weight0, weight1);
      const __m256 inverse = _mm256_div_ps(one, sum);
      const __m256 k0 = _mm256_mul_ps(_mm256_mul_ps(weight0, inverse), norm0);
      const __m256 k1 = _mm256_mul_ps(_mm256_mul_ps(weight1, inverse), norm1);
      __m256 blended[C];
      for (int c = 0; c < C; ++c)
        blended[c] = _mm256_add_ps(_mm256_mul_ps(k0, w0[c]), _mm256_mul_ps(k1, w1[c]));
      float* m = row.moved + x * C;
      // Lanes whose weights vanish take the linear blend of the frames in place, as warp_pixel: all eight
      // (space around the disk) on the interleaved samples, a few one by one.
      const int weak = _mm256_movemask_ps(_mm256_cmp_ps(sum, min_sum, _CMP_NGT_UQ));
      if (weak == 0xFF) {
        for (int i = 0; i < C; ++i) {
          const __m256 pa = load8<T>(row.pa + x * C + 8 * i), pb = load8<T>(row.pb + x * C + 8 * i);
          _mm256_storeu_ps(m + 8 * i, _mm256_add_ps(_mm256_mul_ps(one_minus_t, pa), _mm256_mul_ps(t_v, pb)));
        }
        continue;
      }
      store_interleaved<C>(blended, m);
      if (weak != 0) {
        for (int k = 0; k < 8; ++k) {
          if ((weak >> k & 1) == 0) continue;
          const int j = (x + k) * C;
          for (int c = 0; c < C; ++c) {
            m[k * C + c] =
                (1.0f - t) * static_cast<float>(row.pa[j + c]) + t * static_cast<float>(row.pb[j + c]);
          }
        }
      }
    }
    for (; x < width; ++x) warp_pixel<T, C>(in, row, x);
  }
}

template <typename T>
GOESVFI_AVX2 void avx2_rows_of_type(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  switch (in.a->channels()) {
    case 1:
      return avx2_rows<T, 1>(in, moved, residual, y0, y1);
    case 3:
      return avx2_rows<T, 3>(in, moved, residual, y0, y1);
    default:
      return avx2_rows<T, 4>(in, moved, residual, y0, y1);
  }
}

// Whether the kernel's 32-bit offsets and continuous-map reads hold for these inputs.
bool avx2_fits(const WarpInput& in) {
  const Image& a = *in.a;
  const auto pixels = static_cast<long long>(a.width()) * a.height();
  const auto bytes = static_cast<long long>(a.stride()) * a.height();
  if (a.width() < 8 || pixels > INT_MAX - 8 || bytes > INT_MAX - 64 || in.b->stride() != a.stride())
    return false;
  for (const cv::Mat* map : {&in.here0, &in.here1, &in.confidence0, &in.confidence1}) {
    if (map->cols != a.width() || map->rows != a.height() || map->type() != CV_8U || !map->isContinuous()) {
      return false;
    }
  }
  return true;
}

// Eight floats saturated and rounded (to nearest even, as cv::saturate_cast) into p.
template <typename T>
GOESVFI_AVX2_INLINE void store8(T* p, __m256 v) {
  if constexpr (std::is_floating_point_v<T>) {
    _mm256_storeu_ps(p, v);
  } else {
    const __m256i i = _mm256_cvtps_epi32(v);  // NaN and out of range: INT_MIN, as cvRound
    const __m128i lo = _mm256_castsi256_si128(i), hi = _mm256_extracti128_si256(i, 1);
    if constexpr (std::is_same_v<T, std::uint16_t>) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_packus_epi32(lo, hi));
    } else {
      const __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(lo, hi), _mm_setzero_si128());
      _mm_storel_epi64(reinterpret_cast<__m128i*>(p), bytes);
    }
  }
}

// Per-pixel values of eight pixels repeated for each of C channels: part i of the 8 C interleaved samples.
template <int C>
GOESVFI_AVX2_INLINE __m256 spread(__m256 v, int i) {
  if constexpr (C == 1) {
    return v;
  } else if constexpr (C == 3) {
    const __m256i index = i == 0   ? _mm256_setr_epi32(0, 0, 0, 1, 1, 1, 2, 2)
                          : i == 1 ? _mm256_setr_epi32(2, 3, 3, 3, 4, 4, 4, 5)
                                   : _mm256_setr_epi32(5, 5, 6, 6, 6, 7, 7, 7);
    return _mm256_permutevar8x32_ps(v, index);
  } else {
    const __m256i index =
        _mm256_add_epi32(_mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1), _mm256_set1_epi32(2 * i));
    return _mm256_permutevar8x32_ps(v, index);
  }
}

template <typename T, int C>
GOESVFI_AVX2 void avx2_combine(const CombineInput& in, Image& out, int y0, int y1) {
  const float t = in.t;
  const __m256 t_v = _mm256_set1_ps(t), one_minus_t = _mm256_set1_ps(1.0f - t),
               floor = _mm256_set1_ps(0.5f * k_confidence_floor), one = _mm256_set1_ps(1.0f);
  const int width = out.width();
  for (int y = y0; y < y1; ++y) {
    const CombineRow<T> row = combine_row<T>(in, out, y);
    int x = 0;
    for (; x + 8 <= width; x += 8) {
      __m256 m = one;
      if (row.change != nullptr) {
        const __m256 change = _mm256_loadu_ps(row.change + x), residual = _mm256_loadu_ps(row.residual + x);
        const __m256 c2 = _mm256_add_ps(_mm256_mul_ps(change, change), floor);
        m = _mm256_div_ps(c2, _mm256_add_ps(_mm256_add_ps(c2, _mm256_mul_ps(residual, residual)), floor));
      }
      for (int i = 0; i < C; ++i) {
        const int j = x * C + 8 * i;
        const __m256 linear = _mm256_add_ps(_mm256_mul_ps(one_minus_t, load8<T>(row.pa + j)),
                                            _mm256_mul_ps(t_v, load8<T>(row.pb + j)));
        const __m256 moved = _mm256_loadu_ps(row.moved + j);
        store8<T>(row.out + j,
                  _mm256_add_ps(linear, _mm256_mul_ps(spread<C>(m, i), _mm256_sub_ps(moved, linear))));
      }
      if (row.same != nullptr) {
        std::uint64_t same;
        std::memcpy(&same, row.same + x, sizeof same);
        if (same != 0) {
          for (int k = 0; k < 8; ++k) {
            if (row.same[x + k] == 0) continue;
            for (int c = 0; c < C; ++c) row.out[(x + k) * C + c] = row.keep[(x + k) * C + c];
          }
        }
      }
    }
    for (; x < width; ++x) combine_pixel<T, C>(row, t, x);
  }
}

template <typename T>
GOESVFI_AVX2 void avx2_combine_of_type(const CombineInput& in, Image& out, int y0, int y1) {
  switch (out.channels()) {
    case 1:
      return avx2_combine<T, 1>(in, out, y0, y1);
    case 3:
      return avx2_combine<T, 3>(in, out, y0, y1);
    default:
      return avx2_combine<T, 4>(in, out, y0, y1);
  }
}

}  // namespace

void combine_rows_avx2(const CombineInput& in, Image& out, int y0, int y1) {
  switch (out.type()) {
    case SampleType::U8:
      return avx2_combine_of_type<std::uint8_t>(in, out, y0, y1);
    case SampleType::U16:
      return avx2_combine_of_type<std::uint16_t>(in, out, y0, y1);
    case SampleType::F32:
      return avx2_combine_of_type<float>(in, out, y0, y1);
  }
}

void warp_rows_avx2(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  if (!avx2_fits(in)) return warp_rows_portable(in, moved, residual, y0, y1);
  switch (in.a->type()) {
    case SampleType::U8:
      return avx2_rows_of_type<std::uint8_t>(in, moved, residual, y0, y1);
    case SampleType::U16:
      return avx2_rows_of_type<std::uint16_t>(in, moved, residual, y0, y1);
    case SampleType::F32:
      return avx2_rows_of_type<float>(in, moved, residual, y0, y1);
  }
}

}  // namespace goesvfi::flow_warp

#endif  // GOESVFI_FLOW_HAVE_AVX2
