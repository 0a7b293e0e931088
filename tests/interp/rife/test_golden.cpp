// Every case of ../shared/golden/rife-v4.6 within the tolerances its README states: out0 max 1e-4 / mean
// 1e-6, flows max 1e-5, PNG within 1 level on at most 0.01% of values.
#include "golden_util.hpp"

using namespace goesvfi;
using namespace goesvfi::rife;
using namespace goesvfi::rife::test;

namespace {

struct Case {
  std::string dir;
  int w, h, wp, hp;
  float t;
};

void check_plain(const Case& c) {
  const auto dir = golden_dir() / c.dir;
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  ASSERT_EQ(a.w, c.w);
  ASSERT_EQ(a.h, c.h);
  const PairResult r = infer_pair(golden_model(), a, b, c.t, RifeOptions{}, CancelToken());
  const Diff d = diff(r.out0_padded, read_f32(dir / "out0.f32", 3, c.hp, c.wp));
  std::printf("%s: out0 max %.3g mean %.3g\n", c.dir.c_str(), d.max_abs, d.mean_abs);
  EXPECT_LE(d.max_abs, 1e-4);
  EXPECT_LE(d.mean_abs, 1e-6);
  ASSERT_EQ(r.flows.size(), 4u);
  for (int l = 0; l < 4; ++l) {
    const int s = 8 >> l;
    const Diff f = diff(r.flows[l], read_f32(dir / fmt::format("flow{}.f32", l), 6, c.hp / s, c.wp / s));
    EXPECT_LE(f.max_abs, 1e-5) << "flow" << l;
    std::printf("  flow%d max %.3g\n", l, f.max_abs);
  }
  expect_png_matches(r.out, dir / "out.png");
}

void check_tta(const std::string& name, bool spatial) {
  const auto dir = golden_dir() / name;
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  RifeOptions o;
  o.tta_spatial = spatial;
  o.tta_temporal = !spatial;
  const PairResult r = infer_pair(golden_model(), a, b, 0.5f, o, CancelToken());
  const Diff d = diff(r.out, read_f32(dir / "out_avg.f32", 3, 96, 128));
  std::printf("%s: out_avg max %.3g mean %.3g\n", name.c_str(), d.max_abs, d.mean_abs);
  EXPECT_LE(d.max_abs, 1e-4);
  EXPECT_LE(d.mean_abs, 1e-6);
  ASSERT_EQ(r.flows.size(), 4u);
  for (int l = 0; l < 4; ++l) {
    const int s = 8 >> l;
    const Diff f = diff(r.flows[l], read_f32(dir / fmt::format("flow{}_avg.f32", l), 5, 96 / s, 128 / s));
    EXPECT_LE(f.max_abs, 1e-5) << "flow" << l;
    std::printf("  flow%d max %.3g\n", l, f.max_abs);
  }
  expect_png_matches(r.out, dir / "out.png");
}

}  // namespace

TEST(RifeGolden, Plain128x96) {
  check_plain({"case_128x96_t0.5", 128, 96, 128, 96, 0.5f});
}

TEST(RifeGolden, Padded200x120AtT03) {
  check_plain({"case_200x120_t0.3", 200, 120, 224, 128, 0.3f});
}

TEST(RifeGolden, SpatialTta) {
  check_tta("case_128x96_tta_spatial", true);
}

TEST(RifeGolden, TemporalTta) {
  check_tta("case_128x96_tta_temporal", false);
}

TEST(RifeGolden, Full1280x720) {
  GOESVFI_SKIP_IF_SANITIZED();
  const auto dir = golden_dir() / "case_1280x720_t0.5";
  const Tensor a = read_png_planar(dir / "in0.png"), b = read_png_planar(dir / "in1.png");
  const PairResult r = infer_pair(golden_model(), a, b, 0.5f, RifeOptions{}, CancelToken());
  // ncnn configurations among themselves differ in 12-15 of 2,764,800 values here.
  expect_png_matches(r.out, dir / "out.png", 1e-4);
}

// Both GEMM backends (oneDNN's and the portable fallback) give the golden result.
TEST(RifeGolden, PortableGemmMatchesToo) {
  set_gemm_backend(GemmBackend::Portable);
  check_plain({"case_200x120_t0.3", 200, 120, 224, 128, 0.3f});
  set_gemm_backend(GemmBackend::Auto);
}

// So do the portable warp/resize/Winograd kernels that CPUs without AVX-512 run.
TEST(RifeGolden, PortableKernelsMatchToo) {
  set_vector_kernels(false);
  check_plain({"case_200x120_t0.3", 200, 120, 224, 128, 0.3f});
  set_vector_kernels(true);
}
