// Helpers for the RIFE golden cases in ../shared/golden/rife-v4.6 (see its README).
#pragma once

#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "interp/rife/rife.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi::rife::test {

inline std::filesystem::path golden_dir() {
  return goesvfi::test::shared_dir() / "golden" / "rife-v4.6";
}

// The golden model, loaded once per test binary.
inline const RifeModel& golden_model() {
  static const std::shared_ptr<const RifeModel> model = RifeModel::load(golden_dir());
  return *model;
}

inline Tensor read_f32(const std::filesystem::path& path, int c, int h, int w) {
  const auto bytes = read_file_bytes(path);
  Tensor t = Tensor::make(c, h, w);
  EXPECT_EQ(bytes.size(), t.size() * 4) << path;
  std::memcpy(t.data(), bytes.data(), std::min(bytes.size(), t.size() * 4));
  return t;
}

inline Tensor read_png_planar(const std::filesystem::path& path) {
  return image_to_planar(read_image(path), 0, 3);
}

struct Diff {
  double max_abs = 0, mean_abs = 0;
};
inline Diff diff(const Tensor& a, const Tensor& b, int channels = -1) {
  Diff d;
  const int c = channels < 0 ? a.c : channels;
  EXPECT_EQ(a.h, b.h);
  EXPECT_EQ(a.w, b.w);
  if (a.h != b.h || a.w != b.w || a.c < c || b.c < c) return {1e9, 1e9};
  const std::size_t n = static_cast<std::size_t>(c) * a.plane();
  for (std::size_t i = 0; i < n; ++i) {
    const double v = std::abs(static_cast<double>(a.data()[i]) - b.data()[i]);
    d.max_abs = std::max(d.max_abs, v);
    d.mean_abs += v;
  }
  d.mean_abs /= static_cast<double>(n);
  return d;
}

// 8-bit output as rife-ncnn-vulkan writes it vs the golden PNG: at most 1 level off, on at most `frac` of
// values.
inline void expect_png_matches(const Tensor& v, const std::filesystem::path& png, double frac = 1e-4) {
  const Image ref = read_image(png);
  ASSERT_EQ(ref.width(), v.w);
  ASSERT_EQ(ref.height(), v.h);
  Image out(v.w, v.h, 3, SampleType::U8);
  planar_to_image(v, out, 0);
  std::size_t differing = 0, total = 0;
  int worst = 0;
  for (int y = 0; y < v.h; ++y) {
    for (int x = 0; x < v.w * 3; ++x) {
      const int d = std::abs(int(out.row<std::uint8_t>(y)[x]) - int(ref.row<std::uint8_t>(y)[x]));
      worst = std::max(worst, d);
      differing += d != 0;
      ++total;
    }
  }
  EXPECT_LE(worst, 1) << png;
  EXPECT_LE(static_cast<double>(differing), frac * static_cast<double>(total) + 0.5) << png;
}

}  // namespace goesvfi::rife::test
