// `goesvfi interpolate`: a folder, list or glob of frames in, a smooth video out, in one process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "colour/false_colour.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"
#include "pipeline/input.hpp"
#include "pipeline/stream.hpp"

namespace goesvfi {

// The settings of the config come from it (interpolate.*, encode.*, frame.*, colour.*): InterpolateJob{}
// equals from_config(Config::defaults()) and no default value of a key is written here. The caller adds
// inputs, output and keep_frames.
struct InterpolateJob {
  InterpolateJob();

  std::vector<std::string> inputs;  // folders, files or globs
  std::filesystem::path output;  // empty: <input-folder>_<UTC yyyymmddThhmmssZ>.mp4 beside the input folder
  std::string backend;           // registry name
  int intermediate;
  GapMode gaps;    // a longer step than the cadence (scan times in the names)
  FramePrep prep;  // resize, crop, per-frame transform
  // False colour (applied after resize, before crop), with one levels mapping for the whole sequence taken
  // from its first frames (options.levels_frames) unless options.levels is already set.
  std::optional<FalseColourOptions> false_colour;
  std::optional<double> longitude_deg;  // for false colour; unset = from the file names (see below)
  // Data: the colouring (colour table or false colour) and the crop run after interpolation, so one-channel
  // frames (one band's grey levels: the data) are interpolated as values. Auto: data for one-channel frames.
  InterpSpace space;
  EncodeOptions encode;
  std::filesystem::path keep_frames;
  int prefetch;

  static InterpolateJob from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit InterpolateJob(FromConfig)
      : intermediate(0), gaps(GapMode::Interpolate), space(InterpSpace::Auto), prefetch(0) {}
};

struct InterpolatePlan {
  std::vector<std::filesystem::path> frames;
  bool ordered_by_time = false;
  // Schedule steps from each frame to the next (cadence_steps of the scan times; all 1 without times).
  std::vector<int> steps;
  std::int64_t gaps = 0;  // pairs more than one step apart (missing scans)
  std::filesystem::path output;
  int width = 0, height = 0;  // of the video (after resize, crop and even-size trimming)
  int input_channels = 0;     // of the first frame as decoded
  bool data_space = false;    // job.space resolved: a colouring runs after interpolation
  std::int64_t output_frames = 0;
  double duration_s = 0;
  std::string describe() const;  // the --dry-run text
};

// Lists and checks everything that can be checked before work starts: inputs, output folder, codec, pixel
// format, crop against the first frame, backend name, frame count (a backend that synthesises frames needs
// 2).
InterpolatePlan plan_interpolate(const InterpolateJob& job, const Config& config);

// Whether `job` interpolates in data space (InterpolateJob::space) when its first frame has
// `input_channels` channels: a colouring (colour table, false colour) must follow.
bool interpolates_data(const InterpolateJob& job, int input_channels);

// The default output name for an input folder: <folder>_<UTC yyyymmddThhmmssZ>.mp4 beside it.
std::filesystem::path default_output_path(const std::string& input);

StreamSummary run_interpolate(const InterpolateJob& job, const Config& config, Progress& progress,
                              const CancelToken& cancel);

// A per-frame transform colouring greyscale IR frames like Sanchez, in memory. The satellite longitude comes
// from `longitude_deg` when set, else from the satellite in the file name (GOES16_..., OR_..._G18_...) via
// the nominal slot longitudes, else GOES-East's (-75.2).
std::function<Image(Image, const std::filesystem::path&)> false_colour_transform(
    FalseColourOptions options, std::optional<double> longitude_deg = std::nullopt);

// The one levels mapping of a sequence of greyscale IR frames: the first options.levels_frames of `frames`
// are decoded, resized per `prep` and pooled (false_colour_levels).
std::shared_ptr<const LevelsMap> sequence_levels(const std::vector<std::filesystem::path>& frames,
                                                 const FramePrep& prep, const FalseColourOptions& options,
                                                 std::optional<double> longitude_deg);

// The end-of-run summary printed by the CLI.
std::string describe_summary(const StreamSummary& summary, const std::filesystem::path& output, double fps);

}  // namespace goesvfi
