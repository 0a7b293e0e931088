// Reading GOES-R ABI NetCDF-4 imagery with libnetcdf: L1b radiances (`Rad`), L2 cloud and moisture imagery
// (CMIP `CMI`) and the multi-band MCMIP (`CMI_C01` ... `CMI_C16`). The header (geometry, calibration, time)
// is read apart from the pixels so listing and planning stay cheap.
//
// Physics (GOES-R PUG vol. 3): radiance = packed * scale_factor + add_offset (packed read as unsigned when
// `_Unsigned` is "true", `_FillValue` masked); IR bands 7-16 to brightness temperature
// T = (fk2 / ln(fk1 / L + 1) - bc1) / bc2 with the Planck constants from the scalar VARIABLES planck_fk1/fk2/
// bc1/bc2; bands 1-6 to reflectance factor R = L * kappa0 (variable). L2 CMI is already T or R.
// Pixels whose DQF value is listed as invalid are masked.
//
// libnetcdf is not thread-safe: every call into it holds one process-wide lock; the per-pixel work
// (calibration, masking, averaging) runs outside it, so many files render in parallel on the pool.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/image.hpp"
#include "core/time.hpp"
#include "goes/fixed_grid.hpp"

namespace goesvfi {

enum class AbiProduct { L1bRadiance, L2Cmi, L2Mcmip };
enum class AbiQuantity { BrightnessTemperature, Reflectance };

struct AbiHeader {
  std::filesystem::path file;
  AbiProduct product = AbiProduct::L1bRadiance;
  int band = 0;  // 1..16
  AbiQuantity quantity = AbiQuantity::BrightnessTemperature;
  int width = 0, height = 0;
  std::string platform;  // global attribute platform_ID: "G16"
  std::string scene;     // global attribute scene_id: "Full Disk", "CONUS", "Mesoscale"
  UtcTime start{};       // scan start (time_coverage_start)
  FixedGridProjection projection;
  FixedGridArea area;          // scan angles of the pixel centres
  double resolution_km = 2.0;  // nominal pixel size at the sub-satellite point
  std::string variable;        // "Rad", "CMI", "CMI_C13"
  std::string dqf_variable;    // "DQF", "DQF_C13" (empty when the file has none)
  // Unpacking of the packed variable.
  double scale_factor = 1.0, add_offset = 0.0;
  bool is_unsigned = false;
  bool has_fill = false;
  int fill_value = 0;  // packed, as stored (before the unsigned reinterpretation)
  // Calibration (L1b only): Planck constants for IR bands, kappa0 for reflective bands.
  double planck_fk1 = 0, planck_fk2 = 0, planck_bc1 = 0, planck_bc2 = 0;
  double kappa0 = 0;
};

// Reads the header of `file`. `band` 0 takes the file's only band (L1b, CMIP); MCMIP needs a band. Throws
// NotFound (missing file, band not in the file), Corrupt (not NetCDF, truncated, missing variables),
// Unsupported (not an imagery product, e.g. L2 FDC).
AbiHeader read_abi_header(const std::filesystem::path& file, int band = 0);

struct AbiReadOptions {
  int band = 0;
  std::vector<int> dqf_invalid = {2, 3, 4};
  int downsample = 1;  // area-average factor x factor blocks
};

struct AbiField {
  AbiHeader header;  // area/size describe `values` (after downsampling)
  Image values;      // F32, one channel: kelvin or reflectance factor; NaN where fill, off-disk or DQF-masked
};

// Reads, unpacks, calibrates and masks the imagery variable. With downsample > 1 each output pixel is the
// mean of the valid input pixels of its block (NaN when none is valid); edge pixels that do not fill a block
// are dropped.
AbiField read_abi_field(const std::filesystem::path& file, const AbiReadOptions& options);

// A vector that leaves new elements uninitialised: pixel buffers that are overwritten at once (a full disk
// is 29 M pixels; zero-filling them first costs more than mapping them).
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <typename T>
using PixelVector = std::vector<T, UninitialisedAllocator<T>>;

// The packed pixels and DQF of a file, unconverted (for renderers that map packed values through a table).
struct AbiRaw {
  AbiHeader header;
  PixelVector<std::uint16_t> packed;  // width*height, row-major
  PixelVector<std::uint8_t> dqf;      // empty when the file has no DQF
};
AbiRaw read_abi_raw(const std::filesystem::path& file, int band = 0);
// What read_abi_field does after reading: unpack, calibrate, mask and average `raw` (options.band unused).
AbiField calibrate_abi_raw(const AbiRaw& raw, const AbiReadOptions& options);

// Physical value of every possible packed value (index = packed as unsigned 16-bit; NaN for the fill value):
// brightness temperature or reflectance factor.
std::vector<float> calibration_table(const AbiHeader& header);
// Table of which DQF values are invalid, from a list such as {2, 3, 4}.
std::array<bool, 256> dqf_invalid_table(const std::vector<int>& invalid);
// Parses "2,3,4" (render.dqf_invalid); InvalidArgument naming the text otherwise.
std::vector<int> parse_dqf_list(std::string_view text);

// Physics, exposed for tests and other stages.
double brightness_temperature(double radiance, const AbiHeader& header);
double reflectance_factor(double radiance, const AbiHeader& header);

}  // namespace goesvfi
