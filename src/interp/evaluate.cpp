#include "interp/evaluate.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "interp/metrics.hpp"

namespace goesvfi {

namespace {

using FrameSource = std::function<Image(std::size_t)>;

void check_evaluation(std::size_t count, std::span<const EvaluationBackend> backends,
                      const EvaluationOptions& options) {
  if (options.drop < 1) {
    fail(ErrorKind::InvalidArgument, "evaluate.drop {} is invalid (expected 1 or more frames)", options.drop);
  }
  if (backends.empty()) fail(ErrorKind::InvalidArgument, "evaluate: no backend to score");
  for (const auto& b : backends) {
    if (b.backend == nullptr) fail(ErrorKind::Internal, "evaluate: backend '{}' is null", b.label);
    if (!b.backend->synthesises_frames()) {
      fail(ErrorKind::InvalidArgument,
           "evaluate: backend '{}' makes no intermediate frames, so there is nothing to score (use blend, "
           "flow, minterpolate or rife)",
           b.label);
    }
  }
  const std::size_t needed = static_cast<std::size_t>(options.drop) + 2;
  if (count < needed) {
    fail(ErrorKind::InvalidArgument, "evaluate: dropping {} frame(s) needs at least {} frames, got {}",
         options.drop, needed, count);
  }
}

// Clears `mask` (1 = identical so far) where `frame` differs from `reference` in any channel.
void clear_where_different(Image& mask, const Image& reference, const Image& frame) {
  if (!frame.same_layout(reference)) {
    fail(ErrorKind::InvalidArgument, "frames differ in layout ({} vs {})", frame.describe(),
         reference.describe());
  }
  const std::size_t pixel_bytes = static_cast<std::size_t>(frame.channels()) * sample_size(frame.type());
  for (int y = 0; y < frame.height(); ++y) {
    const std::byte* a = reference.row<std::byte>(y);
    const std::byte* b = frame.row<std::byte>(y);
    std::uint8_t* m = mask.row<std::uint8_t>(y);
    for (int x = 0; x < frame.width(); ++x) {
      const std::size_t at = static_cast<std::size_t>(x) * pixel_bytes;
      if (m[x] != 0 && std::memcmp(a + at, b + at, pixel_bytes) != 0) m[x] = 0;
    }
  }
}

Image identical_mask_from(std::size_t count, const FrameSource& source) {
  if (count == 0) fail(ErrorKind::InvalidArgument, "no frames for a static-pixel mask");
  const Image reference = source(0);
  Image mask(reference.width(), reference.height(), 1, SampleType::U8);
  for (int y = 0; y < mask.height(); ++y) std::fill_n(mask.row<std::uint8_t>(y), mask.width(), 1);
  for (std::size_t i = 1; i < count; ++i) clear_where_different(mask, reference, source(i));
  return mask;
}

// The scored pixels (1) of a frame of `width` x `height`: all but the rectangles and the static pixels.
Image scored_mask(int width, int height, const EvaluationOptions& options, const Image& identical,
                  std::size_t& masked) {
  masked = 0;
  if (options.masks.empty() && identical.empty()) return Image();
  Image mask(width, height, 1, SampleType::U8);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* m = mask.row<std::uint8_t>(y);
    const std::uint8_t* same = identical.empty() ? nullptr : identical.row<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) m[x] = same != nullptr && same[x] != 0 ? 0 : 1;
  }
  for (const Rect& r : options.masks) {
    const int x0 = std::clamp(r.x, 0, width), x1 = std::clamp(r.x + r.width, 0, width);
    const int y0 = std::clamp(r.y, 0, height), y1 = std::clamp(r.y + r.height, 0, height);
    for (int y = y0; y < y1; ++y)
      std::fill(mask.row<std::uint8_t>(y) + x0, mask.row<std::uint8_t>(y) + x1, 0);
  }
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* m = mask.row<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) masked += m[x] == 0 ? 1 : 0;
  }
  if (masked == static_cast<std::size_t>(width) * static_cast<std::size_t>(height)) {
    fail(ErrorKind::InvalidArgument, "evaluate: the masks leave no pixel of the {}x{} frames to score", width,
         height);
  }
  return mask;
}

// Every window of one sequence, every backend on each window (frames are decoded once).
std::vector<EvaluationResult> run_evaluation(std::size_t count, const FrameSource& source,
                                             std::vector<std::string> names, std::span<const int> steps,
                                             std::span<const EvaluationBackend> backends,
                                             const EvaluationOptions& options, const CancelToken& cancel,
                                             Progress& progress) {
  check_evaluation(count, backends, options);
  const std::size_t span = static_cast<std::size_t>(options.drop) + 1;  // first -> last
  const std::size_t windows = count - span;
  const std::vector<double> uniform = uniform_timesteps(options.drop);
  // Each frame's place on the schedule (in steps of the cadence); evenly spaced without steps.
  std::vector<std::int64_t> position(count, 0);
  for (std::size_t i = 1; i < count; ++i)
    position[i] = position[i - 1] + (i - 1 < steps.size() ? std::max(1, steps[i - 1]) : 1);

  std::vector<EvaluationResult> results(backends.size());
  for (std::size_t b = 0; b < backends.size(); ++b) {
    results[b].backend = backends[b].label;
    results[b].drop = options.drop;
    results[b].names = names;
  }

  const Image identical = options.mask_static ? identical_mask_from(count, source) : Image();

  // A sliding window: frames [first, last] are held, frame last+1 is decoded ahead on the pool.
  struct Window {
    std::map<std::size_t, std::future<Image>> pending;
    std::map<std::size_t, Image> ready;
    ~Window() {  // reads in flight reference `source`: let them finish before it goes away
      for (auto& [index, future] : pending) {
        if (future.valid()) future.wait();
      }
    }
  } window;
  const auto request = [&](std::size_t index) {
    if (index >= count || window.ready.count(index) != 0 || window.pending.count(index) != 0) return;
    window.pending.emplace(index, ThreadPool::global().submit([&source, index] { return source(index); }));
  };
  const auto get = [&](std::size_t index) -> Image {
    if (auto it = window.ready.find(index); it != window.ready.end()) return it->second;
    request(index);
    auto node = window.pending.extract(index);
    Image image = ThreadPool::global().wait(node.mapped());
    window.ready.emplace(index, image);
    return image;
  };
  const auto evict_before = [&](std::size_t first) {
    std::erase_if(window.ready, [first](const auto& entry) { return entry.first < first; });
  };

  ProgressTask task =
      progress.task("evaluate", static_cast<std::int64_t>(windows * backends.size()), "pairs");
  Image mask;
  std::size_t masked = 0;
  std::vector<double> psnr_sum(backends.size(), 0.0), ssim_sum(backends.size(), 0.0);
  for (std::size_t first = 0; first < windows; ++first) {
    cancel.throw_if_cancelled();
    const std::size_t last = first + span;
    evict_before(first);
    for (std::size_t i = first; i <= last + 1; ++i) request(i);
    const Image a = get(first), c = get(last);
    const auto window_steps = position[last] - position[first];
    const bool gap = window_steps > static_cast<std::int64_t>(span);
    std::vector<double> timesteps = uniform;
    if (gap) {
      for (std::size_t j = 0; j < timesteps.size(); ++j)
        timesteps[j] = static_cast<double>(position[first + 1 + j] - position[first]) /
                       static_cast<double>(window_steps);
    }
    if (first == 0) {
      mask = scored_mask(a.width(), a.height(), options, identical, masked);
      for (auto& r : results) {
        r.masked_pixels = masked;
        r.pixels = static_cast<std::size_t>(a.width()) * static_cast<std::size_t>(a.height());
      }
    }
    for (std::size_t b = 0; b < backends.size(); ++b) {
      Interpolator& backend = *backends[b].backend;
      EvaluationResult& result = results[b];
      PairReport report;
      std::vector<Image> made =
          with_context(fmt::format("while interpolating {} -> {}", names[first], names[last]),
                       [&] { return backend.interpolate(a, c, timesteps, cancel, &report); });
      if (made.size() != timesteps.size()) {
        fail(ErrorKind::Internal, "backend '{}' returned {} frames for {} timesteps", backends[b].label,
             made.size(), timesteps.size());
      }
      if (report.fell_back) ++result.fell_back_pairs;
      for (std::size_t j = 0; j < made.size(); ++j) {
        const std::size_t target = first + 1 + j;
        const Image truth = get(target);
        ScoredFrame s;
        s.first = first;
        s.last = last;
        s.target = target;
        s.t = timesteps[j];
        s.gap = gap;
        with_context(fmt::format("while scoring {} against {}", names[target], names[first]), [&] {
          s.psnr = psnr(made[j], truth, mask);
          s.ssim = ssim(made[j], truth, mask);
        });
        s.fell_back = report.fell_back;
        s.note = report.reason;
        psnr_sum[b] += s.psnr;
        ssim_sum[b] += s.ssim;
        result.scores.push_back(std::move(s));
      }
      task.advance();
    }
  }
  task.finish();
  for (std::size_t b = 0; b < backends.size(); ++b) {
    const double n = static_cast<double>(results[b].scores.size());
    results[b].mean_psnr = psnr_sum[b] / n;
    results[b].mean_ssim = ssim_sum[b] / n;
  }
  return results;
}

std::vector<std::string> memory_names(std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < count; ++i) names.push_back(fmt::format("frame {}", i));
  return names;
}

std::vector<std::string> file_names(std::span<const std::filesystem::path> frames) {
  std::vector<std::string> names;
  for (const auto& p : frames) names.push_back(p.filename().string());
  return names;
}

FrameSource path_source(std::span<const std::filesystem::path> frames) {
  return [frames](std::size_t i) { return read_image(frames[i]); };
}

EvaluationReport single_report(const EvaluationResult& result) {
  return EvaluationReport{result.drop, {"frames"}, {result.backend}, {{result}}};
}

}  // namespace

EvaluationResult evaluate_interpolator(std::span<const Image> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress) {
  const EvaluationBackend one[] = {{std::string(backend.name()), &backend}};
  return run_evaluation(
             frames.size(), [frames](std::size_t i) { return frames[i]; }, memory_names(frames.size()), {},
             one, options, cancel, progress)
      .front();
}

EvaluationResult evaluate_interpolator(std::span<const std::filesystem::path> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress) {
  const EvaluationBackend one[] = {{std::string(backend.name()), &backend}};
  return run_evaluation(frames.size(), path_source(frames), file_names(frames), {}, one, options, cancel,
                        progress)
      .front();
}

EvaluationReport evaluate_sequences(std::span<const EvaluationSequence> sequences,
                                    std::span<const EvaluationBackend> backends,
                                    const EvaluationOptions& options, const CancelToken& cancel,
                                    Progress& progress) {
  if (sequences.empty()) fail(ErrorKind::InvalidArgument, "evaluate: no sequence to score");
  EvaluationReport report;
  report.drop = options.drop;
  for (const auto& b : backends) report.backends.push_back(b.label);
  for (const auto& sequence : sequences) {
    report.sequences.push_back(sequence.label);
    report.results.push_back(with_context(fmt::format("in sequence {}", sequence.label), [&] {
      return run_evaluation(sequence.frames.size(), path_source(sequence.frames), file_names(sequence.frames),
                            sequence.steps, backends, options, cancel, progress);
    }));
  }
  return report;
}

Image identical_pixel_mask(std::span<const std::filesystem::path> frames) {
  return identical_mask_from(frames.size(), path_source(frames));
}

Image identical_pixel_mask(std::span<const Image> frames) {
  return identical_mask_from(frames.size(), [frames](std::size_t i) { return frames[i]; });
}

std::string format_evaluation_table(const EvaluationReport& report, bool per_frame) {
  std::string out;
  std::size_t label_width = 6;
  for (const auto& b : report.backends) label_width = std::max(label_width, b.size());
  if (per_frame) {
    for (std::size_t s = 0; s < report.sequences.size(); ++s) {
      const auto& results = report.results[s];
      const auto& names = results.front().names;
      std::size_t name_width = 5;
      for (const auto& n : names) name_width = std::max(name_width, n.size());
      out += fmt::format("{}: dropping {} frame(s) between kept frames\n", report.sequences[s], report.drop);
      out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>5} ", "first", name_width, "last", name_width, "frame",
                         name_width, "t");
      for (const auto& b : report.backends) out += fmt::format("  {:>{}}", b + " dB/SSIM", label_width + 15);
      out += "\n";
      const auto& rows = results.front().scores;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>5.3f}{}", names[r.first], name_width, names[r.last],
                           name_width, names[r.target], name_width, r.t, r.gap ? "g" : " ");
        for (const auto& result : results) {
          const auto& score = result.scores[i];
          out += fmt::format(
              "  {:>{}}", fmt::format("{:.2f} {:.4f}{}", score.psnr, score.ssim, score.fell_back ? "*" : " "),
              label_width + 15);
        }
        out += "\n";
      }
      out += "\n";
    }
  }
  std::size_t seq_width = 8;
  for (const auto& s : report.sequences) seq_width = std::max(seq_width, s.size());
  out += fmt::format("mean PSNR dB / SSIM, dropping {} frame(s) between kept frames\n", report.drop);
  out += fmt::format("{:<{}}  {:<{}}  {:>6}  {:>8}  {:>6}  {:>8}  {:>8}\n", "sequence", seq_width, "backend",
                     label_width, "frames", "PSNR dB", "SSIM", "masked %", "fallback");
  std::string notes;
  for (std::size_t s = 0; s < report.sequences.size(); ++s) {
    for (const auto& r : report.results[s]) {
      const double masked =
          r.pixels == 0 ? 0.0 : 100.0 * static_cast<double>(r.masked_pixels) / static_cast<double>(r.pixels);
      out += fmt::format("{:<{}}  {:<{}}  {:>6}  {:>8.2f}  {:>6.4f}  {:>8.1f}  {:>8}\n", report.sequences[s],
                         seq_width, r.backend, label_width, r.scores.size(), r.mean_psnr, r.mean_ssim, masked,
                         r.fell_back_pairs);
      std::size_t gap_frames = 0;
      double gap_psnr = 0, gap_ssim = 0;
      for (const auto& score : r.scores) {
        if (!score.gap) continue;
        ++gap_frames;
        gap_psnr += score.psnr;
        gap_ssim += score.ssim;
      }
      if (gap_frames > 0) {
        notes += fmt::format(
            "{} {}: {} frame(s) scored across a missing scan (g), at their times: {:.2f} dB / "
            "{:.4f}\n",
            report.sequences[s], r.backend, gap_frames, gap_psnr / static_cast<double>(gap_frames),
            gap_ssim / static_cast<double>(gap_frames));
      }
      if (r.fell_back_pairs > 0) {
        for (const auto& score : r.scores) {
          if (!score.fell_back) continue;
          notes += fmt::format("{} {}: {} pair(s) not motion-interpolated (*), e.g.: {}\n",
                               report.sequences[s], r.backend, r.fell_back_pairs, score.note);
          break;
        }
      }
    }
  }
  return out + notes;
}

std::string format_evaluation_json(const EvaluationReport& report) {
  nlohmann::json sequences = nlohmann::json::array();
  for (std::size_t s = 0; s < report.sequences.size(); ++s) {
    nlohmann::json backends = nlohmann::json::array();
    for (const auto& r : report.results[s]) {
      nlohmann::json frames = nlohmann::json::array();
      for (const auto& score : r.scores) {
        frames.push_back({{"first", r.names[score.first]},
                          {"last", r.names[score.last]},
                          {"frame", r.names[score.target]},
                          {"first_index", score.first},
                          {"last_index", score.last},
                          {"frame_index", score.target},
                          {"t", score.t},
                          {"gap", score.gap},
                          {"psnr", score.psnr},
                          {"ssim", score.ssim},
                          {"fell_back", score.fell_back},
                          {"note", score.note}});
      }
      backends.push_back({{"backend", r.backend},
                          {"mean_psnr", r.mean_psnr},
                          {"mean_ssim", r.mean_ssim},
                          {"fell_back_pairs", r.fell_back_pairs},
                          {"masked_pixels", r.masked_pixels},
                          {"pixels", r.pixels},
                          {"frames", frames}});
    }
    sequences.push_back({{"sequence", report.sequences[s]}, {"backends", backends}});
  }
  const nlohmann::json doc = {{"drop", report.drop}, {"sequences", sequences}};
  return doc.dump(2) + "\n";
}

std::string format_evaluation_table(const EvaluationResult& result) {
  return format_evaluation_table(single_report(result));
}

std::string format_evaluation_json(const EvaluationResult& result) {
  return format_evaluation_json(single_report(result));
}

}  // namespace goesvfi
