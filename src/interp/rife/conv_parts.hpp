// Pieces the convolution paths (im2col, tap GEMMs, Winograd, deconvolution) share.
#pragma once

#include <cstddef>
#include <span>

#include "interp/rife/layers.hpp"

namespace goesvfi::rife {

// Scratch buffer `which` (0-3) of the calling pool thread, at least n floats: lives as long as the thread, so
// no allocation per layer once warm. Valid until the next call for the same slot on this thread.
float* scratch_ptr(int which, std::size_t n);

// Writes rows [y0, y0 + rows) of `out` from a GEMM result `c` (channel stride `c_channel_stride`, row pitch
// `pitch`): bias, activation, then optionally out = leaky(out + residual, slope).
void epilogue(const float* c, std::size_t c_channel_stride, int pitch, const Tensor& out, int y0, int rows,
              std::span<const float> bias, const Activation& act, const Tensor* residual, float slope);

}  // namespace goesvfi::rife
