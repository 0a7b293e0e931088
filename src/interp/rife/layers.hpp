// The compute kernels of the RIFE v4.x ncnn graphs, on planar fp32 tensors, parallel on ThreadPool::global().
// Each follows ncnn's CPU semantics (documented per function); tests compare them with naive reference code.
// Each layer's kernel lives in its layer file (layer_<type>.cpp, with its row of the layer table, layer.hpp);
// GEMM and the kernel choices in gemm.cpp.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

// ---- GEMM: C[M x N] = A[M x K] * B[K x N], row-major, single-threaded (callers parallelise).
enum class GemmBackend { Auto, Portable, Dnnl };
void set_gemm_backend(GemmBackend backend);  // Auto: oneDNN's sgemm when built with it, else portable
GemmBackend gemm_backend();                  // the effective one
std::string_view to_string(GemmBackend backend);
// Hand-vectorised AVX-512 kernels for warp and bilinear Interp (gathers the compiler does not emit), chosen
// at run time when the CPU has AVX-512F; `false` forces the portable loops (tests compare both).
void set_vector_kernels(bool enabled);
bool vector_kernels();  // the effective choice
void sgemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc,
           float beta = 0.0f);  // C = A*B + beta*C

// ncnn activation_type: 0 none, 1 ReLU, 2 leaky ReLU (slope), 3 clip(lo, hi), 4 sigmoid.
struct Activation {
  int type = 0;
  float p0 = 0, p1 = 0;
};

struct ConvShape {
  int out_channels = 0, in_channels = 0;
  int kernel_w = 1, kernel_h = 1, stride_w = 1, stride_h = 1, dilation_w = 1, dilation_h = 1;
  int pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
  int output_pad_right = 0, output_pad_bottom = 0;  // Deconvolution only
};

// Prepared convolution weights: ncnn order [out][in][kh][kw] (for im2col); for 3x3 stride 1 the Winograd
// F(4x4,3x3) transform G g G^T as 36 [out][in] matrices; for other stride-1 kernels one [out][in] matrix per
// kernel tap (for the copy-free path).
struct ConvPlan {
  ConvShape shape;
  std::vector<float> weights;   // [out][in][kh][kw], strided convolutions only (im2col)
  std::vector<float> winograd;  // [36][out][in], 3x3 stride 1 dilation 1 only
  std::vector<float> taps;      // [kh*kw][out][in], other stride-1 kernels
};
ConvPlan plan_conv(const ConvShape& shape, std::span<const float> weights);

// Convolution with zero padding: out = act(conv(in, w) + bias); then, when `residual` is given,
// out = leaky(out + residual, residual_slope) (the fused `conv -> BinaryOp add -> ReLU` of IFBlocks).
// 3x3 stride 1: Winograd F(4x4,3x3), 36 GEMMs over 4x4 output tiles (4x fewer multiply-adds). Other stride
// 1: one GEMM per kernel tap straight on a zero-bordered copy of the input (rows of the bordered width, so a
// tap is a constant offset: no im2col). Other strides: im2col + GEMM. Bands of output rows run in parallel.
Tensor conv2d(const Tensor& in, const ConvPlan& plan, std::span<const float> bias, Activation act,
              const Tensor* residual = nullptr, float residual_slope = 1.0f);

// Prepared transposed-convolution weights: one GEMM matrix per output phase (sub-pixel decomposition, so no
// multiply by inserted zeros).
struct DeconvPlan {
  ConvShape shape;
  struct Phase {
    int py = 0, px = 0;         // output row/column phase (of the un-cropped output)
    std::vector<int> ky, kx;    // kernel taps that reach this phase
    std::vector<float> matrix;  // [ky.size()][kx.size()][out][in]: one GEMM matrix per tap
  };
  std::vector<Phase> phases;
};
DeconvPlan plan_deconv(const ConvShape& shape, std::span<const float> weights);
// ncnn Deconvolution: full transposed convolution, then pad_* cropped off each side. Weights
// [out][in][kh][kw] (out[y*s + ky][x*s + kx] += in[y][x] * w[ky][kx]).
Tensor deconv2d(const Tensor& in, const DeconvPlan& plan, std::span<const float> bias, Activation act);

// ncnn Interp, resize_type 1 nearest / 2 bilinear, align_corner 0 (half-pixel centres, border clamp).
Tensor resize(const Tensor& in, int out_h, int out_w, int resize_type);
// ncnn PixelShuffle (mode 0, PyTorch order).
Tensor pixel_shuffle(const Tensor& in, int factor);
Tensor concat_channels(std::span<const Tensor> parts);

// BinaryOp op types as ncnn numbers them.
enum class BinaryOpType { Add = 0, Sub = 1, Mul = 2, Div = 3, Max = 4, Min = 5, Pow = 6, RSub = 7, RDiv = 8 };
// a (op) b: same shape, or one side with 1 channel broadcast over the other's channels.
Tensor binary_op(const Tensor& a, const Tensor& b, BinaryOpType op);
Tensor binary_op_scalar(const Tensor& a, float b, BinaryOpType op);
// Eltwise sum with coefficients (ncnn op_type 1): sum_k coeff[k] * inputs[k].
Tensor eltwise_sum(std::span<const Tensor> inputs, std::span<const float> coeffs);
Tensor relu(const Tensor& in, float slope);
Tensor sigmoid(const Tensor& in);
Tensor prelu(const Tensor& in, std::span<const float> slopes);  // one slope, or one per channel

// rife.Warp (CPU layer of rife-ncnn-vulkan): backward bilinear warp of `image` by `flow` channels 0/1,
// sample coordinates clamped to the border, weights taken after clamping.
Tensor warp(const Tensor& image, const Tensor& flow);

}  // namespace goesvfi::rife
