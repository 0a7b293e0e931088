// The interpolation interface every backend implements (blend, none, flow, minterpolate, rife).
// A backend gets two frames of the same layout and the timesteps t in (0,1) to produce, and returns one frame
// per timestep, same layout as the inputs. Backends are created by name from the registry with the one
// Config (their options are config keys: flow.*, minterpolate.*, rife.*) and use ThreadPool::global().
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/image.hpp"

namespace goesvfi {

// What a backend tells the pipeline about a pair it handled specially (e.g. a discontinuity fallback).
struct PairReport {
  bool fell_back = false;  // frames were not motion-interpolated
  std::string reason;      // why, for the log and the summary
};

class Interpolator {
 public:
  virtual ~Interpolator() = default;
  virtual std::string_view name() const = 0;
  // False for `none` (only the originals are kept, no pairs needed).
  virtual bool synthesises_frames() const { return true; }
  // One frame per timestep, in order. Throws InvalidArgument if a/b differ in layout or a t is outside (0,1).
  virtual std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                         const CancelToken& cancel, PairReport* report = nullptr) = 0;
};

// Checks the common preconditions (same size/channels/type, 0 < t < 1); throws InvalidArgument otherwise.
void check_interpolation_inputs(const Image& a, const Image& b, std::span<const double> timesteps);

// Timesteps k/(n+1), k = 1..n: what `--intermediate n` asks for.
std::vector<double> uniform_timesteps(int n);

using InterpolatorFactory = std::function<std::unique_ptr<Interpolator>(const Config&)>;

struct InterpolatorInfo {
  std::string name;
  std::string description;
  InterpolatorFactory create;
};

// The backends, one row per backend (see registry.cpp); listings of the known names follow the table's order.
const std::vector<InterpolatorInfo>& interpolator_registry();
// Creates a backend by name; InvalidArgument listing the known names otherwise.
std::unique_ptr<Interpolator> make_interpolator(std::string_view name, const Config& config);
// "NAME" or "NAME:PRESET": the backend with NAME.preset set to PRESET over `config` (e.g. "flow:quality");
// InvalidArgument for an unknown name or preset.
std::unique_ptr<Interpolator> make_interpolator_spec(std::string_view spec, const Config& config);

}  // namespace goesvfi
