// Many files at once: names, parallel batch, image inputs through the transform, and the CLI.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "render/render.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

std::filesystem::path goes_dir() {
  return test::shared_dir() / "data/goes";
}
const std::string k_c13 = "OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc";
const std::string k_c01 = "OR_ABI-L1b-RadM1-M6C01_G16_s20200010001262_e20200010001320_c20200010001364.nc";
const std::string k_jpg = "GOES16_FD_CH13_20200830T035020Z.jpg";

TEST(RenderBatch, GoesprocOutputNames) {
  const auto h = read_abi_header(goes_dir() / k_c13);
  EXPECT_EQ(rendered_name(h, "png"), "GOES17_M1_CH13_20191201T102727Z.png");
  EXPECT_EQ(rendered_name(h, ".jpg", "FC"), "GOES17_M1_FC_20191201T102727Z.jpg");
  EXPECT_EQ(rendered_name(read_abi_header(goes_dir() / k_c01), "png"), "GOES16_M1_CH01_20200101T000126Z.png");
}

TEST(RenderBatch, RendersFilesInParallelAndMatchesSingleRender) {
  test::TempDir out;
  RenderBatchOptions o;
  o.output_dir = out.path();
  const auto result = render_files({goes_dir() / k_c13, goes_dir() / k_c01}, o);
  ASSERT_EQ(result.written.size(), 2u);
  EXPECT_EQ(result.written[0], out / "GOES17_M1_CH13_20191201T102727Z.png");
  EXPECT_EQ(result.written[1], out / "GOES16_M1_CH01_20200101T000126Z.png");
  const auto png = read_image(result.written[0]);
  const auto direct = render_abi_file(goes_dir() / k_c13, {}).image;
  ASSERT_EQ(png.width(), 500);
  ASSERT_EQ(png.channels(), 1);
  for (int y = 0; y < 500; y += 7)
    for (int x = 0; x < 500; x += 5) ASSERT_EQ(png.row<std::uint8_t>(y)[x], direct.row<std::uint8_t>(y)[x]);
  EXPECT_EQ(read_image(result.written[1]).width(), 1000);
}

TEST(RenderBatch, ImagesGoThroughTheTransformWithNavigationFromTheirName) {
  test::TempDir out;
  RenderBatchOptions o;
  o.output_dir = out.path();
  o.format = "jpg";
  double seen_lon = 0;
  int seen_width = 0;
  o.transform = [&](const RenderedFrame& f) {
    seen_lon = f.header.projection.lon0_deg;
    seen_width = f.header.area.width;
    return f.image;
  };
  o.transform_product = "FC";
  const auto result = render_files({test::shared_dir() / "data/images" / k_jpg}, o);
  EXPECT_EQ(result.written.at(0), out / "GOES16_FD_FC_20200830T035020Z.jpg");
  EXPECT_DOUBLE_EQ(seen_lon, -75.2);
  EXPECT_EQ(seen_width, 2712);
  // Without a transform an image input is refused.
  o.transform = nullptr;
  EXPECT_ERROR(render_files({test::shared_dir() / "data/images" / k_jpg}, o), ErrorKind::InvalidArgument,
               "is already an image: only NetCDF files are rendered");
}

TEST(RenderBatch, BadBatches) {
  test::TempDir out;
  RenderBatchOptions o;
  o.output_dir = out.path();
  // The same scan twice would overwrite itself.
  EXPECT_ERROR(render_files({goes_dir() / k_c13, goes_dir() / k_c13}, o), ErrorKind::InvalidArgument,
               "would both be written as GOES17_M1_CH13_20191201T102727Z.png");
  o.format = "bmp";
  EXPECT_ERROR(render_files({goes_dir() / k_c13}, o), ErrorKind::InvalidArgument,
               "output format 'bmp' is not supported");
  o.format = "png";
  o.output_dir = out / "missing";
  EXPECT_ERROR(render_files({goes_dir() / k_c13}, o), ErrorKind::NotFound, "missing does not exist");
  EXPECT_ERROR(list_netcdf_inputs({out / "nothing.nc"}), ErrorKind::NotFound, "nothing.nc does not exist");
  const auto listed = list_netcdf_inputs({goes_dir()});
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
}

TEST(RenderCli, RenderColourTableAndErrors) {
  if (!std::filesystem::exists(test::cli_path())) GTEST_SKIP() << "goesvfi CLI not built";
  test::TempDir out;
  auto r = test::run_cli({"render", (goes_dir() / k_c13).string(), "-o", out.path().string(), "--colormap",
                          "red-blue", "--resolution", "4km", "--range", "200:300", "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto img = read_image(out / "GOES17_M1_CH13_20191201T102727Z.png");
  EXPECT_EQ(img.width(), 250);
  EXPECT_EQ(img.channels(), 3);
  r = test::run_cli({"render", (goes_dir() / k_c13).string(), "-o", out.path().string(), "--colormap", "nope",
                     "--progress", "none"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown colour table 'nope'"), std::string::npos) << r.err;
  r = test::run_cli({"render", (goes_dir() / k_c13).string(), "-o", out.path().string(), "--band", "7",
                     "--progress", "none"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("band 7 is not in"), std::string::npos) << r.err;
  r = test::run_cli({"render", (test::shared_dir() / "data/images" / k_jpg).string(), "-o",
                     out.path().string(), "--false-colour", "--format", "jpg", "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_image(out / "GOES16_FD_FC_20200830T035020Z.jpg").width(), 2712);
}

}  // namespace
}  // namespace goesvfi
