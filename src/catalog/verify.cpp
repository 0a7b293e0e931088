#include "catalog/verify.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "goes/names.hpp"

namespace goesvfi::catalog {

namespace {

constexpr std::array<unsigned char, 8> kHdf5Magic{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
constexpr std::array<unsigned char, 8> kPngMagic{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
constexpr std::array<unsigned char, 12> kPngEnd{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};

std::uint64_t read_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

struct Bytes {
  std::vector<unsigned char> data;
  bool ok = false;
};

Bytes read_at(std::ifstream& in, std::uint64_t offset, std::size_t count) {
  Bytes b;
  b.data.resize(count);
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(b.data.data()), static_cast<std::streamsize>(count));
  b.ok = in.gcount() == static_cast<std::streamsize>(count);
  return b;
}

// HDF5 superblock (NetCDF-4): the end-of-file address it records must not lie beyond the file's size.
// The superblock sits at 0 or after a user block of 512, 1024, 2048, ... bytes.
Verification check_hdf5(std::ifstream& in, std::uint64_t size) {
  for (std::uint64_t base = 0; base + 8 <= size; base = base == 0 ? 512 : base * 2) {
    Bytes head = read_at(in, base, std::min<std::uint64_t>(96, size - base));
    if (head.data.size() < 8 || !std::equal(kHdf5Magic.begin(), kHdf5Magic.end(), head.data.begin()))
      continue;
    if (head.data.size() < 12) return {FileState::Truncated, "HDF5 superblock cut short"};
    const int version = head.data[8];
    std::size_t eof_at = 0;
    int offset_size = 0;
    if (version == 0 || version == 1) {
      offset_size = head.data[13];
      eof_at = (version == 0 ? 24 : 28) + 2 * static_cast<std::size_t>(offset_size);
    } else if (version == 2 || version == 3) {
      offset_size = head.data[9];
      eof_at = 12 + 2 * static_cast<std::size_t>(offset_size);
    } else {
      return {FileState::Ok, {}};  // a newer superblock: the magic is all we can vouch for
    }
    if (offset_size != 4 && offset_size != 8) {
      return {FileState::BadHeader,
              fmt::format("HDF5 superblock offset size {} (expected 4 or 8)", offset_size)};
    }
    const std::size_t base_at = eof_at - 2 * static_cast<std::size_t>(offset_size);
    if (head.data.size() < eof_at + offset_size) return {FileState::Truncated, "HDF5 superblock cut short"};
    const std::uint64_t base_address = read_le(head.data.data() + base_at, offset_size);
    const std::uint64_t eof = read_le(head.data.data() + eof_at, offset_size);
    if (base_address + eof > size) {
      return {FileState::Truncated, fmt::format("truncated: {} bytes of the {} the HDF5 superblock records",
                                                size, base_address + eof)};
    }
    return {FileState::Ok, {}};
  }
  return {FileState::BadHeader, "not NetCDF (expected a CDF or HDF5 signature)"};
}

}  // namespace

std::string_view to_string(FileState state) {
  switch (state) {
    case FileState::Ok:
      return "ok";
    case FileState::Empty:
      return "empty";
    case FileState::Truncated:
      return "truncated";
    case FileState::BadHeader:
      return "bad header";
    case FileState::Unreadable:
      return "unreadable";
  }
  return "unknown";
}

Verification verify_file(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return {FileState::Unreadable, ec.message()};
  if (size == 0) return {FileState::Empty, "empty file (0 bytes)"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return {FileState::Unreadable, std::strerror(errno)};
  const std::string ext = lower_extension(path);
  const Bytes head = read_at(in, 0, std::min<std::uint64_t>(16, size));
  const auto& h = head.data;
  if (!head.ok) return {FileState::Unreadable, "read failed"};
  if (goes::is_netcdf_name(path.filename().string()) || ext == ".h5" || ext == ".hdf5") {
    if (size >= 4 && h[0] == 'C' && h[1] == 'D' && h[2] == 'F' && (h[3] == 1 || h[3] == 2 || h[3] == 5)) {
      return {FileState::Ok, {}};  // classic NetCDF
    }
    return check_hdf5(in, size);
  }
  if (ext == ".png") {
    if (size < 8 || !std::equal(kPngMagic.begin(), kPngMagic.end(), h.begin())) {
      return {FileState::BadHeader, "not PNG (expected the PNG signature)"};
    }
    const Bytes tail = read_at(in, size >= 12 ? size - 12 : 0, std::min<std::uint64_t>(12, size));
    if (size < 8 + 25 + 12 || !std::equal(kPngEnd.begin(), kPngEnd.end(), tail.data.begin())) {
      return {FileState::Truncated, "truncated: no IEND chunk at the end of the PNG"};
    }
    return {FileState::Ok, {}};
  }
  if (ext == ".jpg" || ext == ".jpeg") {
    if (size < 3 || h[0] != 0xff || h[1] != 0xd8 || h[2] != 0xff) {
      return {FileState::BadHeader, "not JPEG (expected FF D8 FF)"};
    }
    // Encoders may pad after the end-of-image marker; FF D9 cannot occur inside entropy-coded data.
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(64, size));
    const Bytes tail = read_at(in, size - n, n);
    for (std::size_t i = n; i-- > 1;) {
      if (tail.data[i - 1] == 0xff && tail.data[i] == 0xd9) return {FileState::Ok, {}};
    }
    return {FileState::Truncated, "truncated: no JPEG end-of-image marker (FF D9)"};
  }
  return {FileState::Ok, {}};
}

}  // namespace goesvfi::catalog
