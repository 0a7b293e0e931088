// ncnn Convolution: im2col, tap-GEMM and Winograd paths (conv2d), and the layer's row.
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/conv_parts.hpp"
#include "interp/rife/layer.hpp"
#include "interp/rife/ncnn_model.hpp"
#include "interp/rife/simd.hpp"
#include "interp/rife/winograd.hpp"

namespace goesvfi::rife {

namespace {

// im2col rows of input channel `ic` for output rows [y0, y1): one row of `n` = (y1 - y0) * ow values per tap,
// zeros where the tap falls into the padding.
GOESVFI_SIMD_CLONES
void im2col_channel(const Tensor& in, const ConvShape& s, int ic, int ow, int y0, int y1, float* col,
                    std::size_t n) {
  const float* src = in.channel(ic);
  for (int ky = 0; ky < s.kernel_h; ++ky) {
    for (int kx = 0; kx < s.kernel_w; ++kx) {
      float* dst = col + static_cast<std::size_t>((ic * s.kernel_h + ky) * s.kernel_w + kx) * n;
      const int xoff = kx * s.dilation_w - s.pad_left;
      // Valid output columns: 0 <= ox*stride + xoff < in.w.
      const int lo = std::min(ow, xoff >= 0 ? 0 : (-xoff + s.stride_w - 1) / s.stride_w);
      const int hi = std::clamp((in.w - xoff + s.stride_w - 1) / s.stride_w, lo, ow);
      for (int oy = y0; oy < y1; ++oy, dst += ow) {
        const int iy = oy * s.stride_h - s.pad_top + ky * s.dilation_h;
        if (iy < 0 || iy >= in.h) {
          std::fill(dst, dst + ow, 0.0f);
          continue;
        }
        const float* __restrict srow = src + static_cast<std::size_t>(iy) * in.w + xoff;
        float* __restrict d = dst;
        std::fill(d, d + lo, 0.0f);
        if (s.stride_w == 2) {  // the common case, as its own loop so it vectorises with a constant stride
          for (int ox = lo; ox < hi; ++ox) d[ox] = srow[2 * ox];
        } else {
          for (int ox = lo; ox < hi; ++ox) d[ox] = srow[ox * s.stride_w];
        }
        std::fill(d + hi, d + ow, 0.0f);
      }
    }
  }
}

using ConvolutionPlan = ConvLayerPlan<ConvPlan, &plan_conv, false>;

void run(const LayerRun& r, std::span<Tensor> out) {
  const auto& plan = static_cast<const ConvolutionPlan&>(*r.plan);
  const Tensor& x = *r.in[0];
  if (r.macs != nullptr) {
    const ConvShape& s = plan.prepared.shape;
    const double ow = (x.w + s.pad_left + s.pad_right - s.dilation_w * (s.kernel_w - 1) - 1) / s.stride_w + 1;
    const double oh = (x.h + s.pad_top + s.pad_bottom - s.dilation_h * (s.kernel_h - 1) - 1) / s.stride_h + 1;
    *r.macs += ow * oh * static_cast<double>(r.layer.weights.size());
  }
  out[0] = conv2d(x, plan.prepared, r.layer.bias, plan.act, r.residual, r.residual_slope);
}

}  // namespace

ConvParams conv_params(const LayerSite& site, bool deconvolution) {
  const LayerDesc& l = site.layer;
  const ParamDict& p = l.params;
  ConvParams out;
  ConvShape& s = out.shape;
  s.out_channels = p.get_int(0, 0);
  s.kernel_w = p.get_int(1, 0);
  s.kernel_h = p.get_int(11, s.kernel_w);
  s.dilation_w = p.get_int(2, 1);
  s.dilation_h = p.get_int(12, s.dilation_w);
  s.stride_w = p.get_int(3, 1);
  s.stride_h = p.get_int(13, s.stride_w);
  s.pad_left = p.get_int(4, 0);
  s.pad_right = p.get_int(15, s.pad_left);
  s.pad_top = p.get_int(14, s.pad_left);
  s.pad_bottom = p.get_int(16, s.pad_top);
  if (deconvolution) {
    s.output_pad_right = p.get_int(18, 0);
    s.output_pad_bottom = p.get_int(19, s.output_pad_right);
  }
  const std::int64_t wsize = p.get_int(6, 0);
  if (s.out_channels <= 0 || s.kernel_w <= 0 || s.kernel_h <= 0 || s.stride_w <= 0 || s.stride_h <= 0 ||
      s.dilation_w <= 0 || s.dilation_h <= 0 || s.kernel_w > 64 || s.kernel_h > 64 || s.stride_w > 64 ||
      s.stride_h > 64 || s.dilation_w > 64 || s.dilation_h > 64) {
    site.bad("needs 0=num_output, 1=kernel, 2=dilation, 3=stride all positive (and at most 64)");
  }
  if (s.pad_left < 0 || s.pad_right < 0 || s.pad_top < 0 || s.pad_bottom < 0 || s.pad_left > 1024 ||
      s.pad_right > 1024 || s.pad_top > 1024 || s.pad_bottom > 1024 || s.output_pad_right < 0 ||
      s.output_pad_bottom < 0 || s.output_pad_right > 64 || s.output_pad_bottom > 64) {
    site.bad("padding must be explicit and in [0, 1024] (SAME padding -233/-234 is not supported)");
  }
  if (p.get_int(8, 0) != 0) {
    fail(ErrorKind::Unsupported, "{} is int8-quantised (8=1); only fp16/fp32 models are supported",
         site.where());
  }
  const std::int64_t per_in = static_cast<std::int64_t>(s.out_channels) * s.kernel_w * s.kernel_h;
  if (wsize <= 0 || wsize % per_in != 0) {
    site.bad(
        fmt::format("6=weight_data_size {} is not a positive multiple of num_output*kernel_w*kernel_h = {}",
                    wsize, per_in));
  }
  if (p.has(7) && p.get_int(7, 1) != 1) site.bad("grouped convolution (7=group) is not supported");
  s.in_channels = static_cast<int>(wsize / per_in);
  if (l.weights.size() != static_cast<std::size_t>(wsize)) site.bad("weights not loaded");
  if (p.get_int(5, 0) != 0 && l.bias.size() != static_cast<std::size_t>(s.out_channels))
    site.bad("bias not loaded");
  out.act.type = p.get_int(9, 0);
  const auto ap = p.get_array(10);
  if (out.act.type < 0 || out.act.type > 4) {
    fail(ErrorKind::Unsupported,
         "{} has activation type {} (supported: 0 none, 1 relu, 2 leaky relu, 3 clip, 4 sigmoid)",
         site.where(), out.act.type);
  }
  if ((out.act.type == 2 && ap.empty()) || (out.act.type == 3 && ap.size() < 2)) {
    site.bad("activation parameters (-23310=) are missing");
  }
  if (!ap.empty()) out.act.p0 = ap[0];
  if (ap.size() > 1) out.act.p1 = ap[1];
  return out;
}

ConvPlan plan_conv(const ConvShape& shape, std::span<const float> weights) {
  ConvPlan plan;
  plan.shape = shape;
  const int oc_n = shape.out_channels, ic_n = shape.in_channels;
  if (winograd_applies(shape)) {
    plan.winograd = winograd_weights(shape, weights);
  } else if (shape.stride_w != 1 || shape.stride_h != 1) {
    plan.weights.assign(weights.begin(), weights.end());  // im2col + GEMM
  } else {
    const int taps = shape.kernel_w * shape.kernel_h;
    plan.taps.resize(weights.size());
    for (int oc = 0; oc < oc_n; ++oc) {
      for (int ic = 0; ic < ic_n; ++ic) {
        for (int t = 0; t < taps; ++t) {
          plan.taps[(static_cast<std::size_t>(t) * oc_n + oc) * ic_n + ic] =
              weights[(static_cast<std::size_t>(oc) * ic_n + ic) * taps + t];
        }
      }
    }
  }
  return plan;
}

Tensor conv2d(const Tensor& in, const ConvPlan& plan, std::span<const float> bias, Activation act,
              const Tensor* residual, float residual_slope) {
  const ConvShape& s = plan.shape;
  const int ext_w = s.dilation_w * (s.kernel_w - 1) + 1, ext_h = s.dilation_h * (s.kernel_h - 1) + 1;
  const int ow = (in.w + s.pad_left + s.pad_right - ext_w) / s.stride_w + 1;
  const int oh = (in.h + s.pad_top + s.pad_bottom - ext_h) / s.stride_h + 1;
  if (in.c != s.in_channels || in.w + s.pad_left + s.pad_right < ext_w ||
      in.h + s.pad_top + s.pad_bottom < ext_h) {
    fail(ErrorKind::InvalidArgument,
         "convolution: input {}x{}x{} does not fit {} input channels, kernel {}x{}", in.c, in.h, in.w,
         s.in_channels, s.kernel_h, s.kernel_w);
  }
  if (residual != nullptr && (residual->c != s.out_channels || residual->h != oh || residual->w != ow)) {
    fail(ErrorKind::InvalidArgument, "convolution: residual {}x{}x{} differs from output {}x{}x{}",
         residual->c, residual->h, residual->w, s.out_channels, oh, ow);
  }
  Tensor out = Tensor::make(s.out_channels, oh, ow);
  auto& pool = ThreadPool::global();
  if (!plan.winograd.empty()) {
    winograd_conv(in, plan, bias, act, residual, residual_slope, out);
    return out;
  }
  if (!plan.taps.empty()) {
    int bh = 0, bw = 0;
    const auto src = bordered(in, s.pad_top, s.pad_left, s.pad_bottom, s.pad_right,
                              static_cast<std::size_t>(ext_w) + 16, bh, bw);
    const std::size_t plane = static_cast<std::size_t>(bh) * bw;
    // Bands of about 2048 bordered columns (C stays in L2), at least 4 per thread for balance.
    int band = std::max(1, std::min(oh, 2048 / bw + 1));
    while (band > 1 && (oh + band - 1) / band < 4 * pool.size()) band = (band + 1) / 2;
    const int bands = (oh + band - 1) / band;
    const int taps = s.kernel_w * s.kernel_h;
    pool.parallel_for(0, bands, [&](std::ptrdiff_t b0, std::ptrdiff_t b1) {
      for (std::ptrdiff_t bi = b0; bi < b1; ++bi) {
        const int y0 = static_cast<int>(bi) * band, rows = std::min(oh, y0 + band) - y0;
        const int n = rows * bw;
        float* c = scratch_ptr(1, static_cast<std::size_t>(s.out_channels) * n);
        for (int t = 0; t < taps; ++t) {
          const int ky = t / s.kernel_w, kx = t % s.kernel_w;
          const float* b =
              src.get() + static_cast<std::size_t>(y0 + ky * s.dilation_h) * bw + kx * s.dilation_w;
          const float* a = plan.taps.data() + static_cast<std::size_t>(t) * s.out_channels * s.in_channels;
          sgemm(s.out_channels, n, s.in_channels, a, s.in_channels, b, static_cast<int>(plane), c, n,
                t == 0 ? 0.0f : 1.0f);
        }
        epilogue(c, static_cast<std::size_t>(n), bw, out, y0, rows, bias, act, residual, residual_slope);
      }
    });
    return out;
  }
  const int taps = s.kernel_w * s.kernel_h;
  const int k = s.in_channels * taps;
  // Bands of output rows: about 4096 columns of im2col each, and at least 4 per thread for balance.
  int band = std::max(1, std::min(oh, (4096 + ow - 1) / ow));
  while (band > 1 && (oh + band - 1) / band < 4 * pool.size()) band = (band + 1) / 2;
  const int bands = (oh + band - 1) / band;
  pool.parallel_for(0, bands, [&](std::ptrdiff_t b0, std::ptrdiff_t b1) {
    for (std::ptrdiff_t bi = b0; bi < b1; ++bi) {
      const int y0 = static_cast<int>(bi) * band, y1 = std::min(oh, y0 + band);
      const int n = (y1 - y0) * ow;
      float* col = scratch_ptr(0, static_cast<std::size_t>(k) * n);
      for (int ic = 0; ic < s.in_channels; ++ic) im2col_channel(in, s, ic, ow, y0, y1, col, n);
      float* c = scratch_ptr(1, static_cast<std::size_t>(s.out_channels) * n);
      sgemm(s.out_channels, n, k, plan.weights.data(), k, col, n, c, n);
      epilogue(c, static_cast<std::size_t>(n), ow, out, y0, y1 - y0, bias, act, residual, residual_slope);
    }
  });
  return out;
}

extern constinit const LayerKind k_convolution_layer = {.type = "Convolution",
                                                        .weights = WeightLayout::Convolution,
                                                        .prepare = &ConvolutionPlan::prepare,
                                                        .run = &run};

}  // namespace goesvfi::rife
