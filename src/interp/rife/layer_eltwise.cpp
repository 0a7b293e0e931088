// ncnn Eltwise (sum with coefficients) and the layer's row.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "interp/rife/elementwise.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  const ParamDict& p = site.layer.params;
  if (p.get_int(0, 1) != 1) {
    fail(ErrorKind::Unsupported, "{} op_type {} (only 1 = sum is supported)", site.where(), p.get_int(0, 1));
  }
  const auto coeffs = p.get_array(1);
  if (!coeffs.empty() && coeffs.size() != site.layer.inputs.size()) {
    site.bad(fmt::format("has {} coefficients for {} inputs", coeffs.size(), site.layer.inputs.size()));
  }
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = eltwise_sum(r.input_views(), r.layer.params.get_array(1));
}

}  // namespace

Tensor eltwise_sum(std::span<const Tensor> inputs, std::span<const float> coeffs) {
  for (const auto& t : inputs) {
    if (t.c != inputs[0].c || t.h != inputs[0].h || t.w != inputs[0].w) {
      fail(ErrorKind::InvalidArgument, "Eltwise: input shapes differ ({}x{}x{} vs {}x{}x{})", t.c, t.h, t.w,
           inputs[0].c, inputs[0].h, inputs[0].w);
    }
  }
  auto coeff = [&](std::size_t k) { return coeffs.empty() ? 1.0f : coeffs[k]; };
  Tensor out = elementwise1(inputs[0], [&](float x, int) { return x * coeff(0); });
  for (std::size_t k = 1; k < inputs.size(); ++k) {
    const Tensor& in = inputs[k];
    const float ck = coeff(k);
    for_each_slice(out.c, out.plane(), [&](int ch, std::size_t i0, std::size_t i1) {
      const float* p = in.channel(ch);
      float* o = out.channel(ch);
      for (std::size_t i = i0; i < i1; ++i) o[i] += p[i] * ck;
    });
  }
  return out;
}

extern constinit const LayerKind k_eltwise_layer = {
    .type = "Eltwise", .inputs = -1, .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
