// Several bands of one scan: the Air Mass RGB from four NOAA-named CMIP files written here with known
// brightness temperatures, the scan grouping of a folder, and the errors for a missing band and for bands
// that are not on one grid.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "goes/names.hpp"
#include "render/abi_writer.hpp"
#include "render/render.hpp"
#include "render/scan_reader.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

constexpr int k_w = 6, k_h = 2;
const UtcTime k_start = *make_utc(2024, 5, 1, 18, 1, 17, 200);

// A CONUS-like 2 km grid (56 urad per pixel).
FixedGridArea test_area(int width = k_w) {
  return {width, k_h, -0.101332, 56e-6, 0.128212, -56e-6};
}

// Brightness temperature of `band` at pixel i: an intrusion, cold air, warm air, cold cloud, a clamped pixel
// and one more.
double bt_of(int band, int i) {
  static const double table[6][4] = {{238, 244, 250, 271}, {228, 236, 240, 268}, {236, 252, 262, 277},
                                     {207, 208, 209, 210}, {250, 247, 300, 280}, {226, 240, 246, 275}};
  const int b = band == 8 ? 0 : band == 10 ? 1 : band == 12 ? 2 : 3;
  return table[i % 6][b];
}

struct Written {
  std::filesystem::path path;
  AbiL1bSpec spec;
};

// Writes band `band` of the scan starting at `start` as an L2 CMIP CONUS file with its NOAA name; pixel
// `fill` (>= 0) is fill, pixel `bad_dqf` (>= 0) has DQF 3.
Written write_band(const std::filesystem::path& dir, int band, UtcTime start = k_start,
                   FixedGridArea area = test_area(), double lon0 = -75.0, int fill = -1, int bad_dqf = -1) {
  Written w;
  w.spec = cmip_spec(band, area, lon0);
  w.spec.scene = "CONUS";
  w.spec.start = start;
  const auto n = static_cast<std::size_t>(area.width * area.height);
  w.spec.packed.resize(n);
  w.spec.dqf.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) w.spec.packed[i] = pack_value(bt_of(band, static_cast<int>(i)), w.spec);
  if (fill >= 0) w.spec.packed[static_cast<std::size_t>(fill)] = 65535;
  if (bad_dqf >= 0) w.spec.dqf[static_cast<std::size_t>(bad_dqf)] = 3;
  goes::NoaaName name;
  name.product = {goes::Level::L2, "CMIP"};
  name.sector = goes::Sector::Conus;
  name.band = band;
  name.start = start;
  name.end = start + std::chrono::seconds(150);
  name.created = start + std::chrono::seconds(190);
  w.path = dir / goes::format_noaa_name(name);
  write_abi_file(w.path, w.spec);
  return w;
}

// The recipe computed here from the packed counts: value = add_offset + count * scale_factor.
int expected_level(double v, double lo, double hi) {
  return static_cast<int>(std::lround(255.0 * std::clamp((v - lo) / (hi - lo), 0.0, 1.0)));
}

RenderOptions airmass_options() {
  RenderOptions o;
  o.product = "airmass";
  return o;
}

TEST(ScanReader, AirmassFromFourBandsOfOneScanIsExact) {
  test::TempDir dir;
  std::vector<Written> bands;
  // Band 10 has a fill pixel (3) and band 13 a DQF-masked one (5): both are black in the picture.
  bands.push_back(write_band(dir.path(), 8));
  bands.push_back(write_band(dir.path(), 10, k_start, test_area(), -75.0, 3));
  bands.push_back(write_band(dir.path(), 12));
  bands.push_back(write_band(dir.path(), 13, k_start, test_area(), -75.0, -1, 5));
  std::vector<std::filesystem::path> files;
  for (const auto& b : bands) files.push_back(b.path);
  const RenderedFrame frame = render_scan(files, airmass_options());
  ASSERT_EQ(frame.image.width(), k_w);
  ASSERT_EQ(frame.image.height(), k_h);
  ASSERT_EQ(frame.image.channels(), 3);
  EXPECT_EQ(frame.header.band, 0);
  EXPECT_EQ(frame.header.scene, "CONUS");
  int checked = 0;
  for (int y = 0; y < k_h; ++y) {
    for (int x = 0; x < k_w; ++x) {
      const auto i = static_cast<std::size_t>(y * k_w + x);
      const auto* px = frame.image.row<std::uint8_t>(y) + 3 * x;
      if (i == 3 || i == 5) {
        EXPECT_EQ(px[0] + px[1] + px[2], 0) << "pixel " << i << " has no data in one band";
        continue;
      }
      double v[4];
      for (int b = 0; b < 4; ++b)
        v[b] = bands[b].spec.add_offset + bands[b].spec.packed[i] * bands[b].spec.scale_factor;
      EXPECT_EQ(px[0], expected_level(v[0] - v[1], -26.2, 0.6)) << i;
      EXPECT_EQ(px[1], expected_level(v[2] - v[3], -43.2, 6.7)) << i;
      EXPECT_EQ(px[2], expected_level(v[0], 243.9, 208.5)) << i;
      ++checked;
    }
  }
  EXPECT_EQ(checked, k_w * k_h - 2);
  // Pixel 0 (a dry intrusion: C08 - C10 = -6 K, C12 - C13 = -21 K, C08 = 238 K), by hand: red 192, green 113.
  EXPECT_EQ(frame.image.row<std::uint8_t>(0)[0], 192);
  EXPECT_EQ(frame.image.row<std::uint8_t>(0)[1], 113);
}

TEST(ScanReader, ResolutionAveragesEachBandBeforeCombining) {
  test::TempDir dir;
  std::vector<std::filesystem::path> files;
  for (int band : {8, 10, 12, 13}) files.push_back(write_band(dir.path(), band).path);
  RenderOptions o = airmass_options();
  o.resolution_km = 4;
  const auto frame = render_scan(files, o);
  EXPECT_EQ(frame.image.width(), k_w / 2);
  EXPECT_EQ(frame.image.height(), k_h / 2);
  o.resolution_km = 3;
  EXPECT_ERROR(render_scan(files, o), ErrorKind::InvalidArgument, "not a whole multiple");
}

TEST(ScanReader, AFolderIsGroupedByScanAndAnIncompleteScanIsReported) {
  test::TempDir in, out;
  const UtcTime later = k_start + std::chrono::minutes(5);
  for (int band : {8, 10, 12, 13}) write_band(in.path(), band);
  for (int band : {8, 10, 13}) write_band(in.path(), band, later);  // no band 12
  write_band(in.path(), 7);                                         // a band the recipe does not use
  RenderBatchOptions o;
  o.render = airmass_options();
  o.output_dir = out.path();
  const auto result = render_files(list_netcdf_inputs({in.path()}), o);
  ASSERT_EQ(result.written.size(), 1u);
  EXPECT_EQ(result.written[0], out / "GOES16_CONUS_AIRMASS_20240501T180117Z.png");
  const Image png = read_image(result.written[0]);
  EXPECT_EQ(png.channels(), 3);
  EXPECT_EQ(png.width(), k_w);
  ASSERT_EQ(result.incomplete.size(), 1u);
  EXPECT_EQ(result.incomplete[0], "G16 ABI-L2-CMIPC scan of 2024-05-01T18:06:17.200Z: no file of band 12");
  // Nothing complete: the error names the product, its bands and the scan's missing band.
  test::TempDir only_later, out2;
  for (int band : {8, 10, 13}) write_band(only_later.path(), band, later);
  o.output_dir = out2.path();
  EXPECT_ERROR(
      render_files(list_netcdf_inputs({only_later.path()}), o), ErrorKind::NotFound,
      "product 'airmass' needs bands 8, 10, 12, 13 of one scan: no scan among the 3 input(s) has them "
      "all (G16 ABI-L2-CMIPC scan of 2024-05-01T18:06:17.200Z: no file of band 12)");
}

TEST(ScanReader, BandsOffOneGridAreRefusedNamingTheFileAndTheDifference) {
  test::TempDir dir;
  const auto c08 = write_band(dir.path(), 8).path;
  const auto c10 = write_band(dir.path(), 10).path;
  const auto c13 = write_band(dir.path(), 13).path;
  test::TempDir other;
  // Band 12 at another size (a 1 km band would need resampling).
  const auto wide = write_band(other.path(), 12, k_start, test_area(8)).path;
  EXPECT_ERROR(render_scan({c08, c10, wide, c13}, airmass_options()), ErrorKind::InvalidArgument,
               wide.string() + " (band 12) is not on the grid of " + c08.filename().string() +
                   ": size 8x2 (band 8: 6x2)");
  test::TempDir moved;
  const auto west = write_band(moved.path(), 12, k_start, test_area(), -137.0).path;
  EXPECT_ERROR(render_scan({c08, c10, west, c13}, airmass_options()), ErrorKind::InvalidArgument,
               "sub-satellite longitude -137 (band 8: -75)");
  // A file holding another band than its place in the recipe.
  EXPECT_ERROR(render_scan({c08, c13, c10, c13}, airmass_options()), ErrorKind::NotFound,
               "band 10 is not in");
  EXPECT_ERROR(render_scan({c08, c10}, airmass_options()), ErrorKind::InvalidArgument,
               "2 file(s) given for bands 8, 10, 12, 13");
  RenderOptions grey;
  grey.product = "grey";
  EXPECT_ERROR(render_scan({c08}, grey), ErrorKind::InvalidArgument, "product 'grey' shows one band");
}

}  // namespace
}  // namespace goesvfi
