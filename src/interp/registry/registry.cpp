// The table of interpolation backends: one row each.
#include <fmt/format.h>

#include "core/error.hpp"
#include "interp/blend.hpp"
#include "interp/flow/flow.hpp"
#include "interp/interpolator.hpp"
#include "interp/minterpolate/minterpolate.hpp"
#include "interp/rife/rife.hpp"

namespace goesvfi {

const std::vector<InterpolatorInfo>& interpolator_registry() {
  static const std::vector<InterpolatorInfo> table = {
      {"none", "originals only, no intermediate frames",
       [](const Config&) { return std::make_unique<NoneInterpolator>(); }},
      {"blend", "linear cross-fade between neighbours",
       [](const Config&) { return std::make_unique<BlendInterpolator>(); }},
      {"flow", "dense optical flow (DIS), occlusion-aware warping; the default (flow.*)",
       [](const Config& c) { return std::make_unique<FlowInterpolator>(FlowOptions::from_config(c)); }},
      {"minterpolate", "FFmpeg's minterpolate filter in process, GOES_VFI's settings (minterpolate.*)",
       [](const Config& c) {
         return std::make_unique<MinterpolateInterpolator>(MinterpolateOptions::from_config(c));
       }},
      {"rife", "RIFE v4.x neural interpolation from an ncnn model folder (rife.*; see `goesvfi models`)",
       [](const Config& c) { return rife::make_rife_interpolator(c); }},
  };
  return table;
}

namespace {
// interpolate.backend takes its choices from this table.
const bool registered_backend_choices = register_config_choices("backends", [] {
  std::vector<std::string> names;
  for (const auto& info : interpolator_registry()) names.push_back(info.name);
  return names;
});
}  // namespace

std::unique_ptr<Interpolator> make_interpolator(std::string_view name, const Config& config) {
  std::vector<std::string> names;
  for (const auto& info : interpolator_registry()) {
    if (info.name == name) return info.create(config);
    names.push_back(info.name);
  }
  fail(ErrorKind::InvalidArgument, "unknown backend '{}' (available: {})", name, fmt::join(names, ", "));
}

std::unique_ptr<Interpolator> make_interpolator_spec(std::string_view spec, const Config& config) {
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos) return make_interpolator(spec, config);
  const std::string_view name = spec.substr(0, colon), preset = spec.substr(colon + 1);
  Config variant = config;
  with_context(fmt::format("in backend '{}'", spec),
               [&] { variant.set_text(fmt::format("{}.preset", name), preset, std::string(spec)); });
  return make_interpolator(name, variant);
}

}  // namespace goesvfi
