// The programs' memory policy: OpenCV Mats of a size seen before reuse a freed buffer (no fresh mapping to
// fault in), small ones and user-owned data are left alone, and every Mat still behaves as a Mat.
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

#include "core/memory_policy.hpp"

namespace goesvfi {
namespace {

TEST(MemoryPolicy, OpenCvReusesFreedBuffersOfTheSameSize) {
  use_flat_memory_policy();
  const void* first = nullptr;
  {
    cv::Mat a(1080, 1920, CV_8UC3, cv::Scalar(1, 2, 3));
    first = a.data;
  }
  // A plain malloc of the same size now would get the freed mapping back; it must not find it free.
  std::vector<std::uint8_t> other(1080 * 1920 * 3, 1);
  EXPECT_NE(static_cast<const void*>(other.data()), first);
  cv::Mat b(1080, 1920, CV_8UC3);
  EXPECT_EQ(static_cast<const void*>(b.data), first);  // the kept buffer, not a new mapping
  b.setTo(cv::Scalar(7, 8, 9));
  EXPECT_EQ(b.at<cv::Vec3b>(1079, 1919), cv::Vec3b(7, 8, 9));

  // Another size gets its own buffer while `b` holds the kept one; a shared buffer is freed only once.
  cv::Mat c(540, 960, CV_32FC1, cv::Scalar(0.5f));
  EXPECT_NE(static_cast<const void*>(c.data), static_cast<const void*>(b.data));
  cv::Mat shared = c;
  c.release();
  EXPECT_FLOAT_EQ(shared.at<float>(539, 959), 0.5f);
  const cv::Mat copy = shared.clone();
  EXPECT_NE(copy.data, shared.data);
  EXPECT_EQ(cv::countNonZero(copy != shared), 0);
}

TEST(MemoryPolicy, UserDataIsNeverTakenOver) {
  use_flat_memory_policy();
  std::vector<std::uint8_t> pixels(640 * 480, 42);
  {
    cv::Mat view(480, 640, CV_8UC1, pixels.data());
    view.at<std::uint8_t>(0, 0) = 5;
  }
  cv::Mat next(480, 640, CV_8UC1);  // the same size as the view, but never the caller's memory
  EXPECT_NE(static_cast<const void*>(next.data), static_cast<const void*>(pixels.data()));
  EXPECT_EQ(pixels[0], 5);
  EXPECT_EQ(pixels[1], 42);
}

}  // namespace
}  // namespace goesvfi
