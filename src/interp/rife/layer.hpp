// The layer table of the RIFE engine, ncnn-style: one row per ncnn layer type the RIFE v4.x graphs use
// (layer_table.cpp), each layer in its own file (layer_<type>.cpp, AVX-512 variants in
// layer_<type>_avx512.cpp). A row names the type as .param files do, says how many blobs a layer takes and
// gives and which weights the .bin holds for it, checks and prepares a layer once (Net's constructor: errors
// name the .param line) and runs it. Each layer file defines its row (`constinit const LayerKind
// k_<type>_layer = {...}`, naming only what differs from the defaults below); adding a layer type = one
// file + its entry in layer_table.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

struct LayerDesc;

// What a layer's prepare() computes once (parsed parameters, weights in GEMM order).
struct LayerPlan {
  virtual ~LayerPlan() = default;
};

// Which weights the .bin holds for a layer, in graph order.
enum class WeightLayout {
  None,
  Convolution,  // 6=weight_data_size fp16-tagged weights, then 0=num_output fp32 biases when 5=bias_term=1
  Slopes,       // 0=num_slope untagged fp32 slopes (kept in LayerDesc::bias)
};

// Errors about one layer of a .param file.
struct LayerSite {
  const LayerDesc& layer;
  const std::string& source;  // the .param file name
  // "<source>: line <n>: <type> '<name>'", the start of every message about the layer.
  std::string where() const;
  // Corrupt: "<where>: <what>".
  [[noreturn]] void bad(const std::string& what) const;
};

// One run of a layer: its inputs, and for Convolution an optional fused residual (out = leaky(out +
// residual)).
struct LayerRun {
  const LayerDesc& layer;
  const LayerPlan* plan = nullptr;
  std::span<const Tensor* const> in;
  const Tensor* residual = nullptr;
  float residual_slope = 1.0f;
  double* macs = nullptr;  // when set, Convolution/Deconvolution add their multiply-accumulates

  // The inputs as views sharing their buffers, for kernels taking a span of tensors (Concat, Eltwise).
  std::vector<Tensor> input_views() const {
    std::vector<Tensor> views;
    views.reserve(in.size());
    for (const Tensor* t : in) views.push_back(*t);
    return views;
  }
};

struct LayerKind {
  std::string_view type;  // as in .param files ("Convolution", "rife.Warp")
  int inputs = 1;         // blobs taken; -1 = one or more
  int outputs = 1;        // blobs given; -1 = one or more
  WeightLayout weights = WeightLayout::None;
  // Checks the layer's parameters and weights (site.bad / Unsupported errors) and prepares what run() needs;
  // nullptr when there is nothing to prepare.
  std::unique_ptr<LayerPlan> (*prepare)(const LayerSite& site) = nullptr;
  // Computes the layer's outputs (one tensor per output blob, `out` already sized).
  void (*run)(const LayerRun& run, std::span<Tensor> out) = nullptr;
};

// The table (layer_table.cpp), and a row by .param type name (nullptr when unknown).
std::span<const LayerKind* const> layer_table();
const LayerKind* find_layer_kind(std::string_view type);

}  // namespace goesvfi::rife
