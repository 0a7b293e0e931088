// A multi-band product from the command line: `render --show airmass` over a folder of four bands per scan,
// `fetch --show airmass --dry-run` listing every band, `timelapse --show airmass --space data` refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/image_io.hpp"
#include "pipeline/demo.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

// Three 10-minute slots of bands 8, 10, 12, 13 (none missing), band 12 of the last scan removed.
DemoData airmass_archive(const fs::path& archive) {
  DemoDataOptions o;
  o.archive = archive;
  o.scans = 3;
  o.missing_index = -1;
  o.size = 64;
  o.bands = {8, 10, 12, 13};
  DemoData data = generate_demo_data(o, Progress::null(), CancelToken());
  fs::remove(data.files.at(8 + 2));
  return data;
}

}  // namespace

TEST(ProductCli, RenderAirmassMakesOnePictureForEachCompleteScan) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  const auto r = test::run_cli({"render", "--show", "airmass", data.files[0].parent_path().string(), "-o",
                                (dir / "out").string(), "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("rendered 2 file(s)"));
  EXPECT_THAT(r.err,
              HasSubstr("incomplete scan, not rendered: G16 ABI-L2-CMIPF scan of 2024-05-01T12:20:20.500Z: "
                        "no file of band 12"));
  const Image png = read_image(dir / "out" / "GOES16_FD_AIRMASS_20240501T120020Z.png");
  EXPECT_EQ(png.channels(), 3);
  EXPECT_EQ(png.width(), 64);
}

TEST(ProductCli, FetchAirmassListsEveryBandAndReportsIncompleteScans) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  const auto r =
      test::run_cli({"fetch", "--satellite", "G16", "--product", "ABI-L2-CMIPF", "--show", "airmass",
                     "--start", format_iso(data.start), "--end", format_iso(data.end), "--source",
                     (dir / "archive").string(), "-o", (dir / "out").string(), "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("11 files listed"));
  EXPECT_THAT(r.out,
              HasSubstr("incomplete: G16 ABI-L2-CMIPF scan of 2024-05-01T12:20:20.500Z: no file of band 12"));
  for (const char* band : {"M6C08_G16", "M6C10_G16", "M6C12_G16", "M6C13_G16"})
    EXPECT_THAT(r.out, HasSubstr(band));
}

TEST(ProductCli, TimelapseAirmassInDataSpaceIsRefusedNamingTheFlag) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  const auto r =
      test::run_cli({"timelapse", "--satellite", "G16", "--product", "ABI-L2-CMIPF", "--show", "airmass",
                     "--space", "data", "--start", format_iso(data.start), "--end", format_iso(data.end),
                     "--source", (dir / "archive").string(), "-o", (dir / "out.mp4").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(
      r.err, HasSubstr("interpolate.space (--space) data interpolates one band's values; product 'airmass'"));
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}
