// The flow backend's warp pass: the AVX2 kernel against the portable one (the reference), bit for bit, on odd
// sizes (rows that are not a multiple of the vector width), flows pointing outside the frame (and NaN /
// infinite vectors), taps on the frame's borders and last pixels, space next to the disk, vanishing weights,
// every sample type and channel count, full-resolution and coarse flows.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "core/image.hpp"
#include "interp/flow/warp.hpp"

namespace goesvfi {
namespace {

using flow_warp::WarpInput;
using flow_warp::WarpKernel;

// Random inputs of one warp pass: frames, coarse displacement planes (flow side / `factor`), space and
// consistency maps, and the upsampling taps.
struct Case {
  Image a, b;
  cv::Mat d[4];
  std::vector<int> col0, col1, row0, row1;
  std::vector<float> col_weight, row_weight;
  WarpInput in;

  Case(int width, int height, int channels, SampleType type, int factor, float t, std::uint32_t seed)
      : a(width, height, channels, type), b(width, height, channels, type) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    for (Image* frame : {&a, &b}) {
      for (int y = 0; y < height; ++y) {
        for (int i = 0; i < width * channels; ++i) {
          const float v = unit(rng);
          switch (type) {
            case SampleType::U8:
              frame->row<std::uint8_t>(y)[i] = static_cast<std::uint8_t>(v * 255.0f);
              break;
            case SampleType::U16:
              frame->row<std::uint16_t>(y)[i] = static_cast<std::uint16_t>(v * 65535.0f);
              break;
            case SampleType::F32:
              frame->row<float>(y)[i] = v * 1.5f - 0.25f;  // a little outside [0,1] too
              break;
          }
        }
      }
    }
    const int cw = std::max(1, (width + factor - 1) / factor),
              ch = std::max(1, (height + factor - 1) / factor);
    // Vectors mostly within a few pixels, some far outside the frame on every side, some exactly on tap
    // boundaries, a few NaN and infinite.
    const float reach = static_cast<float>(std::max(width, height));
    for (cv::Mat& plane : d) {
      plane.create(ch, cw, CV_32F);
      for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x) {
          const float pick = unit(rng);
          float v = (unit(rng) - 0.5f) * 8.0f;
          if (pick < 0.15f)
            v = (unit(rng) - 0.5f) * 4.0f * reach;
          else if (pick < 0.25f)
            v = std::round(v * 2.0f) / 2.0f;
          else if (pick < 0.27f)
            v = std::numeric_limits<float>::quiet_NaN();
          else if (pick < 0.29f)
            v = (pick < 0.28f ? 1.0f : -1.0f) * std::numeric_limits<float>::infinity();
          plane.at<float>(y, x) = v;
        }
      }
    }
    flow_warp::upsampling_taps(cw, width, col0, col1, col_weight);
    flow_warp::upsampling_taps(ch, height, row0, row1, row_weight);
    // Space: a disk-like region (0 outside a circle) plus scattered pixels; consistency: anything, with
    // zeros where both frames are space (so that some weights vanish).
    cv::Mat here[2], confidence[2];
    for (int k = 0; k < 2; ++k) {
      here[k].create(height, width, CV_8U);
      confidence[k].create(height, width, CV_8U);
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
          const double dx = x - width * (0.5 + 0.05 * k), dy = y - height * 0.5;
          const bool outside = dx * dx + dy * dy > 0.16 * width * height || unit(rng) < 0.05f;
          here[k].at<std::uint8_t>(y, x) = outside ? 1 : 0;
          confidence[k].at<std::uint8_t>(y, x) =
              static_cast<std::uint8_t>(unit(rng) < 0.1f ? 0 : unit(rng) * 255);
        }
      }
    }
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        if (here[0].at<std::uint8_t>(y, x) != 0 && here[1].at<std::uint8_t>(y, x) != 0 && unit(rng) < 0.5f) {
          confidence[0].at<std::uint8_t>(y, x) = confidence[1].at<std::uint8_t>(y, x) = 0;
        }
      }
    }
    in.a = &a;
    in.b = &b;
    in.d0x = &d[0];
    in.d0y = &d[1];
    in.d1x = &d[2];
    in.d1y = &d[3];
    in.col0 = col0.data();
    in.col1 = col1.data();
    in.col_weight = col_weight.data();
    in.row0 = row0.data();
    in.row1 = row1.data();
    in.row_weight = row_weight.data();
    in.here0 = here[0];
    in.here1 = here[1];
    in.confidence0 = confidence[0];
    in.confidence1 = confidence[1];
    in.t = t;
  }

  // The pass by `kernel`, over two bands of rows (as the pool splits them).
  std::pair<cv::Mat, cv::Mat> run(WarpKernel kernel) const {
    cv::Mat moved(a.height(), a.width() * a.channels() + 1, CV_32F, cv::Scalar(-7.0f));
    cv::Mat residual(a.height(), a.width(), CV_32F, cv::Scalar(-7.0f));
    const int middle = a.height() / 2;
    flow_warp::warp_rows(kernel, in, moved, residual, 0, middle);
    flow_warp::warp_rows(kernel, in, moved, residual, middle, a.height());
    return {moved, residual};
  }
};

// Bit-identical planes (NaN-safe), else the first differing sample.
::testing::AssertionResult same_bits(const cv::Mat& x, const cv::Mat& y) {
  for (int r = 0; r < x.rows; ++r) {
    for (int c = 0; c < x.cols; ++c) {
      const float u = x.at<float>(r, c), v = y.at<float>(r, c);
      if (std::memcmp(&u, &v, sizeof u) != 0) {
        return ::testing::AssertionFailure() << "row " << r << " column " << c << ": " << u << " vs " << v;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(FlowWarp, PortableKernelIsAlwaysAvailable) {
  EXPECT_TRUE(flow_warp::warp_kernel_available(WarpKernel::Portable));
  if (!flow_warp::warp_kernel_available(WarpKernel::Avx2)) {
    EXPECT_EQ(flow_warp::best_warp_kernel(), WarpKernel::Portable);
  }
}

TEST(FlowWarp, Avx2KernelEqualsThePortableOneBitForBit) {
  if (!flow_warp::warp_kernel_available(WarpKernel::Avx2)) GTEST_SKIP() << "no AVX2 on this CPU/build";
  EXPECT_EQ(flow_warp::best_warp_kernel(), WarpKernel::Avx2);
  struct Size {
    int width, height, factor;
  };
  // Odd widths around multiples of 8; tiny frames (taken by the portable code); full-resolution flow (factor
  // 1: the coarse reads are gathers) and coarse flow (factor 4 as the default preset, 3: windows of eight).
  const Size sizes[] = {{1, 1, 1},  {7, 5, 1},   {8, 1, 1},   {9, 3, 4},
                        {17, 9, 1}, {37, 23, 4}, {61, 40, 3}, {64, 17, 4}};
  std::uint32_t seed = 1;
  int compared = 0;
  for (SampleType type : {SampleType::U8, SampleType::U16, SampleType::F32}) {
    for (int channels : {1, 3, 4}) {
      for (const Size& size : sizes) {
        for (float t : {0.5f, 0.25f, 0.9f}) {
          const Case c(size.width, size.height, channels, type, size.factor, t, seed++);
          const auto [moved_ref, residual_ref] = c.run(WarpKernel::Portable);
          const auto [moved, residual] = c.run(WarpKernel::Avx2);
          const std::string what =
              c.a.describe() + " factor " + std::to_string(size.factor) + " t " + std::to_string(t);
          EXPECT_TRUE(same_bits(moved, moved_ref)) << what << " (moved)";
          EXPECT_TRUE(same_bits(residual, residual_ref)) << what << " (residual)";
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 3 * 3 * 8 * 3);
}

// Bytes that end right before an inaccessible page: reading one byte past them faults.
class GuardedBytes {
 public:
  explicit GuardedBytes(std::size_t bytes) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    m_size = (bytes + page - 1) / page * page + page;
    void* base = mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::runtime_error("mmap failed");
    m_base = static_cast<std::byte*>(base);
    if (mprotect(m_base + m_size - page, page, PROT_NONE) != 0) throw std::runtime_error("mprotect failed");
    m_data = m_base + m_size - page - bytes;
  }
  ~GuardedBytes() { munmap(m_base, m_size); }
  GuardedBytes(const GuardedBytes&) = delete;
  GuardedBytes& operator=(const GuardedBytes&) = delete;
  std::byte* data() const { return m_data; }

 private:
  std::byte* m_base = nullptr;
  std::byte* m_data = nullptr;
  std::size_t m_size = 0;
};

// Frames and maps whose last byte is the last readable one (rows packed, no padding), flows pointing at the
// last pixels: the AVX2 kernel's gathers must not read past them (they would fault), and it still equals the
// portable kernel.
TEST(FlowWarp, Avx2KernelReadsNothingPastTheFrame) {
  if (!flow_warp::warp_kernel_available(WarpKernel::Avx2)) GTEST_SKIP() << "no AVX2 on this CPU/build";
  const int width = 21, height = 6;
  for (SampleType type : {SampleType::U8, SampleType::U16, SampleType::F32}) {
    for (int channels : {1, 3, 4}) {
      Case c(width, height, channels, type, 1, 0.5f, 11);
      const std::size_t row_bytes = static_cast<std::size_t>(width) * channels * sample_size(type);
      GuardedBytes frame_a(row_bytes * height), frame_b(row_bytes * height);
      const Image a = Image::wrap(frame_a.data(), width, height, channels, type, row_bytes);
      const Image b = Image::wrap(frame_b.data(), width, height, channels, type, row_bytes);
      for (int y = 0; y < height; ++y) {
        std::memcpy(frame_a.data() + y * row_bytes, c.a.row_ptr(y), row_bytes);
        std::memcpy(frame_b.data() + y * row_bytes, c.b.row_ptr(y), row_bytes);
      }
      GuardedBytes maps[4] = {GuardedBytes(width * height), GuardedBytes(width * height),
                              GuardedBytes(width * height), GuardedBytes(width * height)};
      cv::Mat* originals[4] = {&c.in.here0, &c.in.here1, &c.in.confidence0, &c.in.confidence1};
      for (int k = 0; k < 4; ++k) {
        cv::Mat guarded(height, width, CV_8U, maps[k].data());
        originals[k]->copyTo(guarded);
        *originals[k] = guarded;
      }
      // Per group of eight pixels one target near the frame's end — columns w - 1.5 .. w - 4 in half pixels,
      // on the last row or between the last two — for one frame, and the middle of the frame for the other
      // (so that only the first decides whether the group may gather); rows alternate the frames.
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
          const int pick = (x / 8 + y) % 6;
          const float end_x = static_cast<float>(width) - 1.5f - 0.5f * static_cast<float>(pick);
          const float end_y = static_cast<float>(height) - (pick % 2 == 0 ? 1.0f : 1.5f);
          const int near = y % 2 == 0 ? 0 : 2, far = 2 - near;
          c.d[near].at<float>(y, x) = end_x - static_cast<float>(x);
          c.d[near + 1].at<float>(y, x) = end_y - static_cast<float>(y);
          c.d[far].at<float>(y, x) = static_cast<float>(width / 2 - x) + 0.25f;
          c.d[far + 1].at<float>(y, x) = static_cast<float>(height / 2 - y) + 0.5f;
        }
      }
      c.in.a = &a;
      c.in.b = &b;
      const auto [moved_ref, residual_ref] = c.run(WarpKernel::Portable);
      const auto [moved, residual] = c.run(WarpKernel::Avx2);
      EXPECT_TRUE(same_bits(moved, moved_ref)) << a.describe() << " (moved)";
      EXPECT_TRUE(same_bits(residual, residual_ref)) << a.describe() << " (residual)";
    }
  }
}

// Pass 2 by both kernels on random inputs: blends outside the sample range (saturation), NaN, overlay pixels,
// with and without the confidence blend.
TEST(FlowWarp, Avx2CombineEqualsThePortableOneBitForBit) {
  if (!flow_warp::warp_kernel_available(WarpKernel::Avx2)) GTEST_SKIP() << "no AVX2 on this CPU/build";
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  int compared = 0;
  for (SampleType type : {SampleType::U8, SampleType::U16, SampleType::F32}) {
    const float peak = static_cast<float>(sample_peak(type));
    for (int channels : {1, 3, 4}) {
      for (const auto& [width, height] : {std::pair{1, 1}, {7, 3}, {8, 2}, {19, 5}, {45, 11}}) {
        for (bool overlays : {false, true}) {
          for (bool confidence : {false, true}) {
            Case c(width, height, channels, type, 1, 0.3f, rng());
            const Image original = c.b;  // any frame of the layout
            cv::Mat moved(height, width * channels + 1, CV_32F);
            for (int y = 0; y < height; ++y) {
              for (int i = 0; i < moved.cols; ++i) {
                const float pick = unit(rng);
                moved.at<float>(y, i) =
                    pick < 0.02f ? std::numeric_limits<float>::quiet_NaN() : (unit(rng) * 1.4f - 0.2f) * peak;
              }
            }
            flow_warp::CombineInput in;
            in.a = &c.a;
            in.b = &c.b;
            in.original = &original;
            in.moved = &moved;
            in.t = 0.3f;
            if (overlays) {
              in.identical.create(height, width, CV_8U);
              for (int y = 0; y < height; ++y) {
                for (int x = 0; x < width; ++x)
                  in.identical.at<std::uint8_t>(y, x) = unit(rng) < 0.2f ? 1 : 0;
              }
            }
            if (confidence) {
              in.change.create(height, width, CV_32F);
              in.residual_mean.create(height, width, CV_32F);
              for (int y = 0; y < height; ++y) {
                for (int x = 0; x < width; ++x) {
                  in.change.at<float>(y, x) = unit(rng) < 0.1f ? 0.0f : unit(rng) * 0.2f;
                  in.residual_mean.at<float>(y, x) = unit(rng) < 0.1f ? 0.0f : unit(rng) * 0.2f;
                }
              }
            }
            Image reference(width, height, channels, type), vector(width, height, channels, type);
            flow_warp::combine_rows(WarpKernel::Portable, in, reference, 0, height);
            flow_warp::combine_rows(WarpKernel::Avx2, in, vector, 0, height / 2);
            flow_warp::combine_rows(WarpKernel::Avx2, in, vector, height / 2, height);
            const std::size_t row_bytes = static_cast<std::size_t>(width) * channels * sample_size(type);
            for (int y = 0; y < height; ++y) {
              ASSERT_EQ(std::memcmp(reference.row_ptr(y), vector.row_ptr(y), row_bytes), 0)
                  << reference.describe() << " row " << y << (overlays ? " overlays" : "")
                  << (confidence ? " confidence" : "");
            }
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 3 * 3 * 5 * 2 * 2);
}

// The reference itself on a case with a known answer: a uniform flow of exactly (+2, -1) pixels to a and
// (-2, +1) to b, full consistency and no space: each output pixel is the 50/50 blend of a at (x+2, y-1) and
// b at (x-2, y+1) (clamped at the borders), and the residual their mean absolute difference.
TEST(FlowWarp, PortableKernelSamplesWhereTheFlowPoints) {
  const int width = 13, height = 6;
  Case c(width, height, 3, SampleType::U8, 1, 0.5f, 99);
  for (int k = 0; k < 4; ++k) c.d[k].setTo(k == 0 ? 2.0f : k == 1 ? -1.0f : k == 2 ? -2.0f : 1.0f);
  cv::Mat none = cv::Mat::zeros(height, width, CV_8U), full(height, width, CV_8U, cv::Scalar(255));
  c.in.here0 = c.in.here1 = none;
  c.in.confidence0 = c.in.confidence1 = full;
  for (WarpKernel kernel : {WarpKernel::Portable, WarpKernel::Avx2}) {
    if (!flow_warp::warp_kernel_available(kernel)) continue;
    const auto [moved, residual] = c.run(kernel);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const std::uint8_t* pa =
            c.a.row<std::uint8_t>(std::clamp(y - 1, 0, height - 1)) + 3 * std::clamp(x + 2, 0, width - 1);
        const std::uint8_t* pb =
            c.b.row<std::uint8_t>(std::clamp(y + 1, 0, height - 1)) + 3 * std::clamp(x - 2, 0, width - 1);
        float difference = 0;
        for (int ch = 0; ch < 3; ++ch) {
          EXPECT_NEAR(moved.at<float>(y, 3 * x + ch), 0.5f * pa[ch] + 0.5f * pb[ch], 1e-3f) << x << "," << y;
          difference += std::abs(static_cast<float>(pa[ch]) - static_cast<float>(pb[ch]));
        }
        EXPECT_NEAR(residual.at<float>(y, x), difference / (3 * 255.0f), 1e-6f) << x << "," << y;
      }
    }
  }
}

}  // namespace
}  // namespace goesvfi
