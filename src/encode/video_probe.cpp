#include "encode/video_probe.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <cstring>
#include <fstream>
#include <memory>

#include "core/error.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

namespace {
bool moov_before_mdat(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  for (int i = 0; i < 64 && in; ++i) {
    unsigned char hdr[8];
    if (!in.read(reinterpret_cast<char*>(hdr), 8)) return false;
    std::uint64_t size = (std::uint64_t{hdr[0]} << 24) | (hdr[1] << 16) | (hdr[2] << 8) | hdr[3];
    const std::string type(reinterpret_cast<char*>(hdr + 4), 4);
    if (type == "moov") return true;
    if (type == "mdat") return false;
    if (size < 8) return false;
    in.seekg(static_cast<std::streamoff>(size - 8), std::ios::cur);
  }
  return false;
}
}  // namespace

VideoInfo probe_video(const fs::path& path, std::vector<Image>* frames) {
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) {
    fail(ErrorKind::Corrupt, "{} is not a readable video", path.string());
  }
  std::unique_ptr<AVFormatContext, void (*)(AVFormatContext*)> fmt_guard(
      fmt, [](AVFormatContext* f) { avformat_close_input(&f); });
  if (avformat_find_stream_info(fmt, nullptr) < 0)
    fail(ErrorKind::Corrupt, "{}: no stream info", path.string());
  const int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (si < 0) fail(ErrorKind::Corrupt, "{} has no video stream", path.string());
  AVStream* st = fmt->streams[si];
  const AVCodec* dec = avcodec_find_decoder(st->codecpar->codec_id);
  AVCodecContext* ctx = avcodec_alloc_context3(dec);
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> ctx_guard(
      ctx, [](AVCodecContext* c) { avcodec_free_context(&c); });
  avcodec_parameters_to_context(ctx, st->codecpar);
  if (avcodec_open2(ctx, dec, nullptr) < 0)
    fail(ErrorKind::Unsupported, "{}: cannot open the decoder", path.string());

  VideoInfo info;
  info.container = fmt->iformat->name;
  info.codec = avcodec_get_name(st->codecpar->codec_id);
  info.pix_fmt = av_get_pix_fmt_name(static_cast<AVPixelFormat>(st->codecpar->format));
  info.width = st->codecpar->width;
  info.height = st->codecpar->height;
  info.fps = av_q2d(st->avg_frame_rate.num != 0 ? st->avg_frame_rate : st->r_frame_rate);
  info.duration_s = fmt->duration > 0 ? static_cast<double>(fmt->duration) / AV_TIME_BASE : 0.0;
  info.faststart = moov_before_mdat(path);

  AVPacket* pkt = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  SwsContext* sws = nullptr;
  auto receive = [&] {
    while (avcodec_receive_frame(ctx, frame) == 0) {
      ++info.frames;
      if (frames != nullptr) {
        Image rgb(frame->width, frame->height, 3, SampleType::U8);
        sws = sws_getCachedContext(sws, frame->width, frame->height,
                                   static_cast<AVPixelFormat>(frame->format), frame->width, frame->height,
                                   AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                   nullptr, nullptr, nullptr);
        // Decode with the matrix the stream declares (BT.709 for our YUV output).
        const int* coefs =
            sws_getCoefficients(frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT);
        sws_setColorspaceDetails(sws, coefs, frame->color_range == AVCOL_RANGE_JPEG, coefs, 1, 0, 1 << 16,
                                 1 << 16);
        std::uint8_t* dst[4] = {reinterpret_cast<std::uint8_t*>(rgb.data()), nullptr, nullptr, nullptr};
        int dst_stride[4] = {static_cast<int>(rgb.stride()), 0, 0, 0};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
        frames->push_back(std::move(rgb));
      }
      av_frame_unref(frame);
    }
  };
  while (av_read_frame(fmt, pkt) >= 0) {
    if (pkt->stream_index == si) {
      avcodec_send_packet(ctx, pkt);
      receive();
    }
    av_packet_unref(pkt);
  }
  avcodec_send_packet(ctx, nullptr);
  receive();
  sws_freeContext(sws);
  av_frame_free(&frame);
  av_packet_free(&pkt);
  return info;
}

}  // namespace goesvfi
