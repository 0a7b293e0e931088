// Input frames for the pipeline: which files, in which order, and decoding them ahead of use.
//
// Inputs are folders, files or glob patterns (`*.png`, `frames/img_??.PNG`); image extensions match in any
// case. Order: by the scan time in the name when every name carries one (NOAA `s20241221800217`, STAR CDN
// `20241221800_`, goesproc `20241221T180021Z`), otherwise natural sort (`img2` before `img10`).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/image.hpp"
#include "core/time.hpp"
#include "goes/fixed_grid.hpp"

namespace goesvfi {

// Folder, file or glob entries -> ordered image paths. NotFound naming the entry if it matches nothing;
// InvalidArgument when the result is empty.
std::vector<std::filesystem::path> list_input_frames(const std::vector<std::string>& inputs);
// "img2" < "img10": digit runs compare by value.
bool natural_less(const std::string& a, const std::string& b);
// Sorts in place by scan time when all names have one, else naturally. Returns true if times were used.
bool order_frames(std::vector<std::filesystem::path>& paths);
// The scan time of every frame (in order), or an empty vector when a name carries none.
std::vector<UtcTime> frame_times(const std::vector<std::filesystem::path>& frames);
// Schedule steps from each frame to the next (the last is 1): round(spacing / cadence) where the cadence is
// the series' own (catalog::detect_interval), so a missing scan between two frames gives 2. All 1 when
// `times` shows no cadence (one entry per time; empty for no times).
std::vector<int> cadence_steps(const std::vector<UtcTime>& times);

// Crop rectangle parsing: "X,Y,W,H" -> Rect (InvalidArgument naming the text).
Rect parse_crop(const std::string& text);
// Why a crop rectangle does not fit a width x height frame ("crop 0,0,90,10 does not fit the 80x60 frame
// (...)"), or nullopt when it fits. prepare_frame and the GUI's crop box use it.
std::optional<std::string> crop_problem(const Rect& crop, int width, int height);
// "WxH" -> {W, H}
std::pair<int, int> parse_size(const std::string& text);

// What to do to every frame after decoding, before interpolation.
struct FramePrep {
  std::optional<std::pair<int, int>> resize;  // applied first (area/linear resampling)
  std::optional<Rect> crop;                   // validated against the (resized) frame size
  bool even_size = false;                     // drop the last column/row if odd (for 4:2:0 / 4:2:2 video)
  std::function<Image(Image, const std::filesystem::path&)> transform;  // e.g. false colour; may be empty
};

// Resize and crop from frame.resize and frame.crop (no transform).
FramePrep frame_prep_from(const Config& config);

// Applies FramePrep to one decoded frame; InvalidArgument naming the file if the crop does not fit.
Image prepare_frame(Image image, const std::filesystem::path& path, const FramePrep& prep);

// `prep` split around interpolation in data space: {resize}, then {transform, crop, even size} after it
// (prepare_frame of the two in turn is prepare_frame of `prep`).
std::pair<FramePrep, FramePrep> split_at_interpolation(const FramePrep& prep);

// The fixed-grid geometry of a width x height frame after `prep` (resize, crop, even-size trim; not the
// transform), given its geometry before (unset: a square full disk, as false_colour takes such a frame).
// nullopt when `area` is unset and the frame is not square, or the crop does not fit.
std::optional<FixedGridArea> prepared_area(const std::optional<FixedGridArea>& area, int width, int height,
                                           const FramePrep& prep);

// Decodes frames in order on the global pool, `prefetch` frames ahead of use (a bounded window), checking
// that every frame has the size of the first (InvalidArgument naming the first odd file and both sizes).
// Frames with another channel count or sample type are converted to the first frame's.
class FrameReader {
 public:
  FrameReader(std::vector<std::filesystem::path> paths, FramePrep prep, int prefetch, CancelToken cancel);
  ~FrameReader();
  // The next prepared frame, or nullopt at the end.
  std::optional<Image> next();
  std::size_t size() const { return m_paths.size(); }
  const std::filesystem::path& path(std::size_t i) const { return m_paths[i]; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::vector<std::filesystem::path> m_paths;
};

}  // namespace goesvfi
