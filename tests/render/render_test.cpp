// Mapping values to pixels, colour tables and fixed-grid navigation.
#include <cmath>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "render/abi_writer.hpp"
#include "render/fixed_grid.hpp"
#include "render/gradient.hpp"
#include "render/render.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

Image field_of(std::initializer_list<float> values) {
  Image img(static_cast<int>(values.size()), 1, 1, SampleType::F32);
  int i = 0;
  for (float v : values) img.row<float>(0)[i++] = v;
  return img;
}

TEST(Render, IrRangeMapsToInvertedGrey) {
  RenderOptions o;
  const auto img =
      map_field(field_of({180.f, 320.f, 250.f, 100.f, 400.f, NAN}), AbiQuantity::BrightnessTemperature, o);
  ASSERT_EQ(img.channels(), 1);
  const auto* px = img.row<std::uint8_t>(0);
  EXPECT_EQ(px[0], 255);  // cold = white
  EXPECT_EQ(px[1], 0);    // warm = black
  EXPECT_EQ(px[2], 128);  // 127.5 rounds up
  EXPECT_EQ(px[3], 255);  // clamped
  EXPECT_EQ(px[4], 0);
  EXPECT_EQ(px[5], 0);  // no data = black
  o.range_min = 200;
  o.range_max = 300;
  EXPECT_EQ(map_field(field_of({250.f}), AbiQuantity::BrightnessTemperature, o).row<std::uint8_t>(0)[0], 128);
}

TEST(Render, VisibleGammaAndTransparentFill) {
  RenderOptions o;
  o.gamma = 0.5;
  o.background = Background::Transparent;
  const auto img = map_field(field_of({0.25f, 1.0f, 0.0f, NAN}), AbiQuantity::Reflectance, o);
  ASSERT_EQ(img.channels(), 4);
  const auto* px = img.row<std::uint8_t>(0);
  EXPECT_EQ(px[0], 128);  // sqrt(0.25) * 255 = 127.5
  EXPECT_EQ(px[1], 128);
  EXPECT_EQ(px[3], 255);
  EXPECT_EQ(px[4], 255);
  EXPECT_EQ(px[8], 0);
  EXPECT_EQ(px[11], 255);  // black but valid: opaque
  EXPECT_EQ(px[15], 0);    // no data: transparent
}

TEST(Render, ColourTableApplied) {
  RenderOptions o;
  o.colormap = "red-blue";
  const auto img = map_field(field_of({320.f, 180.f, NAN}), AbiQuantity::BrightnessTemperature, o);
  ASSERT_EQ(img.channels(), 3);
  const auto* px = img.row<std::uint8_t>(0);
  EXPECT_EQ((Rgb8{px[0], px[1], px[2]}), (Rgb8{0, 0, 255}));  // warm: position 0
  EXPECT_EQ((Rgb8{px[3], px[4], px[5]}), (Rgb8{255, 0, 0}));  // cold: position 1
  EXPECT_EQ((Rgb8{px[6], px[7], px[8]}), (Rgb8{0, 0, 0}));
  o.colormap = "no-such-table";
  try {
    map_field(field_of({250.f}), AbiQuantity::BrightnessTemperature, o);
    ADD_FAILURE() << "unknown colormap accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(e.describe().find("no-such-table"), std::string::npos);
    EXPECT_NE(e.describe().find("darkred-blue"), std::string::npos);
  }
}

TEST(Render, RealBand13FileToGreyAndDownsampled) {
  const auto file = test::shared_dir() /
                    "data/goes/OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc";
  RenderOptions o;
  auto frame = render_abi_file(file, o);
  ASSERT_EQ(frame.image.width(), 500);
  ASSERT_EQ(frame.image.channels(), 1);
  double sum = 0;
  for (int y = 0; y < 500; ++y)
    for (int x = 0; x < 500; ++x) sum += frame.image.row<std::uint8_t>(y)[x];
  // python3 oracle: mean of round((320 - T) / 140 * 255) over the file; pixel 0 is 240.89 K -> 144.
  EXPECT_NEAR(sum / 250000.0, 137.773164, 0.01);
  EXPECT_EQ(frame.image.row<std::uint8_t>(0)[0], 144);
  o.resolution_km = 4;
  frame = render_abi_file(file, o);
  EXPECT_EQ(frame.image.width(), 250);
  EXPECT_DOUBLE_EQ(frame.header.resolution_km, 4.0);
  o.resolution_km = 3;
  EXPECT_ERROR(render_abi_file(file, o), ErrorKind::InvalidArgument,
               "resolution 3 km is not a whole multiple of band 13's native 2 km");
  o.resolution_km = 1;
  EXPECT_ERROR(render_abi_file(file, o), ErrorKind::InvalidArgument,
               "resolution 1 km is not a whole multiple of band 13's native 2 km");
}

// The native-resolution path maps packed values through one table; the general path maps calibrated values.
// Both must give the same pixels for every output kind.
TEST(Render, PackedTablePathMatchesFieldPath) {
  test::TempDir dir;
  AbiL1bSpec spec;
  spec.area = FixedGridArea::full_disk(48);
  spec.start = *make_utc(2024, 1, 1, 0, 0, 0);
  spec.packed.resize(48 * 48);
  spec.dqf.assign(48 * 48, 0);
  for (std::size_t i = 0; i < spec.packed.size(); ++i) {
    spec.packed[i] = pack_brightness_temperature(185.0 + static_cast<double>(i % 130), spec);
  }
  spec.packed[7] = 4095;
  spec.dqf[9] = 3;
  write_abi_l1b(dir / "f.nc", spec);
  for (const char* colormap : {"", "noaa-ir"}) {
    for (Background bg : {Background::Black, Background::Transparent}) {
      RenderOptions o;
      o.colormap = colormap;
      o.background = bg;
      const auto fast = render_abi_file(dir / "f.nc", o).image;
      const auto field = read_abi_field(dir / "f.nc", {});
      const auto slow = map_field(field.values, AbiQuantity::BrightnessTemperature, o);
      ASSERT_TRUE(fast.same_layout(slow)) << fast.describe() << " vs " << slow.describe();
      for (int y = 0; y < 48; ++y) {
        ASSERT_EQ(std::memcmp(fast.row_ptr(y), slow.row_ptr(y), fast.row_bytes()), 0)
            << colormap << " row " << y;
      }
      EXPECT_EQ(fast.row<std::uint8_t>(0)[7 * fast.channels()], 0);                        // fill
      EXPECT_EQ(fast.row<std::uint8_t>(0)[9 * fast.channels() + fast.channels() - 1], 0);  // masked
    }
  }
}

TEST(Render, FlagParsing) {
  EXPECT_DOUBLE_EQ(parse_resolution_km("4km"), 4.0);
  EXPECT_DOUBLE_EQ(parse_resolution_km("0.5 km"), 0.5);
  EXPECT_DOUBLE_EQ(parse_resolution_km("2"), 2.0);
  EXPECT_ERROR(parse_resolution_km("fast"), ErrorKind::InvalidArgument, "resolution 'fast' is not valid");
  EXPECT_ERROR(parse_resolution_km("-2km"), ErrorKind::InvalidArgument, "resolution '-2km' is not valid");
  EXPECT_EQ(parse_range("180:320"), (std::pair<double, double>{180, 320}));
  EXPECT_EQ(parse_range("0:1.5"), (std::pair<double, double>{0, 1.5}));
  EXPECT_ERROR(parse_range("320:180"), ErrorKind::InvalidArgument, "range '320:180' is not valid");
  EXPECT_ERROR(parse_range("180"), ErrorKind::InvalidArgument, "range '180' is not valid");
}

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
  // Red and blue in LCh go the short way round the hue circle (through magenta), never through green.
  for (const auto& c : lut) EXPECT_LE(c.g, 60);
  // Red falls and blue rises monotonically along the ramp.
  for (int i = 1; i < 256; ++i) {
    EXPECT_LE(lut[i].r, lut[i - 1].r + 1) << i;
    EXPECT_GE(lut[i].b + 1, lut[i - 1].b) << i;
  }
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

// GOES-R PUG vol. 3, 5.1.2.8.1/2 worked example: lat 33.846162, lon -84.690932 seen from -75.0 is
// x = -0.024052, y = 0.095340 rad.
TEST(FixedGrid, PugWorkedExample) {
  FixedGridProjection p;
  p.lon0_deg = -75.0;
  const auto s = p.to_scan({33.846162, -84.690932});
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->x, -0.024052, 1e-6);
  EXPECT_NEAR(s->y, 0.095340, 1e-6);
  const auto g = p.to_geo({-0.024052, 0.095340});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lat_deg, 33.846162, 1e-3);
  EXPECT_NEAR(g->lon_deg, -84.690932, 1e-3);
}

TEST(FixedGrid, SubSatellitePointLimbAndSpace) {
  FixedGridProjection p;
  p.lon0_deg = -137.2;
  auto g = p.to_geo({0, 0});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lat_deg, 0, 1e-12);
  EXPECT_NEAR(g->lon_deg, -137.2, 1e-12);
  // The limb seen along the equator: asin(r_eq / H) = 0.151275 rad; the tangent point is acos(r_eq / H)
  // = 81.30 degrees of longitude from the sub-satellite point.
  EXPECT_NEAR(p.limb_angle_x(), std::asin(6378137.0 / 42164160.0), 1e-12);
  g = p.to_geo({p.limb_angle_x() - 1e-7, 0});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lon_deg, -137.2 + std::acos(6378137.0 / 42164160.0) * 180 / M_PI, 0.1);  // +x is east
  EXPECT_FALSE(p.to_geo({p.limb_angle_x() + 1e-4, 0}));                                   // space
  EXPECT_FALSE(p.to_geo({0.1, 0.13}));         // space, off a corner of the disk
  EXPECT_FALSE(p.to_scan({0, -137.2 + 100}));  // the far side
  // Round trip inside the disk (longitudes wrap into -180..180).
  for (double lat : {-60.0, -20.0, 0.0, 35.0, 60.0}) {
    for (double dlon : {-60.0, -10.0, 0.0, 45.0}) {
      const auto s = p.to_scan({lat, -137.2 + dlon});
      ASSERT_TRUE(s);
      const auto back = p.to_geo(*s);
      ASSERT_TRUE(back);
      EXPECT_NEAR(back->lat_deg, lat, 1e-9);
      EXPECT_NEAR(std::remainder(back->lon_deg - (-137.2 + dlon), 360.0), 0.0, 1e-9);
    }
  }
}

// NOAA's own metadata: geospatial_lat_center/lon_center of the real files are the geodetic position of the
// centre of x_image_bounds / y_image_bounds.
TEST(FixedGrid, MatchesNoaaImageCentres) {
  FixedGridProjection g17;
  g17.lon0_deg = -137.0;
  auto c = g17.to_geo({(0.0246399995 + 0.0526399985) / 2, (0.120399997 + 0.0923999995) / 2});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->lat_deg, 39.05284, 0.01);
  EXPECT_NEAR(c->lon_deg, -119.9407, 0.01);
  FixedGridProjection g16;
  c = g16.to_geo({0.0, (0.119840004 + 0.091839999) / 2});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->lat_deg, 38.49226, 0.01);
  EXPECT_NEAR(c->lon_deg, -75.0, 1e-9);
}

TEST(FixedGrid, FullDiskPixelGrid) {
  const auto a = FixedGridArea::full_disk(5424);
  EXPECT_NEAR(a.dx, 56e-6, 1e-12);
  EXPECT_NEAR(a.x0, -0.151844, 1e-9);  // NOAA's first full-disk x (2 km)
  EXPECT_NEAR(a.y0, 0.151844, 1e-9);
  const auto b = FixedGridArea::full_disk(2712);
  EXPECT_NEAR(b.col_of(0.0), 1355.5, 1e-9);  // the centre lies between the two middle pixels
  const auto d = a.downsampled(2);
  EXPECT_NEAR(d.x0, b.x0, 1e-12);
  EXPECT_NEAR(d.dx, b.dx, 1e-12);
}

}  // namespace
}  // namespace goesvfi
