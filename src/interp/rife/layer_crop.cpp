// ncnn Crop of a channel range (the only form RIFE's graphs use) and the layer's row.
#include "core/error.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  const ParamDict& p = site.layer.params;
  const auto starts = p.get_array(9), ends = p.get_array(10), axes = p.get_array(11);
  if (starts.size() != 1 || ends.size() != 1 || axes.size() != 1 || axes[0] != 0.0f) {
    fail(ErrorKind::Unsupported, "{}: only a channel range (-23309=1,a -23310=1,b -23311=1,0) is supported",
         site.where());
  }
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  const ParamDict& p = r.layer.params;
  const Tensor& x = *r.in[0];
  int start = static_cast<int>(p.get_array(9)[0]);
  int end = static_cast<int>(p.get_array(10)[0]);
  if (start < 0) start += x.c;
  if (end == -233) end = x.c;
  if (end < 0) end += x.c;
  if (start < 0 || end > x.c || start >= end) {
    fail(ErrorKind::InvalidArgument, "channel range [{}, {}) of a {}-channel blob", start, end, x.c);
  }
  out[0] = x.channels(start, end - start);
}

}  // namespace

extern constinit const LayerKind k_crop_layer = {.type = "Crop", .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
