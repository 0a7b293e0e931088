// ncnn PReLU (one slope or one per channel, stored like biases) and the layer's row.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "core/error.hpp"
#include "interp/rife/elementwise.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  if (site.layer.bias.empty()) site.bad("needs 0=num_slope > 0");
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = prelu(*r.in[0], r.layer.bias);
}

}  // namespace

Tensor prelu(const Tensor& in, std::span<const float> slopes) {
  if (slopes.size() != 1 && slopes.size() != static_cast<std::size_t>(in.c)) {
    fail(ErrorKind::InvalidArgument, "PReLU: {} slopes for {} channels", slopes.size(), in.c);
  }
  return elementwise1(in, [&](float x, int k) { return x > 0 ? x : x * slopes[slopes.size() == 1 ? 0 : k]; });
}

extern constinit const LayerKind k_prelu_layer = {
    .type = "PReLU", .weights = WeightLayout::Slopes, .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
