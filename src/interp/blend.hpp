// `blend`: linear cross-fade a*(1-t) + b*t per sample, the baseline every motion backend must beat;
// `none`: keep the originals only.
#pragma once

#include "interp/interpolator.hpp"

namespace goesvfi {

// out = a*(1-t) + b*t, rounded, same layout; rows in parallel on the global pool.
Image blend_frames(const Image& a, const Image& b, double t);

class BlendInterpolator final : public Interpolator {
 public:
  std::string_view name() const override { return "blend"; }
  std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                 const CancelToken& cancel, PairReport* report) override;
};

class NoneInterpolator final : public Interpolator {
 public:
  std::string_view name() const override { return "none"; }
  bool synthesises_frames() const override { return false; }
  std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                 const CancelToken& cancel, PairReport* report) override;
};

}  // namespace goesvfi
