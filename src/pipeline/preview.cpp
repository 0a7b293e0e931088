#include "pipeline/preview.hpp"

#include <array>
#include <utility>

#include "core/error.hpp"
#include "core/image_io.hpp"

namespace goesvfi {

PairPreview preview_pair(const InterpolateJob& job, const Config& config, const std::filesystem::path& a,
                         const std::filesystem::path& b, double t, const CancelToken& cancel) {
  if (!(t > 0.0 && t < 1.0)) fail(ErrorKind::InvalidArgument, "preview time {} is not inside (0, 1)", t);
  PairPreview out;
  // As run_interpolate does: in data space the colouring and crop follow the interpolation.
  Image first = read_image(a);
  const bool data = interpolates_data(job, first.channels());
  const auto [before, after] = data ? split_at_interpolation(job.prep) : std::pair{job.prep, FramePrep{}};
  out.before = prepare_frame(std::move(first), a, before);
  cancel.throw_if_cancelled();
  Image second = prepare_frame(read_image(b), b, before);
  // Frames of another channel count or sample type are converted to the first one's, as FrameReader does.
  if (second.channels() != out.before.channels()) second = convert_channels(second, out.before.channels());
  if (second.type() != out.before.type()) second = convert_type(second, out.before.type());
  if (second.width() != out.before.width() || second.height() != out.before.height()) {
    fail(ErrorKind::InvalidArgument, "{} is {}x{} but {} is {}x{}", b.string(), second.width(),
         second.height(), a.string(), out.before.width(), out.before.height());
  }
  out.after = second;
  cancel.throw_if_cancelled();
  auto backend = make_interpolator(job.backend, config);
  if (!backend->synthesises_frames()) {
    out.middle = out.before;
    out.report = {true, "backend '" + job.backend + "' keeps the original frames only"};
  } else {
    const std::array<double, 1> times{t};
    out.middle = std::move(backend->interpolate(out.before, out.after, times, cancel, &out.report).front());
  }
  if (data) {
    out.before = prepare_frame(std::move(out.before), a, after);
    out.middle = prepare_frame(std::move(out.middle), a, after);
    out.after = prepare_frame(std::move(out.after), b, after);
  }
  return out;
}

}  // namespace goesvfi
