// Reading and writing still images (PNG, JPEG, TIFF; 8/16-bit; grey, RGB, RGBA) through OpenCV's codecs.
// Images come back as RGB(A) order (OpenCV's BGR is swapped here, once).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/image.hpp"

namespace goesvfi {

// Throws NotFound / Corrupt (naming the file) when missing, unreadable or truncated.
Image read_image(const std::filesystem::path& path);
// Width and height from the header only (cheap); Corrupt if the header is unreadable.
struct ImageHeader {
  int width = 0, height = 0, channels = 0;
};
ImageHeader read_image_header(const std::filesystem::path& path);
// Writes atomically; the format follows the extension (.png, .jpg, .tif). U8 or U16 (F32 is converted to
// U16).
void write_image(const std::filesystem::path& path, const Image& image, int jpeg_quality = 95);
// Encodes to memory (for pipes and tests): ".png", ".jpg".
std::vector<unsigned char> encode_image(const Image& image, const std::string& ext, int jpeg_quality = 95);
bool is_image_extension(const std::filesystem::path& path);  // png/jpg/jpeg/tif/tiff in any case

}  // namespace goesvfi
