#include "interp/evaluate.hpp"

#include <algorithm>
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

void check_evaluation(std::size_t count, const Interpolator& backend, const EvaluationOptions& options) {
  if (options.drop < 1) {
    fail(ErrorKind::InvalidArgument, "evaluate: --drop {} is invalid (expected 1 or more frames)",
         options.drop);
  }
  if (!backend.synthesises_frames()) {
    fail(
        ErrorKind::InvalidArgument,
        "evaluate: backend '{}' makes no intermediate frames, so there is nothing to score (use blend, flow, "
        "minterpolate or rife)",
        backend.name());
  }
  const std::size_t needed = static_cast<std::size_t>(options.drop) + 2;
  if (count < needed) {
    fail(ErrorKind::InvalidArgument, "evaluate: dropping {} frame(s) needs at least {} frames, got {}",
         options.drop, needed, count);
  }
}

EvaluationResult run_evaluation(std::size_t count, const FrameSource& source, std::vector<std::string> names,
                                Interpolator& backend, const EvaluationOptions& options,
                                const CancelToken& cancel, Progress& progress) {
  check_evaluation(count, backend, options);
  const std::size_t span = static_cast<std::size_t>(options.drop) + 1;  // first -> last
  const std::size_t windows = count - span;
  const std::vector<double> timesteps = uniform_timesteps(options.drop);

  EvaluationResult result;
  result.backend = std::string(backend.name());
  result.drop = options.drop;
  result.names = std::move(names);

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

  ProgressTask task = progress.task("evaluate", static_cast<std::int64_t>(windows), "pairs");
  double psnr_sum = 0, ssim_sum = 0;
  for (std::size_t first = 0; first < windows; ++first) {
    cancel.throw_if_cancelled();
    const std::size_t last = first + span;
    evict_before(first);
    for (std::size_t i = first; i <= last + 1; ++i) request(i);
    const Image a = get(first), c = get(last);
    PairReport report;
    std::vector<Image> made =
        with_context(fmt::format("while interpolating {} -> {}", result.names[first], result.names[last]),
                     [&] { return backend.interpolate(a, c, timesteps, cancel, &report); });
    if (made.size() != timesteps.size()) {
      fail(ErrorKind::Internal, "backend '{}' returned {} frames for {} timesteps", backend.name(),
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
      with_context(fmt::format("while scoring {} against {}", result.names[target], result.names[first]),
                   [&] {
                     s.psnr = psnr(made[j], truth);
                     s.ssim = ssim(made[j], truth);
                   });
      s.fell_back = report.fell_back;
      s.note = report.reason;
      psnr_sum += s.psnr;
      ssim_sum += s.ssim;
      result.scores.push_back(std::move(s));
    }
    task.advance();
  }
  task.finish();
  const double n = static_cast<double>(result.scores.size());
  result.mean_psnr = psnr_sum / n;
  result.mean_ssim = ssim_sum / n;
  return result;
}

}  // namespace

EvaluationResult evaluate_interpolator(std::span<const Image> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < frames.size(); ++i) names.push_back(fmt::format("frame {}", i));
  return run_evaluation(
      frames.size(), [frames](std::size_t i) { return frames[i]; }, std::move(names), backend, options,
      cancel, progress);
}

EvaluationResult evaluate_interpolator(std::span<const std::filesystem::path> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress) {
  std::vector<std::string> names;
  for (const auto& p : frames) names.push_back(p.filename().string());
  return run_evaluation(
      frames.size(), [frames](std::size_t i) { return read_image(frames[i]); }, std::move(names), backend,
      options, cancel, progress);
}

std::string format_evaluation_table(const EvaluationResult& r) {
  std::size_t name_width = 5;
  for (const auto& n : r.names) name_width = std::max(name_width, n.size());
  std::string out = fmt::format("backend {}, dropping {} frame(s) between kept frames\n", r.backend, r.drop);
  out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>5}  {:>8}  {:>6}\n", "first", name_width, "last", name_width,
                     "frame", name_width, "t", "PSNR dB", "SSIM");
  for (const auto& s : r.scores) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>5.3f}  {:>8.2f}  {:>6.4f}{}\n", r.names[s.first],
                       name_width, r.names[s.last], name_width, r.names[s.target], name_width, s.t, s.psnr,
                       s.ssim, s.fell_back ? "  (fell back)" : "");
  }
  out += fmt::format("mean over {} frame(s): PSNR {:.2f} dB, SSIM {:.4f}\n", r.scores.size(), r.mean_psnr,
                     r.mean_ssim);
  if (r.fell_back_pairs > 0) {
    std::string reason;
    for (const auto& s : r.scores) {
      if (s.fell_back) {
        reason = s.note;
        break;
      }
    }
    out += fmt::format("{} pair(s) not motion-interpolated, e.g.: {}\n", r.fell_back_pairs, reason);
  }
  return out;
}

std::string format_evaluation_json(const EvaluationResult& r) {
  nlohmann::json frames = nlohmann::json::array();
  for (const auto& s : r.scores) {
    frames.push_back({{"first", r.names[s.first]},
                      {"last", r.names[s.last]},
                      {"frame", r.names[s.target]},
                      {"first_index", s.first},
                      {"last_index", s.last},
                      {"frame_index", s.target},
                      {"t", s.t},
                      {"psnr", s.psnr},
                      {"ssim", s.ssim},
                      {"fell_back", s.fell_back},
                      {"note", s.note}});
  }
  const nlohmann::json doc = {{"backend", r.backend},     {"drop", r.drop},
                              {"frames", frames},         {"mean_psnr", r.mean_psnr},
                              {"mean_ssim", r.mean_ssim}, {"fell_back_pairs", r.fell_back_pairs}};
  return doc.dump(2) + "\n";
}

}  // namespace goesvfi
