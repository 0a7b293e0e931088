// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "interp/rife/layers.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/rife/conv_parts.hpp"
#include "interp/rife/simd.hpp"
#include "interp/rife/winograd.hpp"

// The build links oneDNN whenever its header and library are found (root CMakeLists), so the header decides.
#if __has_include(<dnnl.h>)
#define GOESVFI_HAVE_DNNL 1
#include <dnnl.h>
// Debian's oneDNN runs its sgemm on OpenMP threads. goesvfi parallelises with its own pool, so each pool
// thread asks for one OpenMP thread before its first call (weak: absent runtimes make this a no-op).
extern "C" void omp_set_num_threads(int) __attribute__((weak));
#endif

namespace goesvfi::rife {

namespace {

std::atomic<GemmBackend> g_backend{GemmBackend::Auto};
std::atomic<bool> g_vector_kernels{true};

// Portable GEMM: 4 rows of C at a time over 256-column panels, so the inner loop is a vectorisable axpy whose
// C rows stay in L1.
void sgemm_portable(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc,
                    float beta) {
  constexpr int k_panel = 256;
  for (int n0 = 0; n0 < n; n0 += k_panel) {
    const int nn = std::min(k_panel, n - n0);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      float* c0 = c + static_cast<std::size_t>(i) * ldc + n0;
      float* c1 = c0 + ldc;
      float* c2 = c1 + ldc;
      float* c3 = c2 + ldc;
      for (int j = 0; j < nn; ++j) {
        c0[j] = beta == 0.0f ? 0.0f : c0[j] * beta;
        c1[j] = beta == 0.0f ? 0.0f : c1[j] * beta;
        c2[j] = beta == 0.0f ? 0.0f : c2[j] * beta;
        c3[j] = beta == 0.0f ? 0.0f : c3[j] * beta;
      }
      const float* a0 = a + static_cast<std::size_t>(i) * lda;
      for (int p = 0; p < k; ++p) {
        const float* bp = b + static_cast<std::size_t>(p) * ldb + n0;
        const float w0 = a0[p], w1 = a0[lda + p], w2 = a0[2 * lda + p], w3 = a0[3 * lda + p];
        for (int j = 0; j < nn; ++j) {
          const float v = bp[j];
          c0[j] += w0 * v;
          c1[j] += w1 * v;
          c2[j] += w2 * v;
          c3[j] += w3 * v;
        }
      }
    }
    for (; i < m; ++i) {
      float* ci = c + static_cast<std::size_t>(i) * ldc + n0;
      for (int j = 0; j < nn; ++j) ci[j] = beta == 0.0f ? 0.0f : ci[j] * beta;
      for (int p = 0; p < k; ++p) {
        const float* bp = b + static_cast<std::size_t>(p) * ldb + n0;
        const float w = a[static_cast<std::size_t>(i) * lda + p];
        for (int j = 0; j < nn; ++j) ci[j] += w * bp[j];
      }
    }
  }
}

inline float activate(float v, const Activation& act) {
  switch (act.type) {
    case 1:
      return v > 0 ? v : 0.0f;
    case 2:
      return v > 0 ? v : v * act.p0;
    case 3:
      return std::min(std::max(v, act.p0), act.p1);
    case 4:
      return 1.0f / (1.0f + std::exp(-v));
    default:
      return v;
  }
}

}  // namespace

float* scratch_ptr(int which, std::size_t n) {
  thread_local std::vector<float> buffers[4];
  auto& v = buffers[which];
  if (v.size() < n) v.resize(n);
  return v.data();
}

void set_gemm_backend(GemmBackend backend) {
  g_backend = backend;
}

GemmBackend gemm_backend() {
  const GemmBackend b = g_backend.load();
#if defined(GOESVFI_HAVE_DNNL)
  return b == GemmBackend::Auto ? GemmBackend::Dnnl : b;
#else
  return GemmBackend::Portable;
#endif
}

void set_vector_kernels(bool enabled) {
  g_vector_kernels = enabled;
}

bool vector_kernels() {
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
  static const bool cpu_has_avx512 = __builtin_cpu_supports("avx512f");
  return g_vector_kernels.load() && cpu_has_avx512;
#else
  return false;
#endif
}

std::string_view to_string(GemmBackend backend) {
  switch (backend) {
    case GemmBackend::Auto:
      return "auto";
    case GemmBackend::Portable:
      return "portable";
    case GemmBackend::Dnnl:
      return "onednn";
  }
  return "?";
}

void sgemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc,
           float beta) {
#if defined(GOESVFI_HAVE_DNNL)
  if (gemm_backend() == GemmBackend::Dnnl) {
    thread_local bool single_threaded = false;
    if (!single_threaded) {
      if (omp_set_num_threads != nullptr) omp_set_num_threads(1);
      single_threaded = true;
    }
    if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc) != dnnl_success) {
      fail(ErrorKind::Internal, "oneDNN sgemm failed for M={} N={} K={}", m, n, k);
    }
    return;
  }
#endif
  sgemm_portable(m, n, k, a, lda, b, ldb, c, ldc, beta);
}

namespace {

// Epilogue of a GEMM band: out rows from C (row pitch `pitch`) with bias, activation, optional residual +
// leaky. Branch-free selects so the row loops vectorise.
template <int ActType, bool Residual>
[[gnu::always_inline]] inline void epilogue_rows(const float* c, std::size_t c_channel_stride, int pitch,
                                                 const Tensor& out, int y0, int rows,
                                                 std::span<const float> bias, const Activation& act,
                                                 const Tensor* residual, float slope) {
  const float act_slope = ActType == 1 ? 0.0f : act.p0;
  for (int oc = 0; oc < out.c; ++oc) {
    const float bv = bias.empty() ? 0.0f : bias[oc];
    for (int r = 0; r < rows; ++r) {
      const float* __restrict src = c + oc * c_channel_stride + static_cast<std::size_t>(r) * pitch;
      float* __restrict dst = out.row(oc, y0 + r);
      const float* __restrict res = Residual ? residual->row(oc, y0 + r) : nullptr;
      for (int x = 0; x < out.w; ++x) {
        float v = src[x] + bv;
        if constexpr (ActType == 1 || ActType == 2) v = std::max(v, 0.0f) + std::min(v, 0.0f) * act_slope;
        if constexpr (ActType == 3 || ActType == 4) v = activate(v, act);
        if constexpr (Residual) {
          v += res[x];
          v = std::max(v, 0.0f) + std::min(v, 0.0f) * slope;
        }
        dst[x] = v;
      }
    }
  }
}

template <bool Residual>
[[gnu::always_inline]] inline void epilogue_act(const float* c, std::size_t c_channel_stride, int pitch,
                                                const Tensor& out, int y0, int rows,
                                                std::span<const float> bias, const Activation& act,
                                                const Tensor* residual, float slope) {
  switch (act.type) {
    case 0:
      return epilogue_rows<0, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    case 1:
      return epilogue_rows<1, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    case 2:
      return epilogue_rows<2, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
    default:
      return epilogue_rows<3, Residual>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual,
                                        slope);
  }
}

}  // namespace

GOESVFI_SIMD_CLONES
void epilogue(const float* c, std::size_t c_channel_stride, int pitch, const Tensor& out, int y0, int rows,
              std::span<const float> bias, const Activation& act, const Tensor* residual, float slope) {
  if (residual != nullptr)
    return epilogue_act<true>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual, slope);
  epilogue_act<false>(c, c_channel_stride, pitch, out, y0, rows, bias, act, residual, slope);
}

namespace {

// Zero-bordered copy of `in` (top/left/bottom/right), with `slack` zero floats after the last channel so
// tap-offset GEMM reads of junk columns stay inside the buffer.
std::shared_ptr<float[]> bordered(const Tensor& in, int top, int left, int bottom, int right,
                                  std::size_t slack, int& bh, int& bw) {
  bh = in.h + top + bottom;
  bw = in.w + left + right;
  const std::size_t plane = static_cast<std::size_t>(bh) * bw;
  std::shared_ptr<float[]> buf = acquire_floats(plane * in.c + slack);
  float* base = buf.get();
  const int ww = bw;
  ThreadPool::global().parallel_for(0, in.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
    for (std::ptrdiff_t c = c0; c < c1; ++c) {
      float* dst = base + plane * c;
      std::fill(dst, dst + static_cast<std::size_t>(top) * ww, 0.0f);
      for (int y = 0; y < in.h; ++y) {
        float* row = dst + static_cast<std::size_t>(top + y) * ww;
        std::fill(row, row + left, 0.0f);
        std::memcpy(row + left, in.row(static_cast<int>(c), y), sizeof(float) * in.w);
        std::fill(row + left + in.w, row + ww, 0.0f);
      }
      std::fill(dst + static_cast<std::size_t>(top + in.h) * ww, dst + plane, 0.0f);
    }
  });
  std::fill(base + plane * in.c, base + plane * in.c + slack, 0.0f);
  return buf;
}

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

}  // namespace

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

namespace {

// ncnn's linear_coeffs (align_corner 0).
void linear_coeffs(int w, int outw, std::vector<int>& ofs, std::vector<float>& alpha) {
  ofs.resize(outw);
  alpha.resize(2 * static_cast<std::size_t>(outw));
  const double scale = static_cast<double>(w) / outw;
  for (int dx = 0; dx < outw; ++dx) {
    float fx = static_cast<float>((dx + 0.5) * scale - 0.5);
    int sx = static_cast<int>(std::floor(fx));
    fx -= static_cast<float>(sx);
    if (sx < 0) {
      sx = 0;
      fx = 0.f;
    }
    if (sx >= w - 1) {
      sx = std::max(w - 2, 0);
      fx = w >= 2 ? 1.f : 0.f;
    }
    ofs[dx] = sx;
    alpha[2 * dx] = 1.f - fx;
    alpha[2 * dx + 1] = fx;
  }
}

// One output row of bilinear Interp from source rows s0/s1 and row weights b0/b1.
struct ResizeRows {
  const Tensor& in;
  const Tensor& out;
  const std::vector<int>& xofs;
  const std::vector<float>& alpha;  // interleaved (1 - fx, fx) per output column
};

GOESVFI_SIMD_CLONES
void resize_row(const ResizeRows& r, const float* s0, const float* s1, float b0, float b1, float* dst,
                float* top, float* bottom) {
  const int out_w = r.out.w, xmax = r.in.w - 1;
  for (int dx = 0; dx < out_w; ++dx) {
    const int sx = r.xofs[dx], sx1 = std::min(sx + 1, xmax);
    const float a0 = r.alpha[2 * dx], a1 = r.alpha[2 * dx + 1];
    top[dx] = s0[sx] * a0 + s0[sx1] * a1;
    bottom[dx] = s1[sx] * a0 + s1[sx1] * a1;
  }
  for (int dx = 0; dx < out_w; ++dx) dst[dx] = top[dx] * b0 + bottom[dx] * b1;
}

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
__attribute__((target("avx512f"))) void resize_row_avx512(const ResizeRows& r, const float* s0,
                                                          const float* s1, float b0, float b1, float* dst) {
  const int out_w = r.out.w;
  const __m512i xmax = _mm512_set1_epi32(r.in.w - 1), one = _mm512_set1_epi32(1);
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512 vb0 = _mm512_set1_ps(b0), vb1 = _mm512_set1_ps(b1);
  for (int dx = 0; dx < out_w; dx += 16) {
    const __mmask16 m = out_w - dx >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (out_w - dx)) - 1);
    const __m512i sx = _mm512_maskz_loadu_epi32(m, r.xofs.data() + dx);
    const __m512i sx1 = _mm512_min_epi32(_mm512_add_epi32(sx, one), xmax);
    const __m512 a0 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, even, r.alpha.data() + 2 * dx, 4);
    const __m512 a1 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, even, r.alpha.data() + 2 * dx + 1, 4);
    const __m512 z = _mm512_setzero_ps();
    const __m512 top = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx, s0, 4), a0),
                                     _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx1, s0, 4), a1));
    const __m512 bottom = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx, s1, 4), a0),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, sx1, s1, 4), a1));
    _mm512_mask_storeu_ps(dst + dx, m, _mm512_add_ps(_mm512_mul_ps(top, vb0), _mm512_mul_ps(bottom, vb1)));
  }
}
#endif

}  // namespace

Tensor resize(const Tensor& in, int out_h, int out_w, int resize_type) {
  if (out_h <= 0 || out_w <= 0) {
    fail(ErrorKind::InvalidArgument, "Interp: output size {}x{} from {}x{} is empty", out_h, out_w, in.h,
         in.w);
  }
  if (out_h == in.h && out_w == in.w) return in;
  Tensor out = Tensor::make(in.c, out_h, out_w);
  if (resize_type == 1) {
    const float sx = static_cast<float>(in.w) / out_w, sy = static_cast<float>(in.h) / out_h;
    ThreadPool::global().parallel_for(0, in.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
      for (std::ptrdiff_t c = c0; c < c1; ++c) {
        for (int y = 0; y < out_h; ++y) {
          const int iy = std::min(static_cast<int>(y * sy), in.h - 1);
          const float* src = in.row(static_cast<int>(c), iy);
          float* dst = out.row(static_cast<int>(c), y);
          for (int x = 0; x < out_w; ++x) dst[x] = src[std::min(static_cast<int>(x * sx), in.w - 1)];
        }
      }
    });
    return out;
  }
  std::vector<int> xofs, yofs;
  std::vector<float> alpha, beta;
  linear_coeffs(in.w, out_w, xofs, alpha);
  linear_coeffs(in.h, out_h, yofs, beta);
  ResizeRows rows{in, out, xofs, alpha};
  const bool vector = vector_kernels();
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(in.c) * out_h,
      [&](std::ptrdiff_t r0, std::ptrdiff_t r1) {
        std::vector<float> top(out_w), bottom(out_w);
        for (std::ptrdiff_t r = r0; r < r1; ++r) {
          const int c = static_cast<int>(r / out_h), dy = static_cast<int>(r % out_h);
          const int sy = yofs[dy];
          const float* s0 = in.row(c, sy);
          const float* s1 = in.row(c, std::min(sy + 1, in.h - 1));
          float* dst = out.row(c, dy);
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
          if (vector) {
            resize_row_avx512(rows, s0, s1, beta[2 * dy], beta[2 * dy + 1], dst);
            continue;
          }
#endif
          resize_row(rows, s0, s1, beta[2 * dy], beta[2 * dy + 1], dst, top.data(), bottom.data());
        }
      },
      8);
  return out;
}

Tensor pixel_shuffle(const Tensor& in, int r) {
  if (r <= 0 || in.c % (r * r) != 0) {
    fail(ErrorKind::InvalidArgument, "PixelShuffle: {} channels are not a multiple of {}^2", in.c, r);
  }
  const int oc = in.c / (r * r);
  Tensor out = Tensor::make(oc, in.h * r, in.w * r);
  // out[c][y*r + i][x*r + j] = in[c*r*r + i*r + j][y][x]: one strided pass per (channel, input row, i, j).
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(oc) * in.h,
      [&](std::ptrdiff_t r0, std::ptrdiff_t r1) {
        for (std::ptrdiff_t task = r0; task < r1; ++task) {
          const int c = static_cast<int>(task / in.h), y = static_cast<int>(task % in.h);
          for (int i = 0; i < r; ++i) {
            float* dst = out.row(c, y * r + i);
            for (int j = 0; j < r; ++j) {
              const float* src = in.row(c * r * r + i * r + j, y);
              for (int x = 0; x < in.w; ++x) dst[x * r + j] = src[x];
            }
          }
        }
      },
      4);
  return out;
}

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

namespace {

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

}  // namespace

Tensor binary_op(const Tensor& a, const Tensor& b, BinaryOpType op) {
  return dispatch_binary(op, [&](auto f) { return elementwise2(a, b, f); });
}

Tensor binary_op_scalar(const Tensor& a, float b, BinaryOpType op) {
  return dispatch_binary(op, [&](auto f) { return elementwise1(a, [&](float x, int) { return f(x, b); }); });
}

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

Tensor relu(const Tensor& in, float slope) {
  return elementwise1(in, [slope](float x, int) { return x > 0 ? x : x * slope; });
}

Tensor sigmoid(const Tensor& in) {
  return elementwise1(in, [](float x, int) { return 1.0f / (1.0f + std::exp(-x)); });
}

Tensor prelu(const Tensor& in, std::span<const float> slopes) {
  if (slopes.size() != 1 && slopes.size() != static_cast<std::size_t>(in.c)) {
    fail(ErrorKind::InvalidArgument, "PReLU: {} slopes for {} channels", slopes.size(), in.c);
  }
  return elementwise1(in, [&](float x, int k) { return x > 0 ? x : x * slopes[slopes.size() == 1 ? 0 : k]; });
}

namespace {

// Rows [y0, y1) of rife.Warp. Pre-clamping to [-1, size] changes nothing (both taps are the border there)
// and keeps NaN (-> -1) and huge flows from overflowing the int conversion.
GOESVFI_SIMD_CLONES
void warp_rows(const Tensor& image, const Tensor& flow, const Tensor& out, int y0, int y1) {
  const int w = image.w, h = image.h;
  for (int y = y0; y < y1; ++y) {
    const float* fx = flow.row(0, y);
    const float* fy = flow.row(1, y);
    for (int x = 0; x < w; ++x) {
      float sx = static_cast<float>(x) + fx[x], sy = static_cast<float>(y) + fy[x];
      sx = sx > -1.0f ? sx : -1.0f;
      sy = sy > -1.0f ? sy : -1.0f;
      sx = std::min(sx, static_cast<float>(w));
      sy = std::min(sy, static_cast<float>(h));
      // floor() of values in [-1, size]: truncate, then step down for negatives.
      int xa = static_cast<int>(sx), ya = static_cast<int>(sy);
      xa -= static_cast<float>(xa) > sx;
      ya -= static_cast<float>(ya) > sy;
      const int xb = std::clamp(xa + 1, 0, w - 1), yb = std::clamp(ya + 1, 0, h - 1);
      xa = std::clamp(xa, 0, w - 1);
      ya = std::clamp(ya, 0, h - 1);
      const float alpha = sx - static_cast<float>(xa), beta = sy - static_cast<float>(ya);
      for (int c = 0; c < image.c; ++c) {
        const float* r0 = image.row(c, ya);
        const float* r1 = image.row(c, yb);
        const float v4 = r0[xa] * (1 - alpha) + r0[xb] * alpha;
        const float v5 = r1[xa] * (1 - alpha) + r1[xb] * alpha;
        out.row(c, y)[x] = v4 * (1 - beta) + v5 * beta;
      }
    }
  }
}

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// warp_rows for 16 pixels at a time: coordinates once, then four gathers per channel.
__attribute__((target("avx512f"))) void warp_rows_avx512(const Tensor& image, const Tensor& flow,
                                                         const Tensor& out, int y0, int y1) {
  const int w = image.w, h = image.h;
  const __m512 lo = _mm512_set1_ps(-1.0f), wf = _mm512_set1_ps(static_cast<float>(w)),
               hf = _mm512_set1_ps(static_cast<float>(h)), one = _mm512_set1_ps(1.0f),
               z = _mm512_setzero_ps();
  const __m512 iota = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i izero = _mm512_setzero_si512(), ione = _mm512_set1_epi32(1), xmax = _mm512_set1_epi32(w - 1),
                ymax = _mm512_set1_epi32(h - 1), stride = _mm512_set1_epi32(w);
  constexpr int k_floor = _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC;
  for (int y = y0; y < y1; ++y) {
    const float* fx = flow.row(0, y);
    const float* fy = flow.row(1, y);
    const __m512 yv = _mm512_set1_ps(static_cast<float>(y));
    for (int x = 0; x < w; x += 16) {
      const __mmask16 m = w - x >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (w - x)) - 1);
      __m512 sx = _mm512_add_ps(_mm512_add_ps(_mm512_set1_ps(static_cast<float>(x)), iota),
                                _mm512_maskz_loadu_ps(m, fx + x));
      __m512 sy = _mm512_add_ps(yv, _mm512_maskz_loadu_ps(m, fy + x));
      // max returns its second operand for NaN: NaN -> -1 as in warp_rows.
      sx = _mm512_min_ps(_mm512_max_ps(sx, lo), wf);
      sy = _mm512_min_ps(_mm512_max_ps(sy, lo), hf);
      __m512i xa = _mm512_cvttps_epi32(_mm512_roundscale_ps(sx, k_floor));
      __m512i ya = _mm512_cvttps_epi32(_mm512_roundscale_ps(sy, k_floor));
      const __m512i xb = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(xa, ione), izero), xmax);
      const __m512i yb = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(ya, ione), izero), ymax);
      xa = _mm512_min_epi32(_mm512_max_epi32(xa, izero), xmax);
      ya = _mm512_min_epi32(_mm512_max_epi32(ya, izero), ymax);
      const __m512 alpha = _mm512_sub_ps(sx, _mm512_cvtepi32_ps(xa));
      const __m512 beta = _mm512_sub_ps(sy, _mm512_cvtepi32_ps(ya));
      const __m512 alpha1 = _mm512_sub_ps(one, alpha), beta1 = _mm512_sub_ps(one, beta);
      const __m512i row_a = _mm512_mullo_epi32(ya, stride), row_b = _mm512_mullo_epi32(yb, stride);
      const __m512i i00 = _mm512_add_epi32(row_a, xa), i01 = _mm512_add_epi32(row_a, xb);
      const __m512i i10 = _mm512_add_epi32(row_b, xa), i11 = _mm512_add_epi32(row_b, xb);
      for (int c = 0; c < image.c; ++c) {
        const float* src = image.channel(c);
        const __m512 v4 = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i00, src, 4), alpha1),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i01, src, 4), alpha));
        const __m512 v5 = _mm512_add_ps(_mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i10, src, 4), alpha1),
                                        _mm512_mul_ps(_mm512_mask_i32gather_ps(z, m, i11, src, 4), alpha));
        _mm512_mask_storeu_ps(out.row(c, y) + x, m,
                              _mm512_add_ps(_mm512_mul_ps(v4, beta1), _mm512_mul_ps(v5, beta)));
      }
    }
  }
}
#endif

}  // namespace

Tensor warp(const Tensor& image, const Tensor& flow) {
  if (flow.c < 2 || flow.h != image.h || flow.w != image.w) {
    fail(ErrorKind::InvalidArgument, "rife.Warp: flow {}x{}x{} does not match image {}x{}x{}", flow.c, flow.h,
         flow.w, image.c, image.h, image.w);
  }
  Tensor out = Tensor::make(image.c, image.h, image.w);
  const bool vector = vector_kernels();
  ThreadPool::global().parallel_for(
      0, image.h,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
#if defined(GOESVFI_HAVE_AVX512_KERNELS)
        if (vector) return warp_rows_avx512(image, flow, out, static_cast<int>(y0), static_cast<int>(y1));
#endif
        warp_rows(image, flow, out, static_cast<int>(y0), static_cast<int>(y1));
      },
      4);
  return out;
}

}  // namespace goesvfi::rife
