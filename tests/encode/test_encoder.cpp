#include <gtest/gtest.h>

#include "core/error.hpp"
#include "encode/encoder.hpp"
#include "encode/video_probe.hpp"
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

TEST(Encoder, FiltersAndGreyAndFloatInput) {
  test::TempDir dir;
  EncodeOptions o;
  o.preset = "ultrafast";
  o.filters = "unsharp=5:5:1.0";
  VideoEncoder enc(dir / "f.mp4", 64, 48, o);
  enc.write(test::make_pattern(64, 48, 1, SampleType::U8));
  enc.write(test::make_pattern(64, 48, 3, SampleType::F32));
  enc.finish();
  EXPECT_EQ(probe_video(dir / "f.mp4").frames, 2);
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
  EXPECT_THROW(VideoEncoder(dir / "x.mp4", 64, 48, o), Error);  // x264 cannot take rgb24
  o = EncodeOptions{};
  EXPECT_THROW(VideoEncoder(dir / "x.avi", 64, 48, o), Error);
  EXPECT_THROW(VideoEncoder(dir / "x.mp4", 63, 48, o), Error);  // 4:2:0 needs even sizes
  o.fps = 0;
  EXPECT_THROW(VideoEncoder(dir / "x.mp4", 64, 48, o), Error);
  o = EncodeOptions{};
  o.filters = "nosuchfilter=1";
  EXPECT_THROW(
      {
        VideoEncoder enc(dir / "x.mp4", 64, 48, o);
        enc.write(test::make_pattern(64, 48, 3, SampleType::U8));
      },
      Error);
  EXPECT_THROW(VideoEncoder(dir / "missing" / "x.mp4", 64, 48, EncodeOptions{}), Error);
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
