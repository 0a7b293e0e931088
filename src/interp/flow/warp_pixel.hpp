// The portable warp pass, one pixel at a time (warp.hpp): the reference the AVX2 kernel reproduces bit for
// bit and the code it uses for the pixels it does not take. Internal to warp.cpp and warp_avx2.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "interp/flow/warp.hpp"

namespace goesvfi::flow_warp {

// Rows [y0, y1) by each kernel (warp.cpp, warp_avx2.cpp); warp_rows() dispatches.
void warp_rows_portable(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1);
#if defined(__x86_64__) && defined(__GNUC__)
#define GOESVFI_FLOW_HAVE_AVX2 1
void warp_rows_avx2(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1);
void combine_rows_avx2(const CombineInput& in, Image& out, int y0, int y1);
#endif
void combine_rows_portable(const CombineInput& in, Image& out, int y0, int y1);

constexpr int k_tab_bits = 5;  // 1/32 pixel, as remap's INTER_TAB_SIZE
constexpr float k_weight_unit = 1.0f / 1024.0f;

// One bilinear sample: its four taps, clamped to the frame (remap's BORDER_REPLICATE), and their weights in
// 1/1024 (the fractions quantised to 1/32 of a pixel).
struct Taps {
  int x0, x1, y0, y1;
  int fx, fy;              // 0..31
  int w00, w01, w10, w11;  // (top, bottom) x (left, right); sum 1024
};

inline Taps taps_at(float px, float py, int width, int height) {
  // Outside the frame both taps clamp to the edge anyway; NaN lands on the edge too.
  const float w = static_cast<float>(width), h = static_cast<float>(height);
  if (!(px >= -1.0f)) px = -1.0f;
  if (!(px <= w)) px = w;
  if (!(py >= -1.0f)) py = -1.0f;
  if (!(py <= h)) py = h;
  constexpr float k_tab = 1 << k_tab_bits;
  const int qx = static_cast<int>((px + 1.0f) * k_tab + 0.5f);  // non-negative: truncation rounds
  const int qy = static_cast<int>((py + 1.0f) * k_tab + 0.5f);
  const int ix = (qx >> k_tab_bits) - 1, iy = (qy >> k_tab_bits) - 1;
  const int fx = qx & ((1 << k_tab_bits) - 1), fy = qy & ((1 << k_tab_bits) - 1);
  const int gx = (1 << k_tab_bits) - fx, gy = (1 << k_tab_bits) - fy;
  return {std::clamp(ix, 0, width - 1),
          std::clamp(ix + 1, 0, width - 1),
          std::clamp(iy, 0, height - 1),
          std::clamp(iy + 1, 0, height - 1),
          fx,
          fy,
          gx * gy,
          fx * gy,
          gx * fy,
          fx * fy};
}

// The bilinear sample of every channel of `image` at `taps` (integer arithmetic for integer samples) into
// out[0..C). 8-bit RGB/RGBA use SSE2 (four bytes per tap, two taps per multiply-add) and write out[0..4).
template <typename T, int C>
inline void sample_at(const Image& image, const Taps& taps, float* out) {
  const T* top = image.row<T>(taps.y0);
  const T* bottom = image.row<T>(taps.y1);
  const T* p00 = top + taps.x0 * C;
  const T* p01 = top + taps.x1 * C;
  const T* p10 = bottom + taps.x0 * C;
  const T* p11 = bottom + taps.x1 * C;
#if defined(__SSE2__)
  // RGB reads one byte past each tap: within the frame's rows except at its last pixel.
  if constexpr (std::is_same_v<T, std::uint8_t> && (C == 3 || C == 4)) {
    if (C == 4 || taps.x1 < image.width() - 1 || taps.y1 < image.height() - 1) {
      const auto load = [](const std::uint8_t* p) {
        std::int32_t v;
        std::memcpy(&v, p, sizeof v);
        return _mm_cvtsi32_si128(v);
      };
      const __m128i zero = _mm_setzero_si128();
      // 16-bit (left, right) pairs per channel, times the (left, right) weights, summed pairwise.
      const __m128i upper = _mm_unpacklo_epi8(_mm_unpacklo_epi8(load(p00), load(p01)), zero);
      const __m128i lower = _mm_unpacklo_epi8(_mm_unpacklo_epi8(load(p10), load(p11)), zero);
      const __m128i sum = _mm_add_epi32(_mm_madd_epi16(upper, _mm_set1_epi32(taps.w00 | (taps.w01 << 16))),
                                        _mm_madd_epi16(lower, _mm_set1_epi32(taps.w10 | (taps.w11 << 16))));
      _mm_storeu_ps(out, _mm_mul_ps(_mm_cvtepi32_ps(sum), _mm_set1_ps(k_weight_unit)));
      return;
    }
  }
#endif
  for (int c = 0; c < C; ++c) {
    if constexpr (std::is_integral_v<T>) {
      const int sum = p00[c] * taps.w00 + p01[c] * taps.w01 + p10[c] * taps.w10 + p11[c] * taps.w11;
      out[c] = static_cast<float>(sum) * k_weight_unit;
    } else {
      out[c] = (p00[c] * static_cast<float>(taps.w00) + p01[c] * static_cast<float>(taps.w01) +
                p10[c] * static_cast<float>(taps.w10) + p11[c] * static_cast<float>(taps.w11)) *
               k_weight_unit;
    }
  }
}

// What a sample read: the bilinear share of space among its taps (for mask-normalised sampling), in 1/1024,
// and the consistency at its nearest tap.
inline int space_share(const Taps& tp, const cv::Mat& here) {
  const std::uint8_t* h0 = here.ptr<std::uint8_t>(tp.y0);
  const std::uint8_t* h1 = here.ptr<std::uint8_t>(tp.y1);
  return h0[tp.x0] * tp.w00 + h0[tp.x1] * tp.w01 + h1[tp.x0] * tp.w10 + h1[tp.x1] * tp.w11;
}

inline float nearest_confidence(const Taps& tp, const cv::Mat& confidence) {
  constexpr int k_half = 1 << (k_tab_bits - 1);
  const int nx = tp.fx < k_half ? tp.x0 : tp.x1, ny = tp.fy < k_half ? tp.y0 : tp.y1;
  return confidence.ptr<std::uint8_t>(ny)[nx] * (1.0f / 255.0f);
}

// One output row: the coarse displacement rows interpolated to it and the row pointers.
template <typename T>
struct WarpRow {
  const float* r0x;  // displacement to a, x and y; to b, x and y (coarse columns)
  const float* r0y;
  const float* r1x;
  const float* r1y;
  const T* pa;  // the frames' row y
  const T* pb;
  const std::uint8_t* here0;
  const std::uint8_t* here1;
  float* moved;
  float* residual;
  int y;
  float gain;  // residual per unit of summed absolute difference: 1 / (full scale * channels)
};

// The coarse displacement rows interpolated to frame row y into buffer[0 .. 4 * coarse width).
template <typename T>
WarpRow<T> warp_row(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y, float* buffer) {
  const int cw = in.d0x->cols;
  const auto yi = static_cast<std::size_t>(y);
  const int ya = in.row0[yi], yb = in.row1[yi];
  const float wy = in.row_weight[yi];
  const cv::Mat* planes[4] = {in.d0x, in.d0y, in.d1x, in.d1y};
  for (int k = 0; k < 4; ++k) {
    const float* pa = planes[k]->ptr<float>(ya);
    const float* pb = planes[k]->ptr<float>(yb);
    float* dst = buffer + k * cw;
    for (int x = 0; x < cw; ++x) dst[x] = pa[x] + wy * (pb[x] - pa[x]);
  }
  return {buffer,
          buffer + cw,
          buffer + 2 * cw,
          buffer + 3 * cw,
          in.a->row<T>(y),
          in.b->row<T>(y),
          in.here0.ptr<std::uint8_t>(y),
          in.here1.ptr<std::uint8_t>(y),
          moved.ptr<float>(y),
          residual.ptr<float>(y),
          y,
          static_cast<float>(1.0 / (sample_peak(in.a->type()) * in.a->channels()))};
}

// Pixel x of the row.
template <typename T, int C>
inline void warp_pixel(const WarpInput& in, const WarpRow<T>& row, int x) {
  const Image& a = *in.a;
  const Image& b = *in.b;
  const int width = a.width(), height = a.height();
  const float t = in.t;
  const int ca = in.col0[x], cb = in.col1[x];
  const float wx = in.col_weight[x];
  const float d0x = row.r0x[ca] + wx * (row.r0x[cb] - row.r0x[ca]);
  const float d0y = row.r0y[ca] + wx * (row.r0y[cb] - row.r0y[ca]);
  const float d1x = row.r1x[ca] + wx * (row.r1x[cb] - row.r1x[ca]);
  const float d1y = row.r1y[ca] + wx * (row.r1y[cb] - row.r1y[ca]);
  const float px = static_cast<float>(x), py = static_cast<float>(row.y);
  const Taps t0 = taps_at(px + d0x, py + d0y, width, height);
  const Taps t1 = taps_at(px + d1x, py + d1y, width, height);
  // Samples of both frames.
  float w0[std::max(C, 4)], w1[std::max(C, 4)];
  sample_at<T, C>(a, t0, w0);
  sample_at<T, C>(b, t1, w1);
  float disagreement = 0;
  for (int c = 0; c < C; ++c) disagreement += std::abs(w0[c] - w1[c]);
  row.residual[x] = disagreement * row.gain;
  const float trust0 = nearest_confidence(t0, in.confidence0);
  const float trust1 = nearest_confidence(t1, in.confidence1);
  const int share0 = space_share(t0, in.here0), share1 = space_share(t1, in.here1);
  float weight0 = (1.0f - t) * trust0 + 1e-6f, weight1 = t * trust1 + 1e-6f;
  float norm0 = 1.0f, norm1 = 1.0f;
  if ((share0 | share1 | row.here0[x] | row.here1[x]) != 0) {  // space near: the general case
    const float space0 = static_cast<float>(share0) * k_weight_unit;
    const float space1 = static_cast<float>(share1) * k_weight_unit;
    // Space in both frames stays put unless both warped samples come from the disk (something moving
    // across the background); otherwise the limb would smear outwards.
    const float space_here = static_cast<float>(row.here0[x] & row.here1[x]);
    const float both_from_disk = (space0 < 0.5f ? 1.0f : 0.0f) * (space1 < 0.5f ? 1.0f : 0.0f);
    const float keep = 1.0f - space_here * (1.0f - both_from_disk);
    weight0 = ((1.0f - t) * trust0 * (1.0f - space0) + 1e-6f) * keep;
    weight1 = (t * trust1 * (1.0f - space1) + 1e-6f) * keep;
    // Bilinear taps on space contribute ~0; dividing by the disk share of the taps keeps the limb from
    // darkening (mask-normalised sampling).
    norm0 = 1.0f / std::max(1.0f - space0, 1e-3f);
    norm1 = 1.0f / std::max(1.0f - space1, 1e-3f);
  }
  const float sum = weight0 + weight1;
  float* m = row.moved + x * C;
  if (sum > 1e-4f) {
    const float inverse = 1.0f / sum;
    const float k0 = weight0 * inverse * norm0, k1 = weight1 * inverse * norm1;
    for (int c = 0; c < C; ++c) m[c] = k0 * w0[c] + k1 * w1[c];
  } else {
    for (int c = 0; c < C; ++c) {
      m[c] = (1.0f - t) * static_cast<float>(row.pa[x * C + c]) + t * static_cast<float>(row.pb[x * C + c]);
    }
  }
}

// One row of pass 2.
template <typename T>
struct CombineRow {
  const T* pa;  // the frames' row y
  const T* pb;
  const T* keep;  // `original`'s row y
  const float* moved;
  const std::uint8_t* same;  // null: no overlay mask
  const float* change;       // null: no confidence blend
  const float* residual;
  T* out;
};

template <typename T>
CombineRow<T> combine_row(const CombineInput& in, Image& out, int y) {
  const bool confidence = !in.change.empty();
  return {in.a->row<T>(y),
          in.b->row<T>(y),
          in.original->row<T>(y),
          in.moved->ptr<float>(y),
          in.identical.empty() ? nullptr : in.identical.ptr<std::uint8_t>(y),
          confidence ? in.change.ptr<float>(y) : nullptr,
          confidence ? in.residual_mean.ptr<float>(y) : nullptr,
          out.row<T>(y)};
}

// Pixel x of the row: trust = change^2 / (change^2 + residual^2) (how much of the change between the frames
// the motion explains: where the two warped frames agree much better than the frames themselves do, trust
// the warp; where they disagree as much, as where clouds grow or decay or a vector is wrong, go toward the
// linear blend, which minimises the error when the motion is unknown), and static overlay pixels kept.
template <typename T, int C>
inline void combine_pixel(const CombineRow<T>& row, float t, int x) {
  if (row.same != nullptr && row.same[x] != 0) {
    for (int c = 0; c < C; ++c) row.out[x * C + c] = row.keep[x * C + c];
    return;
  }
  float m = 1.0f;
  if (row.change != nullptr) {
    const float c2 = row.change[x] * row.change[x] + 0.5f * k_confidence_floor;
    m = c2 / (c2 + row.residual[x] * row.residual[x] + 0.5f * k_confidence_floor);
  }
  for (int c = 0; c < C; ++c) {
    const int j = x * C + c;
    const float linear = (1.0f - t) * static_cast<float>(row.pa[j]) + t * static_cast<float>(row.pb[j]);
    row.out[j] = cv::saturate_cast<T>(linear + m * (row.moved[j] - linear));
  }
}

}  // namespace goesvfi::flow_warp
