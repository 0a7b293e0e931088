// The product registry: each band's default look, the water-vapour product, and the rules for product rows.
#include <algorithm>
#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "colour/product.hpp"
#include "core/error.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

TEST(Product, EveryBandHasADefaultWithItsSource) {
  for (int band = 1; band <= 16; ++band) {
    const auto& d = band_defaults(band);
    EXPECT_EQ(d.band, band);
    EXPECT_LT(d.range.min, d.range.max) << band;
    EXPECT_FALSE(d.source.empty()) << band;
    EXPECT_NE(find_product(d.product), nullptr) << band;
  }
  EXPECT_EQ(band_defaults(2).range.max, 1.0);
  EXPECT_EQ(band_defaults(13).range.min, 180.0);
  EXPECT_EQ(band_defaults(13).range.max, 320.0);
  EXPECT_EQ(band_defaults(13).product, "grey");
  for (int band : {8, 9, 10}) EXPECT_EQ(band_defaults(band).product, "water-vapour");
  EXPECT_ERROR(band_defaults(0), ErrorKind::InvalidArgument, "ABI band 0 does not exist");
  EXPECT_ERROR(band_defaults(17), ErrorKind::InvalidArgument, "ABI band 17 does not exist");
}

// Issue 17: a real band-10 CONUS scan spans 189-275 K. Over the old single IR range (180-320 K) it used 61 %
// of the grey scale; over band 10's own range it uses 95 %.
TEST(Product, WaterVapourRangeFitsARealBand10Scan) {
  const auto& d = band_defaults(10);
  const double used = (275.0 - 189.0) / (d.range.max - d.range.min);
  EXPECT_GE(used, 0.9);
  EXPECT_GE(189.0, d.range.min);
  EXPECT_LE(275.0, d.range.max);
  EXPECT_NEAR((275.0 - 189.0) / (320.0 - 180.0), 0.614, 0.001);
}

TEST(Product, WaterVapourTable) {
  const Product& p = product_for("Water-Vapour", 9);  // case-insensitive, and band 9 is one of its bands
  ASSERT_EQ(p.kind, ProductKind::ColourTable);
  ASSERT_NE(p.table, nullptr);
  const auto lut = make_lut(p.table());
  EXPECT_EQ(lut, make_lut(load_gradient("water-vapour")));  // also a colour table for --colormap
  // Warm, dry end: brown (red over blue); moist middle: white; cold end: blue.
  EXPECT_GT(lut[0].r, lut[0].b);
  EXPECT_GT(lut[51].r, 2 * lut[51].b);
  const auto white = lut[static_cast<std::size_t>(std::lround(0.58 * 255))];
  EXPECT_EQ(white, (Rgb8{255, 255, 255}));
  EXPECT_GT(lut[230].b, 2 * lut[230].r);
  // Lightness rises from the dry end to the moist white.
  auto luma = [](Rgb8 c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; };
  EXPECT_LT(luma(lut[0]), luma(lut[80]));
  EXPECT_LT(luma(lut[80]), luma(white));
}

TEST(Product, NamesAndBandChecks) {
  const auto names = product_names();
  for (const char* n : {"grey", "water-vapour", "noaa-ir", "false-colour"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(product_for("false-color").kind, ProductKind::FalseColour);
  EXPECT_EQ(product_for("grey", 2).kind, ProductKind::Grey);
  try {
    product_for("water-vapour", 13);
    ADD_FAILURE() << "band 13 accepted for water-vapour";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(e.describe().find("band 13"), std::string::npos) << e.describe();
  }
  try {
    product_for("dust");
    ADD_FAILURE() << "unknown product accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(e.describe().find("water-vapour"), std::string::npos) << e.describe();  // lists the names
  }
  // Every row is usable: a colour table has a table, a recipe a combine function and its bands.
  for (const auto& p : products()) {
    if (p.kind == ProductKind::ColourTable) {
      EXPECT_NE(p.table, nullptr) << p.name;
    }
    if (p.kind == ProductKind::Recipe) {
      EXPECT_TRUE(p.combine) << p.name;
      EXPECT_GE(p.bands.size(), 2u) << p.name;
    }
  }
}

// The Air Mass RGB recipe against the published table, computed here per beam: red = C08 - C10 over
// -26.2..0.6 K, green = C12 - C13 over -43.2..6.7 K, blue = C08 over 243.9..208.5 K (inverted), gamma 1.
TEST(Product, AirmassIsThePublishedRecipe) {
  const Product& p = product_for("AirMass");
  ASSERT_EQ(p.kind, ProductKind::Recipe);
  EXPECT_EQ(p.bands, (std::vector<int>{8, 10, 12, 13}));
  // Pixels: dry stratospheric intrusion, cold polar air, warm moist air, thick cold cloud, clamped, no data.
  const std::vector<std::array<float, 4>> bt = {{238.f, 244.f, 250.f, 271.f}, {228.f, 236.f, 240.f, 268.f},
                                                {236.f, 252.f, 262.f, 277.f}, {207.f, 208.f, 209.f, 210.f},
                                                {250.f, 247.f, 300.f, 280.f}, {230.f, NAN, 250.f, 270.f}};
  std::vector<Image> fields;  // four images (a copied Image shares its pixels)
  for (int b = 0; b < 4; ++b) fields.emplace_back(static_cast<int>(bt.size()), 1, 1, SampleType::F32);
  for (std::size_t x = 0; x < bt.size(); ++x) {
    for (int b = 0; b < 4; ++b) fields[static_cast<std::size_t>(b)].row<float>(0)[x] = bt[x][b];
  }
  const Image rgb = p.combine(fields);
  ASSERT_EQ(rgb.channels(), 3);
  ASSERT_EQ(rgb.type(), SampleType::U8);
  auto level = [](double v, double lo, double hi) {
    return static_cast<int>(std::lround(255.0 * std::clamp((v - lo) / (hi - lo), 0.0, 1.0)));
  };
  for (std::size_t x = 0; x < bt.size(); ++x) {
    const auto& t = bt[x];
    const auto* px = rgb.row<std::uint8_t>(0) + 3 * x;
    if (std::isnan(t[1])) {
      EXPECT_EQ(px[0] + px[1] + px[2], 0) << "no data is black";
      continue;
    }
    EXPECT_EQ(px[0], level(t[0] - t[1], -26.2, 0.6)) << x;
    EXPECT_EQ(px[1], level(t[2] - t[3], -43.2, 6.7)) << x;
    EXPECT_EQ(px[2], level(243.9 - t[0], 0.0, 243.9 - 208.5)) << x;
  }
  // What a forecaster reads: the intrusion is red over blue, cold air bluer than warm air, cloud near white.
  const auto* px = rgb.row<std::uint8_t>(0);
  EXPECT_GT(px[0], px[2]);
  EXPECT_GT(px[3 + 2], px[6 + 2]);
  EXPECT_GT(px[6 + 1], px[3 + 1]);
  EXPECT_GE(std::min({px[9], px[10], px[11]}), 200);
  EXPECT_EQ(px[12], 255);  // C08 - C10 above 0.6 K clamps
  EXPECT_EQ(px[14], 0);    // C08 warmer than 243.9 K
  EXPECT_ERROR(p.combine({fields[0], fields[1]}), ErrorKind::InvalidArgument,
               "'airmass' combines 4 bands, got 2");
  EXPECT_ERROR(p.combine({fields[0], fields[1], fields[2], Image(2, 1, 1, SampleType::F32)}),
               ErrorKind::InvalidArgument, "one-channel float fields of one size");
}

TEST(Product, BeamLevelGammaIsEumetsats) {
  EXPECT_EQ(beam_level(0.25, {0, 1, 1}), 64);   // 63.75
  EXPECT_EQ(beam_level(0.25, {0, 1, 2}), 128);  // 0.25^(1/2) = 0.5 -> 127.5
  EXPECT_EQ(beam_level(5, {10, 0, 1}), 128);    // inverted
  EXPECT_EQ(beam_level(-3, {0, 1, 1}), 0);
}

}  // namespace
}  // namespace goesvfi
