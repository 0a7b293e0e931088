// Products, not bands: what a frame shows. A product names the ABI bands it needs and how their physical
// values (brightness temperature in kelvin for bands 7-16, reflectance factor for bands 1-6) become pixels:
//   Grey         one band over a value range to grey (IR inverted: cold = white), the band's default range;
//   ColourTable  one band over a value range through a colour table (e.g. the water-vapour enhancement);
//   FalseColour  one IR band tinted over an Earth map, as Sanchez does (colour/false_colour.hpp);
//   Recipe       several bands combined by a function (an RGB recipe such as an airmass or true-colour
//                composite: `bands` lists what it needs, `combine` makes the picture).
// The registry is a table of rows (product.cpp); a single-band colour product is one file under
// colour/products/ (its table), one row, and its test (docs/architecture.md).
#pragma once

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
  std::string name;  // what --product takes
  std::string description;
  ProductKind kind = ProductKind::Grey;
  std::vector<int> bands;                          // the bands it needs; empty = any single band
  std::optional<ValueRange> range;                 // unset = the band's default (band_defaults)
  std::vector<GradientStop> (*table)() = nullptr;  // ColourTable: its stops (position 0 = warm/dark end)
  // Recipe: one F32 field of physical values per entry of `bands` (NaN = no data) -> an RGB U8 image.
  std::function<Image(const std::vector<Image>& fields)> combine;
};

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
