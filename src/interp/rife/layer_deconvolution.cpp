// ncnn Deconvolution (transposed convolution by output phases, deconv2d) and the layer's row.
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/conv_parts.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/ncnn_model.hpp"

namespace goesvfi::rife {

namespace {

using DeconvolutionPlan = ConvLayerPlan<DeconvPlan, &plan_deconv, true>;

void run(const LayerRun& r, std::span<Tensor> out) {
  const auto& plan = static_cast<const DeconvolutionPlan&>(*r.plan);
  if (r.macs != nullptr)
    *r.macs += static_cast<double>(r.in[0]->plane()) * static_cast<double>(r.layer.weights.size());
  out[0] = deconv2d(*r.in[0], plan.prepared, r.layer.bias, plan.act);
}

}  // namespace

DeconvPlan plan_deconv(const ConvShape& shape, std::span<const float> weights) {
  if (shape.dilation_w != 1 || shape.dilation_h != 1) {
    fail(ErrorKind::Unsupported, "deconvolution with dilation {}x{} (only 1 is supported)", shape.dilation_h,
         shape.dilation_w);
  }
  DeconvPlan plan;
  plan.shape = shape;
  const int kh = shape.kernel_h, kw = shape.kernel_w;
  for (int py = 0; py < shape.stride_h; ++py) {
    for (int px = 0; px < shape.stride_w; ++px) {
      DeconvPlan::Phase ph;
      ph.py = py;
      ph.px = px;
      for (int y = 0; y < kh; ++y) {
        if (y % shape.stride_h == py) ph.ky.push_back(y);
      }
      for (int x = 0; x < kw; ++x) {
        if (x % shape.stride_w == px) ph.kx.push_back(x);
      }
      const std::size_t per_tap = static_cast<std::size_t>(shape.out_channels) * shape.in_channels;
      ph.matrix.resize(per_tap * ph.ky.size() * ph.kx.size());
      std::size_t t = 0;
      for (int y : ph.ky) {
        for (int x : ph.kx) {
          for (int oc = 0; oc < shape.out_channels; ++oc) {
            for (int ic = 0; ic < shape.in_channels; ++ic) {
              ph.matrix[t * per_tap + static_cast<std::size_t>(oc) * shape.in_channels + ic] =
                  weights[((static_cast<std::size_t>(oc) * shape.in_channels + ic) * kh + y) * kw + x];
            }
          }
          ++t;
        }
      }
      plan.phases.push_back(std::move(ph));
    }
  }
  return plan;
}

Tensor deconv2d(const Tensor& in, const DeconvPlan& plan, std::span<const float> bias, Activation act) {
  const ConvShape& s = plan.shape;
  if (in.c != s.in_channels) {
    fail(ErrorKind::InvalidArgument, "deconvolution: input has {} channels, expected {}", in.c,
         s.in_channels);
  }
  const int full_w = (in.w - 1) * s.stride_w + s.kernel_w + s.output_pad_right;
  const int full_h = (in.h - 1) * s.stride_h + s.kernel_h + s.output_pad_bottom;
  const int ow = full_w - s.pad_left - s.pad_right, oh = full_h - s.pad_top - s.pad_bottom;
  if (ow <= 0 || oh <= 0) {
    fail(ErrorKind::InvalidArgument, "deconvolution: padding leaves no output for input {}x{}", in.h, in.w);
  }
  Tensor out = Tensor::make(s.out_channels, oh, ow);
  // Per phase, output grid (j, i) reads input (iy_base(ky) + j, ix_base(kx) + i) for each tap: a stride-1
  // correlation, run as one GEMM per tap on a zero-bordered input like conv2d.
  struct PhaseGrid {
    const DeconvPlan::Phase* phase;
    int oy0, ox0, nj, ni;
    std::vector<int> iy_base, ix_base;
  };
  std::vector<PhaseGrid> grids;
  int top = 0, left = 0, bottom = 0, right = 0;
  bool missing_taps = false;
  for (const auto& ph : plan.phases) {
    PhaseGrid g{&ph, 0, 0, 0, 0, {}, {}};
    // First cropped output row/column whose un-cropped coordinate has this phase.
    g.oy0 = ((ph.py - s.pad_top) % s.stride_h + s.stride_h) % s.stride_h;
    g.ox0 = ((ph.px - s.pad_left) % s.stride_w + s.stride_w) % s.stride_w;
    g.nj = g.oy0 < oh ? (oh - g.oy0 + s.stride_h - 1) / s.stride_h : 0;
    g.ni = g.ox0 < ow ? (ow - g.ox0 + s.stride_w - 1) / s.stride_w : 0;
    if (g.nj == 0 || g.ni == 0) continue;
    if (ph.ky.empty() || ph.kx.empty()) {
      missing_taps = true;
      continue;
    }
    // Un-cropped Y = oy + pad_top = iy*stride + ky, so iy = (oy + pad_top - ky) / stride (exact).
    for (int ky : ph.ky) {
      g.iy_base.push_back((g.oy0 + s.pad_top - ky) / s.stride_h);
      top = std::max(top, -g.iy_base.back());
      bottom = std::max(bottom, g.iy_base.back() + g.nj - in.h);
    }
    for (int kx : ph.kx) {
      g.ix_base.push_back((g.ox0 + s.pad_left - kx) / s.stride_w);
      left = std::max(left, -g.ix_base.back());
      right = std::max(right, g.ix_base.back() + g.ni - in.w);
    }
    grids.push_back(std::move(g));
  }
  // Phases whose taps all miss the input contribute the bias only.
  if (missing_taps) {
    for (int oc = 0; oc < out.c; ++oc) {
      const float v = activate(bias.empty() ? 0.0f : bias[oc], act);
      std::fill(out.channel(oc), out.channel(oc) + out.plane(), v);
    }
  }
  int bh = 0, bw = 0;
  const auto src = bordered(in, top, left, bottom, right,
                            static_cast<std::size_t>(2 * (in.w + left + right) + 64), bh, bw);
  const std::size_t plane = static_cast<std::size_t>(bh) * bw;
  struct Job {
    const PhaseGrid* grid;
    int j0, j1;
  };
  std::vector<Job> jobs;
  for (const auto& g : grids) {
    const int band = std::max(1, std::min(g.nj, 2048 / bw + 1));
    for (int j = 0; j < g.nj; j += band) jobs.push_back({&g, j, std::min(g.nj, j + band)});
  }
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(jobs.size()), [&](std::ptrdiff_t a, std::ptrdiff_t b) {
        for (std::ptrdiff_t q = a; q < b; ++q) {
          const Job& job = jobs[q];
          const PhaseGrid& g = *job.grid;
          const auto& ph = *g.phase;
          const int n = (job.j1 - job.j0) * bw;
          float* c = scratch_ptr(1, static_cast<std::size_t>(s.out_channels) * n);
          const std::size_t per_tap = static_cast<std::size_t>(s.out_channels) * s.in_channels;
          int t = 0;
          for (std::size_t a_ = 0; a_ < ph.ky.size(); ++a_) {
            for (std::size_t b_ = 0; b_ < ph.kx.size(); ++b_, ++t) {
              const float* bsrc = src.get() + static_cast<std::size_t>(g.iy_base[a_] + top + job.j0) * bw +
                                  (g.ix_base[b_] + left);
              sgemm(s.out_channels, n, s.in_channels, ph.matrix.data() + t * per_tap, s.in_channels, bsrc,
                    static_cast<int>(plane), c, n, t == 0 ? 0.0f : 1.0f);
            }
          }
          for (int oc = 0; oc < s.out_channels; ++oc) {
            const float bv = bias.empty() ? 0.0f : bias[oc];
            for (int j = job.j0; j < job.j1; ++j) {
              float* orow = out.row(oc, g.oy0 + j * s.stride_h) + g.ox0;
              const float* rr =
                  c + static_cast<std::size_t>(oc) * n + static_cast<std::size_t>(j - job.j0) * bw;
              for (int i = 0; i < g.ni; ++i) orow[i * s.stride_w] = activate(rr[i] + bv, act);
            }
          }
        }
      });
  return out;
}

extern constinit const LayerKind k_deconvolution_layer = {.type = "Deconvolution",
                                                          .weights = WeightLayout::Convolution,
                                                          .prepare = &DeconvolutionPlan::prepare,
                                                          .run = &run};

}  // namespace goesvfi::rife
