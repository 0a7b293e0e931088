#include <gtest/gtest.h>

#include "core/error.hpp"
#include "encode/video_probe.hpp"
#include "interp/blend.hpp"
#include "pipeline/stream.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {
// A source of n frames whose grey level encodes the index, with optional gaps before given indices.
FrameSource counting_source(int n, std::vector<int> slots = {}) {
  auto i = std::make_shared<int>(0);
  return [=]() -> std::optional<StreamFrame> {
    if (*i >= n) return std::nullopt;
    Image img(32, 16, 1, SampleType::U8);
    for (int y = 0; y < 16; ++y)
      std::fill_n(img.row<std::uint8_t>(y), 32, static_cast<std::uint8_t>(40 * *i));
    StreamFrame f{img, "f" + std::to_string(*i), slots.empty() ? 1 : slots[static_cast<std::size_t>(*i)], {}};
    ++*i;
    return f;
  };
}
}  // namespace

TEST(Stream, TimestepsAndFrameCounts) {
  EXPECT_EQ(planned_output_frames(5, 3), 17);
  EXPECT_EQ(planned_output_frames(1, 3), 1);
  EXPECT_EQ(gap_timesteps(1, 1), std::vector<double>({0.5}));
  EXPECT_EQ(gap_timesteps(1, 2),
            std::vector<double>({0.25, 0.5, 0.75}));  // a missing scan: motion stays uniform
  EXPECT_TRUE(gap_timesteps(0, 1).empty());
  EXPECT_EQ(gap_timesteps(0, 2), std::vector<double>({0.5}));
}

TEST(Stream, BlendsInOrderAndBridgesGaps) {
  test::TempDir dir;
  BlendInterpolator blend;
  StreamOptions o;
  o.interpolator = &blend;
  o.intermediate = 1;
  o.output = dir / "v.mkv";
  o.encode.codec = "ffv1";
  o.encode.pix_fmt = "gray";
  o.encode.crf = -1;
  o.encode.preset = "";
  o.keep_frames = dir / "frames";
  // 4 frames, a missing scan between frame 1 and 2.
  const auto summary = run_stream(counting_source(4, {1, 2, 1, 1}), o, Progress::null(), CancelToken());
  EXPECT_EQ(summary.input_frames, 4);
  EXPECT_EQ(summary.gaps, 1);
  // (4-1)*2+1 = 7, plus 2 more for the missing slot.
  EXPECT_EQ(summary.output_frames, 9);
  std::vector<Image> decoded;
  EXPECT_EQ(probe_video(o.output, &decoded).frames, 9);
  const std::vector<double> expected = {0, 20, 40, 50, 60, 70, 80, 100, 120};
  ASSERT_EQ(decoded.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(test::mean_level(decoded[i]), expected[i], 1.0) << i;
  EXPECT_TRUE(fs::exists(dir / "frames" / "frame_000008.png"));
}

TEST(Stream, HoldRepeatsTheLastFrameThroughGaps) {
  test::TempDir dir;
  BlendInterpolator blend;
  StreamOptions o;
  o.interpolator = &blend;
  o.intermediate = 0;
  o.gaps = GapMode::Hold;
  o.output = dir / "v.mkv";
  o.encode.codec = "ffv1";
  o.encode.pix_fmt = "gray";
  const auto summary = run_stream(counting_source(3, {3, 1, 1}), o, Progress::null(), CancelToken());
  EXPECT_EQ(summary.output_frames, 5);  // f0, f0, f0, f1, f2
  EXPECT_EQ(summary.held_frames, 2);
}

TEST(Stream, CancelAndSourceErrorsLeaveNoOutput) {
  test::TempDir dir;
  BlendInterpolator blend;
  StreamOptions o;
  o.interpolator = &blend;
  o.intermediate = 2;
  o.output = dir / "v.mp4";
  o.encode.preset = "ultrafast";
  CancelToken cancel;
  auto inner = counting_source(50);
  int served = 0;
  FrameSource source = [&]() {
    if (++served == 10) cancel.cancel();
    return inner();
  };
  try {
    run_stream(source, o, Progress::null(), cancel);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
  FrameSource broken = [&, n = 0]() mutable -> std::optional<StreamFrame> {
    if (++n == 5) fail(ErrorKind::Corrupt, "frame 5 is truncated");
    return inner();
  };
  EXPECT_ERROR(run_stream(broken, o, Progress::null(), CancelToken()), ErrorKind::Corrupt,
               "frame 5 is truncated");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
}
