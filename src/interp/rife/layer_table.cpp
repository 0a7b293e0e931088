// The layer table: one entry per ncnn layer type, its row defined in layer_<type>.cpp.
#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

extern const LayerKind k_input_layer, k_split_layer, k_concat_layer, k_convolution_layer,
    k_deconvolution_layer, k_pixel_shuffle_layer, k_interp_layer, k_crop_layer, k_binary_op_layer,
    k_eltwise_layer, k_relu_layer, k_sigmoid_layer, k_prelu_layer, k_warp_layer;

namespace {

constexpr const LayerKind* k_layers[] = {
    &k_input_layer,         &k_split_layer,   &k_concat_layer, &k_convolution_layer, &k_deconvolution_layer,
    &k_pixel_shuffle_layer, &k_interp_layer,  &k_crop_layer,   &k_binary_op_layer,   &k_eltwise_layer,
    &k_relu_layer,          &k_sigmoid_layer, &k_prelu_layer,  &k_warp_layer,
};

}  // namespace

std::span<const LayerKind* const> layer_table() {
  return k_layers;
}

const LayerKind* find_layer_kind(std::string_view type) {
  const auto it = std::find_if(std::begin(k_layers), std::end(k_layers),
                               [&](const LayerKind* k) { return k->type == type; });
  return it == std::end(k_layers) ? nullptr : *it;
}

std::string LayerSite::where() const {
  return fmt::format("{}: line {}: {} '{}'", source, layer.line, layer.type_name, layer.name);
}

void LayerSite::bad(const std::string& what) const {
  fail(ErrorKind::Corrupt, "{}: {}", where(), what);
}

}  // namespace goesvfi::rife
