#include "core/image.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi {

std::size_t sample_size(SampleType type) {
  switch (type) {
    case SampleType::U8:
      return 1;
    case SampleType::U16:
      return 2;
    case SampleType::F32:
      return 4;
  }
  return 1;
}

double sample_peak(SampleType type) {
  switch (type) {
    case SampleType::U8:
      return 255.0;
    case SampleType::U16:
      return 65535.0;
    case SampleType::F32:
      return 1.0;
  }
  return 1.0;
}

std::string to_string(SampleType type) {
  switch (type) {
    case SampleType::U8:
      return "u8";
    case SampleType::U16:
      return "u16";
    case SampleType::F32:
      return "f32";
  }
  return "?";
}

Image::Image(int width, int height, int channels, SampleType type)
    : m_width(width), m_height(height), m_channels(channels), m_type(type) {
  if (width <= 0 || height <= 0 || (channels != 1 && channels != 3 && channels != 4)) {
    fail(ErrorKind::InvalidArgument,
         "cannot make an image of {}x{} with {} channels (expected positive size, 1/3/4 channels)", width,
         height, channels);
  }
  m_stride = (row_bytes() + k_row_alignment - 1) / k_row_alignment * k_row_alignment;
  const std::size_t bytes = m_stride * static_cast<std::size_t>(height);
  auto* raw = static_cast<std::byte*>(::operator new[](bytes, std::align_val_t(k_row_alignment)));
  std::memset(raw, 0, bytes);
  m_buffer = std::shared_ptr<std::byte[]>(
      raw, [](std::byte* p) { ::operator delete[](p, std::align_val_t(k_row_alignment)); });
  m_data = raw;
}

std::string Image::describe() const {
  static const char* names[] = {"", "grey", "", "RGB", "RGBA"};
  return fmt::format("{}x{} {} {}", m_width, m_height, m_channels <= 4 ? names[m_channels] : "?",
                     to_string(m_type));
}

Image Image::view(const Rect& r) const {
  if (r.width <= 0 || r.height <= 0 || r.x < 0 || r.y < 0 || r.x + r.width > m_width ||
      r.y + r.height > m_height) {
    fail(ErrorKind::InvalidArgument, "crop {},{},{},{} is outside the {}x{} frame", r.x, r.y, r.width,
         r.height, m_width, m_height);
  }
  Image out = *this;
  out.m_data = m_data + static_cast<std::size_t>(r.y) * m_stride +
               static_cast<std::size_t>(r.x) * m_channels * sample_size(m_type);
  out.m_width = r.width;
  out.m_height = r.height;
  return out;
}

Image Image::clone() const {
  if (empty()) return {};
  Image out(m_width, m_height, m_channels, m_type);
  for (int y = 0; y < m_height; ++y) std::memcpy(out.row_ptr(y), row_ptr(y), row_bytes());
  return out;
}

Image Image::wrap(void* data, int width, int height, int channels, SampleType type, std::size_t stride) {
  Image out;
  out.m_data = static_cast<std::byte*>(data);
  out.m_width = width;
  out.m_height = height;
  out.m_channels = channels;
  out.m_type = type;
  out.m_stride = stride;
  return out;
}

namespace {

float read_sample(const std::byte* row, SampleType type, std::size_t i) {
  switch (type) {
    case SampleType::U8:
      return static_cast<float>(reinterpret_cast<const std::uint8_t*>(row)[i]) * (1.0f / 255.0f);
    case SampleType::U16:
      return static_cast<float>(reinterpret_cast<const std::uint16_t*>(row)[i]) * (1.0f / 65535.0f);
    case SampleType::F32:
      return reinterpret_cast<const float*>(row)[i];
  }
  return 0.0f;
}

void write_sample(std::byte* row, SampleType type, std::size_t i, float v) {
  switch (type) {
    case SampleType::U8:
      reinterpret_cast<std::uint8_t*>(row)[i] =
          static_cast<std::uint8_t>(std::clamp(v * 255.0f + 0.5f, 0.0f, 255.0f));
      break;
    case SampleType::U16:
      reinterpret_cast<std::uint16_t*>(row)[i] =
          static_cast<std::uint16_t>(std::clamp(v * 65535.0f + 0.5f, 0.0f, 65535.0f));
      break;
    case SampleType::F32:
      reinterpret_cast<float*>(row)[i] = v;
      break;
  }
}

}  // namespace

Image convert_type(const Image& src, SampleType to) {
  if (src.type() == to) return src;
  Image out(src.width(), src.height(), src.channels(), to);
  const std::size_t n = static_cast<std::size_t>(src.width()) * src.channels();
  if (src.type() == SampleType::U8 && to == SampleType::U16) {
    for (int y = 0; y < src.height(); ++y) {
      const auto* s = src.row<std::uint8_t>(y);
      auto* d = out.row<std::uint16_t>(y);
      for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint16_t>(s[i] * 257);
    }
    return out;
  }
  if (src.type() == SampleType::U16 && to == SampleType::U8) {
    for (int y = 0; y < src.height(); ++y) {
      const auto* s = src.row<std::uint16_t>(y);
      auto* d = out.row<std::uint8_t>(y);
      for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>((s[i] * 255u + 32767u) / 65535u);
    }
    return out;
  }
  for (int y = 0; y < src.height(); ++y) {
    for (std::size_t i = 0; i < n; ++i)
      write_sample(out.row_ptr(y), to, i, read_sample(src.row_ptr(y), src.type(), i));
  }
  return out;
}

Image convert_channels(const Image& src, int to) {
  const int from = src.channels();
  if (from == to) return src;
  if (to != 1 && to != 3 && to != 4) fail(ErrorKind::InvalidArgument, "cannot convert to {} channels", to);
  Image out(src.width(), src.height(), to, src.type());
  const SampleType t = src.type();
  for (int y = 0; y < src.height(); ++y) {
    const std::byte* s = src.row_ptr(y);
    std::byte* d = out.row_ptr(y);
    for (int x = 0; x < src.width(); ++x) {
      float rgb[3];
      float alpha = 1.0f;
      if (from == 1) {
        rgb[0] = rgb[1] = rgb[2] = read_sample(s, t, static_cast<std::size_t>(x));
      } else {
        for (int c = 0; c < 3; ++c) rgb[c] = read_sample(s, t, static_cast<std::size_t>(x) * from + c);
        if (from == 4) alpha = read_sample(s, t, static_cast<std::size_t>(x) * 4 + 3);
      }
      if (to == 1) {
        float luma = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
        if (from == 4) luma *= alpha;
        write_sample(d, t, static_cast<std::size_t>(x), luma);
      } else {
        for (int c = 0; c < 3; ++c) {
          const float v = (from == 4 && to == 3) ? rgb[c] * alpha : rgb[c];
          write_sample(d, t, static_cast<std::size_t>(x) * to + c, v);
        }
        if (to == 4) write_sample(d, t, static_cast<std::size_t>(x) * 4 + 3, alpha);
      }
    }
  }
  return out;
}

Image to_luma_f32(const Image& src) {
  Image out(src.width(), src.height(), 1, SampleType::F32);
  const int ch = src.channels();
  for (int y = 0; y < src.height(); ++y) {
    const std::byte* s = src.row_ptr(y);
    float* d = out.row<float>(y);
    for (int x = 0; x < src.width(); ++x) {
      if (ch == 1) {
        d[x] = read_sample(s, src.type(), static_cast<std::size_t>(x));
      } else {
        const std::size_t i = static_cast<std::size_t>(x) * ch;
        d[x] = 0.299f * read_sample(s, src.type(), i) + 0.587f * read_sample(s, src.type(), i + 1) +
               0.114f * read_sample(s, src.type(), i + 2);
      }
    }
  }
  return out;
}

}  // namespace goesvfi
