#include <algorithm>
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "encode/encoder.hpp"
#include "encode/video_probe.hpp"
#include "testutil/encode_options.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {
std::vector<Image> moving_frames(int n, int w, int h, int channels = 3, SampleType type = SampleType::U8) {
  std::vector<Image> frames;
  for (int i = 0; i < n; ++i) frames.push_back(test::make_pattern(w, h, channels, type, 2.0 * i, 1.0 * i));
  return frames;
}
}  // namespace

// EncodeOptions{} is the schema's defaults, field by field (compared with the schema, not literals), and
// from_config reads changed values.
TEST(Encoder, DefaultOptionsAreTheSchemas) {
  test::expect_encode_options(EncodeOptions{}, Config::defaults());
  Config c;
  c.set("encode.crf", std::int64_t{23}, "test");
  c.set("encode.tune", std::string("grain"), "test");
  c.set("encode.gop", std::int64_t{60}, "test");
  c.set("encode.faststart", false, "test");
  c.set("interpolate.fps", 24.0, "test");
  test::expect_encode_options(EncodeOptions::from_config(c), c);
  EXPECT_EQ(EncodeOptions::from_config(c).crf, 23);
}

TEST(Encoder, X264Crf10ReadsBackFaithfully) {
  test::TempDir dir;
  const auto out = dir / "a.mp4";
  const auto frames = moving_frames(12, 160, 96);
  EncodeOptions o;
  o.crf = 10;
  o.preset = "fast";
  o.fps = 24;
  VideoEncoder enc(out, 160, 96, o);
  for (const auto& f : frames) enc.write(f);
  EXPECT_FALSE(fs::exists(out));  // nothing visible before finish
  enc.finish();
  std::vector<Image> decoded;
  const auto info = probe_video(out, &decoded);
  EXPECT_EQ(info.codec, "h264");
  EXPECT_EQ(info.pix_fmt, "yuv420p");
  EXPECT_EQ(info.width, 160);
  EXPECT_EQ(info.height, 96);
  EXPECT_EQ(info.frames, 12);
  EXPECT_NEAR(info.fps, 24.0, 1e-6);
  EXPECT_NEAR(info.duration_s, 0.5, 0.05);
  EXPECT_TRUE(info.faststart);
  ASSERT_EQ(decoded.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_GT(test::psnr(decoded[i], frames[i]), 40.0) << i;
  // Only the video in the folder: no temporary left.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(Encoder, CodecsPixelFormatsAndContainers) {
  test::TempDir dir;
  struct Case {
    std::string codec, pix_fmt, file, expect_codec;
  };
  std::vector<Case> cases = {{"libx265", "yuv420p10le", "b.mkv", "hevc"},
                             {"ffv1", "yuv444p", "c.mkv", "ffv1"},
                             {"prores_ks", "yuv422p10le", "d.mov", "prores"},
                             {"libx264", "yuv444p", "e.mp4", "h264"}};
  for (const auto& c : cases) {
    EncodeOptions o;
    o.codec = c.codec;
    o.pix_fmt = c.pix_fmt;
    o.preset = c.codec == "libx264" || c.codec == "libx265" ? "ultrafast" : "";
    o.crf = c.codec == "ffv1" || c.codec == "prores_ks" ? -1 : 20;
    const auto frames = moving_frames(4, 64, 48, 4, SampleType::U16);
    VideoEncoder enc(dir / c.file, 64, 48, o);
    for (const auto& f : frames) enc.write(f);
    enc.finish();
    const auto info = probe_video(dir / c.file);
    EXPECT_EQ(info.codec, c.expect_codec) << c.codec;
    EXPECT_EQ(info.pix_fmt, c.pix_fmt) << c.codec;
    EXPECT_EQ(info.frames, 4) << c.codec;
  }
}

// The filter graph runs on every frame: a mirror filter (hflip) must give frames that decode back as the
// mirror image of the input, and not as the input itself. Grey and float frames go through the same graph.
TEST(Encoder, FiltersAndGreyAndFloatInput) {
  test::TempDir dir;
  EncodeOptions o;
  o.crf = 10;
  o.preset = "ultrafast";
  o.filters = "hflip";
  const Image grey = test::make_pattern(64, 48, 1, SampleType::U8);
  const Image colour = test::make_pattern(64, 48, 3, SampleType::F32);
  VideoEncoder enc(dir / "f.mp4", 64, 48, o);
  enc.write(grey);
  enc.write(colour);
  enc.finish();
  std::vector<Image> decoded;
  EXPECT_EQ(probe_video(dir / "f.mp4", &decoded).frames, 2);
  ASSERT_EQ(decoded.size(), 2u);
  // The oracles, in the decoder's layout (8-bit RGB): the inputs as RGB, and their mirror images.
  auto as_rgb8 = [](const Image& in, bool mirror) {
    Image out(in.width(), in.height(), 3, SampleType::U8);
    for (int y = 0; y < in.height(); ++y) {
      for (int x = 0; x < in.width(); ++x) {
        const int sx = mirror ? in.width() - 1 - x : x;
        for (int c = 0; c < 3; ++c) {
          const int sc = in.channels() == 1 ? 0 : c;
          out.row<std::uint8_t>(y)[3 * x + c] =
              in.type() == SampleType::U8
                  ? in.row<std::uint8_t>(y)[in.channels() * sx + sc]
                  : static_cast<std::uint8_t>(
                        std::lround(std::clamp(in.row<float>(y)[in.channels() * sx + sc], 0.0f, 1.0f) * 255));
        }
      }
    }
    return out;
  };
  const Image inputs[] = {grey, colour};
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(decoded[i].channels(), 3);
    ASSERT_EQ(decoded[i].type(), SampleType::U8);
    EXPECT_GT(test::psnr(decoded[i], as_rgb8(inputs[i], true)), 35.0) << "frame " << i << " is not mirrored";
    EXPECT_LT(test::psnr(decoded[i], as_rgb8(inputs[i], false)), 25.0)
        << "frame " << i << " was not filtered";
  }
}

TEST(Encoder, RejectsBadOptionsBeforeWriting) {
  test::TempDir dir;
  EncodeOptions o;
  o.codec = "h265x";
  try {
    VideoEncoder enc(dir / "x.mp4", 64, 48, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("libx264"), std::string::npos)
        << e.what();  // lists what is available
  }
  o = EncodeOptions{};
  o.pix_fmt = "rgb24";
  EXPECT_ERROR(VideoEncoder(dir / "x.mp4", 64, 48, o), ErrorKind::InvalidArgument,
               "cannot take pixel format rgb24");  // x264 cannot take rgb24
  o = EncodeOptions{};
  EXPECT_ERROR(VideoEncoder(dir / "x.avi", 64, 48, o), ErrorKind::InvalidArgument, "has extension '.avi'");
  EXPECT_ERROR(VideoEncoder(dir / "x.mp4", 63, 48, o), ErrorKind::InvalidArgument,
               "needs an even frame size, got 63x48");  // 4:2:0 needs even sizes
  o.fps = 0;
  EXPECT_ERROR(VideoEncoder(dir / "x.mp4", 64, 48, o), ErrorKind::InvalidArgument, "fps 0 is outside");
  o = EncodeOptions{};
  o.filters = "nosuchfilter=1";
  EXPECT_ERROR(
      {
        VideoEncoder enc(dir / "x.mp4", 64, 48, o);
        enc.write(test::make_pattern(64, 48, 3, SampleType::U8));
      },
      ErrorKind::InvalidArgument, "filter graph 'nosuchfilter=1' is invalid");
  EXPECT_ERROR(VideoEncoder(dir / "missing" / "x.mp4", 64, 48, EncodeOptions{}), ErrorKind::NotFound,
               "missing does not exist");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
}

TEST(Encoder, AbandonedEncoderLeavesNothing) {
  test::TempDir dir;
  {
    VideoEncoder enc(dir / "y.mp4", 64, 48, EncodeOptions{});
    enc.write(test::make_pattern(64, 48, 3, SampleType::U8));
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
}
