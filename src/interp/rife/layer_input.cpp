// ncnn Input: a graph input. It is never run: Net takes its blob from the caller (an error names it when
// the caller did not give it).
#include "interp/rife/layer.hpp"

namespace goesvfi::rife {

extern constinit const LayerKind k_input_layer = {.type = "Input", .inputs = 0};

}  // namespace goesvfi::rife
