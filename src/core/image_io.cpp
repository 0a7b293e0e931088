#include "core/image_io.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/atomic_file.hpp"
#include "core/cv_image.hpp"
#include "core/error.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

namespace {

std::string lower_ext(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

Image from_mat(const cv::Mat& m) {
  const int ch = m.channels();
  SampleType type;
  switch (m.depth()) {
    case CV_8U:
      type = SampleType::U8;
      break;
    case CV_16U:
      type = SampleType::U16;
      break;
    case CV_32F:
      type = SampleType::F32;
      break;
    default:
      fail(ErrorKind::Unsupported, "unsupported sample depth {}", m.depth());
  }
  cv::Mat rgb;
  if (ch == 3) {
    cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB);
  } else if (ch == 4) {
    cv::cvtColor(m, rgb, cv::COLOR_BGRA2RGBA);
  } else if (ch == 1) {
    rgb = m;
  } else if (ch == 2) {  // grey + alpha: expand to RGBA
    std::vector<cv::Mat> planes;
    cv::split(m, planes);
    cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, rgb);
  } else {
    fail(ErrorKind::Unsupported, "unsupported channel count {}", ch);
  }
  Image out(rgb.cols, rgb.rows, rgb.channels(), type);
  for (int y = 0; y < rgb.rows; ++y) std::memcpy(out.row_ptr(y), rgb.ptr(y), out.row_bytes());
  return out;
}

cv::Mat to_mat(const Image& image) {
  Image src = image.type() == SampleType::F32 ? convert_type(image, SampleType::U16) : image;
  const cv::Mat wrapped = as_mat(src);
  cv::Mat out;
  if (src.channels() == 3) {
    cv::cvtColor(wrapped, out, cv::COLOR_RGB2BGR);
  } else if (src.channels() == 4) {
    cv::cvtColor(wrapped, out, cv::COLOR_RGBA2BGRA);
  } else {
    out = wrapped.clone();
  }
  return out;
}

}  // namespace

bool is_image_extension(const fs::path& path) {
  const auto e = lower_ext(path);
  return e == ".png" || e == ".jpg" || e == ".jpeg" || e == ".tif" || e == ".tiff";
}

Image read_image(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail(ErrorKind::NotFound, "image {} does not exist", path.string());
  if (fs::file_size(path, ec) == 0) fail(ErrorKind::Corrupt, "image {} is empty", path.string());
  // Read into memory first: imdecode reports truncation as an empty Mat rather than printing to stderr.
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  cv::Mat m;
  try {
    m = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    fail(ErrorKind::Corrupt, "image {} cannot be decoded: {}", path.string(), e.what());
  }
  if (m.empty())
    fail(ErrorKind::Corrupt, "image {} cannot be decoded (truncated or not PNG/JPEG/TIFF)", path.string());
  return from_mat(m);
}

ImageHeader read_image_header(const fs::path& path) {
  // OpenCV has no header-only API; the PNG and JPEG headers are simple enough to read directly.
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::NotFound, "image {} does not exist", path.string());
  unsigned char buf[64 * 1024];
  in.read(reinterpret_cast<char*>(buf), sizeof buf);
  const auto n = static_cast<std::size_t>(in.gcount());
  auto be16 = [&](std::size_t i) { return (buf[i] << 8) | buf[i + 1]; };
  auto be32 = [&](std::size_t i) {
    return static_cast<int>((static_cast<unsigned>(buf[i]) << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) |
                            buf[i + 3]);
  };
  if (n >= 26 && buf[0] == 0x89 && buf[1] == 'P' && buf[2] == 'N' && buf[3] == 'G') {
    static const int channels_of[] = {1, 0, 3, 1, 2, 0, 4};
    const int colour = buf[25];
    return {be32(16), be32(20), colour <= 6 ? channels_of[colour] : 0};
  }
  if (n >= 4 && buf[0] == 0xFF && buf[1] == 0xD8) {
    std::size_t i = 2;
    while (i + 9 < n) {
      if (buf[i] != 0xFF) break;
      const int marker = buf[i + 1];
      const int len = be16(i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return {be16(i + 7), be16(i + 5), buf[i + 9]};
      }
      i += 2 + static_cast<std::size_t>(len);
    }
  }
  // TIFF or anything else: decode fully.
  const Image img = read_image(path);
  return {img.width(), img.height(), img.channels()};
}

std::vector<unsigned char> encode_image(const Image& image, const std::string& ext, int jpeg_quality) {
  std::vector<unsigned char> out;
  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, jpeg_quality};
  if (ext == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, 1};
  cv::Mat m = to_mat(image);
  if ((ext == ".jpg" || ext == ".jpeg") && m.depth() != CV_8U) m.convertTo(m, CV_8U, 1.0 / 257.0);
  if (!cv::imencode(ext, m, out, params)) fail(ErrorKind::Io, "cannot encode image as {}", ext);
  return out;
}

void write_image(const fs::path& path, const Image& image, int jpeg_quality) {
  const auto bytes = encode_image(image, lower_ext(path), jpeg_quality);
  write_file_atomic(path, std::as_bytes(std::span(bytes.data(), bytes.size())));
}

}  // namespace goesvfi
