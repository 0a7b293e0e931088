// The offline demo's data: a short, synthetic but realistic GOES-16 ABI L2 CMIP band-13 full-disk series
// (or every band of a multi-band product such as the Air Mass RGB: bands 8, 10, 12 and 13 of each scan),
// written as NOAA-layout NetCDF-4 files with real NOAA names in the bucket folder layout
// (ABI-L2-CMIPF/<YYYY>/<DOY>/<HH>/OR_ABI-L2-CMIPF-M6C13_G16_s..._e..._c....nc), 10-minute cadence, one scan
// deliberately missing. The scene is an Earth disk with a cloud field advected by a smooth known flow
// (pipeline/synthetic.hpp) and band-13-like brightness temperatures.
#pragma once

#include <filesystem>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "goes/domain.hpp"

namespace goesvfi {

struct DemoDataOptions {
  // scans and size are the demo.* keys of the schema: DemoDataOptions{} equals
  // from_config(Config::defaults()).
  DemoDataOptions();

  std::filesystem::path archive;  // the bucket-layout folder to fill (the caller's; not from the config)
  // FullDisk: ABI-L2-CMIPF every 10 min; Conus: ABI-L2-CMIPC every 5 min at :01, :06, ... (Mode 6).
  goes::Sector sector = goes::Sector::FullDisk;
  int scans;          // scan slots (one of them left missing)
  int missing_index;  // which slot has no file (-1: none); from_config: the middle one
  int size;           // pixels across the disk (full disk resampled; NOAA's 2 km grid is 5424)
  int conus_width = 2500, conus_height = 1500;  // CONUS at NOAA's 2 km grid
  std::vector<int> bands = {13};  // IR bands written per scan (8, 10, 12, 13: synthetic_ir_band)
  UtcTime start = *make_utc(2024, 5, 1, 12, 0, 0);
  int seed = 2024;

  // demo.scans, demo.size; the middle scan is the missing one; the bands of render.product when it is a
  // recipe (e.g. airmass: 8, 10, 12, 13), else band 13.
  static DemoDataOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit DemoDataOptions(FromConfig) : scans(0), missing_index(0), size(0) {}
};

struct DemoData {
  std::vector<std::filesystem::path> files;  // written, in time order
  UtcTime start, end;                        // the range covering every slot
  UtcTime missing;                           // the slot left out
};

// Writes the files (skipping ones already present from an earlier run).
DemoData generate_demo_data(const DemoDataOptions& options, Progress& progress, const CancelToken& cancel);

}  // namespace goesvfi
