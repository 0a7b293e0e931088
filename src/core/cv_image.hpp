// Image <-> OpenCV: a cv::Mat header over an Image's pixels (no copy, stride-aware), for the places that use
// OpenCV's kernels (codecs, resize, optical flow, SSIM).
#pragma once

#include <opencv2/core.hpp>

#include "core/image.hpp"

namespace goesvfi {

int cv_depth(SampleType type);  // CV_8U, CV_16U, CV_32F
// Writable view; the Image keeps the pixels alive. Writing through it into a shared Image breaks the
// ownership rule, so use it on images you hold uniquely or only read.
cv::Mat as_mat(const Image& image);

}  // namespace goesvfi
