// The AVX-512 kernel of rife.Warp: coordinates for 16 pixels at once, then four gathers per channel.
#include "interp/rife/layer_warp.hpp"
#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
__attribute__((target("avx512f"))) void warp_rows_avx512(const Tensor& image, const Tensor& flow,
                                                         const Tensor& out, int y0, int y1) {
  const int w = image.w, h = image.h;
  const __m512 lo = _mm512_set1_ps(-1.0f), wf = _mm512_set1_ps(static_cast<float>(w)),
               hf = _mm512_set1_ps(static_cast<float>(h)), one = _mm512_set1_ps(1.0f),
               z = _mm512_setzero_ps();
  const __m512 iota = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i izero = _mm512_setzero_si512(), ione = _mm512_set1_epi32(1), xmax = _mm512_set1_epi32(w - 1),
                ymax = _mm512_set1_epi32(h - 1), stride = _mm512_set1_epi32(w);
  constexpr int k_floor = _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC;
  for (int y = y0; y < y1; ++y) {
    const float* fx = flow.row(0, y);
    const float* fy = flow.row(1, y);
    const __m512 yv = _mm512_set1_ps(static_cast<float>(y));
    for (int x = 0; x < w; x += 16) {
      const __mmask16 m = w - x >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (w - x)) - 1);
      __m512 sx = _mm512_add_ps(_mm512_add_ps(_mm512_set1_ps(static_cast<float>(x)), iota),
                                _mm512_maskz_loadu_ps(m, fx + x));
      __m512 sy = _mm512_add_ps(yv, _mm512_maskz_loadu_ps(m, fy + x));
      // max returns its second operand for NaN: NaN -> -1 as in warp_rows.
      sx = _mm512_min_ps(_mm512_max_ps(sx, lo), wf);
      sy = _mm512_min_ps(_mm512_max_ps(sy, lo), hf);
      __m512i xa = _mm512_cvttps_epi32(_mm512_roundscale_ps(sx, k_floor));
      __m512i ya = _mm512_cvttps_epi32(_mm512_roundscale_ps(sy, k_floor));
      const __m512i xb = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(xa, ione), izero), xmax);
      const __m512i yb = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(ya, ione), izero), ymax);
      xa = _mm512_min_epi32(_mm512_max_epi32(xa, izero), xmax);
      ya = _mm512_min_epi32(_mm512_max_epi32(ya, izero), ymax);
      const __m512 alpha = _mm512_sub_ps(sx, _mm512_cvtepi32_ps(xa));
      const __m512 beta = _mm512_sub_ps(sy, _mm512_cvtepi32_ps(ya));
      const __m512 alpha1 = _mm512_sub_ps(one, alpha), beta1 = _mm512_sub_ps(one, beta);
      const __m512i row_a = _mm512_mullo_epi32(ya, stride), row_b = _mm512_mullo_epi32(yb, stride);
      const __m512i i00 = _mm512_add_epi32(row_a, xa), i01 = _mm512_add_epi32(row_a, xb);
      const __m512i i10 = _mm512_add_epi32(row_b, xa), i11 = _mm512_add_epi32(row_b, xb);
      for (int c = 0; c < image.c; ++c) {
        const float* src = image.channel(c);
        const __m512 v4 = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i00, src, 4), alpha1),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i01, src, 4), alpha));
        const __m512 v5 = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i10, src, 4), alpha1),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i11, src, 4), alpha));
        _mm512_mask_storeu_ps(out.row(c, y) + x, m,
                              _mm512_add_ps(_mm512_mul_ps(v4, beta1), _mm512_mul_ps(v5, beta)));
      }
    }
  }
}
#endif

}  // namespace goesvfi::rife
