#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "colour/false_colour.hpp"
#include "core/config.hpp"
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

// A one-colour world map.
Image flat_map(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  Image map(64, 32, 3, SampleType::U8);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 64; ++x) {
      auto* p = map.row<std::uint8_t>(y) + x * 3;
      p[0] = r, p[1] = g, p[2] = b;
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

// The look before Sanchez's defaults: levels as they are, full saturation, no haze, no grain.
FalseColourOptions plain() {
  FalseColourOptions o;
  o.underlay.clear();  // gradient only
  o.equalise = false;
  o.saturation = 1.0;
  o.haze = 0;
  o.noise = false;
  return o;
}

// FalseColourOptions{} is the schema's defaults, field by field (compared with the schema, not literals).
TEST(FalseColour, DefaultOptionsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const FalseColourOptions& o : {FalseColourOptions{}, FalseColourOptions::from_config(d)}) {
    ASSERT_EQ(d.get_string("colour.underlay"), "");  // "" = the installed default map
    EXPECT_EQ(o.underlay, default_underlay_path());
    const Rgb8 tint = o.tint;
    EXPECT_EQ(fmt::format("{:02x}{:02x}{:02x}", tint.r, tint.g, tint.b), d.get_string("colour.tint"));
    EXPECT_EQ(o.brightness, d.get_float("colour.brightness"));
    EXPECT_EQ(o.saturation, d.get_float("colour.saturation"));
    EXPECT_EQ(o.equalise, d.get_bool("colour.equalise"));
    EXPECT_EQ(o.adaptive_levels, d.get_bool("colour.adaptive_levels"));
    EXPECT_EQ(o.haze, d.get_float("colour.haze"));
    EXPECT_EQ(o.haze_opacity, d.get_float("colour.haze_opacity"));
    EXPECT_EQ(o.noise, d.get_bool("colour.noise"));
    EXPECT_EQ(o.atmosphere, d.get_bool("colour.atmosphere"));
    EXPECT_EQ(o.gradient, d.get_string("colour.gradient"));
    EXPECT_EQ(o.levels_frames, d.get_int("colour.levels_frames"));
    EXPECT_EQ(o.levels, nullptr);
  }
}

TEST(FalseColour, GradientOnlyUsesTheLutAndBlacksOutSpace) {
  FalseColourOptions o = plain();
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
  FalseColourOptions o = plain();
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
  write_image(dir / "flat.png", flat_map(100, 150, 200));
  FalseColourOptions o = plain();
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
  test::TempDir dir;
  write_image(dir / "red.png", flat_map(200, 40, 40));
  FalseColourOptions o = plain();
  o.underlay = dir / "red.png";
  o.saturation = 0.0;  // the map desaturated to its luma 0.299*200 + 0.587*40 + 0.114*40 = 87.88
  auto c = px(false_colour(uniform_grey(51, 0), -75.2, o), 25, 25);  // IR 0: only the map shows
  EXPECT_NEAR(c.r, 87.88, 1);
  EXPECT_NEAR(c.g, 87.88, 1);
  o.saturation = 0.7;  // Sanchez's default: luma + 0.7 * (c - luma)
  c = px(false_colour(uniform_grey(51, 0), -75.2, o), 25, 25);
  EXPECT_NEAR(c.r, 87.88 + 0.7 * (200 - 87.88), 1);
  EXPECT_NEAR(c.g, 87.88 + 0.7 * (40 - 87.88), 1);
  o.saturation = 1.0;
  o.brightness = 0.5;
  c = px(false_colour(uniform_grey(51, 0), -75.2, o), 25, 25);
  EXPECT_NEAR(c.r, 100, 1);
  // Equalisation spreads a narrow on-disk histogram (values 100..103) over the whole range.
  Image narrow(101, 101, 1, SampleType::U8);
  for (int y = 0; y < 101; ++y)
    for (int x = 0; x < 101; ++x)
      narrow.row<std::uint8_t>(y)[x] = static_cast<std::uint8_t>(100 + (x + y) % 4);
  o = plain();
  o.gradient = "grey";
  o.equalise = true;
  const auto out = false_colour(narrow, -75.2, o);
  int lo = 255, hi = 0;
  for (int x = 40; x < 60; ++x) {
    lo = std::min<int>(lo, px(out, x, 50).r);
    hi = std::max<int>(hi, px(out, x, 50).r);
  }
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 255);
}

// Adaptive levels (Sanchez -A): each tile is equalised on its own histogram before the global equalisation,
// so a dark region and a bright region each get the whole tone range locally: both move towards mid-grey.
TEST(FalseColour, AdaptiveLevelsEqualiseEachRegionLocally) {
  // Left half 20..59, right half 180..219.
  Image img(128, 128, 1, SampleType::U8);
  for (int y = 0; y < 128; ++y)
    for (int x = 0; x < 128; ++x)
      img.row<std::uint8_t>(y)[x] = static_cast<std::uint8_t>((x < 64 ? 20 : 180) + (x * 7 + y * 13) % 40);
  FalseColourOptions o = plain();
  o.gradient = "grey";
  o.equalise = true;
  auto means = [&](const Image& out) {  // mean output level of the centre of each half
    double left = 0, right = 0;
    int n = 0;
    for (int y = 40; y < 88; ++y)
      for (int x = 16; x < 48; ++x, ++n) {
        left += px(out, x, y).r;
        right += px(out, x + 64, y).r;
      }
    return std::pair{left / n, right / n};
  };
  const auto [global_left, global_right] = means(false_colour(img, -75.2, o));
  o.adaptive_levels = true;
  const auto adaptive_out = false_colour(img, -75.2, o);
  const auto [adaptive_left, adaptive_right] = means(adaptive_out);
  // Global equalisation: the left half is the lower half of the histogram, mapped to 0..127 (mean ~64).
  EXPECT_LT(global_left, 70);
  EXPECT_GT(global_right, 180);
  EXPECT_GT(adaptive_left, global_left + 20);
  EXPECT_LT(adaptive_right, global_right - 20);
  // The same levels map, computed once and passed in, gives the same picture.
  o.levels = false_colour_levels({img}, -75.2, o);
  ASSERT_EQ(o.levels->tiles, 8);
  const auto fixed = false_colour(img, -75.2, o);
  for (int y = 0; y < 128; y += 7)
    for (int x = 0; x < 128; x += 5) EXPECT_EQ(px(fixed, x, y), px(adaptive_out, x, y)) << x << "," << y;
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
  g.underlay.clear();
  g.atmosphere = true;
  const auto glow = false_colour(src, -75.2, g);
  EXPECT_GT(px(glow, 1, 1356).b, 0);           // left limb, just outside
  EXPECT_EQ(px(glow, 0, 0), (Rgb8{0, 0, 0}));  // deep space corner
}

TEST(FalseColour, BadInputs) {
  FalseColourOptions o;
  o.underlay.clear();
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
  o.underlay.clear();  // the gradient is used without an underlay
  o.gradient = "nope";
  EXPECT_ERROR(false_colour(uniform_grey(51, 0), -75.2, o), ErrorKind::InvalidArgument,
               "unknown colour table 'nope'");
  EXPECT_FALSE(nominal_satellite_longitude(15));
}

}  // namespace
}  // namespace goesvfi
namespace goesvfi {
namespace {

double luma(Rgb8 c) {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

// The shared 2712^2 IR image averaged over factor x factor blocks (a smaller full disk, same scene).
Image shrink(const Image& src, int factor) {
  const auto grey = convert_channels(src, 1);
  const int n = grey.width() / factor;
  Image out(n, n, 1, SampleType::U8);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      int sum = 0;
      for (int j = 0; j < factor; ++j)
        for (int i = 0; i < factor; ++i) sum += grey.row<std::uint8_t>(y * factor + j)[x * factor + i];
      out.row<std::uint8_t>(y)[x] =
          static_cast<std::uint8_t>((sum + factor * factor / 2) / (factor * factor));
    }
  return out;
}

// Issue 17: the shared IR image with the default map and default settings looks like Sanchez's picture.
TEST(FalseColour, SanchezDefaultsGiveWhiteCloudsOverABlueOcean) {
  const auto map_path = default_underlay_path();
  if (map_path.empty()) GTEST_SKIP() << "xplanet-images is not installed (scripts/install-deps.sh)";
  const auto src = read_image(test::shared_dir() / "data/images/GOES16_FD_CH13_20200830T035020Z.jpg");
  const auto grey = convert_channels(src, 1);
  FalseColourOptions o;  // Sanchez's defaults
  o.underlay = map_path;
  const double lon = *nominal_satellite_longitude(16);
  const auto out = false_colour(src, lon, o);
  FalseColourOptions today = plain();
  today.underlay = map_path;
  const auto before = false_colour(src, lon, today);
  FalseColourOptions no_equalise = o;
  no_equalise.equalise = false;
  const auto flat = false_colour(src, lon, no_equalise);
  // The map alone as the composite sees it (IR 0 tints to black, Screen over black is the map).
  const auto map_view = false_colour(Image(2712, 2712, 1, SampleType::U8), lon, today);

  FixedGridProjection p;
  p.lon0_deg = lon;
  const auto area = FixedGridArea::full_disk(2712);
  double cloud_luma = 0, cloud_luma_before = 0, cloud_luma_flat = 0;
  std::size_t cloud = 0, disk = 0, ocean = 0, blue_ocean = 0, lit_off_disk = 0, mismatched = 0, checked = 0;
  const double gain =
      4.0 * (1.0 - (0x66 + 0x1b) / 2.0 / 255.0);  // the tint's crossover, as TintAndScreenBlend
  for (int y = 0; y < 2712; y += 2) {
    for (int x = 0; x < 2712; x += 2) {
      const std::uint8_t v = grey.row<std::uint8_t>(y)[x];
      const auto c = px(out, x, y);
      if (!p.to_geo(area.scan_of(x, y))) {
        if (c.r || c.g || c.b) ++lit_off_disk;
        continue;
      }
      ++disk;
      if (v >= 120) {
        ++cloud;
        cloud_luma += luma(c);
        cloud_luma_before += luma(px(before, x, y));
        cloud_luma_flat += luma(px(flat, x, y));
      }
      const auto m = px(map_view, x, y);
      if (v <= 75 && m.b > m.r + 20 && m.b > m.g) {  // clear sky where the map is ocean
        ++ocean;
        if (c.b > c.r && c.b > c.g) ++blue_ocean;
      }
      // Today's look (no equalisation, saturation 1, no haze, no grain) is exactly Screen(tint(v), map).
      if ((x + y) % 14 == 0) {
        const double pos = gain * (v / 255.0 - 1.0) + 1.0;
        const Rgb8 tint{0x1b, 0x3f, 0x66};
        auto layer = [&](std::uint8_t t) {
          return pos < 0 ? t * std::max(0.0, pos + 1.0) : t * (1.0 - pos) + 255.0 * pos;
        };
        const double want[3] = {255.0 - (255.0 - layer(tint.r)) * (255.0 - m.r) / 255.0,
                                255.0 - (255.0 - layer(tint.g)) * (255.0 - m.g) / 255.0,
                                255.0 - (255.0 - layer(tint.b)) * (255.0 - m.b) / 255.0};
        const auto b = px(before, x, y);
        const std::uint8_t got[3] = {b.r, b.g, b.b};
        for (int ch = 0; ch < 3; ++ch) mismatched += std::abs(got[ch] - want[ch]) > 1.5;
        ++checked;
      }
    }
  }
  ASSERT_GT(cloud, disk / 100);
  cloud_luma /= cloud;
  cloud_luma_before /= cloud;
  cloud_luma_flat /= cloud;
  std::printf(
      "cloud pixels (IR >= 120): %.2f %% of the disk; mean luma: default %.1f, before %.1f, "
      "--no-equalise %.1f; clear-sky ocean pixels %zu, blue-dominant %.2f %%\n",
      100.0 * cloud / disk, cloud_luma, cloud_luma_before, cloud_luma_flat, ocean,
      100.0 * blue_ocean / std::max<std::size_t>(ocean, 1));
  EXPECT_GE(cloud_luma, 200.0);
  EXPECT_LT(cloud_luma_before, 120.0);  // the faint clouds of issue 17 (77 there)
  EXPECT_LT(cloud_luma_flat, 120.0);    // equalisation is what brightens them
  ASSERT_GT(ocean, disk / 10);
  EXPECT_GE(blue_ocean, ocean * 95 / 100);
  EXPECT_EQ(lit_off_disk, 0u);
  EXPECT_GT(checked, 10000u);
  EXPECT_EQ(mismatched, 0u);
}

// The frame-to-frame standard deviation of the mean luma of `frames` coloured with `options`, over the pixels
// where `mask` is set (all when empty).
double mean_luma_flicker(const std::vector<Image>& frames, const FalseColourOptions& options,
                         const std::vector<std::uint8_t>& mask = {}) {
  std::vector<double> means;
  for (const auto& frame : frames) {
    const auto out = false_colour(frame, -75.2, options);
    double sum = 0;
    std::size_t n = 0;
    for (int y = 0; y < out.height(); ++y)
      for (int x = 0; x < out.width(); ++x) {
        if (!mask.empty() && !mask[static_cast<std::size_t>(y) * out.width() + x]) continue;
        sum += luma(px(out, x, y));
        ++n;
      }
    means.push_back(sum / static_cast<double>(n));
  }
  double m = 0, v = 0;
  for (double x : means) m += x;
  m /= static_cast<double>(means.size());
  for (double x : means) v += (x - m) * (x - m);
  return std::sqrt(v / static_cast<double>(means.size()));
}

// Issue 17: one levels mapping per video. 20 frames of one static scene (the shared full disk shrunk 8x) with
// small noise, coloured with Sanchez's defaults over the default map.
TEST(FalseColour, SequenceLevelsKeepAStaticSceneSteady) {
  const auto scene =
      shrink(read_image(test::shared_dir() / "data/images/GOES16_FD_CH13_20200830T035020Z.jpg"), 8);
  FalseColourOptions per_frame;
  per_frame.underlay = default_underlay_path();  // gradient-only when xplanet-images is missing: same levels
  const bool report = std::getenv("GOESVFI_FLICKER_REPORT") != nullptr;
  std::mt19937 rng(17);
  std::normal_distribution<double> noise(0.0, 1.0);
  auto noisy = [&](const Image& base) {
    Image f = base.clone();
    for (int y = 0; y < f.height(); ++y)
      for (int x = 0; x < f.width(); ++x) {
        auto& v = f.row<std::uint8_t>(y)[x];
        v = static_cast<std::uint8_t>(std::clamp(std::lround(v + noise(rng)), 0L, 255L));
      }
    return f;
  };
  // (a) The scene itself, with sensor-like noise (sigma 1 grey level, independent per pixel and frame).
  std::vector<Image> frames;
  for (int f = 0; f < 20; ++f) frames.push_back(noisy(scene));
  FalseColourOptions per_sequence = per_frame;
  per_sequence.levels = false_colour_levels({frames.begin(), frames.begin() + 3}, -75.2, per_frame);
  const double a_frame = mean_luma_flicker(frames, per_frame);
  const double a_sequence = mean_luma_flicker(frames, per_sequence);
  // (b) The same static background while one storm grows elsewhere (radius 4 -> 42 px, cold tops): equalising
  // each frame remaps the whole background as the storm takes the top of the histogram — the pumping a
  // video shows. Measured over the background the storm never covers.
  const int n = scene.width(), cx = n / 2 + 60, cy = n / 2 - 40;
  std::vector<Image> storm;
  std::vector<std::uint8_t> background(static_cast<std::size_t>(n) * n, 1);
  for (int f = 0; f < 20; ++f) {
    Image s = noisy(scene);
    const double r = 4 + 2.0 * f;
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        if (std::hypot(x - cx, y - cy) <= r) s.row<std::uint8_t>(y)[x] = 235;
        if (std::hypot(x - cx, y - cy) <= 43) background[static_cast<std::size_t>(y) * n + x] = 0;
      }
    storm.push_back(s);
  }
  FalseColourOptions storm_sequence = per_frame;
  storm_sequence.levels = false_colour_levels({storm.begin(), storm.begin() + 3}, -75.2, per_frame);
  const double b_frame = mean_luma_flicker(storm, per_frame, background);
  const double b_sequence = mean_luma_flicker(storm, storm_sequence, background);
  if (report) {
    std::printf("| scene | per-frame equalisation | per-sequence levels |\n|---|---|---|\n");
    std::printf("| static, noise sigma 1 | %.3f | %.3f |\n", a_frame, a_sequence);
    std::printf("| static background, one storm growing | %.3f | %.3f |\n", b_frame, b_sequence);
  }
  EXPECT_LE(a_sequence, 0.5);
  EXPECT_LE(b_sequence, 0.5);
  EXPECT_GT(b_frame, 0.5);
  EXPECT_GT(b_frame, 4 * b_sequence);
}

}  // namespace
}  // namespace goesvfi
