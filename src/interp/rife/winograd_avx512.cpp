// The AVX-512 transforms of Winograd F(4x4,3x3): input (B^T d B) and output (A^T M A) rows, 16 columns or
// tiles at a time.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>

#include "interp/rife/winograd_parts.hpp"

namespace goesvfi::rife {

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// winograd_input_row, 16 columns or tiles at a time. The horizontal pass first splits each row into its 4
// column phases (P_p[k] = t[4k + p], two rounds of two-source permutes), so a tile's six columns are
// P0[k], P1[k], P2[k], P3[k], P0[k+1], P1[k+1]: plain loads.
__attribute__((target("avx512f"))) void winograd_input_row_avx512(const float* const d[6], int in_w,
                                                                  int pad_left, int tiles, float* rows,
                                                                  float* v, std::size_t v_stride) {
  const std::size_t stride = winograd_row_stride(tiles), phase_stride = winograd_phase_stride(tiles);
  float* t[6];
  for (int r = 0; r < 6; ++r) t[r] = rows + r * stride;
  // Vertical pass over every column the phase split reads (up to 4 * tiles + 63), in 16-column steps
  // aligned with the split's loads, so those loads forward from these stores (a load straddling two
  // just-written vectors stalls). Columns outside the input (padding) come out as zeros.
  const __m512 z = _mm512_setzero_ps();
  const int columns = k_wino_tile * (tiles / 16 * 16) + 64;
  for (int x = 0; x < columns; x += 16) {
    const int lo = std::max(0, pad_left - x), hi = std::min(16, in_w + pad_left - x);
    const __mmask16 m = hi > lo ? __mmask16(simd::tail_mask(hi) & ~simd::tail_mask(lo)) : __mmask16(0);
    __m512 in[6], out[6];
    for (int r = 0; r < 6; ++r) {
      in[r] = d[r] != nullptr && m != 0 ? _mm512_maskz_loadu_ps(m, d[r] + (x - pad_left)) : z;
    }
    wino_bt(in, out);
    for (int r = 0; r < 6; ++r) _mm512_storeu_ps(t[r] + x, out[r]);
  }
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  float* phase[4];
  for (int p = 0; p < 4; ++p) phase[p] = rows + (k_wino_in + 1) * stride + p * phase_stride;
  for (int i = 0; i < 6; ++i) {
    for (int k = 0; k <= tiles; k += 16) {  // column phases of tiles k..k+15 (+1 for the next tile's start)
      const float* q = t[i] + k_wino_tile * k;
      const __m512 q0 = _mm512_loadu_ps(q), q1 = _mm512_loadu_ps(q + 16);
      const __m512 q2 = _mm512_loadu_ps(q + 32), q3 = _mm512_loadu_ps(q + 48);
      const __m512 e01 = _mm512_permutex2var_ps(q0, even, q1), o01 = _mm512_permutex2var_ps(q0, odd, q1);
      const __m512 e23 = _mm512_permutex2var_ps(q2, even, q3), o23 = _mm512_permutex2var_ps(q2, odd, q3);
      _mm512_storeu_ps(phase[0] + k, _mm512_permutex2var_ps(e01, even, e23));
      _mm512_storeu_ps(phase[2] + k, _mm512_permutex2var_ps(e01, odd, e23));
      _mm512_storeu_ps(phase[1] + k, _mm512_permutex2var_ps(o01, even, o23));
      _mm512_storeu_ps(phase[3] + k, _mm512_permutex2var_ps(o01, odd, o23));
    }
    float* vi = v + static_cast<std::size_t>(i * 6) * v_stride;
    // A tile's columns 4 and 5 are the next tile's 0 and 1: P0/P1 shifted by one lane, taken from this
    // chunk and the next one by permutes (a load at k + 1 would straddle two stores).
    const __m512i next = _mm512_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    for (int k = 0; k < tiles; k += 16) {
      const __mmask16 m = simd::tail_mask(tiles - k);
      const __m512 p0 = _mm512_loadu_ps(phase[0] + k), p1 = _mm512_loadu_ps(phase[1] + k);
      const __m512 in[6] = {p0,
                            p1,
                            _mm512_loadu_ps(phase[2] + k),
                            _mm512_loadu_ps(phase[3] + k),
                            _mm512_permutex2var_ps(p0, next, _mm512_loadu_ps(phase[0] + k + 16)),
                            _mm512_permutex2var_ps(p1, next, _mm512_loadu_ps(phase[1] + k + 16))};
      __m512 out[6];
      wino_bt(in, out);
      for (int j = 0; j < 6; ++j) _mm512_mask_storeu_ps(vi + j * v_stride + k, m, out[j]);
    }
  }
}

// winograd_output_row, 16 tiles at a time; the 4 columns of each tile are interleaved back with permutes.
__attribute__((target("avx512f"))) void winograd_output_row_avx512(const float* m, int n,
                                                                   std::size_t p_stride, int channels,
                                                                   int tiles, float* y, int pitch) {
  const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  for (int oc = 0; oc < channels; ++oc) {
    const float* mm = m + static_cast<std::size_t>(oc) * n;
    float* yc = y + static_cast<std::size_t>(oc) * k_wino_tile * pitch;
    for (int k = 0; k < tiles; k += 16) {
      const __mmask16 mask = simd::tail_mask(tiles - k);
      __m512 s[4][6];
      for (int j = 0; j < 6; ++j) {
        __m512 col[6], out[4];
        for (int i = 0; i < 6; ++i) col[i] = _mm512_maskz_loadu_ps(mask, mm + (i * 6 + j) * p_stride + k);
        wino_at(col, out);
        for (int r = 0; r < 4; ++r) s[r][j] = out[r];
      }
      const int outs = k_wino_tile * std::min(16, tiles - k);  // valid floats of each output row
      for (int r = 0; r < 4; ++r) {
        __m512 c[4];
        wino_at(s[r], c);
        // Interleave c0..c3 (column c of each tile) into 64 consecutive outputs.
        const __m512 a_lo = _mm512_permutex2var_ps(c[0], lo, c[2]),
                     a_hi = _mm512_permutex2var_ps(c[0], hi, c[2]);
        const __m512 b_lo = _mm512_permutex2var_ps(c[1], lo, c[3]),
                     b_hi = _mm512_permutex2var_ps(c[1], hi, c[3]);
        float* dst = yc + static_cast<std::size_t>(r) * pitch + k_wino_tile * k;
        const __m512 parts[4] = {
            _mm512_permutex2var_ps(a_lo, lo, b_lo), _mm512_permutex2var_ps(a_lo, hi, b_lo),
            _mm512_permutex2var_ps(a_hi, lo, b_hi), _mm512_permutex2var_ps(a_hi, hi, b_hi)};
        for (int q = 0; q < 4; ++q)
          _mm512_mask_storeu_ps(dst + 16 * q, simd::tail_mask(outs - 16 * q), parts[q]);
      }
    }
  }
}
#endif

}  // namespace goesvfi::rife
