// The AVX-512 kernel of bilinear Interp: 16 output columns per step, gathering the two source taps.
#include "interp/rife/layer_interp.hpp"
#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
__attribute__((target("avx512f"))) void resize_row_avx512(const ResizeRows& r, const float* s0,
                                                          const float* s1, float b0, float b1, float* dst) {
  const int out_w = r.out.w;
  const __m512i xmax = _mm512_set1_epi32(r.in.w - 1), one = _mm512_set1_epi32(1);
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512 vb0 = _mm512_set1_ps(b0), vb1 = _mm512_set1_ps(b1);
  for (int dx = 0; dx < out_w; dx += 16) {
    const __mmask16 m = out_w - dx >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (out_w - dx)) - 1);
    const __m512i sx = _mm512_maskz_loadu_epi32(m, r.xofs.data() + dx);
    const __m512i sx1 = _mm512_min_epi32(_mm512_add_epi32(sx, one), xmax);
    const __m512 a0 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, even, r.alpha.data() + 2 * dx, 4);
    const __m512 a1 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, even, r.alpha.data() + 2 * dx + 1, 4);
    const __m512 z = _mm512_setzero_ps();
    const __m512 top = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx, s0, 4), a0),
                                     _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx1, s0, 4), a1));
    const __m512 bottom = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx, s1, 4), a0),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx1, s1, 4), a1));
    _mm512_mask_storeu_ps(dst + dx, m, _mm512_add_ps(_mm512_mul_ps(top, vb0), _mm512_mul_ps(bottom, vb1)));
  }
}
#endif

}  // namespace goesvfi::rife
