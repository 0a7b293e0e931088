#include "core/cv_image.hpp"

namespace goesvfi {

int cv_depth(SampleType type) {
  switch (type) {
    case SampleType::U8:
      return CV_8U;
    case SampleType::U16:
      return CV_16U;
    case SampleType::F32:
      return CV_32F;
  }
  return CV_8U;
}

cv::Mat as_mat(const Image& image) {
  return cv::Mat(image.height(), image.width(), CV_MAKETYPE(cv_depth(image.type()), image.channels()),
                 const_cast<std::byte*>(image.data()), image.stride());
}

}  // namespace goesvfi
