#include "interp/rife/layers.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

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

// Portable GEMM: 4 rows of C at a time over 256-column panels, so the inner loop is a vectorisable axpy whose
// C rows stay in L1.
void sgemm_portable(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
                    int ldc) {
  constexpr int k_panel = 256;
  for (int n0 = 0; n0 < n; n0 += k_panel) {
    const int nn = std::min(k_panel, n - n0);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      float* c0 = c + static_cast<std::size_t>(i) * ldc + n0;
      float* c1 = c0 + ldc;
      float* c2 = c1 + ldc;
      float* c3 = c2 + ldc;
      std::fill(c0, c0 + nn, 0.0f);
      std::fill(c1, c1 + nn, 0.0f);
      std::fill(c2, c2 + nn, 0.0f);
      std::fill(c3, c3 + nn, 0.0f);
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
      std::fill(ci, ci + nn, 0.0f);
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

// Scratch that lives as long as the pool thread: no allocation per layer once warm.
std::vector<float>& scratch(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}

float* scratch_ptr(int which, std::size_t n) {
  auto& v = scratch(which);
  if (v.size() < n) v.resize(n);
  return v.data();
}

}  // namespace

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

void sgemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
#if defined(GOESVFI_HAVE_DNNL)
  if (gemm_backend() == GemmBackend::Dnnl) {
    thread_local bool single_threaded = false;
    if (!single_threaded) {
      if (omp_set_num_threads != nullptr) omp_set_num_threads(1);
      single_threaded = true;
    }
    if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc) != dnnl_success) {
      fail(ErrorKind::Internal, "oneDNN sgemm failed for M={} N={} K={}", m, n, k);
    }
    return;
  }
#endif
  sgemm_portable(m, n, k, a, lda, b, ldb, c, ldc);
}

Tensor conv2d(const Tensor& in, const ConvShape& s, std::span<const float> weights,
              std::span<const float> bias, Activation act, const Tensor* residual, float residual_slope) {
  const int ext_w = s.dilation_w * (s.kernel_w - 1) + 1, ext_h = s.dilation_h * (s.kernel_h - 1) + 1;
  const int ow = (in.w + s.pad_left + s.pad_right - ext_w) / s.stride_w + 1;
  const int oh = (in.h + s.pad_top + s.pad_bottom - ext_h) / s.stride_h + 1;
  if (in.c != s.in_channels || ow <= 0 || oh <= 0) {
    fail(ErrorKind::InvalidArgument,
         "convolution: input {}x{}x{} does not fit {} input channels, kernel {}x{}", in.c, in.h, in.w,
         s.in_channels, s.kernel_h, s.kernel_w);
  }
  if (residual != nullptr && (residual->c != s.out_channels || residual->h != oh || residual->w != ow)) {
    fail(ErrorKind::InvalidArgument, "convolution: residual {}x{}x{} differs from output {}x{}x{}",
         residual->c, residual->h, residual->w, s.out_channels, oh, ow);
  }
  Tensor out = Tensor::make(s.out_channels, oh, ow);
  const int taps = s.kernel_w * s.kernel_h;
  const int k = s.in_channels * taps;
  auto& pool = ThreadPool::global();
  // Bands of output rows: about 4096 columns of im2col each, and at least 4 per thread for balance.
  int band = std::max(1, std::min(oh, (4096 + ow - 1) / ow));
  while (band > 1 && (oh + band - 1) / band < 4 * pool.size()) band = (band + 1) / 2;
  const int bands = (oh + band - 1) / band;
  pool.parallel_for(0, bands, [&](std::ptrdiff_t b0, std::ptrdiff_t b1) {
    for (std::ptrdiff_t bi = b0; bi < b1; ++bi) {
      const int y0 = static_cast<int>(bi) * band, y1 = std::min(oh, y0 + band);
      const int n = (y1 - y0) * ow;
      float* col = scratch_ptr(0, static_cast<std::size_t>(k) * n);
      for (int ic = 0; ic < s.in_channels; ++ic) {
        const float* src = in.channel(ic);
        for (int ky = 0; ky < s.kernel_h; ++ky) {
          for (int kx = 0; kx < s.kernel_w; ++kx) {
            float* dst = col + static_cast<std::size_t>((ic * s.kernel_h + ky) * s.kernel_w + kx) * n;
            const int xoff = kx * s.dilation_w - s.pad_left;
            // Valid output columns: 0 <= ox*stride + xoff < in.w.
            const int lo = xoff >= 0 ? 0 : (-xoff + s.stride_w - 1) / s.stride_w;
            const int hi = std::clamp((in.w - xoff + s.stride_w - 1) / s.stride_w, lo, ow);
            for (int oy = y0; oy < y1; ++oy, dst += ow) {
              const int iy = oy * s.stride_h - s.pad_top + ky * s.dilation_h;
              if (iy < 0 || iy >= in.h) {
                std::fill(dst, dst + ow, 0.0f);
                continue;
              }
              const float* srow = src + static_cast<std::size_t>(iy) * in.w + xoff;
              std::fill(dst, dst + lo, 0.0f);
              if (s.stride_w == 1) {
                std::memcpy(dst + lo, srow + lo, sizeof(float) * (hi - lo));
              } else {
                for (int ox = lo; ox < hi; ++ox) dst[ox] = srow[ox * s.stride_w];
              }
              std::fill(dst + hi, dst + ow, 0.0f);
            }
          }
        }
      }
      const std::size_t plane = static_cast<std::size_t>(oh) * ow;
      float* c = out.data() + static_cast<std::size_t>(y0) * ow;
      sgemm(s.out_channels, n, k, weights.data(), k, col, n, c, static_cast<int>(plane));
      for (int oc = 0; oc < s.out_channels; ++oc) {
        float* o = c + oc * plane;
        const float bv = bias.empty() ? 0.0f : bias[oc];
        if (residual != nullptr) {
          const float* r = residual->channel(oc) + static_cast<std::size_t>(y0) * ow;
          for (int j = 0; j < n; ++j) {
            const float v = activate(o[j] + bv, act) + r[j];
            o[j] = v > 0 ? v : v * residual_slope;
          }
        } else {
          for (int j = 0; j < n; ++j) o[j] = activate(o[j] + bv, act);
        }
      }
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
      const std::size_t taps = ph.ky.size() * ph.kx.size();
      ph.matrix.resize(static_cast<std::size_t>(shape.out_channels) * shape.in_channels * taps);
      std::size_t idx = 0;
      for (int oc = 0; oc < shape.out_channels; ++oc) {
        for (int ic = 0; ic < shape.in_channels; ++ic) {
          for (int y : ph.ky) {
            for (int x : ph.kx) {
              ph.matrix[idx++] =
                  weights[((static_cast<std::size_t>(oc) * shape.in_channels + ic) * kh + y) * kw + x];
            }
          }
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
  struct Job {
    const DeconvPlan::Phase* phase;
    int oy0, ox0, nj, ni, j0, j1;
  };
  std::vector<Job> jobs;
  for (const auto& ph : plan.phases) {
    // First cropped output row/column whose un-cropped coordinate has this phase.
    const int oy0 = ((ph.py - s.pad_top) % s.stride_h + s.stride_h) % s.stride_h;
    const int ox0 = ((ph.px - s.pad_left) % s.stride_w + s.stride_w) % s.stride_w;
    const int nj = oy0 < oh ? (oh - oy0 + s.stride_h - 1) / s.stride_h : 0;
    const int ni = ox0 < ow ? (ow - ox0 + s.stride_w - 1) / s.stride_w : 0;
    if (nj == 0 || ni == 0) continue;
    const int band = std::max(1, std::min(nj, 2048 / ni + 1));
    for (int j = 0; j < nj; j += band) jobs.push_back({&ph, oy0, ox0, nj, ni, j, std::min(nj, j + band)});
  }
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(jobs.size()), [&](std::ptrdiff_t a, std::ptrdiff_t b) {
        for (std::ptrdiff_t q = a; q < b; ++q) {
          const Job& job = jobs[q];
          const auto& ph = *job.phase;
          const int tky = static_cast<int>(ph.ky.size()), tkx = static_cast<int>(ph.kx.size());
          const int k = s.in_channels * tky * tkx;
          const int n = (job.j1 - job.j0) * job.ni;
          float* col = scratch_ptr(0, static_cast<std::size_t>(k) * n);
          float* res = scratch_ptr(1, static_cast<std::size_t>(s.out_channels) * n);
          for (int ic = 0; ic < s.in_channels; ++ic) {
            for (int a_ = 0; a_ < tky; ++a_) {
              for (int b_ = 0; b_ < tkx; ++b_) {
                float* dst = col + static_cast<std::size_t>((ic * tky + a_) * tkx + b_) * n;
                // Un-cropped Y = oy + pad_top = iy*stride + ky, so iy = (oy + pad_top - ky) / stride.
                const int iy_base = (job.oy0 + s.pad_top - ph.ky[a_]) / s.stride_h;
                const int ix_base = (job.ox0 + s.pad_left - ph.kx[b_]) / s.stride_w;
                for (int j = job.j0; j < job.j1; ++j, dst += job.ni) {
                  const int iy = iy_base + j;
                  if (iy < 0 || iy >= in.h) {
                    std::fill(dst, dst + job.ni, 0.0f);
                    continue;
                  }
                  const float* srow = in.row(ic, iy);
                  for (int i = 0; i < job.ni; ++i) {
                    const int ix = ix_base + i;
                    dst[i] = (ix >= 0 && ix < in.w) ? srow[ix] : 0.0f;
                  }
                }
              }
            }
          }
          sgemm(s.out_channels, n, k, ph.matrix.data(), k, col, n, res, n);
          for (int oc = 0; oc < s.out_channels; ++oc) {
            const float bv = bias.empty() ? 0.0f : bias[oc];
            const float* r = res + static_cast<std::size_t>(oc) * n;
            for (int j = job.j0; j < job.j1; ++j) {
              float* orow = out.row(oc, job.oy0 + j * s.stride_h) + job.ox0;
              const float* rr = r + static_cast<std::size_t>(j - job.j0) * job.ni;
              for (int i = 0; i < job.ni; ++i) orow[i * s.stride_w] = activate(rr[i] + bv, act);
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
  const int xmax = in.w - 1, ymax = in.h - 1;
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(in.c) * out_h,
      [&](std::ptrdiff_t r0, std::ptrdiff_t r1) {
        std::vector<float> rows0(out_w), rows1(out_w);
        for (std::ptrdiff_t r = r0; r < r1; ++r) {
          const int c = static_cast<int>(r / out_h), dy = static_cast<int>(r % out_h);
          const int sy = yofs[dy];
          const float* s0 = in.row(c, sy);
          const float* s1 = in.row(c, std::min(sy + 1, ymax));
          for (int dx = 0; dx < out_w; ++dx) {
            const int sx = xofs[dx], sx1 = std::min(sx + 1, xmax);
            const float a0 = alpha[2 * dx], a1 = alpha[2 * dx + 1];
            rows0[dx] = s0[sx] * a0 + s0[sx1] * a1;
            rows1[dx] = s1[sx] * a0 + s1[sx1] * a1;
          }
          const float b0 = beta[2 * dy], b1 = beta[2 * dy + 1];
          float* dst = out.row(c, dy);
          for (int dx = 0; dx < out_w; ++dx) dst[dx] = rows0[dx] * b0 + rows1[dx] * b1;
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
  ThreadPool::global().parallel_for(0, oc, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
    for (std::ptrdiff_t c = c0; c < c1; ++c) {
      for (int y = 0; y < out.h; ++y) {
        float* dst = out.row(static_cast<int>(c), y);
        for (int x = 0; x < out.w; ++x) {
          dst[x] = in.row(static_cast<int>(c) * r * r + (y % r) * r + (x % r), y / r)[x / r];
        }
      }
    }
  });
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
  float* dst = out.data();
  for (const auto& p : parts) {
    std::memcpy(dst, p.data(), p.size() * sizeof(float));
    dst += p.size();
  }
  return out;
}

namespace {

template <typename Op>
Tensor elementwise2(const Tensor& a, const Tensor& b, Op op) {
  if (a.h != b.h || a.w != b.w || (a.c != b.c && a.c != 1 && b.c != 1)) {
    fail(ErrorKind::InvalidArgument, "BinaryOp: shapes {}x{}x{} and {}x{}x{} do not broadcast", a.c, a.h, a.w,
         b.c, b.h, b.w);
  }
  const int c = std::max(a.c, b.c);
  Tensor out = Tensor::make(c, a.h, a.w);
  const std::size_t plane = out.plane();
  ThreadPool::global().parallel_for(0, c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
    for (std::ptrdiff_t k = c0; k < c1; ++k) {
      const float* pa = a.channel(a.c == 1 ? 0 : static_cast<int>(k));
      const float* pb = b.channel(b.c == 1 ? 0 : static_cast<int>(k));
      float* po = out.channel(static_cast<int>(k));
      for (std::size_t i = 0; i < plane; ++i) po[i] = op(pa[i], pb[i]);
    }
  });
  return out;
}

template <typename Op>
Tensor elementwise1(const Tensor& a, Op op) {
  Tensor out = Tensor::make(a.c, a.h, a.w);
  const std::size_t plane = out.plane();
  ThreadPool::global().parallel_for(0, a.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
    for (std::ptrdiff_t k = c0; k < c1; ++k) {
      const float* pa = a.channel(static_cast<int>(k));
      float* po = out.channel(static_cast<int>(k));
      for (std::size_t i = 0; i < plane; ++i) po[i] = op(pa[i], static_cast<int>(k));
    }
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
    ThreadPool::global().parallel_for(0, out.c, [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
      for (std::ptrdiff_t ch = c0; ch < c1; ++ch) {
        const float* p = in.channel(static_cast<int>(ch));
        float* o = out.channel(static_cast<int>(ch));
        for (std::size_t i = 0; i < out.plane(); ++i) o[i] += p[i] * ck;
      }
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

Tensor warp(const Tensor& image, const Tensor& flow) {
  if (flow.c < 2 || flow.h != image.h || flow.w != image.w) {
    fail(ErrorKind::InvalidArgument, "rife.Warp: flow {}x{}x{} does not match image {}x{}x{}", flow.c, flow.h,
         flow.w, image.c, image.h, image.w);
  }
  const int w = image.w, h = image.h;
  Tensor out = Tensor::make(image.c, h, w);
  ThreadPool::global().parallel_for(
      0, h,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (std::ptrdiff_t yy = y0; yy < y1; ++yy) {
          const int y = static_cast<int>(yy);
          const float* fx = flow.row(0, y);
          const float* fy = flow.row(1, y);
          for (int x = 0; x < w; ++x) {
            // Pre-clamping to [-1, size] changes nothing (both taps are the border there) and keeps NaN/huge
            // flows from overflowing the int conversion.
            const float sx =
                std::fmin(std::fmax(static_cast<float>(x) + fx[x], -1.0f), static_cast<float>(w));
            const float sy =
                std::fmin(std::fmax(static_cast<float>(y) + fy[x], -1.0f), static_cast<float>(h));
            int x0 = static_cast<int>(std::floor(sx)), y0i = static_cast<int>(std::floor(sy));
            int x1 = x0 + 1, y1i = y0i + 1;
            x0 = std::clamp(x0, 0, w - 1);
            x1 = std::clamp(x1, 0, w - 1);
            y0i = std::clamp(y0i, 0, h - 1);
            y1i = std::clamp(y1i, 0, h - 1);
            const float alpha = sx - static_cast<float>(x0), beta = sy - static_cast<float>(y0i);
            for (int c = 0; c < image.c; ++c) {
              const float* r0 = image.row(c, y0i);
              const float* r1 = image.row(c, y1i);
              const float v4 = r0[x0] * (1 - alpha) + r0[x1] * alpha;
              const float v5 = r1[x0] * (1 - alpha) + r1[x1] * alpha;
              out.row(c, y)[x] = v4 * (1 - beta) + v5 * beta;
            }
          }
        }
      },
      4);
  return out;
}

}  // namespace goesvfi::rife
