#include "interp/flow/warp.hpp"

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "interp/flow/warp_pixel.hpp"

namespace goesvfi::flow_warp {

namespace {

template <typename T, int C>
void portable_rows(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  std::vector<float> buffer(static_cast<std::size_t>(4 * in.d0x->cols));
  for (int y = y0; y < y1; ++y) {
    const WarpRow<T> row = warp_row<T>(in, moved, residual, y, buffer.data());
    for (int x = 0; x < in.a->width(); ++x) warp_pixel<T, C>(in, row, x);
  }
}

template <typename T>
void portable_rows_of_type(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  switch (in.a->channels()) {
    case 1:
      return portable_rows<T, 1>(in, moved, residual, y0, y1);
    case 3:
      return portable_rows<T, 3>(in, moved, residual, y0, y1);
    default:
      return portable_rows<T, 4>(in, moved, residual, y0, y1);
  }
}

template <typename T, int C>
void portable_combine(const CombineInput& in, Image& out, int y0, int y1) {
  for (int y = y0; y < y1; ++y) {
    const CombineRow<T> row = combine_row<T>(in, out, y);
    for (int x = 0; x < out.width(); ++x) combine_pixel<T, C>(row, in.t, x);
  }
}

template <typename T>
void portable_combine_of_type(const CombineInput& in, Image& out, int y0, int y1) {
  switch (out.channels()) {
    case 1:
      return portable_combine<T, 1>(in, out, y0, y1);
    case 3:
      return portable_combine<T, 3>(in, out, y0, y1);
    default:
      return portable_combine<T, 4>(in, out, y0, y1);
  }
}

}  // namespace

bool warp_kernel_available(WarpKernel kernel) {
  switch (kernel) {
    case WarpKernel::Portable:
      return true;
    case WarpKernel::Avx2:
#if defined(GOESVFI_FLOW_HAVE_AVX2)
    {
      static const bool cpu_has_avx2 = __builtin_cpu_supports("avx2");
      return cpu_has_avx2;
    }
#else
      return false;
#endif
  }
  return false;
}

WarpKernel best_warp_kernel() {
  return warp_kernel_available(WarpKernel::Avx2) ? WarpKernel::Avx2 : WarpKernel::Portable;
}

void warp_rows(WarpKernel kernel, const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  if (!warp_kernel_available(kernel)) {
    fail(ErrorKind::InvalidArgument, "the AVX2 warp kernel is not available on this CPU");
  }
#if defined(GOESVFI_FLOW_HAVE_AVX2)
  if (kernel == WarpKernel::Avx2) return warp_rows_avx2(in, moved, residual, y0, y1);
#endif
  warp_rows_portable(in, moved, residual, y0, y1);
}

void warp_rows_portable(const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1) {
  switch (in.a->type()) {
    case SampleType::U8:
      return portable_rows_of_type<std::uint8_t>(in, moved, residual, y0, y1);
    case SampleType::U16:
      return portable_rows_of_type<std::uint16_t>(in, moved, residual, y0, y1);
    case SampleType::F32:
      return portable_rows_of_type<float>(in, moved, residual, y0, y1);
  }
}

void combine_rows(WarpKernel kernel, const CombineInput& in, Image& out, int y0, int y1) {
  if (!warp_kernel_available(kernel)) {
    fail(ErrorKind::InvalidArgument, "the AVX2 warp kernel is not available on this CPU");
  }
#if defined(GOESVFI_FLOW_HAVE_AVX2)
  if (kernel == WarpKernel::Avx2) return combine_rows_avx2(in, out, y0, y1);
#endif
  combine_rows_portable(in, out, y0, y1);
}

void combine_rows_portable(const CombineInput& in, Image& out, int y0, int y1) {
  switch (out.type()) {
    case SampleType::U8:
      return portable_combine_of_type<std::uint8_t>(in, out, y0, y1);
    case SampleType::U16:
      return portable_combine_of_type<std::uint16_t>(in, out, y0, y1);
    case SampleType::F32:
      return portable_combine_of_type<float>(in, out, y0, y1);
  }
}

void upsampling_taps(int n, int size, std::vector<int>& i0, std::vector<int>& i1, std::vector<float>& w) {
  i0.resize(static_cast<std::size_t>(size));
  i1.resize(static_cast<std::size_t>(size));
  w.resize(static_cast<std::size_t>(size));
  const double step = static_cast<double>(n) / size;
  for (int x = 0; x < size; ++x) {
    const double at = (x + 0.5) * step - 0.5;
    int lo = static_cast<int>(std::floor(at));
    float f = static_cast<float>(at - lo);
    if (lo < 0) lo = 0, f = 0.0f;
    if (lo >= n - 1) lo = n - 1, f = 0.0f;
    const auto i = static_cast<std::size_t>(x);
    i0[i] = lo;
    i1[i] = std::min(lo + 1, n - 1);
    w[i] = f;
  }
}

}  // namespace goesvfi::flow_warp
