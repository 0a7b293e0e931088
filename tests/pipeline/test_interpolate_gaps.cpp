#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/config.hpp"
#include "core/image_io.hpp"
#include "encode/video_probe.hpp"
#include "interp/blend.hpp"
#include "pipeline/evaluation_input.hpp"
#include "pipeline/interpolate.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {
// Flat grey frames named with their scan times (10-minute cadence, 12:20 missing); the grey level rises 4 per
// minute, so a video that is uniform in time has levels in an arithmetic progression.
void write_timed_frames(const fs::path& dir) {
  fs::create_directories(dir);
  for (const int minute : {0, 10, 30, 40}) {
    Image img(32, 16, 1, SampleType::U8);
    for (int y = 0; y < img.height(); ++y)
      std::fill_n(img.row<std::uint8_t>(y), img.width(), static_cast<std::uint8_t>(4 * minute));
    write_image(dir / fmt::format("scan_20240501T12{:02}00Z.png", minute), img);
  }
}

InterpolateJob lossless_blend_job(const fs::path& dir, const std::string& gaps) {
  Config config;
  config.set_text("interpolate.gaps", gaps, "--gaps");
  InterpolateJob job = InterpolateJob::from_config(config);
  job.backend = "blend";
  job.intermediate = 1;
  job.inputs = {(dir / "in").string()};
  job.output = dir / ("v-" + gaps + ".mkv");
  job.encode.codec = "ffv1";
  job.encode.pix_fmt = "gray";
  job.encode.crf = -1;
  job.encode.preset = "";
  return job;
}
}  // namespace

TEST(InterpolateGaps, AMissingScanIsBridgedOnTheCadence) {
  test::TempDir dir;
  write_timed_frames(dir / "in");
  const Config config;
  const InterpolateJob job = lossless_blend_job(dir.path(), "interpolate");
  const InterpolatePlan plan = plan_interpolate(job, config);
  EXPECT_TRUE(plan.ordered_by_time);
  EXPECT_EQ(plan.steps, std::vector<int>({1, 2, 1, 1}));
  EXPECT_EQ(plan.gaps, 1);
  // 3 pairs x 2 + 1 = 7 frames, plus 2 for the missing 12:20 scan.
  EXPECT_EQ(plan.output_frames, 9);
  EXPECT_NE(
      plan.describe().find("gap:      scan_20240501T121000Z.png -> scan_20240501T123000Z.png, 1 scan(s) "
                           "missing"),
      std::string::npos)
      << plan.describe();

  const StreamSummary summary = run_interpolate(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(summary.gaps, 1);
  EXPECT_EQ(summary.output_frames, 9);
  std::vector<Image> decoded;
  ASSERT_EQ(probe_video(job.output, &decoded).frames, 9);
  // Every 5 minutes of scan time, as if 12:20 had been there: 0, 20, ..., 160.
  for (std::size_t i = 0; i < decoded.size(); ++i)
    EXPECT_NEAR(test::mean_level(decoded[i]), 20.0 * i, 1.0) << i;
}

TEST(InterpolateGaps, SkipAndHoldFollowTheSetting) {
  test::TempDir dir;
  write_timed_frames(dir / "in");
  const Config config;
  const InterpolateJob skip = lossless_blend_job(dir.path(), "skip");
  EXPECT_EQ(plan_interpolate(skip, config).output_frames, 7);
  EXPECT_EQ(run_interpolate(skip, config, Progress::null(), CancelToken()).output_frames, 7);

  const InterpolateJob hold = lossless_blend_job(dir.path(), "hold");
  EXPECT_EQ(plan_interpolate(hold, config).output_frames, 9);
  const StreamSummary held = run_interpolate(hold, config, Progress::null(), CancelToken());
  EXPECT_EQ(held.held_frames, 2);
  std::vector<Image> decoded;
  ASSERT_EQ(probe_video(hold.output, &decoded).frames, 9);
  const std::vector<double> expected = {0, 20, 40, 40, 40, 80, 120, 140, 160};
  for (std::size_t i = 0; i < decoded.size(); ++i)
    EXPECT_NEAR(test::mean_level(decoded[i]), expected[i], 1.0) << i;
}

TEST(InterpolateGaps, EvaluationScoresAWindowOverAGapAtItsTrueTimes) {
  test::TempDir dir;
  write_timed_frames(dir / "in");
  const auto sequences = evaluation_sequences({(dir / "in").string()});
  ASSERT_EQ(sequences.size(), 1u);
  EXPECT_EQ(sequences[0].label, "in");
  EXPECT_EQ(sequences[0].steps, std::vector<int>({1, 2, 1, 1}));
  BlendInterpolator blend;
  const EvaluationBackend backends[] = {{"blend", &blend}};
  const EvaluationReport report = evaluate_sequences(sequences, backends, EvaluationOptions{}, CancelToken());
  const auto& scores = report.results[0][0].scores;
  ASSERT_EQ(scores.size(), 2u);
  // 12:00 -> 12:30 scored at 12:10: t = 1/3, and blend on a linear ramp is then exact.
  EXPECT_TRUE(scores[0].gap);
  EXPECT_NEAR(scores[0].t, 1.0 / 3.0, 1e-12);
  EXPECT_GT(scores[0].psnr, 45.0);
  // 12:10 -> 12:40 scored at 12:30: t = 2/3.
  EXPECT_TRUE(scores[1].gap);
  EXPECT_NEAR(scores[1].t, 2.0 / 3.0, 1e-12);
  EXPECT_GT(scores[1].psnr, 45.0);
  EXPECT_NE(format_evaluation_table(report).find("2 frame(s) scored across a missing scan (g)"),
            std::string::npos)
      << format_evaluation_table(report);
}
