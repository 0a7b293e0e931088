// rife.Warp rows, shared by the portable kernel (layer_warp.cpp) and the AVX-512 one (layer_warp_avx512.cpp).
#pragma once

#include "interp/rife/simd.hpp"
#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// Rows [y0, y1) of the warp, 16 pixels at a time; only called when vector_kernels() is true.
__attribute__((target("avx512f"))) void warp_rows_avx512(const Tensor& image, const Tensor& flow,
                                                         const Tensor& out, int y0, int y1);
#endif

}  // namespace goesvfi::rife
