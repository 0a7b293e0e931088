// SIMD plumbing of the RIFE kernels. The library is built for baseline x86-64; hand-written AVX-512 kernels
// are chosen at run time (vector_kernels() in layers.hpp), loops the compiler vectorises get AVX-512 and AVX2
// clones chosen at load time (GOESVFI_SIMD_CLONES, ifunc; callees inlined into a clone are compiled for its
// target too), and the portable kernels are written on 8-float vectors.
#pragma once

#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#define GOESVFI_HAVE_AVX512_KERNELS 1
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined_* (GCC PR 105593).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GOESVFI_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define GOESVFI_SIMD_CLONES
#endif

namespace goesvfi::rife::simd {

// 8 floats as a GCC/Clang vector (scalars broadcast in arithmetic): two SSE2 operations in the baseline
// build, AVX2 in the x86-64-v3 clones. -Wpsabi is quiet because these helpers are always inlined: no call
// passes a vector by value.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
using f32x8 = float __attribute__((vector_size(32)));

[[gnu::always_inline]] inline f32x8 load8(const float* p) {
  f32x8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void store8(float* p, f32x8 v) {
  std::memcpy(p, &v, sizeof v);
}
#pragma GCC diagnostic pop

#if defined(GOESVFI_HAVE_AVX512_KERNELS)
// Lanes [0, left) of 16 (none when left <= 0).
__attribute__((target("avx512f"))) inline __mmask16 tail_mask(int left) {
  return left >= 16 ? __mmask16(0xFFFF) : left <= 0 ? __mmask16(0) : __mmask16((1u << left) - 1);
}
#endif

}  // namespace goesvfi::rife::simd
