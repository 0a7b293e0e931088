// PSNR and SSIM against closed-form values and an independent, direct (unoptimised) SSIM.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "interp/metrics.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

Image filled(int w, int h, int channels, SampleType type, double value) {
  Image img(w, h, channels, type);
  for (int y = 0; y < h; ++y) {
    for (int i = 0; i < w * channels; ++i) {
      switch (type) {
        case SampleType::U8:
          img.row<std::uint8_t>(y)[i] = static_cast<std::uint8_t>(value);
          break;
        case SampleType::U16:
          img.row<std::uint16_t>(y)[i] = static_cast<std::uint16_t>(value);
          break;
        case SampleType::F32:
          img.row<float>(y)[i] = static_cast<float>(value);
          break;
      }
    }
  }
  return img;
}

TEST(Metrics, PsnrClosedForms) {
  // MSE 100 at peak 255: 10 log10(255^2 / 100).
  EXPECT_NEAR(psnr(filled(33, 17, 3, SampleType::U8, 100), filled(33, 17, 3, SampleType::U8, 110)),
              10 * std::log10(255.0 * 255.0 / 100.0), 1e-9);
  EXPECT_NEAR(psnr(filled(20, 20, 1, SampleType::U16, 1000), filled(20, 20, 1, SampleType::U16, 1257)),
              20 * std::log10(65535.0 / 257.0), 1e-9);
  EXPECT_NEAR(psnr(filled(8, 9, 4, SampleType::F32, 0.5), filled(8, 9, 4, SampleType::F32, 0.6)), 20.0, 1e-5);
  const Image p = test::make_pattern(40, 30, 3, SampleType::U8);
  EXPECT_EQ(psnr(p, p), k_psnr_identical_db);
  // A view (stride wider than the row) is measured on its own pixels only.
  const Image big = test::make_pattern(64, 64, 1, SampleType::U8, 0, 0, 3);
  const Rect r{5, 7, 30, 20};
  EXPECT_NEAR(psnr(big.view(r), big.clone().view(r)), k_psnr_identical_db, 0);
}

// Wang et al. written out directly in double precision: the oracle.
double direct_ssim_plane(const std::vector<double>& x, const std::vector<double>& y, int w, int h) {
  double kernel[11];
  double ksum = 0;
  for (int i = 0; i < 11; ++i) {
    kernel[i] = std::exp(-((i - 5) * (i - 5)) / (2 * 1.5 * 1.5));
    ksum += kernel[i];
  }
  for (double& k : kernel) k /= ksum;
  const double c1 = 0.0001, c2 = 0.0009;
  double total = 0;
  int count = 0;
  for (int cy = 5; cy < h - 5; ++cy) {
    for (int cx = 5; cx < w - 5; ++cx) {
      double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
      for (int j = -5; j <= 5; ++j) {
        for (int i = -5; i <= 5; ++i) {
          const double wgt = kernel[i + 5] * kernel[j + 5];
          const double a = x[(cy + j) * w + cx + i], b = y[(cy + j) * w + cx + i];
          mx += wgt * a;
          my += wgt * b;
          xx += wgt * a * a;
          yy += wgt * b * b;
          xy += wgt * a * b;
        }
      }
      const double vx = xx - mx * mx, vy = yy - my * my, cov = xy - mx * my;
      total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      ++count;
    }
  }
  return total / count;
}

TEST(Metrics, SsimMatchesADirectImplementation) {
  const int w = 37, h = 29;
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 12.0);
  const Image a = test::make_pattern(w, h, 3, SampleType::U8, 0, 0, 8);
  Image b = test::make_pattern(w, h, 3, SampleType::U8, 1.5, 0.5, 8);
  for (int y = 0; y < h; ++y) {
    for (int i = 0; i < w * 3; ++i) {
      auto& v = b.row<std::uint8_t>(y)[i];
      v = static_cast<std::uint8_t>(std::clamp(v + noise(rng), 0.0, 255.0));
    }
  }
  double expected = 0;
  for (int c = 0; c < 3; ++c) {
    std::vector<double> x, y;
    for (int row = 0; row < h; ++row) {
      for (int col = 0; col < w; ++col) {
        x.push_back(a.row<std::uint8_t>(row)[col * 3 + c] / 255.0);
        y.push_back(b.row<std::uint8_t>(row)[col * 3 + c] / 255.0);
      }
    }
    expected += direct_ssim_plane(x, y, w, h) / 3;
  }
  const double got = ssim(a, b);
  EXPECT_NEAR(got, expected, 5e-4);
  EXPECT_LT(got, 0.95);  // the noise is visible
  EXPECT_NEAR(ssim(a, a), 1.0, 1e-6);
}

TEST(Metrics, SsimIgnoresAlphaAndTypesAgree) {
  const Image a = test::make_pattern(48, 32, 4, SampleType::U8, 0, 0, 3);
  Image b = a.clone();
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 48; ++x) b.row<std::uint8_t>(y)[x * 4 + 3] = 0;
  }
  EXPECT_NEAR(ssim(a, b), 1.0, 1e-6);
  EXPECT_LT(psnr(a, b), 10.0);  // PSNR counts every channel
  // The same picture at 8 and 16 bit scores the same SSIM.
  const Image c8 = test::make_pattern(48, 32, 1, SampleType::U8, 0, 0, 3);
  const Image d8 = test::make_pattern(48, 32, 1, SampleType::U8, 2, 0, 3);
  EXPECT_NEAR(ssim(c8, d8), ssim(convert_type(c8, SampleType::U16), convert_type(d8, SampleType::U16)), 1e-4);
}

TEST(Metrics, LayoutMismatchIsAnError) {
  const Image a = filled(10, 10, 3, SampleType::U8, 1);
  EXPECT_ERROR(psnr(a, filled(10, 11, 3, SampleType::U8, 1)), ErrorKind::InvalidArgument,
               "PSNR: images differ");
  EXPECT_ERROR(ssim(a, filled(10, 10, 1, SampleType::U8, 1)), ErrorKind::InvalidArgument,
               "SSIM: images differ");
}

}  // namespace
}  // namespace goesvfi
