// ncnn Concat along channels and the layer's row.
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

std::unique_ptr<LayerPlan> prepare(const LayerSite& site) {
  if (site.layer.params.get_int(0, 0) != 0) site.bad("only channel concatenation (0=0) is supported");
  return nullptr;
}

void run(const LayerRun& r, std::span<Tensor> out) {
  out[0] = concat_channels(r.input_views());
}

}  // namespace

Tensor concat_channels(std::span<const Tensor> parts) {
  int c = 0;
  for (const auto& p : parts) {
    if (p.h != parts[0].h || p.w != parts[0].w) {
      fail(ErrorKind::InvalidArgument, "Concat: inputs {}x{} and {}x{} differ in size", parts[0].h,
           parts[0].w, p.h, p.w);
    }
    c += p.c;
  }
  Tensor out = Tensor::make(c, parts[0].h, parts[0].w);
  // One plane copy per output channel, spread over the pool (a serial copy left a thread idle for ~5 % of a
  // frame).
  std::vector<const float*> planes;
  planes.reserve(static_cast<std::size_t>(c));
  for (const auto& p : parts) {
    for (int k = 0; k < p.c; ++k) planes.push_back(p.channel(k));
  }
  const std::size_t plane = out.plane();
  ThreadPool::global().parallel_for(0, c, [&](std::ptrdiff_t k0, std::ptrdiff_t k1) {
    for (std::ptrdiff_t k = k0; k < k1; ++k) {
      std::memcpy(out.channel(static_cast<int>(k)), planes[static_cast<std::size_t>(k)],
                  plane * sizeof(float));
    }
  });
  return out;
}

extern constinit const LayerKind k_concat_layer = {
    .type = "Concat", .inputs = -1, .prepare = &prepare, .run = &run};

}  // namespace goesvfi::rife
