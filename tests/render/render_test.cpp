// Mapping values to pixels, colour tables and fixed-grid navigation.
#include <cmath>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/error.hpp"
#include "render/abi_writer.hpp"
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

// A 48x48 band-13 disk of 185 K upwards in `step` kelvin per pixel (wrapping every 130 pixels), one fill
// pixel (7) and one DQF-masked pixel (9).
void write_test_disk(const std::filesystem::path& file, double step) {
  AbiL1bSpec spec;
  spec.area = FixedGridArea::full_disk(48);
  spec.start = *make_utc(2024, 1, 1, 0, 0, 0);
  spec.packed.resize(48 * 48);
  spec.dqf.assign(48 * 48, 0);
  for (std::size_t i = 0; i < spec.packed.size(); ++i) {
    spec.packed[i] = pack_brightness_temperature(185.0 + static_cast<double>(i % 130) * step, spec);
  }
  spec.packed[7] = 4095;
  spec.dqf[9] = 3;
  write_abi_l1b(file, spec);
}

// RenderOptions{} is the schema's defaults, field by field (compared with the schema, not literals).
TEST(Render, DefaultOptionsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const RenderOptions& o : {RenderOptions{}, RenderOptions::from_config(d)}) {
    EXPECT_EQ(o.band, d.get_int("render.band"));
    EXPECT_EQ(o.product, d.get_string("render.product"));
    EXPECT_EQ(o.gamma, d.get_float("render.gamma"));
    EXPECT_EQ(o.colormap, d.get_string("render.colormap"));
    std::string dqf;
    for (int v : o.dqf_invalid) dqf += (dqf.empty() ? "" : ",") + std::to_string(v);
    EXPECT_EQ(dqf, d.get_string("render.dqf_invalid"));
    EXPECT_EQ(o.background == Background::Transparent ? "transparent" : "black",
              d.get_string("render.background"));
    EXPECT_EQ(o.range_min.has_value(), !d.get_string("render.range").empty());
    EXPECT_EQ(o.resolution_km != 0, !d.get_string("render.resolution").empty());
  }
  Config c;
  c.set("render.gamma", 1.5, "test");
  c.set("render.dqf_invalid", std::string("1,4"), "test");
  c.set("render.range", std::string("190:310"), "test");
  c.set("render.resolution", std::string("4km"), "test");
  const RenderOptions o = RenderOptions::from_config(c);
  EXPECT_EQ(o.gamma, 1.5);
  EXPECT_EQ(o.dqf_invalid, (std::vector<int>{1, 4}));
  EXPECT_EQ(o.range_min, 190.0);
  EXPECT_EQ(o.resolution_km, 4.0);
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
  EXPECT_EQ((Rgb8{px[0], px[1], px[2]}), (Rgb8{0x06, 0x00, 0x9f}));  // warm: position 0 of Sanchez's Red-Blue
  EXPECT_EQ((Rgb8{px[3], px[4], px[5]}), (Rgb8{255, 0, 0}));         // cold: position 1
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

// A product on a real file: pixel 0 (240.89 K -> level 144 over 180-320 K) through the noaa-ir table; the
// false-colour product's fixed range 225-310 K (level round((310 - 240.89) / 85 * 255) = 207); a product
// that cannot show band 13 is refused before anything is written.
TEST(Render, RealBand13FileThroughProducts) {
  const auto file = test::shared_dir() /
                    "data/goes/OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc";
  RenderOptions o;
  o.product = "noaa-ir";
  auto frame = render_abi_file(file, o);
  ASSERT_EQ(frame.image.channels(), 3);
  const auto lut = make_lut(load_gradient("noaa-ir"));
  const auto* p = frame.image.row<std::uint8_t>(0);
  EXPECT_EQ((Rgb8{p[0], p[1], p[2]}), lut[144]);
  o.product = "false-colour";
  frame = render_abi_file(file, o);
  ASSERT_EQ(frame.image.channels(), 1);
  EXPECT_EQ(frame.image.row<std::uint8_t>(0)[0], 207);
  o.product = "water-vapour";
  EXPECT_ERROR(render_abi_file(file, o), ErrorKind::InvalidArgument,
               "product 'water-vapour' needs band 8 or 9 or 10; this is band 13");
}

// The native-resolution path maps packed values through one table; the general path maps calibrated values.
// Both must give the same pixels for every output kind.
TEST(Render, PackedTablePathMatchesFieldPath) {
  test::TempDir dir;
  write_test_disk(dir / "f.nc", 1.0);
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

// Data frames: 0 = no data, 1..65535 linear over the range (IR inverted, cold = high), clamped outside it.
TEST(Render, DataFrameIsLinearInTheValue) {
  RenderOptions o;
  o.range_min = 180;
  o.range_max = 320;
  const auto d = map_field_data(field_of({320.f, 180.f, 250.f, 215.f, 100.f, 400.f, NAN}),
                                AbiQuantity::BrightnessTemperature, o);
  ASSERT_EQ(d.type(), SampleType::U16);
  const auto* v = d.row<std::uint16_t>(0);
  EXPECT_EQ(v[0], 1);      // warm end
  EXPECT_EQ(v[1], 65535);  // cold end
  EXPECT_EQ(v[2], 32768);  // 1 + 0.5 * 65534
  EXPECT_EQ(v[3], 49152);  // 1 + round(0.75 * 65534 = 49150.5)
  EXPECT_EQ(v[4], 65535);
  EXPECT_EQ(v[5], 1);
  EXPECT_EQ(v[6], 0);
}

// A data frame coloured by its palette is the picture render_abi_file makes of the same file (grey, colour
// table, transparent background; fill and DQF-masked pixels alike), to within one level where a level's
// rounding falls between two data steps.
TEST(Render, DataFrameColouredIsTheRenderedPicture) {
  test::TempDir dir;
  write_test_disk(dir / "f.nc", 0.97);
  for (const char* colormap : {"", "noaa-ir"}) {
    for (Background bg : {Background::Black, Background::Transparent}) {
      RenderOptions o;
      o.colormap = colormap;
      o.background = bg;
      const auto picture = render_abi_file(dir / "f.nc", o).image;
      const auto data = render_abi_data(dir / "f.nc", o);
      ASSERT_EQ(data.data.type(), SampleType::U16);
      EXPECT_EQ(data.data.row<std::uint16_t>(0)[7], 0);
      EXPECT_EQ(data.data.row<std::uint16_t>(0)[9], 0);
      const auto coloured = DataPalette(data.header.quantity, data.options).colour(data.data);
      ASSERT_TRUE(picture.same_layout(coloured)) << picture.describe() << " vs " << coloured.describe();
      int differ = 0, worst = 0;
      for (int y = 0; y < 48; ++y) {
        const auto* a = picture.row<std::uint8_t>(y);
        const auto* b = coloured.row<std::uint8_t>(y);
        for (std::size_t i = 0; i < picture.row_bytes(); ++i) {
          differ += a[i] != b[i];
          worst = std::max(worst, std::abs(a[i] - b[i]));
        }
      }
      EXPECT_LE(differ, 48 * 48 / 50) << colormap;
      if (*colormap == '\0') {
        EXPECT_LE(worst, 1);
      }
      EXPECT_EQ(coloured.row<std::uint8_t>(0)[7 * coloured.channels() + coloured.channels() - 1], 0);
    }
  }
  EXPECT_ERROR(DataPalette(AbiQuantity::BrightnessTemperature, resolve_product({}, 13))
                   .colour(Image(4, 4, 3, SampleType::U8)),
               ErrorKind::InvalidArgument, "one-channel 16-bit");
}

// Products: each band gets its own range and table unless --range / --colormap / --show say otherwise.
TEST(Render, ProductsResolvePerBand) {
  RenderOptions o;
  auto r = resolve_product(o, 10);  // water vapour: its range and the water-vapour table
  EXPECT_EQ(r.range_min, 185.0);
  EXPECT_EQ(r.range_max, 275.0);
  EXPECT_EQ(r.colormap, "water-vapour");
  r = resolve_product(o, 13);
  EXPECT_EQ(r.range_min, 180.0);
  EXPECT_EQ(r.range_max, 320.0);
  EXPECT_TRUE(r.colormap.empty());
  o.range_min = 200;  // --range wins over the band's range
  o.range_max = 250;
  o.product = "noaa-ir";
  r = resolve_product(o, 13);
  EXPECT_EQ(r.range_min, 200.0);
  EXPECT_EQ(r.colormap, "noaa-ir");
  o = {};
  o.product = "false-colour";  // rendered grey through its fixed range; the caller colours it
  r = resolve_product(o, 13);
  EXPECT_TRUE(r.colormap.empty());
  EXPECT_EQ(r.range_min, 225.0);
  EXPECT_EQ(r.range_max, 310.0);
  o.product = "water-vapour";
  EXPECT_ERROR(resolve_product(o, 13), ErrorKind::InvalidArgument,
               "product 'water-vapour' needs band 8 or 9 or 10");
  // A band-10 field of 189-275 K through its defaults: the water-vapour table, from its warm end (275 K =
  // entry 0) to its cold end (185 K = entry 255).
  o = resolve_product({}, 10);
  const auto img = map_field(field_of({275.f, 185.f, 230.f}), AbiQuantity::BrightnessTemperature, o);
  ASSERT_EQ(img.channels(), 3);
  const auto lut = make_lut(load_gradient("water-vapour"));
  const auto* px = img.row<std::uint8_t>(0);
  EXPECT_EQ((Rgb8{px[0], px[1], px[2]}), lut[0]);
  EXPECT_EQ((Rgb8{px[3], px[4], px[5]}), lut[255]);
  EXPECT_EQ((Rgb8{px[6], px[7], px[8]}), lut[128]);  // (275 - 230) / 90 * 255 = 127.5 -> 128
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

}  // namespace
}  // namespace goesvfi
