// GEMM (portable or oneDNN's sgemm) and the run-time choice of kernels (GEMM backend, AVX-512 kernels).
// Hot loops here are written to auto-vectorise; GCC's -O2 cost model leaves most of them scalar.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <algorithm>
#include <atomic>

#include "core/error.hpp"
#include "interp/rife/layers.hpp"
#include "interp/rife/simd.hpp"

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

}  // namespace goesvfi::rife
