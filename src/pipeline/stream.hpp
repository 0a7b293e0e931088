// The streaming core shared by `goesvfi interpolate` and `goesvfi timelapse`: frames arrive one at a time
// from a source, pairs go through the interpolation backend, and originals plus synthesised frames go through
// a bounded queue to the encoder running on its own stage thread. Memory is bounded by the queue and the
// prefetch window, not by the number of frames. An error or Ctrl-C anywhere stops every stage and leaves no
// output file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "encode/encoder.hpp"
#include "interp/interpolator.hpp"

namespace goesvfi {

enum class GapMode { Skip, Hold, Interpolate };
GapMode parse_gap_mode(const std::string& text);  // skip|hold|interpolate

// interpolate.space: interpolate the data (physical values) and colour after, or the coloured pictures.
enum class InterpSpace { Auto, Data, Colour };
InterpSpace parse_interp_space(const std::string& text);  // auto|data|colour
std::string_view interp_space_name(InterpSpace space);

// What makes a frame the picture to encode when it is interpolated before colouring (interpolate.space =
// data): the product's colour table / false colour. Empty: the frame is the picture already.
using FrameColour = std::function<Image(const Image&)>;

struct StreamFrame {
  Image image;
  std::string label;      // file name or scan time, for messages
  int slots_to_next = 1;  // schedule steps to the next frame: > 1 means scans are missing in between
  // Applied on the pool to this frame and to the frames made between it and the next, after interpolation
  // and before the encoder.
  FrameColour colour;
};

// Returns the next frame or nullopt at the end.
using FrameSource = std::function<std::optional<StreamFrame>()>;

struct StreamOptions {
  Interpolator* interpolator = nullptr;
  int intermediate = 0;                 // N frames per pair at t = k/(N+1)
  GapMode gaps = GapMode::Interpolate;  // how slots_to_next > 1 is handled
  std::filesystem::path output;         // the video
  EncodeOptions encode;
  std::filesystem::path keep_frames;  // when set, every output frame is also written there as PNG
  int queue_frames = 4;               // frames between interpolation and encoding
  std::int64_t expected_inputs = 0;   // for the progress total (0 = unknown)
  std::int64_t expected_outputs = 0;  // the progress total when known better (gaps); 0 = from inputs
  bool emit_last = true;  // false: the last input only ends the last pair (a segment shares it with the next)
};

struct StreamSummary {
  std::int64_t input_frames = 0;
  std::int64_t output_frames = 0;
  std::int64_t synthesised_frames = 0;
  std::int64_t held_frames = 0;        // copies made for --gaps hold
  std::int64_t gaps = 0;               // pairs with slots_to_next > 1
  std::vector<std::string> fallbacks;  // pairs not motion-interpolated, and why
  int width = 0, height = 0;
  double seconds_source = 0, seconds_interpolate = 0, seconds_encode = 0;
};

// Output frame count for F inputs, N intermediates and the given extra slots: (F-1)(N+1)+1 without gaps.
std::int64_t planned_output_frames(std::int64_t inputs, int intermediate);

// Timesteps for a pair `slots` schedule steps apart with N intermediates per step, uniform in time:
// k / ((N+1)*slots) for k = 1 .. (N+1)*slots - 1.
std::vector<double> gap_timesteps(int intermediate, int slots);

// The in-between timesteps of one pair `slots` schedule steps apart under `gaps`: gap_timesteps over the
// whole step when gaps are interpolated, else the N of a single step (skip: the gap is closed; hold: the
// held copies fill it first). Empty when the backend makes no frames.
std::vector<double> pair_timesteps(int intermediate, int slots, GapMode gaps, bool synthesises);
// The video frames one pair adds: its first frame, the copies held through missing slots (hold) and the
// synthesised frames. Summed over the pairs (+1 for the last frame) this is the video's length.
std::int64_t pair_output_frames(int intermediate, int slots, GapMode gaps, bool synthesises);

StreamSummary run_stream(const FrameSource& source, const StreamOptions& options, Progress& progress,
                         const CancelToken& cancel);

}  // namespace goesvfi
