#include "encode/encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "encode/av_util.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

namespace {

void check_av(int rc, const std::string& what) {
  if (rc >= 0) return;
  const ErrorKind kind = (rc == AVERROR(ENOSPC) || rc == AVERROR(EIO) || rc == AVERROR(EFBIG)) ? ErrorKind::Io
                         : rc == AVERROR(EACCES) ? ErrorKind::AccessDenied
                                                 : ErrorKind::Io;
  fail(kind, "{}: {}", what, av_error_text(rc));
}

// "8M", "12000k", "2500000" -> bits per second.
std::int64_t parse_rate(const std::string& text, const char* what) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string suffix(end);
  if (suffix == "k" || suffix == "K")
    v *= 1e3;
  else if (suffix == "M" || suffix == "m")
    v *= 1e6;
  else if (suffix == "G" || suffix == "g")
    v *= 1e9;
  else if (!suffix.empty())
    v = -1;
  if (text.empty() || !(v > 0) || v > 1e11) {
    fail(ErrorKind::InvalidArgument, "{} '{}' is not a rate (expected e.g. 8M, 12000k or 2500000)", what,
         text);
  }
  return static_cast<std::int64_t>(v);
}

const char* container_for(const fs::path& output) {
  std::string ext = output.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".mp4" || ext == ".m4v") return "mp4";
  if (ext == ".mkv") return "matroska";
  if (ext == ".mov") return "mov";
  if (ext == ".webm") return "webm";
  fail(ErrorKind::InvalidArgument, "output {} has extension '{}'; expected .mp4, .mkv, .mov or .webm",
       output.string(), ext);
}

AVPixelFormat source_format(const Image& img) {
  const bool wide = img.type() != SampleType::U8;
  switch (img.channels()) {
    case 1:
      return wide ? AV_PIX_FMT_GRAY16LE : AV_PIX_FMT_GRAY8;
    case 3:
      return wide ? AV_PIX_FMT_RGB48LE : AV_PIX_FMT_RGB24;
    default:
      return wide ? AV_PIX_FMT_RGBA64LE : AV_PIX_FMT_RGBA;
  }
}

}  // namespace

EncodeOptions::EncodeOptions() : EncodeOptions(from_config(Config::defaults())) {}

EncodeOptions EncodeOptions::from_config(const Config& c) {
  EncodeOptions o(FromConfig{});
  o.codec = c.get_string("encode.codec");
  o.crf = static_cast<int>(c.get_int("encode.crf"));
  o.preset = c.get_string("encode.preset");
  o.tune = c.get_string("encode.tune");
  o.pix_fmt = c.get_string("encode.pix_fmt");
  o.bitrate = c.get_string("encode.bitrate");
  o.maxrate = c.get_string("encode.maxrate");
  o.bufsize = c.get_string("encode.bufsize");
  o.gop = static_cast<int>(c.get_int("encode.gop"));
  o.faststart = c.get_bool("encode.faststart");
  o.filters = c.get_string("encode.filters");
  o.fps = c.get_float("interpolate.fps");
  return o;
}

std::vector<std::string> available_video_encoders() {
  std::vector<std::string> names;
  for (const char* n : {"libx264", "libx265", "libsvtav1", "libaom-av1", "libvpx-vp9", "ffv1", "prores_ks"}) {
    if (avcodec_find_encoder_by_name(n) != nullptr) names.emplace_back(n);
  }
  return names;
}

bool pix_fmt_needs_even_size(const std::string& pix_fmt) {
  const AVPixelFormat f = av_get_pix_fmt(pix_fmt.c_str());
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(f);
  return d != nullptr && (d->log2_chroma_w > 0 || d->log2_chroma_h > 0);
}

void validate_encode_options(const EncodeOptions& o, const fs::path& output) {
  (void)container_for(output);
  const AVCodec* codec = avcodec_find_encoder_by_name(o.codec.c_str());
  if (codec == nullptr || codec->type != AVMEDIA_TYPE_VIDEO) {
    fail(ErrorKind::InvalidArgument, "unknown video codec '{}' (available: {})", o.codec,
         fmt::join(available_video_encoders(), ", "));
  }
  const AVPixelFormat fmt = av_get_pix_fmt(o.pix_fmt.c_str());
  if (fmt == AV_PIX_FMT_NONE) {
    fail(ErrorKind::InvalidArgument, "unknown pixel format '{}' (e.g. yuv420p, yuv444p, yuv420p10le)",
         o.pix_fmt);
  }
  if (codec->pix_fmts != nullptr) {
    std::vector<std::string> allowed;
    bool ok = false;
    for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
      ok = ok || *p == fmt;
      allowed.emplace_back(av_get_pix_fmt_name(*p));
    }
    if (!ok) {
      fail(ErrorKind::InvalidArgument, "codec {} cannot take pixel format {} (it takes: {})", o.codec,
           o.pix_fmt, fmt::join(allowed, ", "));
    }
  }
  if (!(o.fps > 0.0) || o.fps > 1000.0) {
    fail(ErrorKind::InvalidArgument, "fps {} is outside (0, 1000]", o.fps);
  }
  if (!o.bitrate.empty()) parse_rate(o.bitrate, "bitrate");
  if (!o.maxrate.empty()) parse_rate(o.maxrate, "maxrate");
  if (!o.bufsize.empty()) parse_rate(o.bufsize, "bufsize");
}

struct VideoEncoder::Impl {
  fs::path output;
  std::unique_ptr<AtomicFile> file;
  EncodeOptions options;
  int width = 0, height = 0;
  AVFormatContext* fmt = nullptr;
  AVCodecContext* enc = nullptr;
  AVStream* stream = nullptr;
  AVFilterGraph* graph = nullptr;
  AVFilterContext* src = nullptr;
  AVFilterContext* sink = nullptr;
  AVPixelFormat graph_input = AV_PIX_FMT_NONE;
  AVFrame* in_frame = nullptr;
  AVFrame* filtered = nullptr;
  AVPacket* packet = nullptr;
  std::int64_t frames = 0;
  bool header_written = false;
  bool finished = false;

  ~Impl() {
    av_frame_free(&in_frame);
    av_frame_free(&filtered);
    av_packet_free(&packet);
    avfilter_graph_free(&graph);
    avcodec_free_context(&enc);
    if (fmt != nullptr) {
      if (fmt->pb != nullptr) avio_closep(&fmt->pb);
      avformat_free_context(fmt);
    }
  }

  void build_graph(AVPixelFormat input) {
    avfilter_graph_free(&graph);
    graph = avfilter_graph_alloc();
    graph_input = input;
    graph->nb_threads = 1;  // conversion runs on the caller; parallelism comes from the encoder
    const AVRational tb = enc->time_base;
    const std::string args = fmt::format("video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect=1/1",
                                         width, height, static_cast<int>(input), tb.num, tb.den);
    check_av(avfilter_graph_create_filter(&src, avfilter_get_by_name("buffer"), "in", args.c_str(), nullptr,
                                          graph),
             "cannot create the filter source");
    check_av(avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr,
                                          graph),
             "cannot create the filter sink");
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(enc->pix_fmt);
    // RGB and grey outputs keep full range; only YUV gets the matrix.
    const bool rgb_out = (d->flags & AV_PIX_FMT_FLAG_RGB) != 0 || d->nb_components <= 2;
    // RGB -> YUV: BT.709 matrix, limited range, accurate rounding and full chroma interpolation.
    std::string chain = options.filters.empty() ? "" : options.filters + ",";
    chain += rgb_out
                 ? fmt::format("format=pix_fmts={}", av_get_pix_fmt_name(enc->pix_fmt))
                 : fmt::format(
                       "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+full_chroma_int,"
                       "format=pix_fmts={}",
                       av_get_pix_fmt_name(enc->pix_fmt));
    const int rc = link_filter_chain(graph, src, sink, chain);
    if (rc < 0) {
      fail(ErrorKind::InvalidArgument, "filter graph '{}' is invalid: {}",
           options.filters.empty() ? chain : options.filters, av_error_text(rc));
    }
    const int rc2 = avfilter_graph_config(graph, nullptr);
    if (rc2 < 0)
      fail(ErrorKind::InvalidArgument, "filter graph '{}' cannot be configured: {}", chain,
           av_error_text(rc2));
    const int ow = av_buffersink_get_w(sink), oh = av_buffersink_get_h(sink);
    if (ow != width || oh != height) {
      fail(ErrorKind::InvalidArgument,
           "filters '{}' change the frame size ({}x{} -> {}x{}); size changes are not supported",
           options.filters, width, height, ow, oh);
    }
  }

  void drain(bool flushing) {
    for (;;) {
      const int rc = avcodec_receive_packet(enc, packet);
      if (rc == AVERROR(EAGAIN) || (flushing && rc == AVERROR_EOF)) return;
      check_av(rc, "encoding failed");
      av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
      packet->stream_index = stream->index;
      check_av(av_interleaved_write_frame(fmt, packet), fmt::format("cannot write {}", output.string()));
    }
  }

  void encode_filtered() {
    for (;;) {
      const int rc = av_buffersink_get_frame(sink, filtered);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      check_av(rc, "frame conversion failed");
      filtered->pict_type = AV_PICTURE_TYPE_NONE;
      check_av(avcodec_send_frame(enc, filtered), "encoding failed");
      av_frame_unref(filtered);
      drain(false);
    }
  }
};

VideoEncoder::VideoEncoder(fs::path output, int width, int height, EncodeOptions options)
    : m_impl(std::make_unique<Impl>()) {
  auto& s = *m_impl;
  validate_encode_options(options, output);
  s.output = std::move(output);
  s.options = std::move(options);
  s.width = width;
  s.height = height;
  const AVPixelFormat pix = av_get_pix_fmt(s.options.pix_fmt.c_str());
  if (pix_fmt_needs_even_size(s.options.pix_fmt) && (width % 2 != 0 || height % 2 != 0)) {
    fail(ErrorKind::InvalidArgument, "{} needs an even frame size, got {}x{}", s.options.pix_fmt, width,
         height);
  }
  s.file = std::make_unique<AtomicFile>(s.output);

  check_av(
      avformat_alloc_output_context2(&s.fmt, nullptr, container_for(s.output), s.file->temp_path().c_str()),
      "cannot create the container");
  const AVCodec* codec = avcodec_find_encoder_by_name(s.options.codec.c_str());
  s.stream = avformat_new_stream(s.fmt, nullptr);
  s.enc = avcodec_alloc_context3(codec);
  s.enc->width = width;
  s.enc->height = height;
  s.enc->pix_fmt = pix;
  const AVRational rate = av_d2q(s.options.fps, 1001000);
  s.enc->framerate = rate;
  s.enc->time_base = av_inv_q(rate);
  s.enc->sample_aspect_ratio = AVRational{1, 1};
  s.enc->thread_count = s.options.threads > 0 ? s.options.threads : ThreadPool::global().size();
  if (s.options.gop > 0) s.enc->gop_size = s.options.gop;
  if (s.options.closed_gop) s.enc->flags |= AV_CODEC_FLAG_CLOSED_GOP;
  if (!s.options.bitrate.empty()) s.enc->bit_rate = parse_rate(s.options.bitrate, "bitrate");
  if (!s.options.maxrate.empty()) s.enc->rc_max_rate = parse_rate(s.options.maxrate, "maxrate");
  if (!s.options.bufsize.empty())
    s.enc->rc_buffer_size = static_cast<int>(parse_rate(s.options.bufsize, "bufsize"));
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(pix);
  if ((d->flags & AV_PIX_FMT_FLAG_RGB) == 0 && d->nb_components > 2) {
    s.enc->colorspace = AVCOL_SPC_BT709;
    s.enc->color_primaries = AVCOL_PRI_BT709;
    s.enc->color_trc = AVCOL_TRC_BT709;
    s.enc->color_range = AVCOL_RANGE_MPEG;
  }
  if (s.fmt->oformat->flags & AVFMT_GLOBALHEADER) s.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

  AVDictionary* opts = nullptr;
  if (s.options.crf >= 0 && s.options.bitrate.empty()) av_dict_set_int(&opts, "crf", s.options.crf, 0);
  if (!s.options.preset.empty()) av_dict_set(&opts, "preset", s.options.preset.c_str(), 0);
  if (!s.options.tune.empty()) av_dict_set(&opts, "tune", s.options.tune.c_str(), 0);
  // Keep codec chatter (x264/x265 statistics) out of the progress display; errors still show.
  if (av_log_get_level() > AV_LOG_ERROR) av_log_set_level(AV_LOG_ERROR);
  if (s.options.codec == "libx265")
    av_dict_set(&opts, "x265-params", s.options.closed_gop ? "log-level=error:open-gop=0" : "log-level=error",
                0);
  const int rc = avcodec_open2(s.enc, codec, &opts);
  // Options the encoder did not recognise (e.g. crf for ffv1) are left in `opts`; they are harmless.
  av_dict_free(&opts);
  if (rc < 0) {
    fail(ErrorKind::InvalidArgument, "cannot open encoder {} with preset '{}', tune '{}', pix_fmt {}: {}",
         s.options.codec, s.options.preset, s.options.tune, s.options.pix_fmt, av_error_text(rc));
  }
  check_av(avcodec_parameters_from_context(s.stream->codecpar, s.enc), "cannot set stream parameters");
  s.stream->time_base = s.enc->time_base;
  s.stream->avg_frame_rate = rate;
  check_av(avio_open(&s.fmt->pb, s.file->temp_path().c_str(), AVIO_FLAG_WRITE),
           fmt::format("cannot create {}", s.file->temp_path().string()));
  for (const auto& [key, value] : s.options.metadata)
    av_dict_set(&s.fmt->metadata, key.c_str(), value.c_str(), 0);
  AVDictionary* mux = nullptr;
  if (s.options.faststart && (std::string(s.fmt->oformat->name).find("mp4") != std::string::npos ||
                              std::string(s.fmt->oformat->name) == "mov")) {
    av_dict_set(&mux, "movflags", "+faststart", 0);
  }
  const int hrc = avformat_write_header(s.fmt, &mux);
  av_dict_free(&mux);
  check_av(hrc, fmt::format("cannot write the header of {}", s.output.string()));
  s.header_written = true;
  s.in_frame = av_frame_alloc();
  s.filtered = av_frame_alloc();
  s.packet = av_packet_alloc();
}

VideoEncoder::~VideoEncoder() = default;  // an unfinished AtomicFile removes its temporary

void VideoEncoder::write(const Image& frame) {
  auto& s = *m_impl;
  if (s.finished) fail(ErrorKind::Internal, "write after finish");
  if (frame.width() != s.width || frame.height() != s.height) {
    fail(ErrorKind::InvalidArgument, "frame {} does not match the video size {}x{}", frame.describe(),
         s.width, s.height);
  }
  const Image src = frame.type() == SampleType::F32 ? convert_type(frame, SampleType::U16) : frame;
  const AVPixelFormat in = source_format(src);
  if (in != s.graph_input) s.build_graph(in);
  // Wrap our pixels without copying; buffersrc copies them into its own frame (AV_BUFFERSRC_FLAG_KEEP_REF).
  AVFrame* f = s.in_frame;
  f->format = in;
  f->width = s.width;
  f->height = s.height;
  f->data[0] = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(src.data()));
  f->linesize[0] = static_cast<int>(src.stride());
  f->pts = s.frames;
  f->sample_aspect_ratio = AVRational{1, 1};
  // Frames are not refcounted here; buffersrc copies them when the flag asks for a kept reference.
  check_av(av_buffersrc_write_frame(s.src, f), "cannot convert the frame");
  f->data[0] = nullptr;
  s.encode_filtered();
  ++s.frames;
}

void VideoEncoder::finish() {
  auto& s = *m_impl;
  if (s.finished) return;
  if (s.src != nullptr) {
    check_av(av_buffersrc_add_frame(s.src, nullptr), "cannot flush the filters");
    s.encode_filtered();
  }
  check_av(avcodec_send_frame(s.enc, nullptr), "cannot flush the encoder");
  s.drain(true);
  check_av(av_write_trailer(s.fmt), fmt::format("cannot finish {}", s.output.string()));
  check_av(avio_closep(&s.fmt->pb), fmt::format("cannot close {}", s.output.string()));
  s.file->commit();
  s.finished = true;
}

std::int64_t VideoEncoder::frames_written() const {
  return m_impl->frames;
}
const fs::path& VideoEncoder::output() const {
  return m_impl->output;
}

}  // namespace goesvfi
