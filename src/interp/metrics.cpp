#include "interp/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/cv_image.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

constexpr int k_ssim_window = 11;
constexpr double k_ssim_sigma = 1.5;

void check_same_layout(const Image& a, const Image& b, const char* metric) {
  if (a.empty() || b.empty()) fail(ErrorKind::InvalidArgument, "{} needs two non-empty images", metric);
  if (!a.same_layout(b)) {
    fail(ErrorKind::InvalidArgument,
         "{}: images differ ({} vs {}); expected the same size, channels and type", metric, a.describe(),
         b.describe());
  }
}

void check_mask(const Image& a, const Image& mask, const char* metric) {
  if (mask.empty()) return;
  if (mask.width() != a.width() || mask.height() != a.height() || mask.channels() != 1 ||
      mask.type() != SampleType::U8) {
    fail(ErrorKind::InvalidArgument, "{}: mask {} does not fit {} (expected {}x{} grey u8)", metric,
         mask.describe(), a.describe(), a.width(), a.height());
  }
}

// Sum of squared differences and the number of pixels summed, over rows [y0, y1) of the scored pixels.
template <typename T>
std::pair<double, double> squared_error_rows(const Image& a, const Image& b, const Image& mask, int y0,
                                             int y1) {
  const int width = a.width(), channels = a.channels();
  double sum = 0, pixels = 0;
  for (int y = y0; y < y1; ++y) {
    const T* pa = a.row<T>(y);
    const T* pb = b.row<T>(y);
    const std::uint8_t* m = mask.empty() ? nullptr : mask.row<std::uint8_t>(y);
    double row = 0;
    for (int x = 0; x < width; ++x) {
      if (m != nullptr && m[x] == 0) continue;
      for (int c = 0; c < channels; ++c) {
        const std::size_t i = static_cast<std::size_t>(x) * channels + c;
        const double d = static_cast<double>(pa[i]) - static_cast<double>(pb[i]);
        row += d * d;
      }
      pixels += 1;
    }
    sum += row;
  }
  return {sum, pixels};
}

// One channel of an image as F32 in [0,1].
cv::Mat channel_f32(const Image& image, int channel) {
  const cv::Mat all = as_mat(image);
  cv::Mat one;
  if (image.channels() == 1) {
    one = all;
  } else {
    cv::extractChannel(all, one, channel);
  }
  cv::Mat out;
  one.convertTo(out, CV_32F, 1.0 / sample_peak(image.type()));
  return out;
}

double ssim_plane(const cv::Mat& x, const cv::Mat& y, const Image& mask) {
  constexpr double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const cv::Size window(k_ssim_window, k_ssim_window);
  const auto smooth = [&](const cv::Mat& m) {
    cv::Mat out;
    cv::GaussianBlur(m, out, window, k_ssim_sigma, k_ssim_sigma, cv::BORDER_REFLECT);
    return out;
  };
  const cv::Mat mu_x = smooth(x), mu_y = smooth(y);
  const cv::Mat xx = smooth(x.mul(x)), yy = smooth(y.mul(y)), xy = smooth(x.mul(y));
  // Only windows entirely inside the image, as in the reference implementation ("valid" filtering).
  const int r = k_ssim_window / 2;
  cv::Rect valid(r, r, x.cols - 2 * r, x.rows - 2 * r);
  if (valid.width <= 0 || valid.height <= 0) valid = cv::Rect(0, 0, x.cols, x.rows);
  double sum = 0, count = 0;
  for (int row = valid.y; row < valid.y + valid.height; ++row) {
    const std::uint8_t* m = mask.empty() ? nullptr : mask.row<std::uint8_t>(row);
    const float* mx = mu_x.ptr<float>(row);
    const float* my = mu_y.ptr<float>(row);
    const float* sxx = xx.ptr<float>(row);
    const float* syy = yy.ptr<float>(row);
    const float* sxy = xy.ptr<float>(row);
    double row_sum = 0;
    for (int col = valid.x; col < valid.x + valid.width; ++col) {
      if (m != nullptr && m[col] == 0) continue;
      count += 1;
      const double ux = mx[col], uy = my[col];
      const double vx = sxx[col] - ux * ux, vy = syy[col] - uy * uy, cov = sxy[col] - ux * uy;
      row_sum += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
    sum += row_sum;
  }
  if (count == 0) fail(ErrorKind::InvalidArgument, "SSIM: the mask leaves no pixel to score");
  return sum / count;
}

}  // namespace

double psnr(const Image& a, const Image& b) {
  return psnr(a, b, Image());
}

double psnr(const Image& a, const Image& b, const Image& mask) {
  check_same_layout(a, b, "PSNR");
  check_mask(a, mask, "PSNR");
  std::vector<std::pair<double, double>> partial(static_cast<std::size_t>(a.height()), {0.0, 0.0});
  ThreadPool::global().parallel_for(
      0, a.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        const int r0 = static_cast<int>(y0), r1 = static_cast<int>(y1);
        std::pair<double, double> s;
        switch (a.type()) {
          case SampleType::U8:
            s = squared_error_rows<std::uint8_t>(a, b, mask, r0, r1);
            break;
          case SampleType::U16:
            s = squared_error_rows<std::uint16_t>(a, b, mask, r0, r1);
            break;
          case SampleType::F32:
            s = squared_error_rows<float>(a, b, mask, r0, r1);
            break;
        }
        partial[static_cast<std::size_t>(y0)] = s;
      },
      16);
  double se = 0, pixels = 0;
  for (const auto& [s, n] : partial) {
    se += s;
    pixels += n;
  }
  if (pixels == 0) fail(ErrorKind::InvalidArgument, "PSNR: the mask leaves no pixel to score");
  const double samples = pixels * a.channels();
  const double peak = sample_peak(a.type());
  const double mse = se / samples;
  if (mse <= peak * peak * 1e-10) return k_psnr_identical_db;
  return std::min(k_psnr_identical_db, 10.0 * std::log10(peak * peak / mse));
}

double ssim(const Image& a, const Image& b) {
  return ssim(a, b, Image());
}

double ssim(const Image& a, const Image& b, const Image& mask) {
  check_same_layout(a, b, "SSIM");
  check_mask(a, mask, "SSIM");
  const int colour_channels = a.channels() == 4 ? 3 : a.channels();
  double sum = 0;
  for (int c = 0; c < colour_channels; ++c) sum += ssim_plane(channel_f32(a, c), channel_f32(b, c), mask);
  return sum / colour_channels;
}

}  // namespace goesvfi
