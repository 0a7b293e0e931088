// Per-layer tests: each kernel against naive reference code written from ncnn's definitions (double
// accumulation), for both GEMM backends where GEMM is used.
#include <cmath>
#include <limits>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "interp/rife/layers.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::rife;

namespace {

Tensor random_tensor(int c, int h, int w, unsigned seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t = Tensor::make(c, h, w);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = dist(rng);
  return t;
}

std::vector<float> random_vector(std::size_t n, unsigned seed, float scale = 0.3f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

double max_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.c, b.c);
  EXPECT_EQ(a.h, b.h);
  EXPECT_EQ(a.w, b.w);
  if (a.size() != b.size()) return 1e9;
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a.data()[i]) - b.data()[i]));
  return m;
}

double act_ref(double v, const Activation& a) {
  if (a.type == 1) return v > 0 ? v : 0;
  if (a.type == 2) return v > 0 ? v : v * a.p0;
  return v;
}

Tensor conv_ref(const Tensor& in, const ConvShape& s, const std::vector<float>& w,
                const std::vector<float>& b, Activation act) {
  const int ow = (in.w + s.pad_left + s.pad_right - s.dilation_w * (s.kernel_w - 1) - 1) / s.stride_w + 1;
  const int oh = (in.h + s.pad_top + s.pad_bottom - s.dilation_h * (s.kernel_h - 1) - 1) / s.stride_h + 1;
  Tensor out = Tensor::make(s.out_channels, oh, ow);
  for (int oc = 0; oc < s.out_channels; ++oc) {
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        double sum = b[oc];
        for (int ic = 0; ic < s.in_channels; ++ic) {
          for (int ky = 0; ky < s.kernel_h; ++ky) {
            for (int kx = 0; kx < s.kernel_w; ++kx) {
              const int iy = y * s.stride_h - s.pad_top + ky * s.dilation_h;
              const int ix = x * s.stride_w - s.pad_left + kx * s.dilation_w;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              sum += double(in.row(ic, iy)[ix]) *
                     w[((std::size_t(oc) * s.in_channels + ic) * s.kernel_h + ky) * s.kernel_w + kx];
            }
          }
        }
        out.row(oc, y)[x] = float(act_ref(sum, act));
      }
    }
  }
  return out;
}

// ncnn Deconvolution: scatter every input pixel through the kernel, then crop the padding.
Tensor deconv_ref(const Tensor& in, const ConvShape& s, const std::vector<float>& w,
                  const std::vector<float>& b) {
  const int fw = (in.w - 1) * s.stride_w + s.kernel_w + s.output_pad_right;
  const int fh = (in.h - 1) * s.stride_h + s.kernel_h + s.output_pad_bottom;
  std::vector<double> full(std::size_t(s.out_channels) * fh * fw, 0.0);
  for (int oc = 0; oc < s.out_channels; ++oc) {
    for (std::size_t i = 0; i < std::size_t(fh) * fw; ++i) full[std::size_t(oc) * fh * fw + i] = b[oc];
    for (int ic = 0; ic < s.in_channels; ++ic) {
      for (int y = 0; y < in.h; ++y) {
        for (int x = 0; x < in.w; ++x) {
          for (int ky = 0; ky < s.kernel_h; ++ky) {
            for (int kx = 0; kx < s.kernel_w; ++kx) {
              full[(std::size_t(oc) * fh + y * s.stride_h + ky) * fw + x * s.stride_w + kx] +=
                  double(in.row(ic, y)[x]) *
                  w[((std::size_t(oc) * s.in_channels + ic) * s.kernel_h + ky) * s.kernel_w + kx];
            }
          }
        }
      }
    }
  }
  const int ow = fw - s.pad_left - s.pad_right, oh = fh - s.pad_top - s.pad_bottom;
  Tensor out = Tensor::make(s.out_channels, oh, ow);
  for (int oc = 0; oc < s.out_channels; ++oc) {
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        out.row(oc, y)[x] = float(full[(std::size_t(oc) * fh + y + s.pad_top) * fw + x + s.pad_left]);
      }
    }
  }
  return out;
}

ConvShape shape(int oc, int ic, int k, int stride, int pad, int dilation = 1) {
  ConvShape s;
  s.out_channels = oc;
  s.in_channels = ic;
  s.kernel_w = s.kernel_h = k;
  s.stride_w = s.stride_h = stride;
  s.dilation_w = s.dilation_h = dilation;
  s.pad_left = s.pad_right = s.pad_top = s.pad_bottom = pad;
  return s;
}

// Skips the current test when the AVX-512 kernels were asked for (set_vector_kernels(true)) but this CPU or
// build does not have them: the arm would silently re-run the portable loops that the other arm tests.
void skip_unless_vector_kernels_available(bool asked) {
  if (asked && !vector_kernels()) GTEST_SKIP() << "no AVX-512 kernels on this CPU/build";
}

// Every GEMM backend with the AVX-512 kernels on and off (off = the portable loops). An arm this machine
// cannot run (AVX-512 without the CPU feature, oneDNN in a build without it) is skipped, not re-run portably.
class BothGemms : public ::testing::TestWithParam<std::tuple<GemmBackend, bool>> {
 protected:
  void SetUp() override {
    set_gemm_backend(std::get<0>(GetParam()));
    if (std::get<0>(GetParam()) != GemmBackend::Portable && gemm_backend() == GemmBackend::Portable)
      GTEST_SKIP() << "built without oneDNN: Auto is the portable GEMM";
    set_vector_kernels(std::get<1>(GetParam()));
    skip_unless_vector_kernels_available(std::get<1>(GetParam()));
  }
  void TearDown() override {
    set_gemm_backend(GemmBackend::Auto);
    set_vector_kernels(true);
  }
};

class BothKernels : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    set_vector_kernels(GetParam());
    skip_unless_vector_kernels_available(GetParam());
  }
  void TearDown() override { set_vector_kernels(true); }
};

}  // namespace

TEST_P(BothGemms, ConvolutionMatchesDirectReference) {
  struct Case {
    ConvShape s;
    int h, w;
    Activation act;
  };
  ConvShape asym = shape(6, 4, 3, 1, 1);
  asym.pad_right = 0;
  asym.pad_bottom = 2;
  ConvShape rect = shape(5, 3, 3, 2, 1);
  rect.kernel_w = 5;
  rect.pad_left = rect.pad_right = 2;
  const Case cases[] = {
      {shape(7, 5, 3, 1, 1), 13, 17, {0, 0, 0}},        // IFBlock residual conv shape
      {shape(8, 7, 3, 2, 1), 16, 24, {2, 0.2f, 0}},     // convrelu: stride 2, leaky
      {shape(9, 6, 3, 2, 1), 15, 11, {1, 0, 0}},        // odd sizes, ReLU
      {shape(4, 6, 1, 1, 0), 9, 10, {0, 0, 0}},         // 1x1
      {shape(5, 3, 3, 1, 2, 2), 12, 12, {2, 0.1f, 0}},  // dilation 2
      {asym, 10, 9, {0, 0, 0}},                         // asymmetric padding
      {rect, 11, 14, {0, 0, 0}},                        // 3x5 kernel
      {shape(3, 2, 4, 3, 0), 14, 19, {0, 0, 0}},        // stride 3, no padding
      {shape(6, 5, 3, 1, 1), 7, 45, {0, 0, 0}},         // Winograd: 23 tiles a row (a vector and a tail)
      {shape(4, 3, 3, 1, 0), 16, 34, {1, 0, 0}},        // Winograd without padding: 16 tiles, even sizes
  };
  unsigned seed = 1;
  for (const auto& c : cases) {
    const Tensor in = random_tensor(c.s.in_channels, c.h, c.w, seed++);
    const auto w =
        random_vector(std::size_t(c.s.out_channels) * c.s.in_channels * c.s.kernel_w * c.s.kernel_h, seed++);
    const auto b = random_vector(c.s.out_channels, seed++);
    const Tensor got = conv2d(in, plan_conv(c.s, w), b, c.act);
    EXPECT_LT(max_diff(got, conv_ref(in, c.s, w, b, c.act)), 2e-5)
        << "k" << c.s.kernel_h << "x" << c.s.kernel_w << " s" << c.s.stride_w << " p" << c.s.pad_left;
  }
}

TEST_P(BothGemms, FusedResidualAddLeakyRelu) {
  const ConvShape s = shape(6, 6, 3, 1, 1);
  const Tensor in = random_tensor(6, 20, 18, 11), res = random_tensor(6, 20, 18, 12);
  const auto w = random_vector(6 * 6 * 9, 13), b = random_vector(6, 14);
  const Tensor got = conv2d(in, plan_conv(s, w), b, Activation{}, &res, 0.2f);
  const Tensor ref = relu(binary_op(conv_ref(in, s, w, b, Activation{}), res, BinaryOpType::Add), 0.2f);
  EXPECT_LT(max_diff(got, ref), 2e-5);
}

TEST_P(BothGemms, DeconvolutionMatchesScatterReference) {
  struct Case {
    ConvShape s;
    int h, w;
  };
  ConvShape outpad = shape(3, 4, 3, 2, 0);
  outpad.output_pad_right = outpad.output_pad_bottom = 1;
  ConvShape asym = shape(4, 3, 4, 2, 1);
  asym.pad_right = 2;
  asym.pad_top = 0;
  const Case cases[] = {
      {shape(24, 8, 4, 2, 1), 6, 7},  // RIFE's IFBlock head: 4x4, stride 2, pad 1
      {outpad, 5, 6},
      {shape(5, 3, 2, 2, 0), 4, 9},
      {shape(4, 4, 3, 1, 1), 7, 5},
      {shape(3, 2, 5, 3, 2), 5, 4},
      {asym, 6, 5},
  };
  unsigned seed = 100;
  for (const auto& c : cases) {
    const Tensor in = random_tensor(c.s.in_channels, c.h, c.w, seed++);
    const auto w =
        random_vector(std::size_t(c.s.out_channels) * c.s.in_channels * c.s.kernel_w * c.s.kernel_h, seed++);
    const auto b = random_vector(c.s.out_channels, seed++);
    const Tensor got = deconv2d(in, plan_deconv(c.s, w), b, Activation{});
    EXPECT_LT(max_diff(got, deconv_ref(in, c.s, w, b)), 2e-5)
        << "k" << c.s.kernel_w << " s" << c.s.stride_w << " p" << c.s.pad_left;
  }
}

INSTANTIATE_TEST_SUITE_P(Rife, BothGemms,
                         ::testing::Combine(::testing::Values(GemmBackend::Portable, GemmBackend::Auto),
                                            ::testing::Bool()));
INSTANTIATE_TEST_SUITE_P(Rife, BothKernels, ::testing::Bool());

TEST_P(BothKernels, BilinearInterpMatchesHalfPixelReference) {
  const Tensor in = random_tensor(3, 12, 16, 7);
  const std::pair<int, int> sizes[] = {{96, 128}, {3, 4},   {6, 8},  {24, 32},
                                       {18, 24},  {12, 16}, {7, 11}, {5, 37}};
  for (auto [oh, ow] : sizes) {
    const Tensor got = resize(in, oh, ow, 2);
    Tensor ref = Tensor::make(3, oh, ow);
    auto coord = [](int d, int n_in, int n_out, int& i0, double& f) {
      double x = (d + 0.5) * double(n_in) / n_out - 0.5;
      x = std::clamp(x, 0.0, double(n_in - 1));  // border clamp
      i0 = std::min(int(std::floor(x)), n_in - 2);
      f = x - i0;
    };
    for (int c = 0; c < 3; ++c) {
      for (int y = 0; y < oh; ++y) {
        int y0;
        double fy;
        coord(y, in.h, oh, y0, fy);
        for (int x = 0; x < ow; ++x) {
          int x0;
          double fx;
          coord(x, in.w, ow, x0, fx);
          const double top = in.row(c, y0)[x0] * (1 - fx) + in.row(c, y0)[x0 + 1] * fx;
          const double bot = in.row(c, y0 + 1)[x0] * (1 - fx) + in.row(c, y0 + 1)[x0 + 1] * fx;
          ref.row(c, y)[x] = float(top * (1 - fy) + bot * fy);
        }
      }
    }
    EXPECT_LT(max_diff(got, ref), 1e-5) << oh << "x" << ow;
  }
}

TEST(RifeLayers, NearestInterp) {
  const Tensor in = random_tensor(2, 4, 6, 8);
  const Tensor got = resize(in, 8, 12, 1);
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 12; ++x) EXPECT_EQ(got.row(1, y)[x], in.row(1, y / 2)[x / 2]);
  }
}

TEST_P(BothKernels, WarpIsBorderClampedBilinearSampling) {
  for (const int w : {13, 16, 37}) {  // a partial vector, exactly one, two and a tail
    const int h = 9;
    const Tensor img = random_tensor(3, h, w, 21, 0, 1);
    Tensor flow = random_tensor(2, h, w, 22, -4, 4);  // pushes samples outside on every side
    flow.row(0, 0)[0] = 0.25f;                        // and some exact/fractional cases
    flow.row(1, 0)[0] = 0.0f;
    flow.row(0, 4)[6] = -100.0f;
    const Tensor got = warp(img, flow);
    for (int c = 0; c < 3; ++c) {
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          // grid_sample(padding_mode='border', align_corners=True) in pixel units.
          const double sx = std::clamp(x + double(flow.row(0, y)[x]), 0.0, double(w - 1));
          const double sy = std::clamp(y + double(flow.row(1, y)[x]), 0.0, double(h - 1));
          const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
          const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
          const double fx = sx - x0, fy = sy - y0;
          const double v = (img.row(c, y0)[x0] * (1 - fx) + img.row(c, y0)[x1] * fx) * (1 - fy) +
                           (img.row(c, y1)[x0] * (1 - fx) + img.row(c, y1)[x1] * fx) * fy;
          EXPECT_NEAR(got.row(c, y)[x], v, 2e-6) << w << ": " << c << " " << y << " " << x;
        }
      }
    }
  }
}

// NaN and huge flows land on the border (as the clamped scalar reference does) in both kernels.
TEST_P(BothKernels, WarpClampsNanAndHugeFlows) {
  const Tensor img = random_tensor(1, 4, 20, 5, 0, 1);
  Tensor flow = Tensor::zeros(2, 4, 20);
  flow.row(0, 1)[3] = std::numeric_limits<float>::quiet_NaN();
  flow.row(1, 1)[3] = std::numeric_limits<float>::quiet_NaN();
  flow.row(0, 2)[17] = 1e30f;
  flow.row(1, 2)[17] = -1e30f;
  const Tensor got = warp(img, flow);
  EXPECT_EQ(got.row(0, 1)[3], img.row(0, 0)[0]);
  EXPECT_EQ(got.row(0, 2)[17], img.row(0, 0)[19]);
  EXPECT_EQ(got.row(0, 3)[5], img.row(0, 3)[5]);  // zero flow: the pixel itself
}

TEST(RifeLayers, PixelShufflePyTorchOrder) {
  const Tensor in = random_tensor(8, 3, 5, 31);
  const Tensor out = pixel_shuffle(in, 2);
  ASSERT_EQ(out.c, 2);
  ASSERT_EQ(out.h, 6);
  ASSERT_EQ(out.w, 10);
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 6; ++y) {
      for (int x = 0; x < 10; ++x) {
        EXPECT_EQ(out.row(c, y)[x], in.row(c * 4 + (y % 2) * 2 + (x % 2), y / 2)[x / 2]);
      }
    }
  }
  EXPECT_ERROR(pixel_shuffle(random_tensor(6, 2, 2, 1), 2), ErrorKind::InvalidArgument,
               "6 channels are not a multiple of 2^2");
}

TEST(RifeLayers, BinaryOpsBroadcastOneChannelAndScalars) {
  const Tensor a = random_tensor(3, 4, 5, 41), m = random_tensor(1, 4, 5, 42, 0.5f, 1.5f);
  const Tensor mul = binary_op(a, m, BinaryOpType::Mul), mul2 = binary_op(m, a, BinaryOpType::Mul);
  const Tensor sub = binary_op(m, a, BinaryOpType::Sub), div = binary_op(a, m, BinaryOpType::Div);
  const Tensor rsub = binary_op_scalar(m, 1.0f, BinaryOpType::RSub),
               sc = binary_op_scalar(a, 8.f, BinaryOpType::Mul);
  const Tensor dv = binary_op_scalar(a, 4.f, BinaryOpType::Div);
  for (int c = 0; c < 3; ++c) {
    for (std::size_t i = 0; i < a.plane(); ++i) {
      const float x = a.channel(c)[i], y = m.data()[i];
      EXPECT_EQ(mul.channel(c)[i], x * y);
      EXPECT_EQ(mul2.channel(c)[i], x * y);
      EXPECT_EQ(sub.channel(c)[i], y - x);
      EXPECT_EQ(div.channel(c)[i], x / y);
      EXPECT_EQ(sc.channel(c)[i], x * 8.f);
      EXPECT_EQ(dv.channel(c)[i], x / 4.f);
    }
  }
  for (std::size_t i = 0; i < m.plane(); ++i) EXPECT_EQ(rsub.data()[i], 1.0f - m.data()[i]);
  EXPECT_ERROR(binary_op(a, random_tensor(2, 4, 5, 1), BinaryOpType::Add), ErrorKind::InvalidArgument,
               "shapes 3x4x5 and 2x4x5 do not broadcast");
  EXPECT_ERROR(binary_op(a, random_tensor(3, 4, 6, 1), BinaryOpType::Add), ErrorKind::InvalidArgument,
               "shapes 3x4x5 and 3x4x6 do not broadcast");
}

TEST(RifeLayers, EltwiseSumReluSigmoidPreluConcat) {
  const Tensor a = random_tensor(2, 3, 4, 51), b = random_tensor(2, 3, 4, 52);
  const std::vector<Tensor> parts = {a, b};
  const std::vector<float> coeffs = {1.0f, 4.0f};
  const Tensor s = eltwise_sum(parts, coeffs), r = relu(a, 0.2f), sg = sigmoid(a),
               cat = concat_channels(parts);
  const std::vector<float> slopes = {0.1f, 0.3f};
  const Tensor pr = prelu(a, slopes);
  for (int c = 0; c < 2; ++c) {
    for (std::size_t i = 0; i < a.plane(); ++i) {
      const float x = a.channel(c)[i];
      EXPECT_FLOAT_EQ(s.channel(c)[i], x * 1.0f + b.channel(c)[i] * 4.0f);
      EXPECT_EQ(r.channel(c)[i], x > 0 ? x : x * 0.2f);
      EXPECT_NEAR(sg.channel(c)[i], 1.0 / (1.0 + std::exp(-double(x))), 1e-7);
      EXPECT_EQ(pr.channel(c)[i], x > 0 ? x : x * slopes[c]);
      EXPECT_EQ(cat.channel(c)[i], x);
      EXPECT_EQ(cat.channel(c + 2)[i], b.channel(c)[i]);
    }
  }
}
