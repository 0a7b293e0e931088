// Several bands of one ABI scan, for a multi-band product (a recipe, colour/product.hpp): the files of one
// scan found among many by their NOAA names (goes/scan_files.hpp), their bands read and checked to share one
// grid, and the recipe's picture made from them.
#pragma once

#include <filesystem>
#include <vector>

#include "goes/scan_files.hpp"
#include "render/abi_reader.hpp"
#include "render/render.hpp"

namespace goesvfi {

// One scan among a list of files: `files[k]` holds band `scan.bands[k]` (empty when the scan is incomplete).
struct ScanInputs {
  goes::ScanFiles scan;
  std::vector<std::filesystem::path> files;
};
// Groups `inputs` (NOAA-named NetCDF files) by scan, in time order (goes::group_by_scan).
std::vector<ScanInputs> group_scan_inputs(const std::vector<std::filesystem::path>& inputs,
                                          const std::vector<int>& bands);

// Reads band `bands[k]` from `files[k]` (the files of one scan; an MCMIP file may serve several bands), each
// with `options.dqf_invalid` and `options.downsample` (options.band unused). The fields share one grid:
// InvalidArgument naming the file and what differs (satellite, scene, start, size, scan angles, longitude)
// otherwise; NotFound when a file lacks its band.
std::vector<AbiField> read_scan_fields(const std::vector<std::filesystem::path>& files,
                                       const std::vector<int>& bands, const AbiReadOptions& options);

// Renders the recipe `options.product` from the files of one scan (files[k] holds the recipe's k-th band),
// at `options.resolution_km` (a whole multiple of the bands' resolution). The image is RGB U8; the header
// is the first band's (band 0: the picture is of no single band). InvalidArgument when the product is not a
// recipe.
RenderedFrame render_scan(const std::vector<std::filesystem::path>& files, const RenderOptions& options);

// The product code of a recipe in rendered names: "AIRMASS" (GOES16_CONUS_AIRMASS_20240501T120117Z.png).
std::string recipe_name_code(const Product& product);

}  // namespace goesvfi
