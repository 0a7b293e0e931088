// Synthetic satellite-like scenes with known motion, for the offline demo, benchmarks and tests: a cloud
// field (fractal value noise) advected by a smooth, known zonal flow — jets whose speed varies with latitude,
// so neighbouring rows move differently, as real cloud bands do. Deterministic for a seed.
#pragma once

#include "core/image.hpp"

namespace goesvfi {

struct SyntheticFlow {
  double base_px_per_min = 0.6;  // eastward drift everywhere
  double jet_px_per_min = 1.4;   // extra speed at the jet cores
  double jet_wavelength = 0.5;   // in fractions of the frame height
};

// Cloud optical thickness in [0,1] at pixel (x, y) and time `minutes` (the flow moves texture along x).
float cloud_density(double x, double y, double minutes, int height, const SyntheticFlow& flow, int seed);

// A full-disk-shaped brightness-temperature scene (kelvin, F32, NaN off the disk): a warm surface that cools
// towards the poles, cold cloud tops where the cloud field is dense; `size` x `size` pixels.
Image synthetic_disk_bt(int size, double minutes, int seed, const SyntheticFlow& flow = {});

// The same scene over a rectangular sector (CONUS-like: no space pixels), width x height pixels.
Image synthetic_sector_bt(int width, int height, double minutes, int seed, const SyntheticFlow& flow = {});

// The scene of `bt13` (synthetic_disk_bt or synthetic_sector_bt of the same minutes, seed and flow) as ABI
// IR band `band` would see it, for multi-band products (the Air Mass RGB's bands 8, 10, 12 and 13): clear
// air whose water-vapour (6.2/7.3 um) and ozone (9.6 um) temperatures depend on a poleward cold air mass and
// patches of dry descending air, and cloud tops seen alike in every band. Band 13 is `bt13` itself;
// InvalidArgument for bands other than 8, 10, 12, 13.
Image synthetic_ir_band(int band, const Image& bt13, double minutes, int seed,
                        const SyntheticFlow& flow = {});

// An RGB u8 cloud frame of any size (grey-blue clouds over a dark sea) for pipeline benchmarks.
Image synthetic_cloud_frame(int width, int height, double minutes, int seed, const SyntheticFlow& flow = {});

}  // namespace goesvfi
