// Image: the one pixel buffer type of goesvfi. Interleaved channels (1 grey, 3 RGB, 4 RGBA), 8-bit, 16-bit or
// float samples, rows 64-byte aligned with an explicit stride. Copies share the buffer (cheap, like a
// ref-counted AVFrame); view() makes a crop without copying; clone() makes a deep, tightly owned copy.
// Ownership rule (FFmpeg's): a stage that receives an Image owns that reference; to write into pixels it
// must hold the only reference (is_unique()) or clone first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace goesvfi {

enum class SampleType : std::uint8_t { U8, U16, F32 };

std::size_t sample_size(SampleType type);
// The value of full scale: 255, 65535, or 1.0 for float samples.
double sample_peak(SampleType type);
std::string to_string(SampleType type);

struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect&) const = default;
};

class Image {
 public:
  static constexpr std::size_t k_row_alignment = 64;

  Image() = default;
  // Allocates width x height x channels samples; contents are zero-initialised.
  Image(int width, int height, int channels, SampleType type);

  bool empty() const { return m_data == nullptr; }
  int width() const { return m_width; }
  int height() const { return m_height; }
  int channels() const { return m_channels; }
  SampleType type() const { return m_type; }
  std::size_t stride() const { return m_stride; }  // bytes between row starts
  std::size_t row_bytes() const {
    return static_cast<std::size_t>(m_width) * m_channels * sample_size(m_type);
  }
  bool same_layout(const Image& other) const {
    return m_width == other.m_width && m_height == other.m_height && m_channels == other.m_channels &&
           m_type == other.m_type;
  }
  // "1920x1080 RGB u8": for error messages.
  std::string describe() const;

  std::byte* data() { return m_data; }
  const std::byte* data() const { return m_data; }
  std::byte* row_ptr(int y) { return m_data + static_cast<std::size_t>(y) * m_stride; }
  const std::byte* row_ptr(int y) const { return m_data + static_cast<std::size_t>(y) * m_stride; }
  template <typename T>
  T* row(int y) {
    return reinterpret_cast<T*>(row_ptr(y));
  }
  template <typename T>
  const T* row(int y) const {
    return reinterpret_cast<const T*>(row_ptr(y));
  }

  // A view of a rectangle of this image sharing its buffer. Throws InvalidArgument outside the image.
  Image view(const Rect& rect) const;
  Image clone() const;
  bool is_unique() const { return m_buffer.use_count() == 1; }

  // Wraps external memory without owning it (the caller keeps it alive), e.g. an AVFrame plane.
  static Image wrap(void* data, int width, int height, int channels, SampleType type, std::size_t stride);

 private:
  std::shared_ptr<std::byte[]> m_buffer;
  std::byte* m_data = nullptr;
  int m_width = 0, m_height = 0, m_channels = 0;
  SampleType m_type = SampleType::U8;
  std::size_t m_stride = 0;
};

// Sample-type / channel conversions used at stage boundaries. Float images hold values in [0,1].
Image convert_type(const Image& src, SampleType to);
// 1 <-> 3 <-> 4 channel conversion: grey->RGB replicates, RGB->grey uses Rec.601 luma, adding alpha makes it
// opaque, dropping alpha composites over black.
Image convert_channels(const Image& src, int to_channels);
// Luma as float [0,1], one channel: what flow estimation and quality metrics work on.
Image to_luma_f32(const Image& src);

}  // namespace goesvfi
