// Image quality metrics for choosing a backend: PSNR and SSIM against a reference frame.
#pragma once

#include "core/image.hpp"

namespace goesvfi {

// PSNR in dB over every sample of every channel; the peak is the sample type's (255, 65535, 1.0 for float).
// Identical images score k_psnr_identical_db rather than infinity, so means and JSON stay finite.
// InvalidArgument if the layouts differ.
inline constexpr double k_psnr_identical_db = 100.0;
double psnr(const Image& a, const Image& b);

// SSIM (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03) on samples scaled to [0,1],
// averaged over the colour channels (alpha is ignored) and over the pixels whose window lies inside the
// image (frames narrower than 11 pixels use reflected borders). 1 for identical images.
double ssim(const Image& a, const Image& b);

// The same over the scored pixels only: `mask` is a grey U8 image of the frames' size, nonzero = scored
// (an empty mask scores everything). SSIM averages the windows centred on scored pixels. InvalidArgument
// if the mask does not fit or leaves nothing to score.
double psnr(const Image& a, const Image& b, const Image& mask);
double ssim(const Image& a, const Image& b, const Image& mask);

}  // namespace goesvfi
