// In-process video encoding with libavcodec/libavformat: frames are handed over in memory, converted by a
// libavfilter graph (user filters such as unsharp, then RGB -> YUV with the BT.709 matrix for HD video),
// encoded and muxed into a container chosen from the output extension (mp4, mkv, mov, webm). The file is
// written under a temporary name in the target folder and renamed by finish(); destroying an unfinished
// encoder (error, Ctrl-C) removes the temporary, so no partial video is ever left behind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/image.hpp"

namespace goesvfi {

struct EncodeOptions {
  // The defaults are the schema's (encode.* rows and interpolate.fps): EncodeOptions{} equals
  // from_config(Config::defaults()); no default value is written here.
  EncodeOptions();

  std::string codec;
  int crf;  // -1: not set
  std::string preset;
  std::string tune;
  std::string pix_fmt;
  std::string bitrate, maxrate, bufsize;  // "8M", "12000k", ... (empty: not set)
  int gop;                                // 0: codec default
  bool faststart;
  std::string filters;  // libavfilter graph applied in RGB before conversion, e.g. "unsharp=5:5:1.0"
  double fps;
  int threads = 0;  // encoder threads (0: the pool size); not a config key
  // Not config keys; set by callers. Segments of a cluster run are encoded with closed GOPs (every GOP
  // decodes on its own, the first frame is a keyframe) and carry their plan hash as container metadata.
  bool closed_gop = false;
  std::vector<std::pair<std::string, std::string>> metadata;  // container tags, e.g. {"comment", "..."}

  // From the encode.* and interpolate.fps keys.
  static EncodeOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit EncodeOptions(FromConfig) : crf(0), gop(0), faststart(false), fps(0) {}
};

// Checks codec, pixel format (and that the codec accepts it), rates and container before any work is done;
// InvalidArgument / Unsupported naming the value and listing what is allowed.
void validate_encode_options(const EncodeOptions& options, const std::filesystem::path& output);
// Pixel formats whose chroma is subsampled horizontally / vertically need even frame sizes.
bool pix_fmt_needs_even_size(const std::string& pix_fmt);
// Encoders available in this FFmpeg build among the ones we support, for help texts.
std::vector<std::string> available_video_encoders();

class VideoEncoder {
 public:
  // width/height: the frame size every write() must have.
  VideoEncoder(std::filesystem::path output, int width, int height, EncodeOptions options);
  ~VideoEncoder();
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Encodes one frame (grey/RGB/RGBA, u8/u16/f32). Io on write failure (disk full).
  void write(const Image& frame);
  // Flushes the encoder, writes the trailer, fsyncs and renames into place.
  void finish();
  std::int64_t frames_written() const;
  const std::filesystem::path& output() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace goesvfi
