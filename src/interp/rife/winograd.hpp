// Winograd F(4x4,3x3) for 3x3 stride-1 convolutions (the IFBlocks' residual convolutions, most of RIFE's
// work): 4x fewer multiply-adds than the direct form.
#pragma once

#include <span>
#include <vector>

#include "interp/rife/layers.hpp"

namespace goesvfi::rife {

bool winograd_applies(const ConvShape& shape);  // 3x3, stride 1, dilation 1
// U = G g G^T for every (out, in) pair: [36][out][in].
std::vector<float> winograd_weights(const ConvShape& shape, std::span<const float> weights);
// out (already sized) = epilogue(conv(in)) with the plan's Winograd weights.
void winograd_conv(const Tensor& in, const ConvPlan& plan, std::span<const float> bias, const Activation& act,
                   const Tensor* residual, float residual_slope, const Tensor& out);

}  // namespace goesvfi::rife
