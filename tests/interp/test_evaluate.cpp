// `evaluate` as a library: windows, timesteps, scores against independently computed values, the lazy path
// reader, fallbacks, output formats, bad input; and the registry rows of flow and minterpolate.
#include <cmath>
#include <functional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "interp/blend.hpp"
#include "interp/evaluate.hpp"
#include "interp/flow/flow.hpp"
#include "interp/metrics.hpp"
#include "interp/minterpolate/minterpolate.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

using test::expect_invalid;

EvaluationOptions dropping(int k) {
  EvaluationOptions o;
  o.drop = k;
  return o;
}

std::vector<Image> moving_sequence(int count, double step, int channels = 1) {
  std::vector<Image> frames;
  for (int i = 0; i < count; ++i) {
    frames.push_back(test::make_pattern(96, 72, channels, SampleType::U8, step * i, 0.5 * step * i, 12));
  }
  return frames;
}

TEST(Evaluate, TripletsScoreBlendAgainstTheDroppedFrame) {
  const auto frames = moving_sequence(6, 2.0);
  BlendInterpolator blend;
  const auto r = evaluate_interpolator(std::span<const Image>(frames), blend, {}, CancelToken());
  EXPECT_EQ(r.backend, "blend");
  ASSERT_EQ(r.scores.size(), 4u);  // (0,1,2) (1,2,3) (2,3,4) (3,4,5)
  double sum = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& s = r.scores[i];
    EXPECT_EQ(s.first, i);
    EXPECT_EQ(s.target, i + 1);
    EXPECT_EQ(s.last, i + 2);
    EXPECT_DOUBLE_EQ(s.t, 0.5);
    // Oracle: the blend of the outer frames scored with testutil's own PSNR.
    const double expected = test::psnr(blend_frames(frames[i], frames[i + 2], 0.5), frames[i + 1]);
    EXPECT_NEAR(s.psnr, expected, 1e-6);
    EXPECT_GT(s.ssim, 0.0);
    EXPECT_LT(s.ssim, 1.0);
    sum += expected;
  }
  EXPECT_NEAR(r.mean_psnr, sum / 4, 1e-6);
  EXPECT_EQ(r.fell_back_pairs, 0u);
}

TEST(Evaluate, DroppingSeveralFramesScoresEachAtItsTime) {
  const auto frames = moving_sequence(6, 1.0);
  BlendInterpolator blend;
  const auto r = evaluate_interpolator(std::span<const Image>(frames), blend, dropping(2), CancelToken());
  ASSERT_EQ(r.scores.size(), 6u);  // 3 windows x 2 frames
  EXPECT_EQ(r.scores[1].first, 0u);
  EXPECT_EQ(r.scores[1].last, 3u);
  EXPECT_EQ(r.scores[1].target, 2u);
  EXPECT_NEAR(r.scores[1].t, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.scores[1].psnr, test::psnr(blend_frames(frames[0], frames[3], 2.0 / 3.0), frames[2]), 1e-6);
}

TEST(Evaluate, FlowBeatsBlendOnMotionAndPathsMatchMemory) {
  const auto frames = moving_sequence(5, 4.0, 3);
  Config config;
  auto flow = make_interpolator("flow", config);
  BlendInterpolator blend;
  const auto rf = evaluate_interpolator(std::span<const Image>(frames), *flow, {}, CancelToken());
  const auto rb = evaluate_interpolator(std::span<const Image>(frames), blend, {}, CancelToken());
  EXPECT_GE(rf.mean_psnr, rb.mean_psnr + 3.0) << rf.mean_psnr << " vs " << rb.mean_psnr;
  EXPECT_GT(rf.mean_ssim, rb.mean_ssim);

  test::TempDir dir;
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    paths.push_back(dir / ("frame_" + std::to_string(i) + ".png"));
    write_image(paths.back(), frames[i]);
  }
  const auto rp =
      evaluate_interpolator(std::span<const std::filesystem::path>(paths), blend, {}, CancelToken());
  ASSERT_EQ(rp.scores.size(), rb.scores.size());
  for (std::size_t i = 0; i < rp.scores.size(); ++i) EXPECT_NEAR(rp.scores[i].psnr, rb.scores[i].psnr, 1e-9);
  EXPECT_EQ(rp.names[0], "frame_0.png");

  const auto table = format_evaluation_table(rp);
  EXPECT_NE(table.find("frame_1.png"), std::string::npos) << table;
  EXPECT_NE(table.find(fmt::format("blend        3  {:8.2f}  {:6.4f}", rp.mean_psnr, rp.mean_ssim)),
            std::string::npos)
      << table;
  const auto json = nlohmann::json::parse(format_evaluation_json(rp));
  const auto& one = json["sequences"][0]["backends"][0];
  EXPECT_EQ(one["backend"], "blend");
  EXPECT_EQ(one["frames"].size(), 3u);
  EXPECT_EQ(one["frames"][0]["frame"], "frame_1.png");
  EXPECT_NEAR(one["mean_psnr"].get<double>(), rp.mean_psnr, 1e-9);
}

// Squared error and pixel count of blend(a,c) against b over the pixels where `scored` says so: the oracle
// for masked PSNR, computed here pixel by pixel.
double masked_blend_psnr(const Image& a, const Image& b, const Image& c,
                         const std::function<bool(int, int)>& scored) {
  const Image mid = blend_frames(a, c, 0.5);
  double se = 0, n = 0;
  for (int y = 0; y < a.height(); ++y) {
    for (int x = 0; x < a.width(); ++x) {
      if (!scored(x, y)) continue;
      for (int ch = 0; ch < a.channels(); ++ch) {
        const double d =
            mid.row<std::uint8_t>(y)[x * a.channels() + ch] - b.row<std::uint8_t>(y)[x * a.channels() + ch];
        se += d * d;
        n += 1;
      }
    }
  }
  return 10.0 * std::log10(255.0 * 255.0 / (se / n));
}

TEST(Evaluate, MasksLeaveRectanglesAndStaticPixelsOutOfTheScore) {
  auto frames = moving_sequence(4, 2.0, 3);
  // A static overlay: a bright caption bar and a grid line, identical in every frame.
  for (auto& f : frames) {
    for (int y = 0; y < 72; ++y) {
      for (int x = 0; x < 96; ++x) {
        if (y < 60 && x != 40) continue;
        for (int ch = 0; ch < 3; ++ch)
          f.row<std::uint8_t>(y)[x * 3 + ch] = static_cast<std::uint8_t>(ch == 0 ? 20 : 230);
      }
    }
  }
  const Image identical = identical_pixel_mask(std::span<const Image>(frames));
  EXPECT_EQ(identical.row<std::uint8_t>(65)[10], 1);  // caption
  EXPECT_EQ(identical.row<std::uint8_t>(10)[40], 1);  // grid line
  int moving_identical = 0;
  for (int y = 0; y < 60; ++y) {
    for (int x = 0; x < 96; ++x) moving_identical += x != 40 && identical.row<std::uint8_t>(y)[x] != 0;
  }
  EXPECT_LT(moving_identical, 96 * 60 / 20) << "the moving pattern is mostly not static";

  BlendInterpolator blend;
  EvaluationOptions rect;
  rect.masks = {Rect{0, 60, 200, 20}, Rect{40, 0, 1, 60}};  // clipped to the frame
  const auto r = evaluate_interpolator(std::span<const Image>(frames), blend, rect, CancelToken());
  EXPECT_EQ(r.masked_pixels, 96u * 12 + 60);
  EXPECT_EQ(r.pixels, 96u * 72);
  const auto in_rects = [](int x, int y) { return !(y >= 60 || x == 40); };
  EXPECT_NEAR(r.scores[0].psnr, masked_blend_psnr(frames[0], frames[1], frames[2], in_rects), 1e-6);
  EXPECT_NEAR(r.scores[1].psnr, masked_blend_psnr(frames[1], frames[2], frames[3], in_rects), 1e-6);

  EvaluationOptions automatic;
  automatic.mask_static = true;
  const auto ra = evaluate_interpolator(std::span<const Image>(frames), blend, automatic, CancelToken());
  const auto not_static = [&](int x, int y) { return identical.row<std::uint8_t>(y)[x] == 0; };
  EXPECT_NEAR(ra.scores[0].psnr, masked_blend_psnr(frames[0], frames[1], frames[2], not_static), 1e-6);
  // The static pixels blend exactly, so leaving them out lowers the score.
  const auto all = evaluate_interpolator(std::span<const Image>(frames), blend, {}, CancelToken());
  EXPECT_LT(ra.mean_psnr, all.mean_psnr);
  EXPECT_LT(ra.mean_ssim, all.mean_ssim);

  EvaluationOptions everything;
  everything.masks = {Rect{0, 0, 96, 72}};
  expect_invalid(
      [&] { evaluate_interpolator(std::span<const Image>(frames), blend, everything, CancelToken()); },
      "no pixel");
}

TEST(Evaluate, SequencesTimesBackendsInOneReport) {
  test::TempDir dir;
  std::vector<EvaluationSequence> sequences(2);
  for (int s = 0; s < 2; ++s) {
    sequences[s].label = s == 0 ? "slow" : "fast";
    const auto frames = moving_sequence(5, s == 0 ? 1.0 : 4.0, 3);
    for (std::size_t i = 0; i < frames.size(); ++i) {
      sequences[s].frames.push_back(dir / fmt::format("{}_{}.png", s, i));
      write_image(sequences[s].frames.back(), frames[i]);
    }
  }
  Config config;
  auto flow = make_interpolator_spec("flow:fast", config);
  BlendInterpolator blend;
  const EvaluationBackend backends[] = {{"flow:fast", flow.get()}, {"blend", &blend}};
  const auto report = evaluate_sequences(sequences, backends, dropping(3), CancelToken());
  ASSERT_EQ(report.results.size(), 2u);
  ASSERT_EQ(report.results[0].size(), 2u);
  EXPECT_EQ(report.backends[0], "flow:fast");
  for (int s = 0; s < 2; ++s) {
    // Each cell is what the single-backend evaluation gives: 1 window of 3 frames at t = 1/4, 1/2, 3/4.
    const auto alone = evaluate_interpolator(std::span<const std::filesystem::path>(sequences[s].frames),
                                             blend, dropping(3), CancelToken());
    const auto& cell = report.results[s][1];
    ASSERT_EQ(cell.scores.size(), 3u);
    EXPECT_DOUBLE_EQ(cell.scores[0].t, 0.25);
    EXPECT_DOUBLE_EQ(cell.scores[2].t, 0.75);
    EXPECT_NEAR(cell.mean_psnr, alone.mean_psnr, 1e-9);
    EXPECT_GT(report.results[s][0].mean_psnr, cell.mean_psnr) << "flow beats blend on motion";
  }
  const auto table = format_evaluation_table(report, false);
  EXPECT_EQ(table.find("0_1.png"), std::string::npos) << "means only";
  EXPECT_NE(table.find(fmt::format("fast      flow:fast       3  {:8.2f}", report.results[1][0].mean_psnr)),
            std::string::npos)
      << table;
  const auto json = nlohmann::json::parse(format_evaluation_json(report));
  EXPECT_EQ(json["drop"], 3);
  EXPECT_EQ(json["sequences"][1]["sequence"], "fast");
  EXPECT_NEAR(json["sequences"][1]["backends"][0]["mean_psnr"].get<double>(), report.results[1][0].mean_psnr,
              1e-9);
  EXPECT_EQ(json["sequences"][0]["backends"][1]["frames"].size(), 3u);
  expect_invalid([&] { make_interpolator_spec("flow:slow", config); }, "flow:slow");
}

TEST(Evaluate, FallbacksAreCounted) {
  auto frames = moving_sequence(4, 1.0);
  frames[2] = Image(96, 72, 1, SampleType::U8);  // a lost frame: all black
  Config config;
  auto flow = make_interpolator("flow", config);
  const auto r = evaluate_interpolator(std::span<const Image>(frames), *flow, {}, CancelToken());
  // Windows (0,2) and (1,3): only the first has the black frame as an end.
  EXPECT_EQ(r.fell_back_pairs, 1u);
  EXPECT_TRUE(r.scores[0].fell_back);
  EXPECT_FALSE(r.scores[1].fell_back);
  EXPECT_NE(r.scores[0].note.find("discontinuity"), std::string::npos);
  EXPECT_NE(format_evaluation_table(r).find("not motion-interpolated"), std::string::npos);
}

TEST(Evaluate, BadInputIsAClearError) {
  const auto frames = moving_sequence(3, 1.0);
  BlendInterpolator blend;
  NoneInterpolator none;
  expect_invalid(
      [&] { evaluate_interpolator(std::span<const Image>(frames), blend, dropping(2), CancelToken()); },
      "at least 4 frames, got 3");
  expect_invalid(
      [&] { evaluate_interpolator(std::span<const Image>(frames), blend, dropping(0), CancelToken()); },
      "evaluate.drop 0");
  expect_invalid([&] { evaluate_interpolator(std::span<const Image>(frames), none, {}, CancelToken()); },
                 "'none' makes no intermediate frames");
  auto mixed = frames;
  mixed[2] = test::make_pattern(90, 72, 1, SampleType::U8);
  expect_invalid([&] { evaluate_interpolator(std::span<const Image>(mixed), blend, {}, CancelToken()); },
                 "while interpolating frame 0 -> frame 2");
}

TEST(EvaluateCli, TableJsonAndErrors) {
  // The CLI is built by the full build (test_cli/test_pipeline depend on it); this folder's test only links
  // the interp libraries.
  if (!std::filesystem::exists(test::cli_path())) GTEST_SKIP() << "goesvfi not built";
  test::TempDir dir;
  const auto frames = moving_sequence(5, 3.0, 3);
  // Names that sort wrongly as plain text: natural order must put img_2 before img_10.
  const char* names[] = {"img_1.png", "img_2.png", "img_3.png", "img_10.png", "img_11.png"};
  for (std::size_t i = 0; i < frames.size(); ++i) write_image(dir / names[i], frames[i]);
  const auto json_run = test::run_cli({"--progress", "none", "evaluate", dir.path().string(), "--backend",
                                       "flow,blend", "--flow-preset", "fast", "--format", "json"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  const auto doc = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(doc["sequences"][0]["sequence"], dir.path().filename().string());
  ASSERT_EQ(doc["sequences"][0]["backends"].size(), 2u);
  const auto& json = doc["sequences"][0]["backends"][0];
  EXPECT_EQ(json["backend"], "flow");
  EXPECT_EQ(doc["sequences"][0]["backends"][1]["backend"], "blend");
  ASSERT_EQ(json["frames"].size(), 3u);
  EXPECT_EQ(json["frames"][2]["first"], "img_3.png");
  EXPECT_EQ(json["frames"][2]["frame"], "img_10.png");
  // Same numbers as the library on the same frames.
  Config config;
  config.set_text("flow.preset", "fast", "test");
  auto flow = make_interpolator("flow", config);
  const auto direct = evaluate_interpolator(std::span<const Image>(frames), *flow, {}, CancelToken());
  EXPECT_NEAR(json["mean_psnr"].get<double>(), direct.mean_psnr, 1e-6);

  const auto table = test::run_cli({"--progress", "none", "evaluate", (dir / "*.png").string(), "--backend",
                                    "minterpolate", "--drop", "2", "--mask", "0,0,8,8", "--mask", "auto"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("files: dropping 2 frame(s)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("files     minterpolate       4"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("fallback"), std::string::npos) << table.out;
  const auto bad_mask = test::run_cli({"evaluate", dir.path().string(), "--mask", "1,2,3"});
  EXPECT_EQ(bad_mask.exit_code, 2);
  EXPECT_NE(bad_mask.err.find("--mask"), std::string::npos) << bad_mask.err;

  const auto bad = test::run_cli({"evaluate", dir.path().string(), "--flow-preset", "slow"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("fast, medium, quality"), std::string::npos) << bad.err;
  const auto few = test::run_cli({"evaluate", (dir / "img_1.png").string(), (dir / "img_2.png").string()});
  EXPECT_EQ(few.exit_code, 2);
  EXPECT_NE(few.err.find("at least 3 frames, got 2"), std::string::npos) << few.err;
  const auto fmt_bad = test::run_cli({"evaluate", dir.path().string(), "--format", "xml"});
  EXPECT_EQ(fmt_bad.exit_code, 2);
  EXPECT_NE(fmt_bad.err.find("one of table, json"), std::string::npos) << fmt_bad.err;
}

TEST(Registry, FlowAndMinterpolateRowsReadTheConfig) {
  Config config;
  config.set_text("flow.preset", "fast", "test");
  config.set_text("flow.fallback", "hold", "test");
  auto flow = make_interpolator("flow", config);
  EXPECT_EQ(flow->name(), "flow");
  auto* typed = dynamic_cast<FlowInterpolator*>(flow.get());
  ASSERT_NE(typed, nullptr);
  EXPECT_EQ(typed->options().preset, FlowPreset::Fast);
  EXPECT_EQ(typed->options().fallback, FlowFallback::Hold);
  EXPECT_EQ(make_interpolator("minterpolate", config)->name(), "minterpolate");
  try {
    make_interpolator("dain", config);
    ADD_FAILURE() << "unknown backend accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.describe().find("flow"), std::string::npos) << e.describe();
    EXPECT_NE(e.describe().find("minterpolate"), std::string::npos) << e.describe();
  }
}

}  // namespace
}  // namespace goesvfi
