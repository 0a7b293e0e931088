// The flow backend against synthetic motion with known ground truth: shifts, a rotation, an Earth-like disk
// on black, every sample type and channel count, the discontinuity guard and bad input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "interp/blend.hpp"
#include "interp/flow/flow.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

// Options with these four settings and the schema's defaults for the rest.
FlowOptions options_with(FlowPreset preset, double scale, double threshold, FlowFallback fallback) {
  FlowOptions o;
  o.preset = preset;
  o.scale = scale;
  o.discontinuity_threshold = threshold;
  o.fallback = fallback;
  return o;
}

using test::expect_invalid;
using test::interior_psnr;
using test::make_pattern;
using test::psnr;

Image interpolate_one(Interpolator& backend, const Image& a, const Image& b, double t,
                      PairReport* report = nullptr) {
  const double ts[] = {t};
  auto frames = backend.interpolate(a, b, ts, CancelToken(), report);
  EXPECT_EQ(frames.size(), 1u);
  return frames.at(0);
}

float median(std::vector<float> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

std::vector<float> interior_values(const Image& plane, int margin) {
  std::vector<float> out;
  for (int y = margin; y < plane.height() - margin; ++y) {
    for (int x = margin; x < plane.width() - margin; ++x) out.push_back(plane.row<float>(y)[x]);
  }
  return out;
}

TEST(FlowBackend, BeatsBlendByThreeDbOnAFourPixelShift) {
  const Image a = make_pattern(192, 128, 1, SampleType::U8, 0, 0);
  const Image b = make_pattern(192, 128, 1, SampleType::U8, 4, 0);
  const Image truth = make_pattern(192, 128, 1, SampleType::U8, 2, 0);
  FlowInterpolator flow(FlowOptions{});
  PairReport report;
  const Image mid = interpolate_one(flow, a, b, 0.5, &report);
  EXPECT_FALSE(report.fell_back);
  const double flow_db = interior_psnr(mid, truth, 8);
  const double blend_db = interior_psnr(blend_frames(a, b, 0.5), truth, 8);
  EXPECT_GE(flow_db, blend_db + 3.0) << "flow " << flow_db << " dB, blend " << blend_db << " dB";
  EXPECT_GT(flow_db, 38.0);
}

TEST(FlowBackend, EveryPresetAndReducedScaleBeatBlend) {
  const Image a = make_pattern(160, 120, 3, SampleType::U8, 0, 0, 7);
  const Image b = make_pattern(160, 120, 3, SampleType::U8, 3, 2, 7);
  const Image truth = make_pattern(160, 120, 3, SampleType::U8, 1.5, 1, 7);
  const double blend_db = interior_psnr(blend_frames(a, b, 0.5), truth, 8);
  for (auto preset : {FlowPreset::Fast, FlowPreset::Medium, FlowPreset::Quality}) {
    for (double scale : {1.0, 0.5}) {
      FlowInterpolator flow(options_with(preset, scale, 0.25, FlowFallback::Blend));
      const double flow_db = interior_psnr(interpolate_one(flow, a, b, 0.5), truth, 8);
      EXPECT_GE(flow_db, blend_db + 3.0) << "preset " << static_cast<int>(preset) << " scale " << scale
                                         << ": " << flow_db << " vs blend " << blend_db;
    }
  }
}

TEST(FlowBackend, RecoversAKnownSubPixelFlow) {
  const double dx = 2.5, dy = -1.25;
  const Image a = make_pattern(200, 150, 3, SampleType::U8, 0, 0, 3);
  const Image b = make_pattern(200, 150, 3, SampleType::U8, dx, dy, 3);
  const auto flow = estimate_flow(a, b, FlowPreset::Medium, 1.0);
  ASSERT_EQ(flow.forward.dx.width(), 200);
  ASSERT_EQ(flow.forward.dx.height(), 150);
  EXPECT_NEAR(median(interior_values(flow.forward.dx, 16)), dx, 0.15);
  EXPECT_NEAR(median(interior_values(flow.forward.dy, 16)), dy, 0.15);
  EXPECT_NEAR(median(interior_values(flow.backward.dx, 16)), -dx, 0.15);
  EXPECT_NEAR(median(interior_values(flow.backward.dy, 16)), -dy, 0.15);
  // At half resolution the vectors are still in full-frame pixels.
  const auto half = estimate_flow(a, b, FlowPreset::Quality, 0.5);
  EXPECT_NEAR(median(interior_values(half.forward.dx, 16)), dx, 0.3);
  EXPECT_NEAR(median(interior_values(half.forward.dy, 16)), dy, 0.3);
}

TEST(FlowBackend, FollowsARotation) {
  // The pattern rotated by -1.5 and +1.5 degrees about the centre; the truth is the unrotated pattern.
  const Image base = make_pattern(240, 240, 1, SampleType::U8, 0, 0, 11);
  const auto rotate = [&](double degrees) {
    Image out(240, 240, 1, SampleType::U8);
    const cv::Mat src(240, 240, CV_8U, const_cast<std::byte*>(base.data()), base.stride());
    cv::Mat dst(240, 240, CV_8U, out.data(), out.stride());
    cv::warpAffine(src, dst, cv::getRotationMatrix2D(cv::Point2f(119.5f, 119.5f), degrees, 1.0), dst.size(),
                   cv::INTER_CUBIC, cv::BORDER_REFLECT);
    return out;
  };
  const Image a = rotate(-1.5), b = rotate(1.5);
  FlowInterpolator flow(FlowOptions{});
  const Image mid = interpolate_one(flow, a, b, 0.5);
  const double flow_db = interior_psnr(mid, base, 24);
  const double blend_db = interior_psnr(blend_frames(a, b, 0.5), base, 24);
  EXPECT_GE(flow_db, blend_db + 3.0) << "flow " << flow_db << " dB, blend " << blend_db << " dB";
}

TEST(FlowBackend, TimestepsNearZeroAndOneStayNearTheirFrames) {
  const Image a = make_pattern(128, 96, 1, SampleType::U16, 0, 0, 5);
  const Image b = make_pattern(128, 96, 1, SampleType::U16, 5, 0, 5);
  FlowInterpolator flow(FlowOptions{});
  const double ts[] = {0.02, 0.25, 0.75, 0.98};
  const auto frames = flow.interpolate(a, b, ts, CancelToken(), nullptr);
  ASSERT_EQ(frames.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const Image truth = make_pattern(128, 96, 1, SampleType::U16, 5 * ts[i], 0, 5);
    EXPECT_GT(interior_psnr(frames[i], truth, 10), 36.0) << "t = " << ts[i];
    EXPECT_TRUE(frames[i].same_layout(a));
  }
  // t=0.02 is closer to a than the blend at that t already is; the motion is right, not just the mix.
  EXPECT_GT(interior_psnr(frames[0], a, 10), interior_psnr(frames[3], a, 10));
}

TEST(FlowBackend, EveryLayoutAndOddSizes) {
  for (SampleType type : {SampleType::U8, SampleType::U16, SampleType::F32}) {
    for (int channels : {1, 3, 4}) {
      const Image a = make_pattern(101, 67, channels, type, 0, 0, 9);
      const Image b = make_pattern(101, 67, channels, type, 4, 0, 9);
      const Image truth = make_pattern(101, 67, channels, type, 2, 0, 9);
      FlowInterpolator flow(FlowOptions{});
      const Image mid = interpolate_one(flow, a, b, 0.5);
      ASSERT_TRUE(mid.same_layout(a)) << mid.describe();
      const double flow_db = interior_psnr(mid, truth, 8);
      const double blend_db = interior_psnr(blend_frames(a, b, 0.5), truth, 8);
      EXPECT_GE(flow_db, blend_db + 3.0) << a.describe() << ": " << flow_db << " vs " << blend_db;
    }
  }
  // Tiny frames (smaller than DIS's patches) still work.
  const Image a = make_pattern(9, 7, 3, SampleType::U8, 0, 0);
  const Image b = make_pattern(9, 7, 3, SampleType::U8, 1, 0);
  FlowInterpolator flow(FlowOptions{});
  EXPECT_TRUE(interpolate_one(flow, a, b, 0.5).same_layout(a));
}

// An Earth-like disk on black: cloud texture moving 4 px to the right inside a static disk.
struct DiskScene {
  static constexpr int size = 256;
  static constexpr double radius = 100.0;
  static double distance(int x, int y) { return std::hypot(x - 127.5, y - 127.5); }
  static Image frame(double shift, int channels) {
    const Image clouds = make_pattern(size, size, channels == 4 ? 4 : channels, SampleType::U8, shift, 0, 21);
    Image out(size, size, channels, SampleType::U8);  // zero = space (alpha 0 for RGBA)
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        if (distance(x, y) > radius) continue;
        for (int c = 0; c < channels; ++c) {
          // Keep the disk clearly above the background threshold.
          const int v = clouds.row<std::uint8_t>(y)[x * channels + c];
          out.row<std::uint8_t>(y)[x * channels + c] =
              static_cast<std::uint8_t>(c == 3 ? 255 : 40 + v * 3 / 4);
        }
      }
    }
    return out;
  }
};

TEST(FlowBackend, DiskOnBlackHasNoHaloAndBeatsBlendInside) {
  for (int channels : {1, 4}) {
    const Image a = DiskScene::frame(0, channels), b = DiskScene::frame(4, channels);
    const Image truth = DiskScene::frame(2, channels);
    FlowInterpolator flow(FlowOptions{});
    const Image mid = interpolate_one(flow, a, b, 0.5);
    // Space stays exactly black (and transparent).
    int halo = 0;
    for (int y = 0; y < DiskScene::size; ++y) {
      for (int x = 0; x < DiskScene::size; ++x) {
        if (DiskScene::distance(x, y) <= DiskScene::radius + 1.0) continue;
        for (int c = 0; c < channels; ++c) halo += mid.row<std::uint8_t>(y)[x * channels + c] != 0 ? 1 : 0;
      }
    }
    EXPECT_EQ(halo, 0) << channels << " channels";
    // Inside the disk, away from the limb, motion is interpolated.
    const Rect inner{60, 60, 136, 136};
    const double flow_db = psnr(mid.view(inner), truth.view(inner));
    const double blend_db = psnr(blend_frames(a, b, 0.5).view(inner), truth.view(inner));
    EXPECT_GE(flow_db, blend_db + 3.0) << channels << " channels: " << flow_db << " vs " << blend_db;
    // The limb ring itself is about as good as blending (no black pulled in, no texture pushed out): the
    // naive warp darkened it to 4x blend's error.
    double ring_err_flow = 0, ring_err_blend = 0, ring_pixels = 0;
    const Image blended = blend_frames(a, b, 0.5);
    for (int y = 0; y < DiskScene::size; ++y) {
      for (int x = 0; x < DiskScene::size; ++x) {
        const double d = DiskScene::distance(x, y);
        if (d < DiskScene::radius - 6 || d > DiskScene::radius) continue;
        const int i = x * channels;
        ring_err_flow += std::abs(mid.row<std::uint8_t>(y)[i] - truth.row<std::uint8_t>(y)[i]);
        ring_err_blend += std::abs(blended.row<std::uint8_t>(y)[i] - truth.row<std::uint8_t>(y)[i]);
        ring_pixels += 1;
      }
    }
    EXPECT_LT(ring_err_flow, 1.25 * ring_err_blend) << channels << " channels";
    EXPECT_LT(ring_err_flow / ring_pixels, 1.0) << channels << " channels";
  }
}

// Draws a static overlay like NOAA's (a white map outline and a cyan lat/lon grid every 32 px) over a frame.
void draw_overlay(Image& frame) {
  for (int y = 0; y < frame.height(); ++y) {
    std::uint8_t* row = frame.row<std::uint8_t>(y);
    for (int x = 0; x < frame.width(); ++x) {
      const bool grid = x % 32 == 16 || y % 32 == 16;
      const bool outline = std::abs(std::hypot(x - 70.0, y - 60.0) - 30.0) < 0.6;
      if (!grid && !outline) continue;
      row[x * 3] = grid ? 0 : 255;
      row[x * 3 + 1] = 255;
      row[x * 3 + 2] = 255;
    }
  }
}

TEST(FlowBackend, StaticOverlaysStayPutAndDoNotDragTheMotion) {
  // Clouds moving 4 px under a static outline and grid: the overlay must come out exactly where it is, and
  // the clouds between the lines must move as if the lines were not there.
  Image a = make_pattern(192, 160, 3, SampleType::U8, 0, 0, 4);
  Image b = make_pattern(192, 160, 3, SampleType::U8, 4, 2, 4);
  Image truth = make_pattern(192, 160, 3, SampleType::U8, 2, 1, 4);
  for (Image* f : {&a, &b, &truth}) draw_overlay(*f);
  FlowOptions with;
  FlowOptions without;
  without.static_overlays = false;
  FlowInterpolator on(with), off(without);
  const Image mid_on = interpolate_one(on, a, b, 0.5), mid_off = interpolate_one(off, a, b, 0.5);
  int overlay_pixels = 0, overlay_exact = 0;
  for (int y = 0; y < 160; ++y) {
    for (int x = 0; x < 192; ++x) {
      const std::uint8_t* t = truth.row<std::uint8_t>(y) + x * 3;
      if (!(t[1] == 255 && t[2] == 255 && (t[0] == 0 || t[0] == 255))) continue;
      ++overlay_pixels;
      overlay_exact += std::equal(t, t + 3, mid_on.row<std::uint8_t>(y) + x * 3) ? 1 : 0;
    }
  }
  ASSERT_GT(overlay_pixels, 1500);
  EXPECT_EQ(overlay_exact, overlay_pixels);
  const double on_db = interior_psnr(mid_on, truth, 8), off_db = interior_psnr(mid_off, truth, 8);
  const double blend_db = interior_psnr(blend_frames(a, b, 0.5), truth, 8);
  EXPECT_GE(on_db, off_db + 3.0) << "static overlays " << on_db << " dB, without " << off_db << " dB";
  EXPECT_GE(on_db, blend_db + 3.0) << on_db << " vs blend " << blend_db;
}

TEST(FlowBackend, ConfidenceBlendsWhereMotionDoesNotExplainTheChange) {
  // A moving pattern, except in a block where one texture fades into an unrelated one (a cloud that decays
  // while another grows): there the truth is the cross-fade, which no motion explains.
  const int w = 192, h = 160;
  const Rect block{96, 48, 64, 64};
  const auto frame = [&](double shift, double fade) {
    Image out = make_pattern(w, h, 3, SampleType::U8, shift, 0, 8);
    const Image from = make_pattern(w, h, 3, SampleType::U8, 0, 0, 31);
    const Image to = make_pattern(w, h, 3, SampleType::U8, 0, 0, 57);
    for (int y = block.y; y < block.y + block.height; ++y) {
      for (int i = block.x * 3; i < (block.x + block.width) * 3; ++i) {
        // Contrast stretched so the two textures differ clearly.
        const double f = 4.0 * (from.row<std::uint8_t>(y)[i] - 128.0) + 128.0;
        const double g = 4.0 * (to.row<std::uint8_t>(y)[i] - 128.0) + 128.0;
        out.row<std::uint8_t>(y)[i] = cv::saturate_cast<std::uint8_t>((1 - fade) * f + fade * g);
      }
    }
    return out;
  };
  const Image a = frame(0, 0), b = frame(3, 1), truth = frame(1.5, 0.5);
  FlowOptions with;
  FlowOptions without;
  without.confidence = false;
  FlowInterpolator on(with), off(without);
  const Image mid_on = interpolate_one(on, a, b, 0.5), mid_off = interpolate_one(off, a, b, 0.5);
  const Rect inner{block.x + 4, block.y + 4, block.width - 8, block.height - 8};
  const double on_block = psnr(mid_on.view(inner), truth.view(inner));
  const double off_block = psnr(mid_off.view(inner), truth.view(inner));
  EXPECT_GE(on_block, off_block + 2.0)
      << "fading block: " << on_block << " dB with confidence, " << off_block << " without";
  // Where the motion explains the change, the warp is kept (far better than the cross-fade).
  const Rect moving{8, 8, 80, 144};
  const double on_moving = psnr(mid_on.view(moving), truth.view(moving));
  const double blend_moving = psnr(blend_frames(a, b, 0.5).view(moving), truth.view(moving));
  EXPECT_GE(on_moving, blend_moving + 3.0) << on_moving << " vs blend " << blend_moving;
  // ... and within 1 dB of the pure warp there (both above 50 dB: sub-level differences).
  EXPECT_GE(on_moving, psnr(mid_off.view(moving), truth.view(moving)) - 1.0);
}

TEST(FlowBackend, DiscontinuityScoreMeasuresMissingDataAndJumps) {
  const Image a = DiskScene::frame(0, 1);
  EXPECT_DOUBLE_EQ(discontinuity_score(a, a), 0.0);
  // A brightness jump of 0.2 everywhere scores 0.2.
  Image grey_a(64, 64, 1, SampleType::F32), grey_b(64, 64, 1, SampleType::F32);
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      grey_a.row<float>(y)[x] = 0.5f;
      grey_b.row<float>(y)[x] = 0.7f;
    }
  }
  EXPECT_NEAR(discontinuity_score(grey_a, grey_b), 0.2, 1e-5);
  // Half of a frame missing (black) counts 1 per missing pixel: 0.5.
  Image half = grey_a.clone();
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 64; ++x) half.row<float>(y)[x] = 0.0f;
  }
  EXPECT_NEAR(discontinuity_score(grey_a, half), 0.5, 1e-5);
}

TEST(FlowBackend, DiscontinuityGuardFallsBackAndReports) {
  const Image a = make_pattern(96, 64, 3, SampleType::U8, 0, 0);
  Image b = make_pattern(96, 64, 3, SampleType::U8, 2, 0);
  // A missing-data block over 40 % of the frame.
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 38; ++x) {
      for (int c = 0; c < 3; ++c) b.row<std::uint8_t>(y)[x * 3 + c] = 0;
    }
  }
  ASSERT_GT(discontinuity_score(a, b), 0.25);
  const double ts[] = {0.25, 0.5, 0.75};
  {
    FlowInterpolator flow(options_with(FlowPreset::Medium, 1.0, 0.25, FlowFallback::Blend));
    PairReport report;
    const auto frames = flow.interpolate(a, b, ts, CancelToken(), &report);
    EXPECT_TRUE(report.fell_back);
    EXPECT_NE(report.reason.find("discontinuity score"), std::string::npos) << report.reason;
    EXPECT_NE(report.reason.find("blended"), std::string::npos) << report.reason;
    ASSERT_EQ(frames.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_GE(psnr(frames[i], blend_frames(a, b, ts[i])), 120.0);
  }
  {
    FlowInterpolator flow(options_with(FlowPreset::Medium, 1.0, 0.25, FlowFallback::Hold));
    PairReport report;
    const auto frames = flow.interpolate(a, b, ts, CancelToken(), &report);
    EXPECT_TRUE(report.fell_back);
    EXPECT_NE(report.reason.find("held"), std::string::npos) << report.reason;
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_GE(psnr(frames[0], a), 120.0);
    EXPECT_GE(psnr(frames[1], b), 120.0);
    EXPECT_GE(psnr(frames[2], b), 120.0);
  }
  {
    // A permissive threshold interpolates the same pair.
    FlowInterpolator flow(options_with(FlowPreset::Medium, 1.0, 0.9, FlowFallback::Blend));
    PairReport report;
    flow.interpolate(a, b, ts, CancelToken(), &report);
    EXPECT_FALSE(report.fell_back);
  }
}

// FlowOptions{} is the schema's defaults, field by field (compared with the schema, not literals).
TEST(FlowBackend, DefaultOptionsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const FlowOptions& o : {FlowOptions{}, FlowOptions::from_config(d)}) {
    EXPECT_EQ(o.preset, parse_flow_preset(d.get_string("flow.preset")));
    EXPECT_EQ(o.scale, d.get_float("flow.scale"));
    EXPECT_EQ(o.discontinuity_threshold, d.get_float("flow.discontinuity_threshold"));
    EXPECT_EQ(o.fallback, parse_flow_fallback(d.get_string("flow.fallback")));
    EXPECT_EQ(o.static_overlays, d.get_bool("flow.static_overlays"));
    EXPECT_EQ(o.confidence, d.get_bool("flow.confidence"));
  }
}

TEST(FlowBackend, OptionsFromConfig) {
  Config config;
  config.set_text("flow.preset", "quality", "test");
  config.set_text("flow.scale", "0.5", "test");
  config.set_text("flow.discontinuity_threshold", "0.1", "test");
  config.set_text("flow.fallback", "hold", "test");
  config.set_text("flow.static_overlays", "false", "test");
  const FlowOptions o = FlowOptions::from_config(config);
  EXPECT_FALSE(o.static_overlays);
  EXPECT_TRUE(o.confidence);
  EXPECT_EQ(o.preset, FlowPreset::Quality);
  EXPECT_DOUBLE_EQ(o.scale, 0.5);
  EXPECT_DOUBLE_EQ(o.discontinuity_threshold, 0.1);
  EXPECT_EQ(o.fallback, FlowFallback::Hold);
}

TEST(FlowBackend, BadInputIsAClearError) {
  FlowInterpolator flow(FlowOptions{});
  const Image a = make_pattern(64, 48, 3, SampleType::U8);
  expect_invalid([&] { interpolate_one(flow, a, make_pattern(64, 50, 3, SampleType::U8), 0.5); }, "64x50");
  expect_invalid([&] { interpolate_one(flow, a, make_pattern(64, 48, 1, SampleType::U8), 0.5); }, "grey");
  expect_invalid([&] { interpolate_one(flow, a, a, 0.0); }, "outside (0,1)");
  expect_invalid([&] { interpolate_one(flow, a, a, 1.5); }, "outside (0,1)");
  expect_invalid([] { parse_flow_preset("slow"); }, "fast, medium or quality");
  expect_invalid([] { parse_flow_fallback("skip"); }, "blend or hold");
  expect_invalid([] { FlowInterpolator(options_with(FlowPreset::Fast, 0.0, 0.25, FlowFallback::Blend)); },
                 "(0,1]");
}

// One interpolator keeps its working buffers (and DIS instance) from pair to pair: frames of another size,
// larger ones with more pyramid levels among them, give exactly what a fresh interpolator gives, and the
// frames it handed out earlier are not written over.
TEST(FlowBackend, ReusedInterpolatorMatchesAFreshOneAcrossFrameSizes) {
  FlowInterpolator reused(FlowOptions{});
  const double ts[] = {0.5};
  Image earlier;
  for (auto [w, h] : {std::pair{64, 48}, {600, 300}, {960, 540}}) {
    const Image a = make_pattern(w, h, 3, SampleType::U8, 0, 0, 3);
    const Image b = make_pattern(w, h, 3, SampleType::U8, 3, 1.5, 3);
    const auto got = reused.interpolate(a, b, ts, CancelToken(), nullptr);
    FlowInterpolator fresh(FlowOptions{});
    const auto want = fresh.interpolate(a, b, ts, CancelToken(), nullptr);
    ASSERT_EQ(got.size(), 1u);
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].width(), w);
      EXPECT_EQ(psnr(got[i], want[i]), 120.0) << w << "x" << h << " t=" << ts[i];
    }
    if (!earlier.empty()) {
      const Image copy = earlier.clone();
      reused.interpolate(a, b, ts, CancelToken(), nullptr);
      EXPECT_EQ(psnr(earlier, copy), 120.0) << "a frame handed out earlier changed";
    }
    earlier = got[0];
  }
}

TEST(FlowBackend, CancelStopsWork) {
  FlowInterpolator flow(FlowOptions{});
  const Image a = make_pattern(64, 48, 1, SampleType::U8);
  CancelToken cancel;
  cancel.cancel();
  const double ts[] = {0.5};
  try {
    flow.interpolate(a, a, ts, cancel, nullptr);
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
}

}  // namespace
}  // namespace goesvfi
