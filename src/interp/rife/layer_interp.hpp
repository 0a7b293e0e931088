// ncnn Interp (bilinear) rows, shared by the portable kernel (layer_interp.cpp) and the AVX-512 one
// (layer_interp_avx512.cpp).
#pragma once

#include <vector>

#include "interp/rife/simd.hpp"
#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

// One output row of bilinear Interp from source rows s0/s1 and row weights b0/b1.
struct ResizeRows {
  const Tensor& in;
  const Tensor& out;
  const std::vector<int>& xofs;
  const std::vector<float>& alpha;  // interleaved (1 - fx, fx) per output column
};

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// One output row of bilinear Interp with 16-lane gathers; only called when vector_kernels() is true.
__attribute__((target("avx512f"))) void resize_row_avx512(const ResizeRows& r, const float* s0,
                                                          const float* s1, float b0, float b1, float* dst);
#endif

}  // namespace goesvfi::rife
