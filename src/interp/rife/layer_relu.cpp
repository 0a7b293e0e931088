// ncnn ReLU (leaky with 0=slope) and the layer's row.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "interp/rife/elementwise.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = relu(*r.in[0], r.layer.params.get_float(0, 0.f));
}

}  // namespace

Tensor relu(const Tensor& in, float slope) {
  return elementwise1(in, [slope](float x, int) { return x > 0 ? x : x * slope; });
}

extern constinit const LayerKind k_relu_layer = {.type = "ReLU", .run = &run};

}  // namespace goesvfi::rife
