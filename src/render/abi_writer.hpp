// Writing ABI L1b radiance files in NOAA's layout (NetCDF-4, packed unsigned 12-bit Rad in a short with
// scale/offset/_Unsigned/_FillValue, chunked and deflated, DQF, fixed-grid x/y, goes_imager_projection,
// Planck and kappa0 scalar variables, identity and time attributes). For test fixtures, benchmarks and tools
// that need real-layout inputs without network access.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "goes/fixed_grid.hpp"
#include "render/abi_reader.hpp"

namespace goesvfi {

struct AbiL1bSpec {
  // L1bRadiance writes `Rad` with Planck/kappa0 scalars; L2Cmi writes CMIP's `CMI` (brightness temperature or
  // reflectance packed linearly, no calibration variables); L2Mcmip writes one band as `CMI_Cnn`/`DQF_Cnn`.
  AbiProduct product = AbiProduct::L1bRadiance;
  int band = 13;
  FixedGridArea area = FixedGridArea::full_disk(5424);
  double lon0_deg = -75.0;
  std::string platform = "G16";
  std::string scene = "Full Disk";
  UtcTime start{};
  // Packing (NOAA's band-13 values by default).
  double scale_factor = 0.04572892, add_offset = -1.6443;
  int fill_value = 4095;
  double planck_fk1 = 10835.6, planck_fk2 = 1394.12, planck_bc1 = 0.07786, planck_bc2 = 0.99974;
  double kappa0 = -999.0;             // -999 = fill (IR bands)
  std::vector<std::uint16_t> packed;  // area.width * area.height
  std::vector<std::uint8_t> dqf;      // same size, or empty for all 0
  int chunk = 226;                    // NOAA's full-disk chunk edge
  int deflate_level = 1;
};

// Writes `spec` (L1b Rad, L2 CMI or one band of MCMIP) to `path` atomically. InvalidArgument when the pixel
// arrays do not match the area.
void write_abi_file(const std::filesystem::path& path, const AbiL1bSpec& spec);
inline void write_abi_l1b(const std::filesystem::path& path, const AbiL1bSpec& spec) {
  write_abi_file(path, spec);
}

// An L2 CMIP spec for `band` over `area`: CMI packed as NOAA does (12-bit unsigned in a short, _FillValue -1
// i.e. 65535 unsigned), brightness temperature 0.0422 K per count from 173.15 K for IR bands, reflectance
// 0.000244 per count for bands 1-6. Pixels still to be filled in `packed`.
AbiL1bSpec cmip_spec(int band, const FixedGridArea& area, double lon0_deg);
// The packed value of a physical value (kelvin or reflectance) under `spec`, rounded and clamped to 0..4094
// (L1b IR bands go through inverse Planck).
std::uint16_t pack_value(double physical, const AbiL1bSpec& spec);

// The packed value of a brightness temperature (inverse Planck, rounded, clamped to 0..4094).
std::uint16_t pack_brightness_temperature(double kelvin, const AbiL1bSpec& spec);

}  // namespace goesvfi
