// Pieces the convolution paths (im2col, tap GEMMs, Winograd, deconvolution) share, and the parameters of the
// Convolution and Deconvolution layers (ncnn's keys, checked once).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>

#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

// ncnn activation_type applied to one value.
inline float activate(float v, const Activation& act) {
  switch (act.type) {
    case 1:
      return v > 0 ? v : 0.0f;
    case 2:
      return v > 0 ? v : v * act.p0;
    case 3:
      return std::min(std::max(v, act.p0), act.p1);
    case 4:
      return 1.0f / (1.0f + std::exp(-v));
    default:
      return v;
  }
}

// Scratch buffer `which` (0-3) of the calling pool thread, at least n floats: lives as long as the thread, so
// no allocation per layer once warm. Valid until the next call for the same slot on this thread.
float* scratch_ptr(int which, std::size_t n);

// Writes rows [y0, y0 + rows) of `out` from a GEMM result `c` (channel stride `c_channel_stride`, row pitch
// `pitch`): bias, activation, then optionally out = leaky(out + residual, slope).
void epilogue(const float* c, std::size_t c_channel_stride, int pitch, const Tensor& out, int y0, int rows,
              std::span<const float> bias, const Activation& act, const Tensor* residual, float slope);

// Zero-bordered copy of `in` (top/left/bottom/right), with `slack` zero floats after the last channel so
// tap-offset GEMM reads of junk columns stay inside the buffer. (bh, bw) receive the bordered size.
std::shared_ptr<float[]> bordered(const Tensor& in, int top, int left, int bottom, int right,
                                  std::size_t slack, int& bh, int& bw);

// The shape and activation of a Convolution (or, with `deconvolution`, Deconvolution) layer from its ncnn
// parameters (0 num_output, 1/11 kernel, 2/12 dilation, 3/13 stride, 4/14/15/16 pads, 18/19 output pads,
// 5 bias_term, 6 weight_data_size, 8 int8, 9/10 activation), checked: errors name the .param line.
struct ConvParams {
  ConvShape shape;
  Activation act;
};
ConvParams conv_params(const LayerSite& site, bool deconvolution);

// The plan of a Convolution (plan_conv) or Deconvolution (plan_deconv) layer: its weights in GEMM order and
// its activation, prepared once from the checked parameters.
template <typename Weights, Weights (*plan_weights)(const ConvShape&, std::span<const float>),
          bool deconvolution>
struct ConvLayerPlan : LayerPlan {
  Weights prepared;
  Activation act;

  static std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
    const ConvParams p = conv_params(site, deconvolution);
    auto plan = std::make_unique<ConvLayerPlan>();
    plan->prepared = plan_weights(p.shape, site.layer.weights);
    plan->act = p.act;
    return plan;
  }
};

}  // namespace goesvfi::rife
