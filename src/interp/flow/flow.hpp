// `flow`: optical-flow frame interpolation, the default backend.
//
// Per pair: luma of both frames (contrast-stretched to 8 bit for the estimator), dense bidirectional DIS
// optical flow (OpenCV; a->b and b->a), optionally at a reduced resolution. The flows stay at DIS's finest
// level (1/4 of the frame side for the default preset), where their forward-backward consistency is
// computed too; the per-pixel passes sample them bilinearly, so no full-resolution flow plane is written.
// Per timestep t: the flows from time t back to each frame are approximated from the two flows (Super
// SloMo's quadratic combination), both frames are backward-warped to t with bilinear sampling (1/32 pixel),
// and blended with weights (1-t, t) times an occlusion term from the forward-backward consistency of each
// flow. Working buffers and output frames are reused from pair to pair (FlowScratch). The two per-pixel
// passes of a timestep are in warp.hpp (a portable and an AVX2 kernel, bit-identical, chosen at run time).
// Static overlays (map outlines, grids, captions: pixels identical in both frames that stand out from their
// 5x5 neighbourhood) are filled from around them before the motion is estimated and the frames are warped,
// and pasted back unchanged, so they neither drag the flow nor get dragged by it. Per pixel, the result is
// blended toward the linear cross-fade by how little of the change the motion explains: trust =
// change^2 / (change^2 + residual^2), change the local mean |a - b| and residual the local mean disagreement
// of the two warped frames (inverse-variance weighting of the two estimates; clouds that grow or decay, or a
// wrong vector, get the cross-fade, which minimises the error where the motion is unknown).
// Space around the Earth disk (alpha 0, or near-black luma) is kept static: a pixel that is background in
// both frames is blended in place, and a warped sample that lands on background while the pixel itself
// is on the disk is dropped, so the limb neither smears outwards nor pulls black into the disk.
// A discontinuity guard (missing-data blocks, mode changes, brightness jumps) falls back to blend or hold
// and says so in the PairReport.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "core/image.hpp"
#include "interp/interpolator.hpp"

namespace goesvfi {

enum class FlowPreset { Fast, Medium, Quality };
enum class FlowFallback { Blend, Hold };

// "fast|medium|quality" / "blend|hold"; InvalidArgument listing the valid values otherwise.
FlowPreset parse_flow_preset(std::string_view text);
FlowFallback parse_flow_fallback(std::string_view text);

// The defaults are the schema's (flow.* rows): FlowOptions{} equals from_config(Config::defaults()); no
// default value is written here.
struct FlowOptions {
  FlowOptions();

  FlowPreset preset;
  double scale;                    // flow estimated at this fraction of the frame size, (0,1]
  double discontinuity_threshold;  // see discontinuity_score(); > threshold -> fallback
  FlowFallback fallback;
  // Pixels identical in both frames (map outlines, grids, captions, a cloudless sea) are kept as they are,
  // and the ones that stand out from their neighbourhood (overlays) are filled from around them before the
  // motion is estimated and the frames are warped, so overlays neither drag the flow nor get dragged.
  bool static_overlays;
  // Per pixel, blend toward the linear cross-fade where the motion does not explain the change (the warped
  // frames disagree about as much as the frames themselves: clouds that grow or decay, a wrong vector).
  bool confidence;

  // From the config keys flow.preset, flow.scale, flow.discontinuity_threshold, flow.fallback,
  // flow.static_overlays, flow.confidence.
  static FlowOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit FlowOptions(FromConfig)
      : preset(FlowPreset::Medium),
        scale(0),
        discontinuity_threshold(0),
        fallback(FlowFallback::Blend),
        static_overlays(false),
        confidence(false) {}
};

// A dense motion field at frame resolution: pixel (x,y) of the source frame moved to (x+dx, y+dy) in the
// other frame. dx and dy are one-channel F32 images.
struct FlowField {
  Image dx, dy;
};

struct BidirectionalFlow {
  FlowField forward;   // a -> b
  FlowField backward;  // b -> a
};

// Estimates both flows between a and b (same layout; any type, 1/3/4 channels).
BidirectionalFlow estimate_flow(const Image& a, const Image& b, FlowPreset preset, double scale);

// How different two frames are: the mean absolute luma difference (luma in [0,1]) where a pixel that is
// background ("no data": alpha 0, or near-black) in exactly one of the frames counts as 1. 0 for identical
// frames; a frame with a quarter of its disk missing scores about 0.25.
double discontinuity_score(const Image& a, const Image& b);

// The frame at time t in (0,1) between a and b, given their flows (from estimate_flow).
Image warp_interpolate(const Image& a, const Image& b, const BidirectionalFlow& flow, double t);

struct FlowScratch;  // working buffers reused from pair to pair (flow.cpp)

class FlowInterpolator final : public Interpolator {
 public:
  explicit FlowInterpolator(FlowOptions options);
  ~FlowInterpolator() override;
  std::string_view name() const override { return "flow"; }
  std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                 const CancelToken& cancel, PairReport* report) override;
  const FlowOptions& options() const { return m_options; }

 private:
  FlowOptions m_options;
  std::mutex m_scratch_mutex;
  std::unique_ptr<FlowScratch> m_scratch;
};

}  // namespace goesvfi
