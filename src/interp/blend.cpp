#include "interp/blend.hpp"

#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

void check_interpolation_inputs(const Image& a, const Image& b, std::span<const double> timesteps) {
  if (a.empty() || b.empty()) fail(ErrorKind::InvalidArgument, "interpolation needs two non-empty frames");
  if (!a.same_layout(b)) {
    fail(ErrorKind::InvalidArgument, "frames differ: {} vs {} (size, channels and sample type must match)",
         a.describe(), b.describe());
  }
  for (double t : timesteps) {
    if (!(t > 0.0 && t < 1.0)) fail(ErrorKind::InvalidArgument, "timestep {} is outside (0,1)", t);
  }
}

std::vector<double> uniform_timesteps(int n) {
  std::vector<double> ts;
  for (int k = 1; k <= n; ++k) ts.push_back(static_cast<double>(k) / (n + 1));
  return ts;
}

namespace {
template <typename T>
void blend_rows(const Image& a, const Image& b, Image& out, float t, std::ptrdiff_t y0, std::ptrdiff_t y1) {
  const std::size_t n = static_cast<std::size_t>(a.width()) * a.channels();
  const float wa = 1.0f - t;
  for (auto y = y0; y < y1; ++y) {
    const T* pa = a.row<T>(static_cast<int>(y));
    const T* pb = b.row<T>(static_cast<int>(y));
    T* po = out.row<T>(static_cast<int>(y));
    for (std::size_t i = 0; i < n; ++i) {
      const float v = static_cast<float>(pa[i]) * wa + static_cast<float>(pb[i]) * t;
      if constexpr (std::is_same_v<T, float>) {
        po[i] = v;
      } else {
        po[i] = static_cast<T>(v + 0.5f);  // inputs are in range, so the mix is too
      }
    }
  }
}
}  // namespace

Image blend_frames(const Image& a, const Image& b, double t) {
  Image out(a.width(), a.height(), a.channels(), a.type());
  const float tf = static_cast<float>(t);
  ThreadPool::global().parallel_for(
      0, a.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        switch (a.type()) {
          case SampleType::U8:
            blend_rows<std::uint8_t>(a, b, out, tf, y0, y1);
            break;
          case SampleType::U16:
            blend_rows<std::uint16_t>(a, b, out, tf, y0, y1);
            break;
          case SampleType::F32:
            blend_rows<float>(a, b, out, tf, y0, y1);
            break;
        }
      },
      8);
  return out;
}

std::vector<Image> BlendInterpolator::interpolate(const Image& a, const Image& b,
                                                  std::span<const double> timesteps,
                                                  const CancelToken& cancel, PairReport*) {
  check_interpolation_inputs(a, b, timesteps);
  std::vector<Image> out;
  for (double t : timesteps) {
    cancel.throw_if_cancelled();
    out.push_back(blend_frames(a, b, t));
  }
  return out;
}

std::vector<Image> NoneInterpolator::interpolate(const Image& a, const Image& b,
                                                 std::span<const double> timesteps, const CancelToken&,
                                                 PairReport*) {
  check_interpolation_inputs(a, b, timesteps);
  return {};
}

}  // namespace goesvfi
