#include <cmath>

#include <gtest/gtest.h>

#include "colour/false_colour.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

// An equirectangular map whose red encodes longitude and green latitude (blue constant), so a reprojected
// pixel's colour says where on Earth it was sampled.
Image coordinate_map(int w, int h) {
  Image map(w, h, 3, SampleType::U8);
  for (int y = 0; y < h; ++y) {
    auto* row = map.row<std::uint8_t>(y);
    for (int x = 0; x < w; ++x) {
      const double lon = (x + 0.5) / w * 360.0 - 180.0, lat = 90.0 - (y + 0.5) / h * 180.0;
      row[x * 3] = static_cast<std::uint8_t>(std::lround((lon + 180.0) / 360.0 * 255.0));
      row[x * 3 + 1] = static_cast<std::uint8_t>(std::lround((90.0 - lat) / 180.0 * 255.0));
      row[x * 3 + 2] = 40;
    }
  }
  return map;
}

Image uniform_grey(int size, std::uint8_t v) {
  Image img(size, size, 1, SampleType::U8);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) img.row<std::uint8_t>(y)[x] = v;
  return img;
}

Rgb8 px(const Image& img, int x, int y) {
  const auto* p = img.row<std::uint8_t>(y) + x * 3;
  return {p[0], p[1], p[2]};
}

TEST(FalseColour, GradientOnlyUsesTheLutAndBlacksOutSpace) {
  FalseColourOptions o;
  o.gradient = "red-blue";
  const auto out = false_colour(uniform_grey(101, 255), -75.2, o);
  ASSERT_EQ(out.channels(), 3);
  ASSERT_EQ(out.width(), 101);
  EXPECT_EQ(px(out, 50, 50), (Rgb8{255, 0, 0}));  // intensity 1 -> last stop
  EXPECT_EQ(px(out, 0, 0), (Rgb8{0, 0, 0}));      // corner: space
  EXPECT_EQ(px(out, 10, 10), (Rgb8{0, 0, 0}));    // 0.17 rad from the centre: beyond the limb
  EXPECT_EQ(px(out, 0, 50), (Rgb8{255, 0, 0}));   // left edge centre, 0.1504 rad: on the disk (limb 0.1513)
}

TEST(FalseColour, UnderlayIsReprojectedNorthUpEastRight) {
  test::TempDir dir;
  write_image(dir / "map.png", coordinate_map(720, 360));
  FalseColourOptions o;
  o.underlay = dir / "map.png";
  o.tint = {0, 0, 0};  // a black tint maps black IR to black: Screen over black returns the underlay
  clear_false_colour_cache();
  const auto out = false_colour(uniform_grey(101, 0), -75.0, o);
  // The centre pixel sees the sub-satellite point (0 N, 75 W): red (105/360*255), green 127.5.
  const auto c = px(out, 50, 50);
  EXPECT_NEAR(c.r, 105.0 / 360.0 * 255.0, 1.0);
  EXPECT_NEAR(c.g, 127.5, 1.0);
  EXPECT_EQ(c.b, 40);
  EXPECT_GT(px(out, 70, 50).r, c.r);  // east of centre: larger longitude
  EXPECT_LT(px(out, 30, 50).r, c.r);
  EXPECT_LT(px(out, 50, 30).g, c.g);  // above centre: north, smaller green
  // A pixel of known position: its colour is the map at the PUG-navigated latitude/longitude.
  FixedGridProjection p;
  p.lon0_deg = -75.0;
  const auto area = FixedGridArea::full_disk(101);
  const auto geo = p.to_geo(area.scan_of(20, 35));
  ASSERT_TRUE(geo);
  EXPECT_NEAR(px(out, 20, 35).r, (geo->lon_deg + 180.0) / 360.0 * 255.0, 1.5);
  EXPECT_NEAR(px(out, 20, 35).g, (90.0 - geo->lat_deg) / 180.0 * 255.0, 1.5);
  EXPECT_EQ(false_colour_cache_size(), 1u);
  false_colour(uniform_grey(101, 0), -75.0, o);  // same view: served from the cache
  EXPECT_EQ(false_colour_cache_size(), 1u);
  const auto west = false_colour(uniform_grey(101, 0), -137.2, o);
  EXPECT_EQ(false_colour_cache_size(), 2u);
  EXPECT_NEAR(px(west, 50, 50).r, (180.0 - 137.2) / 360.0 * 255.0, 1.0);
}

TEST(FalseColour, TintAndScreenBlend) {
  test::TempDir dir;
  Image flat(64, 32, 3, SampleType::U8);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 64; ++x) {
      auto* p = flat.row<std::uint8_t>(y) + x * 3;
      p[0] = 100, p[1] = 150, p[2] = 200;
    }
  write_image(dir / "flat.png", flat);
  FalseColourOptions o;
  o.underlay = dir / "flat.png";
  // Default tint 1b3f66: HSL lightness (0x66 + 0x1b) / 2 / 255 = 0.25294; gain 4 * (1 - L) = 2.98824; the
  // tint itself shows where gain * (v/255 - 1) + 1 = 0, i.e. v = 255 * (1 - 1/gain) = 169.67.
  const double gain = 4.0 * (1.0 - (0x66 + 0x1b) / 2.0 / 255.0);
  auto expect_pixel = [&](std::uint8_t v, std::array<double, 3> layer) {
    const auto out = false_colour(uniform_grey(51, v), -75.2, o);
    const std::array<double, 3> under = {100, 150, 200};
    const auto c = px(out, 25, 25);
    const std::uint8_t got[3] = {c.r, c.g, c.b};
    for (int ch = 0; ch < 3; ++ch) {
      const double screen = 255.0 - (255.0 - layer[ch]) * (255.0 - under[ch]) / 255.0;
      EXPECT_NEAR(got[ch], screen, 1.0) << "v=" << int(v) << " channel " << ch;
    }
  };
  expect_pixel(0, {0, 0, 0});                           // black stays black: the underlay shows
  expect_pixel(255, {255, 255, 255});                   // cold cloud: white
  const double pos = gain * (200 / 255.0 - 1.0) + 1.0;  // > 0: between tint and white
  expect_pixel(200,
               {0x1b * (1 - pos) + 255 * pos, 0x3f * (1 - pos) + 255 * pos, 0x66 * (1 - pos) + 255 * pos});
  const double neg = gain * (120 / 255.0 - 1.0) + 1.0;  // < 0: between black and tint
  expect_pixel(120, {0x1b * (neg + 1), 0x3f * (neg + 1), 0x66 * (neg + 1)});
}

TEST(FalseColour, BrightnessSaturationAndEqualisation) {
  FalseColourOptions o;
  o.gradient = "red-blue";
  o.saturation = 0.0;
  auto out = false_colour(uniform_grey(51, 255), -75.2, o);
  auto c = px(out, 25, 25);
  EXPECT_NEAR(c.r, c.g, 1);  // red (255,0,0) desaturated to its luma (0.30 * 255 = 76)
  EXPECT_NEAR(c.r, 76, 2);
  o.saturation = 1.0;
  o.brightness = 0.5;
  c = px(false_colour(uniform_grey(51, 255), -75.2, o), 25, 25);
  EXPECT_NEAR(c.r, 127.5, 1);
  // Equalisation spreads a narrow on-disk histogram (values 100..103) over the whole range.
  Image narrow(101, 101, 1, SampleType::U8);
  for (int y = 0; y < 101; ++y)
    for (int x = 0; x < 101; ++x)
      narrow.row<std::uint8_t>(y)[x] = static_cast<std::uint8_t>(100 + (x + y) % 4);
  o = {};
  o.gradient = "grey";
  o.equalise = true;
  out = false_colour(narrow, -75.2, o);
  int lo = 255, hi = 0;
  for (int x = 40; x < 60; ++x) {
    lo = std::min<int>(lo, px(out, x, 50).r);
    hi = std::max<int>(hi, px(out, x, 50).r);
  }
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 255);
}

TEST(FalseColour, RealFullDiskImage) {
  const auto src = read_image(test::shared_dir() / "data/images/GOES16_FD_CH13_20200830T035020Z.jpg");
  ASSERT_EQ(src.width(), 2712);
  test::TempDir dir;
  write_image(dir / "map.png", coordinate_map(1024, 512));
  FalseColourOptions o;
  o.underlay = dir / "map.png";
  o.atmosphere = false;
  const auto out = false_colour(src, *nominal_satellite_longitude(16), o);
  ASSERT_EQ(out.width(), 2712);
  ASSERT_EQ(out.height(), 2712);
  ASSERT_EQ(out.channels(), 3);
  // Our disk mask against the real image: the satellite's own off-disk pixels are black, and the disk we
  // compute covers what the image shows.
  FixedGridProjection p;
  p.lon0_deg = -75.2;
  const auto area = FixedGridArea::full_disk(2712);
  const auto grey = convert_channels(src, 1);
  std::size_t bright_off_disk = 0, on_disk = 0, dark_on_disk = 0, coloured_off_disk = 0;
  for (int y = 0; y < 2712; y += 3) {
    for (int x = 0; x < 2712; x += 3) {
      const bool disk = p.to_geo(area.scan_of(x, y)).has_value();
      const std::uint8_t v = grey.row<std::uint8_t>(y)[x];
      const auto c = px(out, x, y);
      if (disk) {
        ++on_disk;
        if (v < 8) ++dark_on_disk;
      } else {
        if (v > 40) ++bright_off_disk;
        if (c.r || c.g || c.b) ++coloured_off_disk;
      }
    }
  }
  EXPECT_EQ(coloured_off_disk, 0u);
  EXPECT_LT(bright_off_disk, on_disk / 1000);
  EXPECT_LT(dark_on_disk, on_disk / 100);
  // Gradient-only with the glow: the limb lights up just outside the disk.
  FalseColourOptions g;
  g.atmosphere = true;
  const auto glow = false_colour(src, -75.2, g);
  EXPECT_GT(px(glow, 1, 1356).b, 0);           // left limb, just outside
  EXPECT_EQ(px(glow, 0, 0), (Rgb8{0, 0, 0}));  // deep space corner
}

TEST(FalseColour, BadInputs) {
  FalseColourOptions o;
  EXPECT_ERROR(false_colour(Image(100, 50, 1, SampleType::U8), -75.2, o), ErrorKind::InvalidArgument,
               "without navigation only square full-disk frames");
  o.underlay = "/nonexistent/map.jpg";
  try {
    false_colour(uniform_grey(51, 0), -75.2, o);
    ADD_FAILURE() << "missing underlay accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_NE(e.describe().find("/nonexistent/map.jpg"), std::string::npos);
  }
  o = {};
  o.gradient = "nope";
  EXPECT_ERROR(false_colour(uniform_grey(51, 0), -75.2, o), ErrorKind::InvalidArgument,
               "unknown colour table 'nope'");
  EXPECT_FALSE(nominal_satellite_longitude(15));
}

}  // namespace
}  // namespace goesvfi
