// Scoring a backend on real sequences: drop k frames between two kept frames, interpolate them back and score
// each against the frame that was dropped (PSNR, SSIM), for every window of the sequence, plus the means.
// This is how users and the benchmarks choose a backend (`goesvfi evaluate`).
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/image.hpp"
#include "core/progress.hpp"
#include "interp/interpolator.hpp"

namespace goesvfi {

struct EvaluationOptions {
  // Frames dropped between the two kept ones: 1 scores triplets (a,b,c) at t=0.5; k scores k frames at
  // t = j/(k+1). Windows slide by one frame, so frame i is scored once per window that drops it.
  int drop = 1;
};

struct ScoredFrame {
  std::size_t first = 0, last = 0;  // indices of the kept frames the backend interpolated between
  std::size_t target = 0;           // index of the dropped frame the result is scored against
  double t = 0.5;
  double psnr = 0, ssim = 0;
  bool fell_back = false;  // the backend did not motion-interpolate this pair (PairReport)
  std::string note;        // the backend's reason
};

struct EvaluationResult {
  std::string backend;
  int drop = 1;
  std::vector<std::string> names;  // frame names (file names, or "frame N" for frames in memory)
  std::vector<ScoredFrame> scores;
  double mean_psnr = 0, mean_ssim = 0;
  std::size_t fell_back_pairs = 0;
};

// Frames already in memory. InvalidArgument for fewer than drop+2 frames, drop < 1, a backend that makes no
// frames (`none`) or frames of different layouts (naming both frames).
EvaluationResult evaluate_interpolator(std::span<const Image> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress = Progress::null());
// Frames read lazily with read_image (only a window of drop+2 frames is held, the next read ahead on the
// pool).
EvaluationResult evaluate_interpolator(std::span<const std::filesystem::path> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress = Progress::null());

// A table for people (one row per scored frame, then the means) and the same as a JSON document.
std::string format_evaluation_table(const EvaluationResult& result);
std::string format_evaluation_json(const EvaluationResult& result);

}  // namespace goesvfi
