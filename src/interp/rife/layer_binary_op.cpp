// ncnn BinaryOp (two tensors with 1-channel broadcast, or a tensor and a scalar) and the layer's row.
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "interp/rife/elementwise.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

template <typename Fn>
Tensor dispatch_binary(BinaryOpType op, Fn&& run) {
  switch (op) {
    case BinaryOpType::Add:
      return run([](float x, float y) { return x + y; });
    case BinaryOpType::Sub:
      return run([](float x, float y) { return x - y; });
    case BinaryOpType::Mul:
      return run([](float x, float y) { return x * y; });
    case BinaryOpType::Div:
      return run([](float x, float y) { return x / y; });
    case BinaryOpType::Max:
      return run([](float x, float y) { return std::max(x, y); });
    case BinaryOpType::Min:
      return run([](float x, float y) { return std::min(x, y); });
    case BinaryOpType::Pow:
      return run([](float x, float y) { return std::pow(x, y); });
    case BinaryOpType::RSub:
      return run([](float x, float y) { return y - x; });
    case BinaryOpType::RDiv:
      return run([](float x, float y) { return y / x; });
  }
  fail(ErrorKind::Unsupported, "BinaryOp type {}", static_cast<int>(op));
}

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  const ParamDict& p = site.layer.params;
  const int op = p.get_int(0, 0);
  const bool scalar = p.get_int(1, 0) != 0;
  if (op < 0 || op > 8) site.bad(fmt::format("operation type {} is not one of 0..8", op));
  if (site.layer.inputs.size() != (scalar ? 1u : 2u))
    site.bad(fmt::format("takes {} inputs with 1={}", scalar ? 1 : 2, scalar ? 1 : 0));
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  const ParamDict& p = r.layer.params;
  const auto op = static_cast<BinaryOpType>(p.get_int(0, 0));
  out[0] = p.get_int(1, 0) != 0 ? binary_op_scalar(*r.in[0], p.get_float(2, 0.f), op)
                                : binary_op(*r.in[0], *r.in[1], op);
}

}  // namespace

Tensor binary_op(const Tensor& a, const Tensor& b, BinaryOpType op) {
  return dispatch_binary(op, [&](auto f) { return elementwise2(a, b, f); });
}

Tensor binary_op_scalar(const Tensor& a, float b, BinaryOpType op) {
  return dispatch_binary(op, [&](auto f) { return elementwise1(a, [&](float x, int) { return f(x, b); }); });
}

extern constinit const LayerKind k_binary_op_layer = {
    .type = "BinaryOp", .inputs = -1, .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
