// Products, not bands: what a frame shows. A product names the ABI bands it needs and how their physical
// values (brightness temperature in kelvin for bands 7-16, reflectance factor for bands 1-6) become pixels:
//   Grey         one band over a value range to grey (IR inverted: cold = white), the band's default range;
//   ColourTable  one band over a value range through a colour table (e.g. the water-vapour enhancement);
//   FalseColour  one IR band tinted over an Earth map, as Sanchez does (colour/false_colour.hpp);
//   Recipe       several bands of one scan combined by a function (an RGB recipe such as "airmass":
//                `bands` lists what it needs, `combine` makes the picture; render/scan_reader.hpp reads
//                them).
// The registry is a table of rows (product.cpp); a colour-table product or a recipe is one file
// colour/product_<name>.cpp (its table or its combine function), one row, and its test
// (docs/architecture.md).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "colour/gradient.hpp"
#include "core/image.hpp"

#include "core/config.hpp"

namespace goesvfi {

enum class ProductKind { Grey, ColourTable, FalseColour, Recipe };

struct ValueRange {
  double min = 0, max = 0;  // kelvin (min is shown white) or reflectance factor (min is black)
};

struct Product {
  std::string name;  // what --show (render.product) takes
  std::string description;
  ProductKind kind = ProductKind::Grey;
  std::vector<int> bands;                          // the bands it needs; empty = any single band
  std::optional<ValueRange> range;                 // unset = the band's default (band_defaults)
  std::vector<GradientStop> (*table)() = nullptr;  // ColourTable: its stops (position 0 = warm/dark end)
  // Recipe: one F32 field of physical values per entry of `bands` (NaN = no data) -> an RGB U8 image.
  std::function<Image(const std::vector<Image>& fields)> combine;
};

// One colour beam of an RGB recipe (EUMETSAT's recipe tables): the beam's input at `min` is 0, at `max` 255
// (max < min inverts), clamped, then t^(1/gamma).
struct RgbBeam {
  double min = 0, max = 1, gamma = 1;
};
std::uint8_t beam_level(double input, const RgbBeam& beam);

// The pixel loop of an RGB recipe: `fields` are the recipe's bands in its order (F32, one channel, one size),
// `inputs` turns one pixel's values (one per field) into the three beams' inputs; a pixel where any field is
// NaN is black. InvalidArgument naming `product` when the fields are not `count` one-channel F32 fields of
// one size.
Image combine_rgb(std::string_view product, const std::vector<Image>& fields, std::size_t count,
                  const std::array<RgbBeam, 3>& beams, std::array<double, 3> (*inputs)(const float* values));

// The default look of one ABI band without flags, with where the choice comes from.
struct BandDefaults {
  int band = 0;
  ValueRange range;
  std::string product;  // the band's default product ("grey" or a colour-table product)
  std::string source;   // where the range and table come from (documented in docs/products.md)
};

// Every band 1..16; InvalidArgument for another number.
const BandDefaults& band_defaults(int band);

// All products, in registry order.
const std::vector<Product>& products();
std::vector<std::string> product_names();
// A product by name (case-insensitive); nullptr when there is none.
const Product* find_product(std::string_view name);
// The product by name, InvalidArgument listing the names otherwise; `band` (when > 0) must be one the
// product can show (InvalidArgument naming both otherwise).
const Product& product_for(std::string_view name, int band = 0);

// The product chosen in render.product (nullptr: the band's default); InvalidArgument if unknown.
const Product* shown_product(const Config& config);
// colour.false_colour is on, or render.product is a false-colour product.
bool shows_false_colour(const Config& config);

}  // namespace goesvfi
