// False colour like Sanchez, in memory: a greyscale IR frame (cold = white) is optionally
// histogram-equalised, tinted (black -> tint -> white), and Screen-blended over an underlay map reprojected
// into the satellite's fixed-grid view; brightness and saturation follow, with an optional atmosphere glow at
// the limb. Without an underlay the IR intensity is looked up in a gradient instead. Off-disk pixels are
// black.
//
// The underlay projection, disk mask and glow depend only on (satellite longitude, frame geometry, underlay)
// and are cached, so a timelapse computes them once; the per-frame work is table lookups and integer blends.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/image.hpp"
#include "render/fixed_grid.hpp"
#include "render/gradient.hpp"

namespace goesvfi {

struct FalseColourOptions {
  std::filesystem::path underlay;  // equirectangular (plate carrée) world map; empty = gradient-only
  Rgb8 tint{0x1b, 0x3f, 0x66};
  double brightness = 1.0;
  double saturation = 1.0;
  bool equalise = false;
  bool atmosphere = false;
  std::string gradient;  // gradient-only colour table (built-in name or JSON file); empty = "noaa-ir"

  // From colour.* keys.
  static FalseColourOptions from_config(const Config& config);
};

// Colours `ir` (U8/U16/F32; grey, or RGB/RGBA taken as luma) seen from a satellite at `satellite_lon_deg`.
// `area` is the frame's fixed-grid geometry; unset, the frame is taken as a full disk (it must be square).
// Returns RGB U8 of the same size. InvalidArgument for a non-square frame without an area; NotFound/Corrupt
// naming the underlay file.
Image false_colour(const Image& ir, double satellite_lon_deg, const FalseColourOptions& options,
                   const std::optional<FixedGridArea>& area = std::nullopt);

// Drops every cached underlay projection (tests, or when the underlay file changed on disk).
void clear_false_colour_cache();
// Number of cached (longitude, geometry, underlay) views.
std::size_t false_colour_cache_size();

}  // namespace goesvfi
