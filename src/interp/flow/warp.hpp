// The flow backend's per-timestep warp pass (pass 1 of synthesise() in flow.cpp), on its own so that its
// kernels can be compared: the flows from time t to each frame (sampled bilinearly from the coarse
// displacement maps), both frames sampled there (bilinear, 1/32-pixel fixed-point taps as cv::remap's), the
// occlusion/space weights of each sample, and from them the motion-compensated blend `moved` (F32 x C, rows
// of width * C + 1 floats) and the disagreement of the two warped samples `residual` (F32, mean absolute
// difference over the channels in full-scale units).
//
// Two kernels with bit-identical results: the portable one (one pixel at a time) and an AVX2 one (eight
// pixels at a time: positions, taps, weights in lanes, texture reads by gathers), chosen at run time by CPU
// feature. The library is built for baseline x86-64; the AVX2 kernel is compiled for AVX2 only (no FMA, so no
// contraction changes a rounding) and falls back to the portable code per group of eight pixels for the
// samples at the very end of a frame (its 4-byte gathers would read past the buffer there).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/image.hpp"

namespace goesvfi::flow_warp {

// Everything the warp pass reads for one timestep.
struct WarpInput {
  const Image* a = nullptr;  // the frames the warp samples (static overlays filled); same layout
  const Image* b = nullptr;
  // F32 displacement from time t to a (d0) and to b (d1) at the flows' resolution, in frame pixels.
  const cv::Mat* d0x = nullptr;
  const cv::Mat* d0y = nullptr;
  const cv::Mat* d1x = nullptr;
  const cv::Mat* d1y = nullptr;
  // Per frame column / row: the two coarse samples and the weight of the second (upsampling_taps()).
  const int* col0 = nullptr;
  const int* col1 = nullptr;
  const float* col_weight = nullptr;
  const int* row0 = nullptr;
  const int* row1 = nullptr;
  const float* row_weight = nullptr;
  cv::Mat here0, here1;              // U8 frame-size: space in a / in b (0/1)
  cv::Mat confidence0, confidence1;  // U8 frame-size: forward-backward consistency, 255 = consistent
  float t = 0.5f;
};

enum class WarpKernel { Portable, Avx2 };

// Whether this build and CPU can run `kernel` (Portable always).
bool warp_kernel_available(WarpKernel kernel);
// The fastest available kernel.
WarpKernel best_warp_kernel();

// Rows [y0, y1) of the pass into `moved` (height x (width * C + 1) F32) and `residual` (height x width F32),
// which the caller has allocated. `kernel` must be available.
void warp_rows(WarpKernel kernel, const WarpInput& in, cv::Mat& moved, cv::Mat& residual, int y0, int y1);

// Keeps the trust defined where neither frame changes: (mean absolute difference)^2 of 1/100 of full scale.
constexpr float k_confidence_floor = 1e-6f;

// What pass 2 reads for one timestep.
struct CombineInput {
  const Image* a = nullptr;  // the frames the warp read (the linear blend is of these)
  const Image* b = nullptr;
  const Image* original = nullptr;  // the first frame as given: static overlay pixels are copied from it
  const cv::Mat* moved = nullptr;   // the warp pass's blend (F32, width * C + 1 per row)
  cv::Mat identical;                // U8 0/1: keep the pixel as it is in `original`; may be empty
  cv::Mat change;                   // F32 local mean |a - b|; empty: no confidence blend (trust 1)
  cv::Mat residual_mean;            // F32 local mean of the warp pass's residual (read with `change`)
  float t = 0.5f;
};

// Rows [y0, y1) of pass 2 into `out` (the frames' layout): out = linear + trust * (moved - linear), trust =
// change^2 / (change^2 + residual^2), where linear is the cross-fade (1 - t) a + t b; static overlay pixels
// copied from `original`. The kernels' results are bit-identical; `kernel` must be available.
void combine_rows(WarpKernel kernel, const CombineInput& in, Image& out, int y0, int y1);

// cv::resize INTER_LINEAR's taps for upsampling n samples to `size`: source index pairs and weights.
void upsampling_taps(int n, int size, std::vector<int>& i0, std::vector<int>& i1, std::vector<float>& w);

}  // namespace goesvfi::flow_warp
