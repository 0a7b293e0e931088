// Small generated GOES-like files for the catalog tests: NetCDF-4 (an HDF5 superblock recording the file's
// size), PNG and JPEG written by the image codecs, and NOAA names for scan slots.
#pragma once

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/image_io.hpp"
#include "core/time.hpp"
#include "goes/names.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi::test {

// An HDF5 v2 superblock whose end-of-file address is `recorded` (default: the real size), padded to `size`.
inline void write_nc(const std::filesystem::path& path, std::size_t size = 200, std::size_t recorded = 0) {
  std::vector<unsigned char> b(size, 0);
  const std::array<unsigned char, 12> head{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 2, 8, 8, 0};
  std::copy(head.begin(), head.end(), b.begin());
  for (int i = 0; i < 8; ++i) b[20 + i] = 0xff;  // no superblock extension
  const std::uint64_t eof = recorded ? recorded : size;
  for (int i = 0; i < 8; ++i) b[28 + i] = static_cast<unsigned char>(eof >> (8 * i));
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<long>(b.size()));
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline void truncate_to(const std::filesystem::path& path, std::uintmax_t size) {
  std::filesystem::resize_file(path, size);
}

inline void write_small_image(const std::filesystem::path& path, int seed = 1) {
  write_image(path, make_pattern(32, 24, 1, SampleType::U8, 0, 0, seed));
}

// A NOAA L1b name for a scan starting at `start`.
inline std::string noaa_name(UtcTime start, goes::Sector sector = goes::Sector::FullDisk, int mode = 6,
                             int band = 13, goes::Satellite sat = goes::Satellite::G16) {
  goes::NoaaName n;
  n.sector = sector;
  n.mode = mode;
  n.band = band;
  n.satellite = sat;
  n.start = start;
  n.end = start + std::chrono::minutes(9);
  n.created = n.end + std::chrono::seconds(5);
  return goes::format_noaa_name(n);
}

}  // namespace goesvfi::test
