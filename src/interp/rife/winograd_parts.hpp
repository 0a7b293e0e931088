// Pieces of Winograd F(4x4,3x3) shared by the portable transforms (winograd.cpp) and the AVX-512 ones
// (winograd_avx512.cpp): tile sizes, the B^T / A^T lines on floats or vectors, the row scratch layout.
#pragma once

#include <cstddef>

#include "interp/rife/simd.hpp"

namespace goesvfi::rife {

// Winograd F(4x4,3x3) (Lavin & Gray, 2015; the points 0, +-1, +-2 that ncnn also uses for fp32). Input
// tiles d (6x6, stride 4) become V = B^T d B, one GEMM per each of the 36 positions multiplies the
// transformed weights U (out x in) by V (in x tiles), and A^T M A gives each 4x4 output tile: 2.25
// multiply-adds per output and weight instead of 9. Both transforms run along whole rows of tiles: the
// vertical pass on contiguous rows, the horizontal pass on rows split into their 4 column phases, so they
// vectorise without gathers.
constexpr int k_wino_tile = 4;  // outputs per tile side
constexpr int k_wino_in = 6;    // inputs per tile side
constexpr int k_wino_positions = k_wino_in * k_wino_in;

// B^T applied to six values (rows or columns), as in the transform's matrix
// [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]. V is float or a
// GCC vector of floats (scalars broadcast): the portable and the AVX-512 kernels share these lines.
template <typename V>
[[gnu::always_inline]] inline void wino_bt(const V (&d)[6], V (&t)[6]) {
  const V d13 = d[3] - d[1], d42 = d[4] - d[2];
  t[0] = 4.0f * d[0] - 5.0f * d[2] + d[4];
  t[1] = (d[3] + d[4]) - 4.0f * (d[1] + d[2]);
  t[2] = (d[4] - d[3]) + 4.0f * (d[1] - d[2]);
  t[3] = d42 + 2.0f * d13;
  t[4] = d42 - 2.0f * d13;
  t[5] = 4.0f * d[1] - 5.0f * d[3] + d[5];
}

// A^T applied to six values: [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
template <typename V>
[[gnu::always_inline]] inline void wino_at(const V (&m)[6], V (&y)[4]) {
  const V a = m[1] + m[2], b = m[1] - m[2], c = m[3] + m[4], e = m[3] - m[4];
  y[0] = m[0] + a + c;
  y[1] = b + 2.0f * e;
  y[2] = a + 4.0f * c;
  y[3] = b + 8.0f * e + m[5];
}

// Row scratch of the input transform: 6 rows of the tiles' width plus 64 floats (vector over-reads stay
// inside), a zero row, then 4 column-phase arrays of tiles + 1 (+48) floats.
constexpr std::size_t winograd_row_stride(int tiles) {
  return static_cast<std::size_t>(k_wino_tile * tiles + 2 + 64);
}
constexpr std::size_t winograd_phase_stride(int tiles) {
  return static_cast<std::size_t>(tiles + 1 + 48);
}
constexpr std::size_t winograd_rows_size(int tiles) {
  return (k_wino_in + 1) * winograd_row_stride(tiles) + 4 * winograd_phase_stride(tiles);
}

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// winograd_input_row / winograd_output_row (winograd.cpp), 16 columns or tiles at a time; only called when
// vector_kernels() is true.
__attribute__((target("avx512f"))) void winograd_input_row_avx512(const float* const d[6], int in_w,
                                                                  int pad_left, int tiles, float* rows,
                                                                  float* v, std::size_t v_stride);
__attribute__((target("avx512f"))) void winograd_output_row_avx512(const float* m, int n,
                                                                   std::size_t p_stride, int channels,
                                                                   int tiles, float* y, int pitch);
#endif

}  // namespace goesvfi::rife
