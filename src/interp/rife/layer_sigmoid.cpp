// ncnn Sigmoid and the layer's row.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <cmath>

#include "interp/rife/elementwise.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"

namespace goesvfi::rife {

namespace {

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = sigmoid(*r.in[0]);
}

}  // namespace

Tensor sigmoid(const Tensor& in) {
  return elementwise1(in, [](float x, int) { return 1.0f / (1.0f + std::exp(-x)); });
}

extern constinit const LayerKind k_sigmoid_layer = {.type = "Sigmoid", .run = &run};

}  // namespace goesvfi::rife
