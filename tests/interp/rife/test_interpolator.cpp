// The `rife` Interpolator: sample types, grey and RGBA handling, several timesteps, tiling seams, UHD scale,
// cancellation and input checks.
#include "golden_util.hpp"

#include "core/config.hpp"
#include "core/error.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::rife;
using namespace goesvfi::rife::test;

namespace {

std::shared_ptr<const RifeModel> shared_model() {
  static const auto model = RifeModel::load(golden_dir());
  return model;
}

Image load(const std::string& c, const std::string& name) {
  return read_image(golden_dir() / c / name);
}

}  // namespace

TEST(RifeInterpolator, Rgb8MatchesGoldenPng) {
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const std::vector<double> ts = {0.3};
  const auto out = rife.interpolate(load("case_200x120_t0.3", "in0.png"),
                                    load("case_200x120_t0.3", "in1.png"), ts, CancelToken());
  ASSERT_EQ(out.size(), 1u);
  const Image ref = load("case_200x120_t0.3", "out.png");
  ASSERT_TRUE(out[0].same_layout(ref));
  int worst = 0;
  for (int y = 0; y < ref.height(); ++y) {
    for (int x = 0; x < ref.width() * 3; ++x) {
      worst =
          std::max(worst, std::abs(int(out[0].row<std::uint8_t>(y)[x]) - int(ref.row<std::uint8_t>(y)[x])));
    }
  }
  EXPECT_LE(worst, 1);
}

TEST(RifeInterpolator, SeveralTimestepsAreDirectEvaluations) {
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const Image a = load("case_128x96_t0.5", "in0.png"), b = load("case_128x96_t0.5", "in1.png");
  const std::vector<double> ts = {0.25, 0.5, 0.75};
  const auto out = rife.interpolate(a, b, ts, CancelToken());
  ASSERT_EQ(out.size(), 3u);
  const Tensor pa = image_to_planar(a, 0, 3), pb = image_to_planar(b, 0, 3);
  for (std::size_t k = 0; k < ts.size(); ++k) {
    const Tensor direct = infer_pair(*shared_model(), pa, pb, float(ts[k]), RifeOptions{}, CancelToken()).out;
    const Diff d = diff(image_to_planar(out[k], 0, 3), direct);
    EXPECT_LE(d.max_abs, 0.5 / 255 + 1e-6) << ts[k];  // only the 8-bit rounding
  }
  // t = 0.5 reproduces the golden out0 and PNG.
  expect_png_matches(image_to_planar(out[1], 0, 3), golden_dir() / "case_128x96_t0.5" / "out.png");
}

TEST(RifeInterpolator, FloatAnd16BitFrames) {
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const Image a8 = load("case_128x96_t0.5", "in0.png"), b8 = load("case_128x96_t0.5", "in1.png");
  const std::vector<double> ts = {0.5};
  const Tensor golden = read_f32(golden_dir() / "case_128x96_t0.5" / "out0.f32", 3, 96, 128);
  // Float frames carry v/255 exactly as the 8-bit path computes it; output = golden out0 clamped to [0,1].
  const auto f = rife.interpolate(convert_type(a8, SampleType::F32), convert_type(b8, SampleType::F32), ts,
                                  CancelToken())[0];
  ASSERT_EQ(f.type(), SampleType::F32);
  Tensor clamped = read_f32(golden_dir() / "case_128x96_t0.5" / "out0.f32", 3, 96, 128);
  for (std::size_t i = 0; i < clamped.size(); ++i) clamped.data()[i] = std::clamp(golden.data()[i], 0.f, 1.f);
  EXPECT_LE(diff(image_to_planar(f, 0, 3), clamped).max_abs, 1e-4);
  // 16-bit: v/65535 in, v*65535+0.5 out; values of an 8-bit frame scaled by 257 are the same fractions.
  const auto w = rife.interpolate(convert_type(a8, SampleType::U16), convert_type(b8, SampleType::U16), ts,
                                  CancelToken())[0];
  ASSERT_EQ(w.type(), SampleType::U16);
  EXPECT_LE(diff(image_to_planar(w, 0, 3), clamped).max_abs, 1e-4 + 0.5 / 65535);
}

TEST(RifeInterpolator, GreyIsTheMeanOfTheReplicatedRgbResult) {
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const Image a = convert_channels(load("case_128x96_t0.5", "in0.png"), 1);
  const Image b = convert_channels(load("case_128x96_t0.5", "in1.png"), 1);
  const std::vector<double> ts = {0.5};
  const Image g = rife.interpolate(a, b, ts, CancelToken())[0];
  ASSERT_EQ(g.channels(), 1);
  const Tensor rgb = infer_pair(*shared_model(), image_to_planar(a, 0, 1), image_to_planar(b, 0, 1), 0.5f,
                                RifeOptions{}, CancelToken())
                         .out;
  for (int y = 0; y < g.height(); ++y) {
    for (int x = 0; x < g.width(); ++x) {
      const float mean = (rgb.row(0, y)[x] + rgb.row(1, y)[x] + rgb.row(2, y)[x]) / 3.0f;
      ASSERT_NEAR(g.row<std::uint8_t>(y)[x], std::clamp(mean * 255.f, 0.f, 255.f), 0.51);
    }
  }
}

TEST(RifeInterpolator, AlphaFollowsTheSameFlowsAndMask) {
  // Alpha = the red channel: warped and blended by the same flows and mask it must equal the red output.
  const Image rgb_a = load("case_128x96_t0.5", "in0.png"), rgb_b = load("case_128x96_t0.5", "in1.png");
  auto with_alpha = [](const Image& rgb) {
    Image out(rgb.width(), rgb.height(), 4, SampleType::U8);
    for (int y = 0; y < rgb.height(); ++y) {
      for (int x = 0; x < rgb.width(); ++x) {
        for (int c = 0; c < 3; ++c) out.row<std::uint8_t>(y)[4 * x + c] = rgb.row<std::uint8_t>(y)[3 * x + c];
        out.row<std::uint8_t>(y)[4 * x + 3] = rgb.row<std::uint8_t>(y)[3 * x];
      }
    }
    return out;
  };
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const std::vector<double> ts = {0.5};
  const Image out = rife.interpolate(with_alpha(rgb_a), with_alpha(rgb_b), ts, CancelToken())[0];
  ASSERT_EQ(out.channels(), 4);
  const Image ref = load("case_128x96_t0.5", "out.png");
  int worst_alpha = 0, worst_rgb = 0;
  for (int y = 0; y < out.height(); ++y) {
    for (int x = 0; x < out.width(); ++x) {
      const auto* p = out.row<std::uint8_t>(y) + 4 * x;
      const auto* r = ref.row<std::uint8_t>(y) + 3 * x;
      worst_alpha = std::max(worst_alpha, std::abs(int(p[3]) - int(p[0])));
      for (int c = 0; c < 3; ++c) worst_rgb = std::max(worst_rgb, std::abs(int(p[c]) - int(r[c])));
    }
  }
  EXPECT_LE(worst_alpha, 1);
  EXPECT_LE(worst_rgb, 1);
}

TEST(RifeInterpolator, TiledStaysCloseToUntiled) {
  const auto dir = golden_dir() / "case_200x120_t0.3";
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  RifeOptions tiled;
  tiled.tile = 128;
  tiled.tile_overlap = 32;
  ASSERT_EQ(choose_tile_size(200, 120, tiled), 128);
  const Tensor whole = interpolate_rgb(*shared_model(), a, b, 0.3f, RifeOptions{}, CancelToken());
  const Tensor tiles = interpolate_rgb(*shared_model(), a, b, 0.3f, tiled, CancelToken());
  const Diff d = diff(tiles, whole);
  std::printf("tiled 128/32 vs untiled on 200x120: max %.4g mean %.4g\n", d.max_abs, d.mean_abs);
  // Tiles see less context than RIFE's 1/32-scale receptive field, so they differ; with these random weights
  // a few values differ a lot, but on average the tiled frame stays close.
  EXPECT_LT(d.mean_abs, 1e-2);
  std::size_t far = 0;
  for (std::size_t i = 0; i < tiles.size(); ++i) far += std::abs(tiles.data()[i] - whole.data()[i]) > 0.1f;
  EXPECT_LT(double(far), 0.01 * double(tiles.size()));
  EXPECT_GT(d.max_abs, 0.0);  // it really tiled
  // A tile bigger than the frame is no tiling at all.
  RifeOptions big;
  big.tile = 256;
  EXPECT_EQ(diff(interpolate_rgb(*shared_model(), a, b, 0.3f, big, CancelToken()), whole).max_abs, 0.0);
}

TEST(RifeInterpolator, AutomaticTileSizeFollowsTheMemoryBudget) {
  RifeOptions o;
  EXPECT_EQ(choose_tile_size(1920, 1080, o), 0);  // 1080p fits the default budget
  const int full_disk = choose_tile_size(5424, 5424, o);
  EXPECT_GT(full_disk, 0);
  EXPECT_LE(double(full_disk) * full_disk * k_bytes_per_pixel, 1536.0 * 1048576);
  // Tile working set plus the resident whole-frame planes fit the 2 GB for a full disk.
  EXPECT_LE(double(full_disk) * full_disk * k_bytes_per_pixel + 40.0 * 5424 * 5424, 2048.0 * 1048576);
  o.max_memory_mb = 200;
  const int small = choose_tile_size(1920, 1080, o);
  EXPECT_GT(small, 0);
  EXPECT_EQ(small % 32, 0);
  EXPECT_LE(double(small) * small * k_bytes_per_pixel, 200.0 * 1048576);
}

TEST(RifeInterpolator, HalfScaleUsesUpscaledHalfResolutionFlows) {
  const auto dir = golden_dir() / "case_128x96_t0.5";
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  RifeOptions half;
  half.scale = 0.5;
  const PairResult r = infer_pair(*shared_model(), a, b, 0.5f, half, CancelToken());
  // Oracle through the Net API: the pair zero-padded to a multiple of 64 (128x128), flows of its half-size
  // version, each upsampled x2 (pixel channels doubled), fed to the full-size graph; then the crop.
  const RifeModel& m = *shared_model();
  auto pad = [](const Tensor& x) {
    Tensor p = Tensor::zeros(3, 128, 128);
    for (int c = 0; c < 3; ++c) {
      for (int y = 0; y < x.h; ++y) std::copy(x.row(c, y), x.row(c, y) + x.w, p.row(c, y));
    }
    return p;
  };
  const Tensor pa = pad(a), pb = pad(b);
  const PairResult h =
      infer_pair(m, resize(pa, 64, 64, 2), resize(pb, 64, 64, 2), 0.5f, RifeOptions{}, CancelToken());
  Tensor t = Tensor::make(1, 128, 128);
  std::fill(t.data(), t.data() + t.size(), 0.5f);
  std::vector<std::pair<int, Tensor>> in = {{m.in0, pa}, {m.in1, pb}, {m.in2, t}};
  for (int l = 0; l < 4; ++l) {
    Tensor up = resize(h.flows[l], h.flows[l].h * 2, h.flows[l].w * 2, 2);
    Tensor scaled = Tensor::make(up.c, up.h, up.w);
    for (int c = 0; c < up.c; ++c) {
      for (std::size_t i = 0; i < up.plane(); ++i)
        scaled.channel(c)[i] = up.channel(c)[i] * (c < 4 ? 2.f : 1.f);
    }
    in.emplace_back(m.flow_blobs()[l], scaled);
  }
  const Tensor full = m.net().run(in, std::span<const int>(&m.out0, 1), CancelToken())[0];
  Tensor ref = Tensor::make(3, 96, 128);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 96; ++y) std::copy(full.row(c, y), full.row(c, y) + 128, ref.row(c, y));
  }
  EXPECT_LE(diff(r.out, ref).max_abs, 1e-5);
  EXPECT_GT(diff(r.out, read_f32(dir / "out0.f32", 3, 96, 128)).max_abs,
            1e-3);  // it is not the full-scale path
}

TEST(RifeInterpolator, CombinedTtaRunsAndStaysNearEachTta) {
  const auto dir = golden_dir() / "case_128x96_tta_spatial";
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  RifeOptions both;
  both.tta_spatial = both.tta_temporal = true;
  const PairResult r = infer_pair(*shared_model(), a, b, 0.5f, both, CancelToken());
  // Plain vs TTA differ by up to 1.2e-2 on this set (README); both TTAs together stay within that of each.
  EXPECT_LT(diff(r.out, read_f32(dir / "out_avg.f32", 3, 96, 128)).max_abs, 2e-2);
  EXPECT_LT(
      diff(r.out, read_f32(golden_dir() / "case_128x96_tta_temporal" / "out_avg.f32", 3, 96, 128)).max_abs,
      2e-2);
}

// The "no allocation per layer in steady state": a repeated inference takes every tensor buffer
// from the cache.
TEST(RifeInterpolator, SteadyStateAllocatesNoTensorBuffers) {
  const Image a = load("case_200x120_t0.3", "in0.png"), b = load("case_200x120_t0.3", "in1.png");
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const std::vector<double> ts = {0.5};
  rife.interpolate(a, b, ts, CancelToken());
  const std::size_t before = buffer_allocations();
  rife.interpolate(a, b, ts, CancelToken());
  rife.interpolate(a, b, ts, CancelToken());
  EXPECT_EQ(buffer_allocations(), before);
}

TEST(RifeInterpolator, RejectsBadInputsAndHonoursCancel) {
  RifeInterpolator rife(shared_model(), RifeOptions{});
  const Image a = load("case_128x96_t0.5", "in0.png");
  const std::vector<double> ok = {0.5}, bad = {1.0};
  EXPECT_ERROR(rife.interpolate(a, convert_channels(a, 1), ok, CancelToken()), ErrorKind::InvalidArgument,
               "frames differ: 128x96 RGB u8 vs 128x96 grey u8");
  EXPECT_ERROR(rife.interpolate(a, a, bad, CancelToken()), ErrorKind::InvalidArgument,
               "timestep 1 is outside (0,1)");
  CancelToken cancel;
  cancel.cancel();
  try {
    rife.interpolate(a, a, ok, cancel);
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
}

// RifeOptions{} is the schema's defaults, field by field (compared with the schema, not literals).
TEST(RifeInterpolator, DefaultOptionsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const RifeOptions& o : {RifeOptions{}, RifeOptions::from_config(d)}) {
    EXPECT_EQ(o.tta_spatial, d.get_bool("rife.tta_spatial"));
    EXPECT_EQ(o.tta_temporal, d.get_bool("rife.tta_temporal"));
    EXPECT_EQ(o.tile, d.get_int("rife.tile"));
    EXPECT_EQ(o.tile_overlap, d.get_int("rife.tile_overlap"));
    EXPECT_EQ(o.scale, d.get_float("rife.scale"));
    EXPECT_EQ(o.max_memory_mb, d.get_int("general.max_memory_mb"));
  }
  Config c;
  c.set("rife.tile_overlap", std::int64_t{32}, "test");
  c.set("rife.scale", 0.5, "test");
  c.set("general.max_memory_mb", std::int64_t{2048}, "test");
  const RifeOptions o = RifeOptions::from_config(c);
  EXPECT_EQ(o.tile_overlap, 32);
  EXPECT_EQ(o.scale, 0.5);
  EXPECT_EQ(o.max_memory_mb, 2048);
}

TEST(RifeInterpolator, ConfigSelectsModelAndOptions) {
  goesvfi::test::TempDir models;
  std::filesystem::create_directories(models / "rife-v4.6");
  for (const char* f : {"flownet.param", "flownet.bin"}) {
    std::filesystem::copy_file(golden_dir() / f, models / "rife-v4.6" / f);
  }
  Config config;
  config.set("rife.models_dir", models.path().string(), "test");
  EXPECT_EQ(resolve_model_dir(config), models / "rife-v4.6");
  config.set("rife.model", std::string("rife-v4.6"), "test");
  EXPECT_EQ(resolve_model_dir(config), models / "rife-v4.6");
  config.set("rife.tile", std::int64_t{512}, "test");
  config.set("rife.tta_temporal", true, "test");
  const RifeOptions o = RifeOptions::from_config(config);
  EXPECT_EQ(o.tile, 512);
  EXPECT_TRUE(o.tta_temporal);
  EXPECT_FALSE(o.tta_spatial);
  auto interp = make_rife_interpolator(config);
  EXPECT_EQ(interp->name(), "rife");
  Config empty;
  empty.set("rife.models_dir", (models / "none").string(), "test");
  try {
    resolve_model_dir(empty);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_NE(e.message().find("rife-*"), std::string::npos);
  }
}

// The seam error documented in docs/benchmarks.md: 1280x720 golden pair, tiles of 512 overlapping by 64.
TEST(RifeInterpolator, SeamErrorAt720p) {
  GOESVFI_SKIP_IF_SANITIZED();
  const auto dir = golden_dir() / "case_1280x720_t0.5";
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  RifeOptions tiled;
  tiled.tile = 512;
  tiled.tile_overlap = 64;
  const Tensor whole = interpolate_rgb(*shared_model(), a, b, 0.5f, RifeOptions{}, CancelToken());
  const Tensor tiles = interpolate_rgb(*shared_model(), a, b, 0.5f, tiled, CancelToken());
  const Diff d = diff(tiles, whole);
  std::size_t off_by_more_than_1_level = 0;
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    off_by_more_than_1_level += std::abs(tiles.data()[i] - whole.data()[i]) > 1.0f / 255;
  }
  std::printf("tiled 512/64 vs untiled on 1280x720: max %.4g mean %.4g, %.3f%% of values off by > 1/255\n",
              d.max_abs, d.mean_abs, 100.0 * double(off_by_more_than_1_level) / double(tiles.size()));
  // The random-weight graph's 1/32-scale stage sees the whole frame, so tiles change the result well beyond
  // the overlap; this bounds the average only (the figure is recorded in docs/benchmarks.md).
  EXPECT_LT(d.mean_abs, 1e-2);
  EXPECT_GT(d.max_abs, 0.0);
}
