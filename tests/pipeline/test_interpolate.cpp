// `interpolate` on one-channel frames with a colouring: interpolate.space = data interpolates the grey levels
// (one band's values) and colours after; colour interpolates the coloured pictures.
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "colour/gradient.hpp"
#include "core/image_io.hpp"
#include "encode/video_probe.hpp"
#include "pipeline/interpolate.hpp"
#include "pipeline/preview.hpp"
#include "render/render.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

// Band-13 grey renders of the demo scene through the noaa-ir table (--show noaa-ir): with the colouring after
// interpolation every pixel is a colour of the table; blending the pictures makes colours between its hue
// bands. Both spaces keep the frame count, the crop and the originals.
TEST(Interpolate, DataSpaceColoursGreyFramesAfterInterpolating) {
  test::TempDir dir;
  const DemoData data = test::make_archive(dir / "archive", 4, -1);
  fs::create_directories(dir / "frames");
  for (std::size_t i = 0; i < data.files.size(); ++i)
    write_image(dir / "frames" / fmt::format("f{}.png", i), render_abi_file(data.files[i], {}).image);
  Config config;
  config.set_text("render.product", "noaa-ir", "test");
  config.set_text("interpolate.backend", "blend", "test");
  config.set_text("interpolate.intermediate", "3", "test");
  config.set_text("frame.crop", "8,8,100,96", "test");
  config.set_text("encode.codec", "ffv1", "test");
  config.set_text("encode.pix_fmt", "yuv444p", "test");
  std::vector<Rgb8> colours = {{0, 0, 0}};
  for (const Rgb8& c : make_lut(load_gradient("noaa-ir"))) colours.push_back(c);
  auto off_table = [&](const std::uint8_t* p) {
    int best = 255;
    for (const Rgb8& c : colours)
      best = std::min(best, std::max({std::abs(p[0] - c.r), std::abs(p[1] - c.g), std::abs(p[2] - c.b)}));
    return best > 24;
  };
  std::map<InterpSpace, std::vector<Image>> frames;
  std::map<InterpSpace, int> off;
  for (InterpSpace space : {InterpSpace::Data, InterpSpace::Colour}) {
    InterpolateJob job = InterpolateJob::from_config(config);
    job.inputs = {(dir / "frames").string()};
    job.space = space;
    job.output = dir / fmt::format("{}.mkv", interp_space_name(space));
    EXPECT_EQ(plan_interpolate(job, config).data_space, space == InterpSpace::Data);
    const auto summary = run_interpolate(job, config, Progress::null(), CancelToken());
    EXPECT_EQ(summary.output_frames, 13);
    EXPECT_EQ(summary.width, 100);
    EXPECT_EQ(summary.height, 96);
    probe_video(job.output, &frames[space]);
    ASSERT_EQ(frames[space].size(), 13u);
    for (const Image& f : frames[space]) {
      const Image rgb = convert_channels(f, 3);
      for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x) off[space] += off_table(rgb.row<std::uint8_t>(y) + 3 * x);
    }
  }
  EXPECT_EQ(off[InterpSpace::Data], 0);
  EXPECT_GT(off[InterpSpace::Colour], 100);
  for (std::size_t i = 0; i < 13; i += 4) {
    const Image a = convert_channels(frames[InterpSpace::Data][i], 3);
    const Image b = convert_channels(frames[InterpSpace::Colour][i], 3);
    for (int y = 0; y < a.height(); ++y) ASSERT_EQ(std::memcmp(a.row_ptr(y), b.row_ptr(y), a.row_bytes()), 0);
  }
  // Auto: these frames are one channel, so data.
  InterpolateJob job = InterpolateJob::from_config(config);
  job.inputs = {(dir / "frames").string()};
  job.output = dir / "auto.mkv";
  EXPECT_TRUE(plan_interpolate(job, config).data_space);
  // The preview of a pair follows the same order: coloured, cropped, nothing off the table.
  const PairPreview preview =
      preview_pair(job, config, dir / "frames" / "f0.png", dir / "frames" / "f2.png", 0.5, CancelToken());
  ASSERT_EQ(preview.middle.channels(), 3);
  EXPECT_EQ(preview.middle.width(), 100);
  EXPECT_EQ(preview.before.width(), 100);
  int preview_off = 0;
  for (int y = 0; y < preview.middle.height(); ++y)
    for (int x = 0; x < preview.middle.width(); ++x)
      preview_off += off_table(preview.middle.row<std::uint8_t>(y) + 3 * x);
  EXPECT_EQ(preview_off, 0);
}
