#include "pipeline/interpolate.hpp"

#include <unistd.h>

#include <chrono>
#include <tuple>

#include <fmt/format.h>

#include "colour/product.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "core/time.hpp"
#include "goes/names.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

fs::path default_output_path(const std::string& input) {
  fs::path folder = fs::is_directory(input) ? fs::path(input) : fs::path(input).parent_path();
  folder = fs::absolute(folder).lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return folder.parent_path() / (folder.filename().string() + "_" + format_compact(UtcTime(now)) + ".mp4");
}

std::string InterpolatePlan::describe() const {
  std::string out = fmt::format(
      "inputs:   {} frames ({})\n"
      "output:   {}\n"
      "video:    {} frames, {}x{}, {:.2f} s\n",
      frames.size(), ordered_by_time ? "ordered by scan time" : "natural name order", output.string(),
      output_frames, width, height, duration_s);
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    if (steps[i] > 1)
      out += fmt::format("gap:      {} -> {}, {} scan(s) missing\n", frames[i].filename().string(),
                         frames[i + 1].filename().string(), steps[i] - 1);
  }
  return out;
}

namespace {
// Subsampled-chroma output needs even sizes: the last column/row of odd frames is dropped (documented).
// `levels`: the sequence's false-colour levels (null: each frame's own, enough to learn the frame size).
FramePrep effective_prep(const InterpolateJob& job, std::shared_ptr<const LevelsMap> levels = nullptr) {
  FramePrep prep = job.prep;
  prep.even_size = prep.even_size || pix_fmt_needs_even_size(job.encode.pix_fmt);
  if (job.false_colour) {
    FalseColourOptions options = *job.false_colour;
    if (levels) options.levels = std::move(levels);
    prep.transform = false_colour_transform(std::move(options), job.longitude_deg);
  }
  return prep;
}
}  // namespace

InterpolatePlan plan_interpolate(const InterpolateJob& job, const Config& config) {
  InterpolatePlan plan;
  plan.frames = list_input_frames(job.inputs);
  plan.ordered_by_time = order_frames(plan.frames);
  plan.output = job.output.empty() ? default_output_path(job.inputs.front()) : job.output;
  validate_encode_options(job.encode, plan.output);
  const fs::path folder = plan.output.parent_path().empty() ? fs::path(".") : plan.output.parent_path();
  if (!fs::is_directory(folder))
    fail(ErrorKind::NotFound, "output folder {} does not exist", folder.string());
  if (::access(folder.c_str(), W_OK) != 0)
    fail(ErrorKind::AccessDenied, "output folder {} is not writable", folder.string());
  auto backend = make_interpolator(job.backend, config);
  if (plan.frames.size() < 2 && backend->synthesises_frames() && job.intermediate > 0) {
    fail(ErrorKind::InvalidArgument, "backend '{}' needs at least two frames to interpolate; got 1 ({})",
         job.backend, plan.frames.front().string());
  }
  if (job.intermediate < 0)
    fail(ErrorKind::InvalidArgument, "interpolate.intermediate {} must be >= 0", job.intermediate);
  // Size of the video: decode the first frame through the same preparation as every frame.
  const Image first = with_context("while reading " + plan.frames.front().string(), [&] {
    const Image decoded = read_image(plan.frames.front());
    plan.input_channels = decoded.channels();
    return prepare_frame(decoded, plan.frames.front(), effective_prep(job));
  });
  plan.width = first.width();
  plan.height = first.height();
  plan.data_space = interpolates_data(job, plan.input_channels);
  plan.steps = plan.ordered_by_time ? cadence_steps(frame_times(plan.frames)) : std::vector<int>{};
  plan.steps.resize(plan.frames.size(), 1);
  plan.output_frames = 1;
  for (std::size_t i = 0; i + 1 < plan.frames.size(); ++i) {
    plan.gaps += plan.steps[i] > 1 ? 1 : 0;
    plan.output_frames +=
        pair_output_frames(job.intermediate, plan.steps[i], job.gaps, backend->synthesises_frames());
  }
  plan.duration_s = static_cast<double>(plan.output_frames) / job.encode.fps;
  return plan;
}

bool interpolates_data(const InterpolateJob& job, int input_channels) {
  return (job.false_colour || job.prep.transform) &&
         (job.space == InterpSpace::Data || (job.space == InterpSpace::Auto && input_channels == 1));
}

InterpolateJob::InterpolateJob() : InterpolateJob(from_config(Config::defaults())) {}

InterpolateJob InterpolateJob::from_config(const Config& config) {
  InterpolateJob job(FromConfig{});
  job.backend = config.get_string("interpolate.backend");
  job.intermediate = static_cast<int>(config.get_int("interpolate.intermediate"));
  job.gaps = parse_gap_mode(config.get_string("interpolate.gaps"));
  job.prefetch = static_cast<int>(config.get_int("interpolate.prefetch"));
  job.encode = EncodeOptions::from_config(config);
  job.prep = frame_prep_from(config);
  job.space = parse_interp_space(config.get_string("interpolate.space"));
  if (const Product* p = shown_product(config); p && p->kind == ProductKind::Recipe)
    fail(ErrorKind::InvalidArgument,
         "render.product '{}' combines several bands of each NetCDF scan; interpolate takes pictures: make "
         "them "
         "with `goesvfi render --show {}`, or the video from the scans with `goesvfi timelapse --show {}`",
         p->name, p->name, p->name);
  if (shows_false_colour(config)) {
    job.false_colour = FalseColourOptions::from_config(config);
    if (const std::string& lon = config.get_string("colour.longitude"); !lon.empty())
      job.longitude_deg = std::stod(lon);
  } else if (const Product* p = shown_product(config); p && p->table) {
    job.prep.transform = [lut = make_lut(p->table())](Image frame, const std::filesystem::path&) {
      return apply_colour_table(frame, lut);
    };
  }
  return job;
}

StreamSummary run_interpolate(const InterpolateJob& job, const Config& config, Progress& progress,
                              const CancelToken& cancel) {
  const InterpolatePlan plan = plan_interpolate(job, config);
  auto backend = make_interpolator(job.backend, config);
  std::shared_ptr<const LevelsMap> levels;
  if (job.false_colour && !job.false_colour->levels)
    levels = sequence_levels(plan.frames, job.prep, *job.false_colour, job.longitude_deg);
  // Data space: frames are resized, interpolated, then coloured and cropped (prepare_frame's order, split).
  FramePrep before = effective_prep(job, levels), after;
  if (plan.data_space) std::tie(before, after) = split_at_interpolation(before);
  FrameReader reader(plan.frames, before, job.prefetch, cancel);
  std::size_t index = 0;
  FrameSource source = [&]() -> std::optional<StreamFrame> {
    auto img = reader.next();
    if (!img) return std::nullopt;
    const std::size_t i = index++;
    const fs::path& path = reader.path(i);
    FrameColour colour;
    if (plan.data_space)
      colour = [after, path](const Image& frame) { return prepare_frame(frame, path, after); };
    return StreamFrame{std::move(*img), path.filename().string(), plan.steps[i], std::move(colour)};
  };
  StreamOptions options;
  options.interpolator = backend.get();
  options.intermediate = job.intermediate;
  options.gaps = job.gaps;
  options.output = plan.output;
  options.encode = job.encode;
  options.keep_frames = job.keep_frames;
  options.expected_inputs = static_cast<std::int64_t>(plan.frames.size());
  options.expected_outputs = plan.output_frames;
  return run_stream(source, options, progress, cancel);
}

namespace {
double longitude_for(const fs::path& path, std::optional<double> longitude_deg) {
  if (longitude_deg) return *longitude_deg;
  std::optional<int> goes_number;
  if (auto scene = goes::parse_scene_name(path.filename().string()); scene && scene->satellite)
    goes_number = goes::satellite_number(*scene->satellite);
  return satellite_longitude_or_east(goes_number);
}
}  // namespace

std::function<Image(Image, const fs::path&)> false_colour_transform(FalseColourOptions options,
                                                                    std::optional<double> longitude_deg) {
  return [options = std::move(options), longitude_deg](Image frame, const fs::path& path) {
    return false_colour(frame, longitude_for(path, longitude_deg), options);
  };
}

std::shared_ptr<const LevelsMap> sequence_levels(const std::vector<fs::path>& frames, const FramePrep& prep,
                                                 const FalseColourOptions& options,
                                                 std::optional<double> longitude_deg) {
  if (frames.empty()) fail(ErrorKind::InvalidArgument, "false-colour levels of an empty sequence");
  FramePrep resize_only;
  resize_only.resize = prep.resize;
  const std::size_t n =
      std::min<std::size_t>(frames.size(), static_cast<std::size_t>(std::max(1, options.levels_frames)));
  std::vector<Image> first(n);
  ThreadPool::global().parallel_for(0, static_cast<std::ptrdiff_t>(n),
                                    [&](std::ptrdiff_t a, std::ptrdiff_t b) {
                                      for (auto i = a; i < b; ++i) {
                                        first[i] = with_context("while reading " + frames[i].string(), [&] {
                                          return prepare_frame(read_image(frames[i]), frames[i], resize_only);
                                        });
                                      }
                                    });
  return false_colour_levels(first, longitude_for(frames.front(), longitude_deg), options);
}

std::string describe_summary(const StreamSummary& s, const fs::path& output, double fps) {
  std::string out = fmt::format(
      "wrote {}\n"
      "  {} input frames -> {} video frames ({} synthesised{}), {}x{}, {:.2f} s at {:g} fps\n"
      "  time: read {:.1f} s, interpolate {:.1f} s, encode {:.1f} s\n",
      output.string(), s.input_frames, s.output_frames, s.synthesised_frames,
      s.held_frames > 0 ? fmt::format(", {} held", s.held_frames) : "", s.width, s.height,
      static_cast<double>(s.output_frames) / fps, fps, s.seconds_source, s.seconds_interpolate,
      s.seconds_encode);
  if (s.gaps > 0) out += fmt::format("  gaps bridged: {}\n", s.gaps);
  if (!s.fallbacks.empty()) {
    out += fmt::format("  {} pair(s) not motion-interpolated:\n", s.fallbacks.size());
    for (const auto& f : s.fallbacks) out += "    " + f + "\n";
  }
  return out;
}

}  // namespace goesvfi
