// Net: runs a parsed ncnn graph (ParamGraph with weights) on planar fp32 tensors. Like ncnn's Extractor, any
// blob may be given as an input, intermediate ones included (then its producer is not run): RIFE's TTA feeds
// merged flows back in that way. Only the layers the requested outputs need are run; blobs are freed after
// their last use. `conv -> BinaryOp add -> ReLU` chains (IFBlock residuals) run as one fused convolution.
// What each layer type checks, prepares and computes is its row of the layer table (layer.hpp).
#pragma once

#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

class Net {
 public:
  // Validates every layer's parameters and weights (errors name the layer and its .param line).
  explicit Net(ParamGraph graph, std::string source = "flownet.param");

  const ParamGraph& graph() const { return m_graph; }
  int blob(std::string_view name) const;  // NotFound naming the blob when absent

  // Computes `outputs` (blob indices) from `inputs` (blob index, tensor). Throws InvalidArgument when a
  // needed graph input is missing or shapes do not fit. `macs`, when given, receives the multiply-accumulates
  // of the Convolution/Deconvolution layers run.
  std::vector<Tensor> run(std::span<const std::pair<int, Tensor>> inputs, std::span<const int> outputs,
                          const CancelToken& cancel, double* macs = nullptr) const;

 private:
  struct Prepared {
    std::shared_ptr<const LayerPlan> plan;  // from the row's prepare(); null when it needs none
    int fuse_add = -1, fuse_relu = -1;      // layer indices of a fusable add + ReLU after this convolution
  };
  ParamGraph m_graph;
  std::string m_source;
  std::vector<Prepared> m_prepared;
  std::vector<std::vector<int>> m_consumers;  // per blob: consuming layer indices
};

}  // namespace goesvfi::rife
