// Reading a video back: stream facts and decoded RGB frames. Used to verify what the encoder wrote (tests,
// `--dry-run` comparisons) without an ffprobe subprocess.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/image.hpp"

namespace goesvfi {

struct VideoInfo {
  std::string container;  // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string codec;      // e.g. "h264"
  std::string pix_fmt;    // e.g. "yuv420p"
  int width = 0, height = 0;
  double fps = 0;
  double duration_s = 0;
  std::int64_t frames = 0;  // counted by decoding
  bool faststart = false;   // mp4: moov before mdat
};

// Decodes the whole first video stream; frames are returned as RGB u8 when `frames` is not null.
VideoInfo probe_video(const std::filesystem::path& path, std::vector<Image>* frames = nullptr);

}  // namespace goesvfi
