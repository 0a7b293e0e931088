#include "colour/product.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

// The colour tables of the single-band colour products, one file each (colour/product_<name>.cpp).
std::vector<GradientStop> water_vapour_table();  // product_water_vapour.cpp
// The recipes, one file each (colour/product_<name>.cpp).
Image airmass_rgb(const std::vector<Image>& fields);  // product_airmass.cpp

namespace {

constexpr const char* k_window_source =
    "180-320 K: goesvfi's IR range since the first release; the coldest overshooting tops (~180 K) to hot "
    "desert ground (~320 K)";
constexpr const char* k_wv_source =
    "water-vapour bands see the mid/upper troposphere, never the warm surface: the warm end is where a "
    "band's clear-sky brightness temperature tops out (band 10: a real CONUS scan spans 189-275 K, issue 17; "
    "bands 9 and 8 peak higher and are 10 and 15 K colder), the cold end 185 K is below the coldest tops; "
    "table: product water-vapour";

// One row per ABI band (GOES-R PUG vol. 3, table 5.1.1: bands 1-6 reflective, 7-16 emissive).
const std::vector<BandDefaults>& band_table() {
  static const std::vector<BandDefaults> rows = {
      {1, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {2, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {3, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {4, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {5, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {6, {0, 1}, "grey", "reflectance factor 0-1, then render.gamma (1/2.2)"},
      {7,
       {200, 330},
       "grey",
       "200-330 K: the 3.9 um shortwave window adds reflected sunlight by day, so warm ground reads hotter "
       "than in band 13; cold tops read warmer"},
      {8, {185, 260}, "water-vapour", k_wv_source},
      {9, {185, 265}, "water-vapour", k_wv_source},
      {10, {185, 275}, "water-vapour", k_wv_source},
      {11, {180, 320}, "grey", k_window_source},
      {12,
       {190, 300},
       "grey",
       "190-300 K: the 9.6 um ozone band is absorbed by stratospheric ozone, reading ~10-20 K colder than "
       "the "
       "window over clear sky"},
      {13, {180, 320}, "grey", k_window_source},
      {14, {180, 320}, "grey", k_window_source},
      {15, {180, 320}, "grey", k_window_source},
      {16,
       {185, 300},
       "grey",
       "185-300 K: the 13.3 um CO2 band is partly absorbed, reading ~10-20 K colder than the window over "
       "clear sky"},
  };
  return rows;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

const std::vector<int> k_ir_bands = {7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

}  // namespace

const BandDefaults& band_defaults(int band) {
  if (band < 1 || band > 16) fail(ErrorKind::InvalidArgument, "ABI band {} does not exist (1-16)", band);
  return band_table()[static_cast<std::size_t>(band - 1)];
}

const std::vector<Product>& products() {
  // The registry: one row per product.
  static const std::vector<Product> rows = {
      {"grey",
       "one band to grey over its default range (IR inverted: cold = white)",
       ProductKind::Grey,
       {},
       {},
       nullptr,
       {}},
      {"water-vapour",
       "water-vapour enhancement: dry brown/orange, moist grey-white, cold cloud green-blue",
       ProductKind::ColourTable,
       {8, 9, 10},
       {},
       water_vapour_table,
       {}},
      {"noaa-ir",
       "NOAA-style IR enhancement: grey below 240 K, colour bands for cold cloud tops",
       ProductKind::ColourTable,
       k_ir_bands,
       ValueRange{180, 320},
       [] { return load_gradient("noaa-ir"); },
       {}},
      // Range: NetCDF is rendered through a fixed brightness-temperature range instead of being equalised (so
      // a video cannot pump): 225 K white to 310 K black puts low cloud (~285 K) where the tint starts to
      // show, mid cloud (~260 K) at the tint and deep convection white, as equalisation does on a full disk.
      {"false-colour",
       "IR tinted and Screen-blended over an Earth map, as Sanchez makes it",
       ProductKind::FalseColour,
       k_ir_bands,
       ValueRange{225, 310},
       nullptr,
       {}},
      {"airmass",
       "Air Mass RGB (EUMETSAT/NOAA): 6.2-7.3 um, 9.6-10.3 um and 6.2 um; jets, dry intrusions, air masses",
       ProductKind::Recipe,
       {8, 10, 12, 13},
       {},
       nullptr,
       airmass_rgb},
  };
  return rows;
}

std::vector<std::string> product_names() {
  std::vector<std::string> names;
  for (const auto& p : products()) names.push_back(p.name);
  return names;
}

const Product* find_product(std::string_view name) {
  const auto key = lower(name);
  for (const auto& p : products()) {
    if (p.name == key || (key == "false-color" && p.name == "false-colour")) return &p;
  }
  return nullptr;
}

const Product& product_for(std::string_view name, int band) {
  const Product* p = find_product(name);
  if (!p) {
    fail(ErrorKind::InvalidArgument, "unknown product '{}': expected one of {}", name,
         fmt::join(product_names(), ", "));
  }
  if (band > 0) {
    (void)band_defaults(band);
    if (!p->bands.empty() && std::find(p->bands.begin(), p->bands.end(), band) == p->bands.end()) {
      fail(ErrorKind::InvalidArgument, "product '{}' needs band {}; this is band {}", p->name,
           fmt::join(p->bands, " or "), band);
    }
  }
  return *p;
}

std::uint8_t beam_level(double input, const RgbBeam& beam) {
  double t = std::clamp((input - beam.min) / (beam.max - beam.min), 0.0, 1.0);
  if (beam.gamma != 1.0) t = std::pow(t, 1.0 / beam.gamma);
  return static_cast<std::uint8_t>(std::lround(t * 255.0));
}

Image combine_rgb(std::string_view product, const std::vector<Image>& fields, std::size_t count,
                  const std::array<RgbBeam, 3>& beams, std::array<double, 3> (*inputs)(const float* values)) {
  if (fields.size() != count || count == 0) {
    fail(ErrorKind::InvalidArgument, "product '{}' combines {} bands, got {}", product, count, fields.size());
  }
  for (const auto& f : fields) {
    if (f.type() != SampleType::F32 || f.channels() != 1 || f.width() != fields[0].width() ||
        f.height() != fields[0].height()) {
      fail(ErrorKind::InvalidArgument,
           "product '{}' needs one-channel float fields of one size, got {} and {}", product,
           fields[0].describe(), f.describe());
    }
  }
  const int w = fields[0].width();
  Image out(w, fields[0].height(), 3, SampleType::U8);
  ThreadPool::global().parallel_for(
      0, out.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        std::vector<const float*> rows(count);
        std::vector<float> values(count);
        for (auto y = static_cast<int>(y0); y < y1; ++y) {
          for (std::size_t k = 0; k < count; ++k) rows[k] = fields[k].row<float>(y);
          auto* px = out.row<std::uint8_t>(y);
          for (int x = 0; x < w; ++x, px += 3) {
            bool valid = true;
            for (std::size_t k = 0; k < count; ++k) {
              values[k] = rows[k][x];
              valid = valid && !std::isnan(values[k]);
            }
            if (!valid) {
              px[0] = px[1] = px[2] = 0;
              continue;
            }
            const auto in = inputs(values.data());
            for (int c = 0; c < 3; ++c) px[c] = beam_level(in[c], beams[c]);
          }
        }
      },
      16);
  return out;
}

const Product* shown_product(const Config& config) {
  const auto& name = config.get_string("render.product");
  return name.empty() ? nullptr : &product_for(name);
}

bool shows_false_colour(const Config& config) {
  const Product* p = shown_product(config);
  return config.get_bool("colour.false_colour") || (p && p->kind == ProductKind::FalseColour);
}

namespace {
// render.product takes its choices from the registry.
const bool registered_product_choices = register_config_choices("products", product_names);
}  // namespace

}  // namespace goesvfi
