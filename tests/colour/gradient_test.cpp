// Colour tables: gradient stops baked into 256-entry tables, built-ins and Sanchez's own gradient files.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "colour/gradient.hpp"
#include "core/error.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

TEST(Gradient, LutEndPointsAndMonotonicGrey) {
  const auto lut = make_lut(load_gradient("grey"));
  EXPECT_EQ(lut[0], (Rgb8{0, 0, 0}));
  EXPECT_EQ(lut[255], (Rgb8{255, 255, 255}));
  for (int i = 1; i < 256; ++i) {
    EXPECT_GE(lut[i].r, lut[i - 1].r) << i;
    EXPECT_EQ(lut[i].r, lut[i].g);
    EXPECT_EQ(lut[i].g, lut[i].b);
  }
  // Interpolated in CIE L*: halfway is L* = 50, sRGB 118.91 (python3 from the CIE formulas).
  EXPECT_NEAR(lut[128].r, 118.91 + (128 / 255.0 - 0.5) * 255 * 0.9, 1.0);
  const auto mid = make_lut({{0.0, {0, 0, 0}}, {0.5, {255, 255, 255}}, {1.0, {255, 255, 255}}});
  EXPECT_NEAR(mid[64].r, 118.91, 1.0);  // position 64/255 = 0.251: L* 50.2
}

TEST(Gradient, BuiltinsKeepTheirStopColours) {
  for (const auto& name : builtin_gradient_names()) {
    const auto stops = load_gradient(name);
    const auto lut = make_lut(stops);
    EXPECT_EQ(lut[0], stops.front().colour) << name;
    EXPECT_EQ(lut[255], stops.back().colour) << name;
  }
  const auto atmosphere = make_lut(load_gradient("Atmosphere"));  // case-insensitive
  EXPECT_EQ(atmosphere[0], (Rgb8{0x08, 0x71, 0xe3}));
  EXPECT_EQ(atmosphere[255], (Rgb8{0x0e, 0x3f, 0x68}));
}

TEST(Gradient, UserJsonFile) {
  test::TempDir dir;
  {
    std::ofstream(dir / "g.json")
        << R"([{"Colour":"#ff0000","Position":0.0},{"Colour":"0000ff","Position":1.0}])";
  }
  const auto lut = make_lut(load_gradient((dir / "g.json").string()));
  EXPECT_EQ(lut[0], (Rgb8{255, 0, 0}));
  EXPECT_EQ(lut[255], (Rgb8{0, 0, 255}));
  // Sanchez's rule: the LCh hue angle is interpolated linearly without wrapping, so red (hue 40.0 deg) to
  // blue (306.3 deg) passes through green at the middle: entry 128 (t = 0.502) is L 42.8, C 119.3, hue 173.6
  // -> sRGB (0, 132, 76) (python3 from the CIE formulas, D65).
  EXPECT_NEAR(lut[128].r, 0, 1);
  EXPECT_NEAR(lut[128].g, 132, 1);
  EXPECT_NEAR(lut[128].b, 76, 1);
  {
    std::ofstream(dir / "bad.json") << R"([{"Colour":"#ff0000","Position":1.5}])";
    std::ofstream(dir / "notjson.json") << "[{";
    std::ofstream(dir / "badcolour.json") << R"([{"Colour":"red","Position":0.5}])";
  }
  for (const char* name : {"bad.json", "notjson.json", "badcolour.json"}) {
    try {
      load_gradient((dir / name).string());
      ADD_FAILURE() << name << " accepted";
    } catch (const Error& e) {
      EXPECT_NE(e.describe().find(name), std::string::npos) << e.describe();
    }
  }
  EXPECT_ERROR(load_gradient((dir / "missing.json").string()), ErrorKind::NotFound,
               "missing.json does not exist");
  EXPECT_EQ(parse_hex_colour("1b3f66"), (Rgb8{0x1b, 0x3f, 0x66}));
}

// Sanchez's own gradient files, exactly as Sanchez ships them (UTF-8 byte-order mark, '#' or not, key
// order varying): each parses, and each stop's colour sits exactly at entry round(position * 255).
TEST(Gradient, SanchezFilesLoadUnchangedWithStopsExact) {
  const auto dir = test::shared_dir() / "data/sanchez/gradients";
  for (const char* name : {"Atmosphere.json", "DarkRed-Blue.json", "Purple-Yellow.json", "Red-Blue.json"}) {
    const auto stops = load_gradient((dir / name).string());
    ASSERT_GE(stops.size(), 5u) << name;
    const auto lut = make_lut(stops);
    for (const auto& s : stops) {
      const auto i = static_cast<std::size_t>(std::lround(s.position * 255.0));
      EXPECT_EQ(lut[i], s.colour) << name << " stop at " << s.position;
    }
  }
  // The files' first and last stops, read independently from the JSON text.
  const auto dark = load_gradient((dir / "DarkRed-Blue.json").string());
  EXPECT_EQ(dark.front().colour, (Rgb8{0x06, 0x00, 0x9f}));
  EXPECT_EQ(dark.back().colour, (Rgb8{0, 0, 0}));
  EXPECT_EQ(load_gradient((dir / "Purple-Yellow.json").string()).back().colour, (Rgb8{0xfa, 0xe6, 0x23}));
  // Between stops: DarkRed-Blue goes from orange ff9200 (entry 219) to black (255) through dark red, because
  // black has hue 0 in Sanchez's LCh: entry 237 (t = 0.5) is (140, 57, 49). Atmosphere between 568bb5 (0.35,
  // entry 89) and 92b3cd (0.43, entry 110): entry 100 is (118, 160, 193) (python3, CIE formulas).
  const auto dark_lut = make_lut(dark);
  EXPECT_NEAR(dark_lut[237].r, 140, 1);
  EXPECT_NEAR(dark_lut[237].g, 57, 1);
  EXPECT_NEAR(dark_lut[237].b, 49, 1);
  const auto atmosphere = make_lut(load_gradient((dir / "Atmosphere.json").string()));
  EXPECT_NEAR(atmosphere[100].r, 118, 1);
  EXPECT_NEAR(atmosphere[100].g, 160, 1);
  EXPECT_NEAR(atmosphere[100].b, 193, 1);
}

// The built-in tables named after Sanchez's files are exactly the tables of the files.
TEST(Gradient, BuiltinsAreSanchezsTables) {
  const auto dir = test::shared_dir() / "data/sanchez/gradients";
  const std::pair<const char*, const char*> pairs[] = {{"darkred-blue", "DarkRed-Blue.json"},
                                                       {"red-blue", "Red-Blue.json"},
                                                       {"purple-yellow", "Purple-Yellow.json"},
                                                       {"atmosphere", "Atmosphere.json"}};
  for (const auto& [builtin, file] : pairs) {
    const auto a = make_lut(load_gradient(builtin));
    const auto b = make_lut(load_gradient((dir / file).string()));
    for (int i = 0; i < 256; ++i) ASSERT_EQ(a[i], b[i]) << builtin << " entry " << i;
  }
}

}  // namespace
}  // namespace goesvfi
