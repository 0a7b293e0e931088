#include "interp/minterpolate/minterpolate.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include <fmt/format.h>

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libavutil/pixfmt.h>
#include <libavutil/rational.h>
}

#include "core/error.hpp"
#include "encode/av_util.hpp"
#include "interp/blend.hpp"

namespace goesvfi {

namespace {

void check_av(int code, std::string_view what) {
  if (code < 0) fail(ErrorKind::Internal, "minterpolate: {} failed: {}", what, av_error_text(code));
}

struct GraphDeleter {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

void check_choice(std::string_view option, const std::string& value,
                  std::initializer_list<const char*> valid) {
  for (const char* v : valid) {
    if (value == v) return;
  }
  fail(ErrorKind::InvalidArgument, "minterpolate.{} = '{}' is not valid (expected one of: {})", option, value,
       fmt::join(valid, ", "));
}

void check_range(std::string_view option, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi)) {
    fail(ErrorKind::InvalidArgument, "minterpolate.{} = {} is out of range (expected {} to {})", option,
         value, lo, hi);
  }
}

// 8-bit grey or RGB frame -> AVFrame (copy).
FramePtr to_av_frame(const Image& image, std::int64_t pts) {
  FramePtr frame(av_frame_alloc());
  if (!frame) fail(ErrorKind::Internal, "minterpolate: out of memory allocating a frame");
  frame->width = image.width();
  frame->height = image.height();
  frame->format = image.channels() == 1 ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24;
  frame->pts = pts;
  check_av(av_frame_get_buffer(frame.get(), 0), "allocating a frame");
  for (int y = 0; y < image.height(); ++y) {
    std::memcpy(frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0], image.row_ptr(y),
                image.row_bytes());
  }
  return frame;
}

Image from_av_frame(const AVFrame& frame, int channels) {
  Image out(frame.width, frame.height, channels, SampleType::U8);
  for (int y = 0; y < frame.height; ++y) {
    std::memcpy(out.row_ptr(y), frame.data[0] + static_cast<std::ptrdiff_t>(y) * frame.linesize[0],
                out.row_bytes());
  }
  return out;
}

// Runs the filter on (a, b) with input times 0 and 1 and output rate `fps`; returns the output frames
// strictly between a and b with their times.
std::vector<std::pair<double, Image>> run_filter(const Image& a, const Image& b, AVRational fps,
                                                 const std::string& options, const CancelToken& cancel) {
  GraphPtr graph(avfilter_graph_alloc());
  if (!graph) fail(ErrorKind::Internal, "minterpolate: out of memory allocating a filter graph");
  graph->nb_threads = 1;  // no threads of libavfilter's own: the process pool is the only one
  const bool grey = a.channels() == 1;
  const AVPixelFormat in_format = grey ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24;

  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  const std::string source_args =
      fmt::format("video_size={}x{}:pix_fmt={}:time_base=1/1:pixel_aspect=1/1:frame_rate=1/1", a.width(),
                  a.height(), static_cast<int>(in_format));
  check_av(avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", source_args.c_str(),
                                        nullptr, graph.get()),
           "creating the buffer source");
  check_av(avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr,
                                        graph.get()),
           "creating the buffer sink");

  // minterpolate takes YUV or grey; RGB goes through full-range YUV 4:4:4 (no chroma subsampling).
  const std::string filter = fmt::format("minterpolate=fps={}/{}:{}", fps.num, fps.den, options);
  const std::string description =
      grey ? filter
           : fmt::format(
                 "scale=out_range=full:flags=accurate_rnd+full_chroma_int,format=yuv444p,{},"
                 "scale=in_range=full:flags=accurate_rnd+full_chroma_int,format=rgb24",
                 filter);
  const int parsed = link_filter_chain(graph.get(), source, sink, description);
  check_av(parsed, fmt::format("parsing the filter graph '{}'", description));
  check_av(avfilter_graph_config(graph.get(), nullptr), "configuring the filter graph");

  // The filter interpolates between its 2nd and 3rd buffered frames, so b goes in twice.
  check_av(av_buffersrc_add_frame(source, to_av_frame(a, 0).get()), "sending a frame");
  check_av(av_buffersrc_add_frame(source, to_av_frame(b, 1).get()), "sending a frame");
  check_av(av_buffersrc_add_frame(source, to_av_frame(b, 2).get()), "sending a frame");
  check_av(av_buffersrc_add_frame(source, nullptr), "ending the input");

  const AVRational out_base = av_buffersink_get_time_base(sink);
  std::vector<std::pair<double, Image>> out;
  FramePtr frame(av_frame_alloc());
  for (;;) {
    cancel.throw_if_cancelled();
    const int got = av_buffersink_get_frame(sink, frame.get());
    if (got == AVERROR_EOF || got == AVERROR(EAGAIN)) break;
    check_av(got, "receiving a frame");
    const double time = static_cast<double>(frame->pts) * av_q2d(out_base);
    if (time > 1e-9 && time < 1.0 - 1e-9) out.emplace_back(time, from_av_frame(*frame, a.channels()));
    av_frame_unref(frame.get());
    if (time >= 1.0 - 1e-9) break;  // past b: the rest extrapolates from the duplicate
  }
  return out;
}

bool is_uniform(std::span<const double> timesteps) {
  const auto uniform = uniform_timesteps(static_cast<int>(timesteps.size()));
  for (std::size_t i = 0; i < timesteps.size(); ++i) {
    if (std::abs(uniform[i] - timesteps[i]) > 1e-9) return false;
  }
  return true;
}

// The colour planes (grey or RGB) of an 8-bit frame; alpha separately.
Image colour_u8(const Image& image) {
  const Image u8 = image.type() == SampleType::U8 ? image : convert_type(image, SampleType::U8);
  if (u8.channels() != 4) return u8;
  Image rgb(u8.width(), u8.height(), 3, SampleType::U8);
  for (int y = 0; y < u8.height(); ++y) {
    const std::uint8_t* s = u8.row<std::uint8_t>(y);
    std::uint8_t* d = rgb.row<std::uint8_t>(y);
    for (int x = 0; x < u8.width(); ++x) {
      d[x * 3] = s[x * 4];
      d[x * 3 + 1] = s[x * 4 + 1];
      d[x * 3 + 2] = s[x * 4 + 2];
    }
  }
  return rgb;
}

// Back to the input layout: the blended alpha of a and b joins the RGB, then the sample type is restored.
Image restore_layout(const Image& colour, const Image& a, const Image& b, double t) {
  Image out = colour;
  if (a.channels() == 4) {
    const Image alpha = blend_frames(a, b, t);
    Image rgba(colour.width(), colour.height(), 4, a.type());
    const Image rgb = a.type() == SampleType::U8 ? colour : convert_type(colour, a.type());
    const std::size_t sample = sample_size(a.type());
    for (int y = 0; y < colour.height(); ++y) {
      const std::byte* c = rgb.row_ptr(y);
      const std::byte* al = alpha.row_ptr(y);
      std::byte* d = rgba.row_ptr(y);
      for (int x = 0; x < colour.width(); ++x) {
        std::memcpy(d + (static_cast<std::size_t>(x) * 4) * sample,
                    c + static_cast<std::size_t>(x) * 3 * sample, 3 * sample);
        std::memcpy(d + (static_cast<std::size_t>(x) * 4 + 3) * sample,
                    al + (static_cast<std::size_t>(x) * 4 + 3) * sample, sample);
      }
    }
    return rgba;
  }
  return a.type() == SampleType::U8 ? out : convert_type(out, a.type());
}

// The filter's scene-change test (scd=fdiff) for a fresh graph: mean absolute difference of the luma planes
// in percent of the 8-bit range. At or above scd_threshold the filter duplicates frames instead of
// interpolating.
double scene_change_mafd(const Image& a_u8, const Image& b_u8) {
  const Image la = to_luma_f32(a_u8), lb = to_luma_f32(b_u8);
  double sad = 0;
  for (int y = 0; y < la.height(); ++y) {
    const float* pa = la.row<float>(y);
    const float* pb = lb.row<float>(y);
    for (int x = 0; x < la.width(); ++x)
      sad += std::abs(std::round(pa[x] * 255.0f) - std::round(pb[x] * 255.0f));
  }
  return sad * 100.0 / (static_cast<double>(la.width()) * la.height()) / 256.0;
}

}  // namespace

MinterpolateOptions::MinterpolateOptions() : MinterpolateOptions(from_config(Config::defaults())) {}

MinterpolateOptions MinterpolateOptions::from_config(const Config& config) {
  MinterpolateOptions o(FromConfig{});
  o.mi_mode = config.get_string("minterpolate.mi_mode");
  o.mc_mode = config.get_string("minterpolate.mc_mode");
  o.me_mode = config.get_string("minterpolate.me_mode");
  o.me = config.get_string("minterpolate.me");
  o.mb_size = static_cast<int>(config.get_int("minterpolate.mb_size"));
  o.search_param = static_cast<int>(config.get_int("minterpolate.search_param"));
  o.vsbmc = config.get_bool("minterpolate.vsbmc");
  o.scd = config.get_string("minterpolate.scd");
  o.scd_threshold = config.get_float("minterpolate.scd_threshold");
  return o;
}

void validate(const MinterpolateOptions& o) {
  check_choice("mi_mode", o.mi_mode, {"dup", "blend", "mci"});
  check_choice("mc_mode", o.mc_mode, {"obmc", "aobmc"});
  check_choice("me_mode", o.me_mode, {"bidir", "bilat"});
  check_choice("me", o.me, {"esa", "tss", "tdls", "ntss", "fss", "ds", "hexbs", "epzs", "umh"});
  check_choice("scd", o.scd, {"none", "fdiff"});
  check_range("mb_size", o.mb_size, 4, 64);
  check_range("search_param", o.search_param, 4, 512);
  check_range("scd_threshold", o.scd_threshold, 0, 100);
}

std::string minterpolate_filter_options(const MinterpolateOptions& o) {
  return fmt::format(
      "mi_mode={}:mc_mode={}:me_mode={}:me={}:mb_size={}:search_param={}:vsbmc={}:scd={}:scd_threshold={}",
      o.mi_mode, o.mc_mode, o.me_mode, o.me, o.mb_size, o.search_param, o.vsbmc ? 1 : 0, o.scd,
      o.scd_threshold);
}

MinterpolateInterpolator::MinterpolateInterpolator(MinterpolateOptions options)
    : m_options(std::move(options)) {
  validate(m_options);
}

std::vector<Image> MinterpolateInterpolator::interpolate(const Image& a, const Image& b,
                                                         std::span<const double> timesteps,
                                                         const CancelToken& cancel, PairReport* report) {
  check_interpolation_inputs(a, b, timesteps);
  std::vector<Image> out;
  if (timesteps.empty()) return out;
  cancel.throw_if_cancelled();
  const Image ca = colour_u8(a), cb = colour_u8(b);
  const std::string options = minterpolate_filter_options(m_options);
  if (m_options.scd == "fdiff" && report != nullptr) {
    const double mafd = scene_change_mafd(ca, cb);
    if (mafd >= m_options.scd_threshold) {
      report->fell_back = true;
      report->reason = fmt::format(
          "minterpolate saw a scene change (frame difference {:.1f}% >= minterpolate.scd_threshold {}) and "
          "repeated the nearest frame",
          mafd, m_options.scd_threshold);
    }
  }

  // Which filter output answers which timestep: nearest time (the filter's own grid is exact for uniform
  // sets).
  const auto take = [&](std::vector<std::pair<double, Image>>& made, double t) -> Image {
    if (made.empty()) fail(ErrorKind::Internal, "minterpolate produced no frame for t = {}", t);
    auto best = std::min_element(made.begin(), made.end(), [t](const auto& x, const auto& y) {
      return std::abs(x.first - t) < std::abs(y.first - t);
    });
    return restore_layout(best->second, a, b, t);
  };
  if (is_uniform(timesteps)) {
    auto made = run_filter(ca, cb, AVRational{static_cast<int>(timesteps.size()) + 1, 1}, options, cancel);
    for (double t : timesteps) out.push_back(take(made, t));
  } else {
    for (double t : timesteps) {
      // One output tick per t: the frame at tick 1 is the one at time t.
      auto made = run_filter(ca, cb, av_d2q(1.0 / t, 1 << 20), options, cancel);
      out.push_back(take(made, t));
    }
  }
  return out;
}

}  // namespace goesvfi
