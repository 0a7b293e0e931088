// False colour as Sanchez makes it, in memory: a greyscale IR frame (cold = white) has its levels
// histogram-equalised (optionally adaptive, tile by tile, first), is tinted (black -> tint -> white) and
// Screen-blended over an underlay map reprojected into the satellite's fixed-grid view (the map's
// brightness and saturation adjusted first); a fixed per-pixel grain and a haze of the tint towards the limb
// follow, and an optional atmosphere glow. Without an underlay the IR intensity is looked up in a gradient
// instead. Off-disk pixels are black.
//
// The defaults are Sanchez's geostationary defaults (see docs/false-colour.md for each setting beside
// Sanchez's flag). The underlay projection, disk mask, haze and grain depend only on (satellite longitude,
// frame geometry, map and its settings) and are cached, so a timelapse computes them once; the per-frame
// work is table lookups and integer blends.
//
// Video: equalising each frame on its own histogram makes a sequence pump, so a video computes one
// `LevelsMap` for the whole sequence (`false_colour_levels` over its first frames) and passes it in
// `FalseColourOptions::levels`; every frame is then mapped alike.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "colour/gradient.hpp"
#include "core/config.hpp"
#include "core/image.hpp"
#include "goes/fixed_grid.hpp"

namespace goesvfi {

using LevelsTable = std::array<std::uint8_t, 256>;

// IR grey level -> equalised level. Global: one table. Adaptive: one table per tile of a tiles x tiles grid
// over the frame (interpolated bilinearly between tile centres, contrast-limited), then `global` on top.
struct LevelsMap {
  int tiles = 0;                  // 0 = no adaptive stage
  std::vector<LevelsTable> tile;  // tiles * tiles tables, row-major, when adaptive
  LevelsTable global{};           // applied last (identity when levels are not equalised)
  static LevelsMap identity();
};

// The defaults are the schema's (colour.* rows, Sanchez's): FalseColourOptions{} equals
// from_config(Config::defaults()), so its underlay is the installed default map (clear it for gradient-only);
// no default value is written here.
struct FalseColourOptions {
  FalseColourOptions();

  std::filesystem::path underlay;  // equirectangular (plate carrée) world map; empty = gradient-only
  Rgb8 tint;
  double brightness;  // of the composite
  double saturation;  // of the composite
  bool equalise;
  bool adaptive_levels;
  double haze;          // width of the limb haze, as a fraction of the disk (squared radius)
  double haze_opacity;  // its opacity at the limb
  bool noise;           // Sanchez's light grain: fixed per pixel, so a video does not shimmer
  bool atmosphere;
  std::string gradient;  // gradient-only colour table (built-in name or JSON file); empty = "noaa-ir"
  // One levels mapping for every frame (a video's); null = each frame's own (or identity without equalise).
  // Not a config key.
  std::shared_ptr<const LevelsMap> levels;
  int levels_frames;  // video: how many first frames' pooled histogram sets `levels`

  // From colour.* keys; colour.underlay "" = the default map (default_underlay_path) when installed,
  // "none" = no underlay.
  static FalseColourOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit FalseColourOptions(FromConfig)
      : tint{0, 0, 0},
        brightness(0),
        saturation(0),
        equalise(false),
        adaptive_levels(false),
        haze(0),
        haze_opacity(0),
        noise(false),
        atmosphere(false),
        levels_frames(0) {}
};

// Debian's xplanet-images 2048x1024 Blue-Marble-style Earth, /usr/share/xplanet/images/earth.jpg; empty when
// it is not installed.
std::filesystem::path default_underlay_path();

// Colours `ir` (U8/U16/F32; grey, or RGB/RGBA taken as luma) seen from a satellite at `satellite_lon_deg`.
// `area` is the frame's fixed-grid geometry; unset, the frame is taken as a full disk (it must be square).
// Returns RGB U8 of the same size. InvalidArgument for a non-square frame without an area; NotFound/Corrupt
// naming the underlay file.
Image false_colour(const Image& ir, double satellite_lon_deg, const FalseColourOptions& options,
                   const std::optional<FixedGridArea>& area = std::nullopt);

// The levels mapping of `frames` together (their on-disk pixels pooled): equalised (and adaptive) per
// `options`, identity when options.equalise is off. All frames share one geometry.
std::shared_ptr<const LevelsMap> false_colour_levels(const std::vector<Image>& frames,
                                                     double satellite_lon_deg,
                                                     const FalseColourOptions& options,
                                                     const std::optional<FixedGridArea>& area = std::nullopt);

// Drops every cached underlay projection (tests, or when the underlay file changed on disk).
void clear_false_colour_cache();
// Number of cached (longitude, geometry, underlay) views.
std::size_t false_colour_cache_size();

}  // namespace goesvfi
