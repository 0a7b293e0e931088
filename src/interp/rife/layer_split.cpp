// ncnn Split: every output blob shares the input's data (tensors are shared, never written in place).
#include "interp/rife/layer.hpp"

namespace goesvfi::rife {

namespace {

void run(const LayerRun& r, std::span<Tensor> out) {
  for (Tensor& o : out) o = *r.in[0];
}

}  // namespace

extern constinit const LayerKind k_split_layer = {.type = "Split", .outputs = -1, .run = &run};

}  // namespace goesvfi::rife
