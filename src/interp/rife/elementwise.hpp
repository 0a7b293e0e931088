// Pointwise loops shared by the elementwise layers (BinaryOp, Eltwise, ReLU, Sigmoid, PReLU): planes split in
// slices over the pool, one output tensor per call.
#pragma once

#include <algorithm>
#include <cstddef>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

// Calls body(channel, begin, end) over every channel's plane in slices of up to 64K values: pointwise layers
// have few channels (3 or 4 at full resolution), so splitting only channels would leave threads idle.
template <typename Body>
void for_each_slice(int channels, std::size_t plane, Body&& body) {
  constexpr std::size_t k_slice = 65536;
  const std::size_t per_channel = (plane + k_slice - 1) / k_slice;
  ThreadPool::global().parallel_for(0, static_cast<std::ptrdiff_t>(channels * per_channel),
                                    [&](std::ptrdiff_t t0, std::ptrdiff_t t1) {
                                      for (std::ptrdiff_t t = t0; t < t1; ++t) {
                                        const int k = static_cast<int>(t / per_channel);
                                        const std::size_t i0 = (t % per_channel) * k_slice;
                                        body(k, i0, std::min(plane, i0 + k_slice));
                                      }
                                    });
}

template <typename Op>
Tensor elementwise2(const Tensor& a, const Tensor& b, Op op) {
  if (a.h != b.h || a.w != b.w || (a.c != b.c && a.c != 1 && b.c != 1)) {
    fail(ErrorKind::InvalidArgument, "BinaryOp: shapes {}x{}x{} and {}x{}x{} do not broadcast", a.c, a.h, a.w,
         b.c, b.h, b.w);
  }
  const int c = std::max(a.c, b.c);
  Tensor out = Tensor::make(c, a.h, a.w);
  for_each_slice(c, out.plane(), [&](int k, std::size_t i0, std::size_t i1) {
    const float* pa = a.channel(a.c == 1 ? 0 : k);
    const float* pb = b.channel(b.c == 1 ? 0 : k);
    float* po = out.channel(k);
    for (std::size_t i = i0; i < i1; ++i) po[i] = op(pa[i], pb[i]);
  });
  return out;
}

template <typename Op>
Tensor elementwise1(const Tensor& a, Op op) {
  Tensor out = Tensor::make(a.c, a.h, a.w);
  for_each_slice(a.c, out.plane(), [&](int k, std::size_t i0, std::size_t i1) {
    const float* pa = a.channel(k);
    float* po = out.channel(k);
    for (std::size_t i = i0; i < i1; ++i) po[i] = op(pa[i], k);
  });
  return out;
}

}  // namespace goesvfi::rife
