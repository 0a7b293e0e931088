// Scoring backends on real sequences: drop k frames between two kept frames, interpolate them back and score
// each against the frame that was dropped (PSNR, SSIM), for every window of the sequence, plus the means.
// Several sequences and several backends in one run make one comparison (every window is decoded once and
// given to every backend). Regions can be left out of the score: rectangles, and "auto" (the pixels that are
// identical in every frame of a sequence: captions, map outlines, grids). This is how users and the
// benchmarks choose a backend (`goesvfi evaluate`).
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
  // Rectangles left out of the score (clipped to the frame).
  std::vector<Rect> masks;
  // Also leave out the pixels that are identical in every frame of the sequence (static overlays).
  bool mask_static = false;
};

struct ScoredFrame {
  std::size_t first = 0, last = 0;  // indices of the kept frames the backend interpolated between
  std::size_t target = 0;           // index of the dropped frame the result is scored against
  double t = 0.5;    // of the target between the kept frames, in time (scan times) or evenly spaced
  bool gap = false;  // the window spans a missing scan (a longer step than the sequence's cadence)
  double psnr = 0, ssim = 0;
  bool fell_back = false;  // the backend did not motion-interpolate this pair (PairReport)
  std::string note;        // the backend's reason
};

struct EvaluationResult {
  std::string backend;  // the label asked for (e.g. "flow:quality")
  int drop = 1;
  std::vector<std::string> names;  // frame names (file names, or "frame N" for frames in memory)
  std::vector<ScoredFrame> scores;
  double mean_psnr = 0, mean_ssim = 0;
  std::size_t fell_back_pairs = 0;
  std::size_t masked_pixels = 0, pixels = 0;  // pixels left out of the score, of all pixels in a frame
};

// Frames already in memory. InvalidArgument for fewer than drop+2 frames, drop < 1, a backend that makes no
// frames (`none`), frames of different layouts (naming both frames) or masks that leave nothing to score.
EvaluationResult evaluate_interpolator(std::span<const Image> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress = Progress::null());
// Frames read lazily with read_image (only a window of the frames is held, the next read ahead on the pool).
EvaluationResult evaluate_interpolator(std::span<const std::filesystem::path> frames, Interpolator& backend,
                                       const EvaluationOptions& options, const CancelToken& cancel,
                                       Progress& progress = Progress::null());

// A comparison: sequences (e.g. one folder each) x backends.
struct EvaluationSequence {
  std::string label;  // e.g. the folder name
  std::vector<std::filesystem::path> frames;
  // Schedule steps from each frame to the next (pipeline's cadence_steps of the scan times in the names);
  // empty = evenly spaced. A window over a missing scan then scores its frames at their true times.
  std::vector<int> steps;
};
struct EvaluationBackend {
  std::string label;  // e.g. "flow:quality"
  Interpolator* backend = nullptr;
};
struct EvaluationReport {
  int drop = 1;
  std::vector<std::string> sequences;  // labels, in order
  std::vector<std::string> backends;   // labels, in order
  // results[s][b]: sequence s, backend b.
  std::vector<std::vector<EvaluationResult>> results;
};

EvaluationReport evaluate_sequences(std::span<const EvaluationSequence> sequences,
                                    std::span<const EvaluationBackend> backends,
                                    const EvaluationOptions& options, const CancelToken& cancel,
                                    Progress& progress = Progress::null());

// The pixels identical in every frame (U8, 1 = identical), read one frame at a time.
Image identical_pixel_mask(std::span<const std::filesystem::path> frames);
Image identical_pixel_mask(std::span<const Image> frames);

// For people: per sequence, one row per scored frame with a PSNR/SSIM column pair per backend (unless
// `per_frame` is false), then the means of every sequence and backend. JSON: the same with every score.
std::string format_evaluation_table(const EvaluationReport& report, bool per_frame = true);
std::string format_evaluation_json(const EvaluationReport& report);
// One sequence scored by one backend, formatted as above.
std::string format_evaluation_table(const EvaluationResult& result);
std::string format_evaluation_json(const EvaluationResult& result);

}  // namespace goesvfi
