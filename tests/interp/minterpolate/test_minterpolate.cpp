// minterpolate through libavfilter: frame counts for every --intermediate, layouts, odd sizes, identical
// frames, timesteps off the uniform grid, and bad options.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "interp/blend.hpp"
#include "interp/minterpolate/minterpolate.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

using test::expect_invalid;
using test::interior_psnr;
using test::make_pattern;
using test::psnr;

TEST(Minterpolate, FilterOptionsCarryGoesVfiDefaults) {
  EXPECT_EQ(minterpolate_filter_options(MinterpolateOptions{}),
            "mi_mode=mci:mc_mode=obmc:me_mode=bidir:me=epzs:mb_size=16:search_param=32:vsbmc=1:scd=fdiff:"
            "scd_threshold=10");
  Config config;
  config.set_text("minterpolate.me", "umh", "test");
  config.set_text("minterpolate.vsbmc", "false", "test");
  config.set_text("minterpolate.mb_size", "8", "test");
  const auto o = MinterpolateOptions::from_config(config);
  EXPECT_EQ(o.me, "umh");
  EXPECT_FALSE(o.vsbmc);
  EXPECT_EQ(o.mb_size, 8);
  EXPECT_EQ(o.mi_mode, "mci");
}

// MinterpolateOptions{} is the schema's defaults, field by field (compared with the schema, not literals).
TEST(Minterpolate, DefaultOptionsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const MinterpolateOptions& o : {MinterpolateOptions{}, MinterpolateOptions::from_config(d)}) {
    EXPECT_EQ(o.mi_mode, d.get_string("minterpolate.mi_mode"));
    EXPECT_EQ(o.mc_mode, d.get_string("minterpolate.mc_mode"));
    EXPECT_EQ(o.me_mode, d.get_string("minterpolate.me_mode"));
    EXPECT_EQ(o.me, d.get_string("minterpolate.me"));
    EXPECT_EQ(o.mb_size, d.get_int("minterpolate.mb_size"));
    EXPECT_EQ(o.search_param, d.get_int("minterpolate.search_param"));
    EXPECT_EQ(o.vsbmc, d.get_bool("minterpolate.vsbmc"));
    EXPECT_EQ(o.scd, d.get_string("minterpolate.scd"));
    EXPECT_EQ(o.scd_threshold, d.get_float("minterpolate.scd_threshold"));
  }
}

TEST(Minterpolate, SameFrameCountAsEveryBackend) {
  const Image a = make_pattern(96, 64, 3, SampleType::U8, 0, 0);
  const Image b = make_pattern(96, 64, 3, SampleType::U8, 3, 0);
  MinterpolateInterpolator mi(MinterpolateOptions{});
  for (int n : {1, 2, 3, 7}) {
    const auto ts = uniform_timesteps(n);
    const auto frames = mi.interpolate(a, b, ts, CancelToken(), nullptr);
    ASSERT_EQ(frames.size(), static_cast<std::size_t>(n)) << "intermediate " << n;
    for (const auto& f : frames) EXPECT_TRUE(f.same_layout(a)) << f.describe();
  }
}

TEST(Minterpolate, MotionCompensatedMiddleFrame) {
  const Image a = make_pattern(128, 96, 1, SampleType::U8, 0, 0, 4);
  const Image b = make_pattern(128, 96, 1, SampleType::U8, 4, 0, 4);
  const Image truth = make_pattern(128, 96, 1, SampleType::U8, 2, 0, 4);
  // This texture changes more than scd_threshold 10 % per frame: without scd the filter interpolates.
  MinterpolateOptions no_scd;
  no_scd.scd = "none";
  MinterpolateInterpolator mi(no_scd);
  const double ts[] = {0.5};
  const auto frames = mi.interpolate(a, b, ts, CancelToken(), nullptr);
  ASSERT_EQ(frames.size(), 1u);
  const double mi_db = interior_psnr(frames[0], truth, 16);
  const double blend_db = interior_psnr(blend_frames(a, b, 0.5), truth, 16);
  EXPECT_GT(mi_db, blend_db) << "minterpolate " << mi_db << " dB, blend " << blend_db << " dB";
  // mi_mode=blend is the filter's own cross-fade: equal to ours within rounding.
  MinterpolateOptions fade = no_scd;
  fade.mi_mode = "blend";
  MinterpolateInterpolator mi_blend(fade);
  EXPECT_GT(psnr(mi_blend.interpolate(a, b, ts, CancelToken(), nullptr).at(0), blend_frames(a, b, 0.5)),
            45.0);
}

TEST(Minterpolate, SceneChangeDuplicatesAndIsReported) {
  const Image a = make_pattern(96, 64, 1, SampleType::U8, 0, 0, 1);
  const Image b = make_pattern(96, 64, 1, SampleType::U8, 0, 0, 2);  // another scene
  MinterpolateInterpolator mi(MinterpolateOptions{});
  const double ts[] = {0.25, 0.75};
  PairReport report;
  const auto frames = mi.interpolate(a, b, ts, CancelToken(), &report);
  EXPECT_TRUE(report.fell_back);
  EXPECT_NE(report.reason.find("scene change"), std::string::npos) << report.reason;
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_GT(psnr(frames[0], a), 60.0);
  EXPECT_GT(psnr(frames[1], b), 60.0);
  // A small change is interpolated and not reported.
  PairReport quiet;
  mi.interpolate(a, blend_frames(a, b, 0.05), ts, CancelToken(), &quiet);
  EXPECT_FALSE(quiet.fell_back) << quiet.reason;
}

TEST(Minterpolate, IdenticalFramesOddSizesAndLayouts) {
  MinterpolateInterpolator mi(MinterpolateOptions{});
  const auto ts = uniform_timesteps(3);
  for (SampleType type : {SampleType::U8, SampleType::U16, SampleType::F32}) {
    for (int channels : {1, 3, 4}) {
      const Image a = make_pattern(67, 45, channels, type, 0, 0, 2);
      const auto frames = mi.interpolate(a, a, ts, CancelToken(), nullptr);
      ASSERT_EQ(frames.size(), 3u);
      for (const auto& f : frames) {
        ASSERT_TRUE(f.same_layout(a)) << f.describe() << " vs " << a.describe();
        // 8-bit processing (and YUV for colour) costs a little precision, nothing more.
        EXPECT_GT(psnr(f, a), 40.0) << a.describe();
      }
    }
  }
}

TEST(Minterpolate, TimestepsOffTheUniformGrid) {
  const Image a = make_pattern(64, 48, 1, SampleType::U8, 0, 0, 6);
  const Image b = make_pattern(64, 48, 1, SampleType::U8, 3, 0, 6);
  MinterpolateOptions fade;
  fade.scd = "none";
  fade.mi_mode = "blend";  // exact expectations: the filter's cross-fade at the asked times
  MinterpolateInterpolator mi(fade);
  const double ts[] = {0.1, 0.3, 0.8};
  const auto frames = mi.interpolate(a, b, ts, CancelToken(), nullptr);
  ASSERT_EQ(frames.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_GT(psnr(frames[i], blend_frames(a, b, ts[i])), 45.0) << ts[i];
}

TEST(Minterpolate, BadOptionsAndInputs) {
  MinterpolateOptions bad;
  bad.me = "fastest";
  expect_invalid([&] { MinterpolateInterpolator m(bad); }, "esa, tss, tdls, ntss, fss, ds, hexbs, epzs, umh");
  bad = {};
  bad.mb_size = 2;
  expect_invalid([&] { MinterpolateInterpolator m(bad); }, "mb_size");
  MinterpolateInterpolator mi(MinterpolateOptions{});
  const Image a = make_pattern(32, 32, 3, SampleType::U8);
  const double ts[] = {0.5};
  expect_invalid(
      [&] { mi.interpolate(a, make_pattern(32, 30, 3, SampleType::U8), ts, CancelToken(), nullptr); },
      "32x30");
  const double outside[] = {1.0};
  expect_invalid([&] { mi.interpolate(a, a, outside, CancelToken(), nullptr); }, "outside (0,1)");
}

}  // namespace
}  // namespace goesvfi
