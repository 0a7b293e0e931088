#include "pipeline/stream.hpp"

#include <chrono>
#include <filesystem>
#include <future>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/bounded_queue.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

GapMode parse_gap_mode(const std::string& text) {
  if (text == "skip") return GapMode::Skip;
  if (text == "hold") return GapMode::Hold;
  if (text == "interpolate") return GapMode::Interpolate;
  fail(ErrorKind::InvalidArgument, "gap mode '{}' is not one of skip, hold, interpolate", text);
}

InterpSpace parse_interp_space(const std::string& text) {
  if (text == "auto") return InterpSpace::Auto;
  if (text == "data") return InterpSpace::Data;
  if (text == "colour") return InterpSpace::Colour;
  fail(ErrorKind::InvalidArgument, "interpolate.space '{}' is not one of auto, data, colour", text);
}

std::string_view interp_space_name(InterpSpace space) {
  switch (space) {
    case InterpSpace::Data:
      return "data";
    case InterpSpace::Colour:
      return "colour";
    default:
      return "auto";
  }
}

std::int64_t planned_output_frames(std::int64_t inputs, int intermediate) {
  return inputs <= 0 ? 0 : (inputs - 1) * (intermediate + 1) + 1;
}

std::vector<double> gap_timesteps(int intermediate, int slots) {
  const int steps = (intermediate + 1) * std::max(1, slots);
  std::vector<double> ts;
  for (int k = 1; k < steps; ++k) ts.push_back(static_cast<double>(k) / steps);
  return ts;
}

std::vector<double> pair_timesteps(int intermediate, int slots, GapMode gaps, bool synthesises) {
  if (!synthesises) return {};
  return gap_timesteps(intermediate, slots > 1 && gaps == GapMode::Interpolate ? slots : 1);
}

std::int64_t pair_output_frames(int intermediate, int slots, GapMode gaps, bool synthesises) {
  std::int64_t frames = 1;
  if (slots > 1 && gaps == GapMode::Hold) frames += static_cast<std::int64_t>(intermediate + 1) * (slots - 1);
  return frames + static_cast<std::int64_t>(pair_timesteps(intermediate, slots, gaps, synthesises).size());
}

namespace {
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

StreamSummary run_stream(const FrameSource& source, const StreamOptions& options, Progress& progress,
                         const CancelToken& cancel) {
  if (options.interpolator == nullptr) fail(ErrorKind::Internal, "run_stream without an interpolator");
  StreamSummary summary;
  // Frames to encode, each being coloured on the pool (or ready) while the next pair is interpolated.
  BoundedQueue<std::future<Image>> queue(static_cast<std::size_t>(std::max(1, options.queue_frames)));
  ProgressTask task = progress.task(
      "frames",
      options.expected_outputs > 0 ? options.expected_outputs
                                   : planned_output_frames(options.expected_inputs, options.intermediate),
      "frames");
  if (!options.keep_frames.empty()) fs::create_directories(options.keep_frames);

  // The encoder stage: created at the first frame (its size), finished only when the producer closed the
  // queue without error. On any error the encoder is destroyed unfinished, which removes its temporary file.
  double encode_seconds = 0;
  std::shared_future<void> encoder_done =
      ThreadPool::global()
          .start_stage("encode",
                       [&] {
                         std::unique_ptr<VideoEncoder> encoder;
                         std::int64_t index = 0;
                         try {
                           while (auto pending = queue.pop()) {
                             const Image frame = ThreadPool::global().wait(*pending);
                             const auto start = Clock::now();
                             if (!encoder) {
                               encoder = std::make_unique<VideoEncoder>(options.output, frame.width(),
                                                                        frame.height(), options.encode);
                               summary.width = frame.width();  // the video's (after any colouring step)
                               summary.height = frame.height();
                             }
                             encoder->write(frame);
                             task.frame(frame, index);
                             if (!options.keep_frames.empty()) {
                               write_image(options.keep_frames / fmt::format("frame_{:06}.png", index),
                                           frame);
                             }
                             ++index;
                             encode_seconds += seconds_since(start);
                             task.advance();
                             cancel.throw_if_cancelled();
                           }
                           if (!encoder) fail(ErrorKind::InvalidArgument, "no frames to encode");
                           const auto start = Clock::now();
                           encoder->finish();
                           encode_seconds += seconds_since(start);
                         } catch (...) {
                           queue.abort();  // the producer's next push fails, so it stops too
                           throw;
                         }
                       })
          .share();

  auto emit = [&](Image frame, const FrameColour& colour) {
    ++summary.output_frames;
    std::future<Image> pending;
    if (colour) {
      pending = ThreadPool::global().submit([colour, frame = std::move(frame)] { return colour(frame); });
    } else {
      std::promise<Image> ready;
      ready.set_value(std::move(frame));
      pending = ready.get_future();
    }
    if (!queue.push(std::move(pending))) {
      // The encoder stopped: its error (re)thrown by the future explains why.
      encoder_done.get();
      fail(ErrorKind::Internal, "encoder stopped without an error");
    }
  };

  try {
    std::optional<StreamFrame> prev;
    for (;;) {
      cancel.throw_if_cancelled();
      auto start = Clock::now();
      std::optional<StreamFrame> cur = source();
      summary.seconds_source += seconds_since(start);
      if (!cur) break;
      ++summary.input_frames;
      if (prev) {
        const int slots = std::max(1, prev->slots_to_next);
        if (slots > 1) ++summary.gaps;
        start = Clock::now();
        std::vector<Image> between;
        if (slots > 1 && options.gaps == GapMode::Hold) {
          // Hold the last good frame through the missing slots, then interpolate the last step as usual.
          for (int k = 0; k < (options.intermediate + 1) * (slots - 1); ++k) {
            between.push_back(prev->image);
            ++summary.held_frames;
          }
        }
        const auto ts = pair_timesteps(options.intermediate, slots, options.gaps,
                                       options.interpolator->synthesises_frames());
        if (!ts.empty()) {
          PairReport report;
          auto frames =
              with_context(fmt::format("while interpolating {} -> {}", prev->label, cur->label), [&] {
                return options.interpolator->interpolate(prev->image, cur->image, ts, cancel, &report);
              });
          if (report.fell_back) {
            summary.fallbacks.push_back(fmt::format("{} -> {}: {}", prev->label, cur->label, report.reason));
            spdlog::warn("{} -> {}: {}", prev->label, cur->label, report.reason);
          }
          summary.synthesised_frames += static_cast<std::int64_t>(frames.size());
          for (auto& f : frames) between.push_back(std::move(f));
        }
        summary.seconds_interpolate += seconds_since(start);
        emit(std::move(prev->image), prev->colour);
        for (auto& f : between) emit(std::move(f), prev->colour);
      }
      prev = std::move(cur);
    }
    if (!prev) fail(ErrorKind::InvalidArgument, "no input frames");
    if (options.emit_last) emit(std::move(prev->image), prev->colour);
    queue.close();
  } catch (...) {
    queue.close(std::current_exception());
    try {
      encoder_done.get();
    } catch (...) {
      // The producer's error is the one to report; the encoder only stopped because of it.
    }
    throw;
  }
  encoder_done.get();
  summary.seconds_encode = encode_seconds;
  task.finish();
  return summary;
}

}  // namespace goesvfi
