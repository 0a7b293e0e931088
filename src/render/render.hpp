// ABI NetCDF to images: brightness temperature over a range to inverted greyscale (cold = white, as Sanchez
// and goesproc images), reflectance with a gamma, optional colour table, fill/off-disk pixels black or
// transparent, optional area-average downsampling to a coarser resolution.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "colour/gradient.hpp"
#include "colour/product.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/image.hpp"
#include "core/progress.hpp"
#include "render/abi_reader.hpp"

namespace goesvfi {

enum class Background { Black, Transparent };

// The defaults are the schema's (render.* rows): RenderOptions{} equals from_config(Config::defaults()); no
// default value is written here.
struct RenderOptions {
  RenderOptions();

  int band;  // 0 = the file's only band; required for MCMIP
  // What to show (colour/product.hpp): "" = the band's default product (grey, or the water-vapour table for
  // bands 8-10); "false-colour" renders grey here and the caller colours it.
  std::string product;
  // Value range mapped onto 0..255: kelvin for IR (shown inverted, min = white), reflectance factor for
  // visible. Unset: the product's range, else the band's default (band_defaults; without a band, band 13's
  // for IR and 0..1 for visible).
  std::optional<double> range_min, range_max;
  double gamma;          // visible only
  std::string colormap;  // "" = the product's colour table (none: greyscale); else this one
  std::vector<int> dqf_invalid;
  Background background;
  double resolution_km;  // 0 = native; else a multiple of the native resolution (area average)

  // From render.* keys.
  static RenderOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit RenderOptions(FromConfig) : band(0), gamma(0), background(Background::Black), resolution_km(0) {}
};

// `options` with the product resolved for `band`: range and colour table filled in from the product and the
// band's defaults where the options leave them unset. InvalidArgument for an unknown product, one that cannot
// show the band, or a multi-band recipe (render one band at a time).
RenderOptions resolve_product(const RenderOptions& options, int band);

// The area-average factor that takes `header`'s band to `resolution_km` (1 for 0 = native); InvalidArgument
// unless it is a whole multiple of the native resolution.
int downsample_factor(double resolution_km, const AbiHeader& header);

// "4km", "2 km", "0.5km", "4" -> kilometres; InvalidArgument naming the text otherwise.
double parse_resolution_km(std::string_view text);
// "180:320" -> {180, 320}; InvalidArgument naming the text otherwise.
std::pair<double, double> parse_range(std::string_view text);

struct RenderedFrame {
  Image image;       // U8: grey (1), RGB (3) with a colour table, RGBA (4) with a transparent background
  AbiHeader header;  // width/height/area describe `image` (after downsampling)
};

// Maps a field of physical values (F32, NaN = no data) to an image per `options`.
Image map_field(const Image& values, AbiQuantity quantity, const RenderOptions& options);

// Reads and renders one file. The common case (native resolution) maps packed values straight through a
// table, so the cost beyond inflating the pixels is one lookup per pixel.
RenderedFrame render_abi_file(const std::filesystem::path& file, const RenderOptions& options);

// Data frames: what interpolate.space = data interpolates before colouring. One channel, U16: 0 = no data,
// 1..65535 = the value's position in the product's fixed range (render.range or the product's), linear in
// the physical value (brightness temperature or reflectance factor; gamma belongs to the colouring) and
// inverted for IR like the grey picture (cold = high). Every frame of a video shares the mapping, so one
// data value is one temperature (or reflectance) in every frame and in every in-between frame.
struct DataFrame {
  Image data;
  AbiHeader header;
  RenderOptions options;  // resolved for the file's band (resolve_product): what DataPalette colours with
};
// Reads one file into a data frame (the same reading, masking and downsampling as render_abi_file).
DataFrame render_abi_data(const std::filesystem::path& file, const RenderOptions& options);
// A field of physical values (F32, NaN = no data) as a data frame, per `options` (resolved).
Image map_field_data(const Image& values, AbiQuantity quantity, const RenderOptions& options);

// Colours data frames as render_abi_file colours a file (the same levels, gamma, colour table and
// background): one table of 65 536 pixels, built once. `options` resolved (DataFrame::options).
class DataPalette {
 public:
  DataPalette(AbiQuantity quantity, const RenderOptions& options);
  // InvalidArgument unless `data` is one-channel U16.
  Image colour(const Image& data) const;
  int channels() const { return m_channels; }

 private:
  int m_channels = 1;
  std::vector<std::array<std::uint8_t, 4>> m_pixel;  // per data value
};

// Output name of a rendered file, goesproc style: GOES16_FD_CH13_20241221T180021Z.png (product "FC" for false
// colour when `product` is set).
std::string rendered_name(const AbiHeader& header, const std::string& extension,
                          const std::string& product = "");

struct RenderBatchOptions {
  RenderOptions render;
  std::filesystem::path output_dir;
  std::string format = "png";  // png | jpg
  int jpeg_quality = 95;
  // Applied to each rendered frame before writing (e.g. false colour); product code for the name ("FC").
  std::function<Image(const RenderedFrame&)> transform;
  std::string transform_product;
  int jobs = 0;  // files in flight at once (0 = one per pool thread)
};

// render.* keys (range, resolution, band, format, jpeg_quality, jobs, ...); the caller sets output_dir and
// the transform.
RenderBatchOptions render_batch_options_from(const Config& config);

struct RenderBatchResult {
  std::vector<std::filesystem::path>
      written;                          // in input order (a recipe: one per complete scan, in time order)
  std::vector<std::string> incomplete;  // a recipe's scans missing a band: "<scan>: no file of band 12"
};

// Renders many files in parallel on the global pool (each file's error gets its name as context; the first
// error stops the batch), writing each image atomically into output_dir. For a recipe product
// (render.product "airmass") the inputs are grouped by scan and each complete scan is one image; scans
// missing a band are listed in `incomplete` (NotFound when no scan is complete).
RenderBatchResult render_files(const std::vector<std::filesystem::path>& inputs,
                               const RenderBatchOptions& options, Progress& progress = Progress::null(),
                               const CancelToken& cancel = CancelToken::process());

// NetCDF files among `inputs` (folders are listed, non-recursive, sorted); NotFound naming a missing path.
std::vector<std::filesystem::path> list_netcdf_inputs(const std::vector<std::filesystem::path>& inputs);

}  // namespace goesvfi
