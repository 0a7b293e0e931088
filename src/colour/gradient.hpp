// Colour tables: gradients of colour stops (positions 0..1) baked into 256-entry lookup tables, interpolated
// in CIE LCh so that ramps stay even in perceived lightness and hue. Built-in: an NOAA-style IR enhancement
// and Sanchez's published gradients; users add Sanchez-format JSON files
// (`[{"Colour":"#rrggbb","Position":0.0}, ...]`).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/image.hpp"

namespace goesvfi {

struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb8&) const = default;
};

// "#1b3f66" or "1b3f66"; InvalidArgument naming `what` and the text otherwise.
Rgb8 parse_hex_colour(std::string_view text, std::string_view what = "colour");

struct GradientStop {
  double position = 0;  // 0..1
  Rgb8 colour;
};

using ColourLut = std::array<Rgb8, 256>;

// Entry i holds the colour at position i/255. Stops are sorted by position; before the first and after the
// last stop the end colours hold. At a stop's exact position its colour is returned unchanged.
ColourLut make_lut(std::vector<GradientStop> stops);

// A grey image (U8/U16/F32; grey, or RGB/RGBA taken as luma) through a table: RGB U8.
Image apply_colour_table(const Image& grey, const ColourLut& lut);

// Names of the built-in gradients ("noaa-ir", "darkred-blue", "red-blue", "purple-yellow", "atmosphere",
// "grey") and of the colour-table products' tables ("water-vapour", colour/product.hpp).
std::vector<std::string> builtin_gradient_names();
// A built-in gradient by name (case-insensitive) or a gradient JSON file by path. InvalidArgument for an
// unknown name (listing the built-ins), NotFound / Corrupt for a file.
std::vector<GradientStop> load_gradient(std::string_view name_or_path);
// Parses gradient JSON text; `origin` names the file in errors.
std::vector<GradientStop> parse_gradient_json(std::string_view text, std::string_view origin);

}  // namespace goesvfi
