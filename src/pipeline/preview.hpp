// The before/after preview of an interpolation job: one frame synthesised at time t between two input frames,
// each prepared as the job would prepare it (resize, false colour, crop), with the job's backend. The desktop
// app shows it for the pair the user selects; it is cancellable like every long call.
#pragma once

#include <filesystem>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "interp/interpolator.hpp"
#include "pipeline/interpolate.hpp"

namespace goesvfi {

struct PairPreview {
  Image before, after;  // the two prepared input frames
  Image middle;         // the frame at t (a copy of `before` for a backend that synthesises nothing)
  PairReport report;    // e.g. the backend fell back to a cross-fade, and why
};

// InvalidArgument for t outside (0,1), frames of different sizes, or a crop that does not fit.
PairPreview preview_pair(const InterpolateJob& job, const Config& config, const std::filesystem::path& a,
                         const std::filesystem::path& b, double t, const CancelToken& cancel);

}  // namespace goesvfi
