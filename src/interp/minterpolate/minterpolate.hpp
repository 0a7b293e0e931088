// `minterpolate`: FFmpeg's motion-compensated interpolation filter, run in process through libavfilter (the
// way GOES_VFI ran it as `ffmpeg -vf minterpolate=...`, without the subprocess and the PNG round trip).
// Per pair and timestep set, a small graph buffer -> [RGB->YUV 4:4:4] -> minterpolate -> [YUV->RGB] -> sink
// is fed the two frames (and the second again, since the filter looks one frame ahead) and the frames at
// the requested times are taken from its output. The filter is 8-bit only: 16-bit and float frames are
// converted to 8 bit and back, and the alpha of RGBA frames is blended linearly.
#pragma once

#include <string>

#include "interp/interpolator.hpp"

namespace goesvfi {

// The filter's options. The defaults are the schema's (minterpolate.* rows, GOES_VFI's values):
// MinterpolateOptions{} equals from_config(Config::defaults()); no default value is written here.
struct MinterpolateOptions {
  MinterpolateOptions();

  std::string mi_mode;  // dup | blend | mci
  std::string mc_mode;  // obmc | aobmc
  std::string me_mode;  // bidir | bilat
  std::string me;       // esa | tss | tdls | ntss | fss | ds | hexbs | epzs | umh
  int mb_size;          // 4..64
  int search_param;     // 4..512
  bool vsbmc;
  std::string scd;       // none | fdiff
  double scd_threshold;  // 0..100

  static MinterpolateOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit MinterpolateOptions(FromConfig) : mb_size(0), search_param(0), vsbmc(false), scd_threshold(0) {}
};

// InvalidArgument naming the option, the value and the valid values.
void validate(const MinterpolateOptions& options);
// "mi_mode=mci:mc_mode=obmc:..." (the filter's option string, without fps).
std::string minterpolate_filter_options(const MinterpolateOptions& options);

class MinterpolateInterpolator final : public Interpolator {
 public:
  explicit MinterpolateInterpolator(MinterpolateOptions options);
  std::string_view name() const override { return "minterpolate"; }
  // Timesteps k/(n+1) (what --intermediate n asks for) take one filter run; other sets one run per t.
  // Times are quantised to 1/1024 by the filter.
  std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                 const CancelToken& cancel, PairReport* report) override;

 private:
  MinterpolateOptions m_options;
};

}  // namespace goesvfi
