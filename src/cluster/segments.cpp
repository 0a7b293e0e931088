#include "cluster/segments.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "encode/av_util.hpp"

namespace goesvfi::cluster {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

fs::path PlanFiles::segment_video(std::size_t k) const {
  return parts / fmt::format("seg-{}{}", k, extension);
}
fs::path PlanFiles::segment_summary(std::size_t k) const {
  return parts / fmt::format("seg-{}.json", k);
}
fs::path PlanFiles::log(std::size_t k) const {
  return parts / "logs" / fmt::format("seg-{}.log", k);
}
fs::path PlanFiles::join_log() const {
  return parts / "logs" / "join.log";
}
fs::path PlanFiles::merged_summary() const {
  return parts / "summary.json";
}

PlanFiles plan_files(const fs::path& plan_file, const TimelapsePlan& plan) {
  PlanFiles f;
  f.plan = fs::absolute(plan_file).lexically_normal();
  f.parts = f.plan.parent_path() / (f.plan.stem().string() + ".parts");
  f.extension = plan.job.output.extension().string();
  return f;
}

// A report's JSON: one key per field, named as the field (written and read by the one list below).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SegmentReport, segment, plan_hash, expected, found, already_local, fetched,
                                   failed, missing, bytes_fetched, frames, width, height, seconds_fetch,
                                   seconds_render, seconds_interpolate, seconds_encode, seconds_total,
                                   seconds_cpu, peak_rss_mb, host)

namespace {

std::string segment_tag(const std::string& hash, std::size_t k, std::size_t count) {
  return fmt::format("goesvfi plan {} segment {} of {}", hash, k, count);
}

json report_json(const SegmentReport& r) {
  return r;
}

std::optional<SegmentReport> read_report(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return json::parse(in).get<SegmentReport>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// An open input file (closed on scope exit).
struct Input {
  AVFormatContext* ctx = nullptr;
  ~Input() {
    if (ctx != nullptr) avformat_close_input(&ctx);
  }
};

// What a segment video holds, read without decoding.
struct StreamFacts {
  std::string comment;
  AVCodecID codec = AV_CODEC_ID_NONE;
  int width = 0, height = 0, format = -1;
  std::vector<std::uint8_t> extradata;
  AVRational time_base{0, 1}, frame_rate{0, 1};
  std::int64_t packets = 0, bytes = 0;
};

// Opens `path`; nullopt with `problem` set when it is not a readable video.
std::optional<StreamFacts> probe_segment(const fs::path& path, std::string& problem) {
  Input in;
  int rc = avformat_open_input(&in.ctx, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    problem = "cannot be read: " + av_error_text(rc);
    return std::nullopt;
  }
  rc = avformat_find_stream_info(in.ctx, nullptr);
  if (rc < 0 || in.ctx->nb_streams != 1 || in.ctx->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) {
    problem = "is not a one-stream video";
    return std::nullopt;
  }
  StreamFacts f;
  if (const AVDictionaryEntry* e = av_dict_get(in.ctx->metadata, "comment", nullptr, 0)) f.comment = e->value;
  const AVStream* st = in.ctx->streams[0];
  f.codec = st->codecpar->codec_id;
  f.width = st->codecpar->width;
  f.height = st->codecpar->height;
  f.format = st->codecpar->format;
  f.extradata.assign(st->codecpar->extradata, st->codecpar->extradata + st->codecpar->extradata_size);
  f.time_base = st->time_base;
  f.frame_rate = st->avg_frame_rate;
  AVPacket* pkt = av_packet_alloc();
  while ((rc = av_read_frame(in.ctx, pkt)) >= 0) {
    ++f.packets;
    f.bytes += pkt->size;
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  if (rc != AVERROR_EOF) {
    problem = "is damaged after " + std::to_string(f.packets) + " frames: " + av_error_text(rc);
    return std::nullopt;
  }
  return f;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::string host_name() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

SegmentCheck check_with_facts(const PlanFiles& files, const TimelapsePlan& plan, const std::string& hash,
                              std::size_t k, std::optional<StreamFacts>* facts_out) {
  SegmentCheck c;
  const fs::path video = files.segment_video(k);
  if (!fs::exists(video)) {
    c.problem = "missing (" + video.string() + ")";
    return c;
  }
  std::string problem;
  auto facts = probe_segment(video, problem);
  if (!facts) {
    c.problem = video.filename().string() + " " + problem;
    return c;
  }
  const std::string expected_tag = segment_tag(hash, k, plan.segment_count());
  if (facts->comment != expected_tag) {
    c.problem = facts->comment.starts_with("goesvfi plan ")
                    ? fmt::format("{} is from another plan or segment ('{}')", video.filename().string(),
                                  facts->comment)
                    : fmt::format("{} was not written by `goesvfi timelapse --plan` (no plan tag)",
                                  video.filename().string());
    return c;
  }
  c.report = read_report(files.segment_summary(k));
  if (!c.report || c.report->plan_hash != hash || c.report->segment != k) {
    c.problem = fmt::format("{} has no report for this plan ({} missing or stale)", video.filename().string(),
                            files.segment_summary(k).filename().string());
    return c;
  }
  if (facts->packets != c.report->frames) {
    c.problem = fmt::format("{} has {} frames, its report says {}", video.filename().string(), facts->packets,
                            c.report->frames);
    return c;
  }
  // Missing scans only change the frame count when gaps are skipped.
  if (plan.job.gaps != GapMode::Skip && facts->packets != plan.segment_frames(k)) {
    c.problem = fmt::format("{} has {} frames, the plan expects {}", video.filename().string(),
                            facts->packets, plan.segment_frames(k));
    return c;
  }
  const AVCodec* codec = avcodec_find_encoder_by_name(plan.job.encode.codec.c_str());
  if (codec == nullptr || codec->id != facts->codec) {
    c.problem = fmt::format("{} is not encoded with {}", video.filename().string(), plan.job.encode.codec);
    return c;
  }
  if (av_cmp_q(facts->frame_rate, av_d2q(plan.job.encode.fps, 1001000)) != 0) {
    c.problem = fmt::format("{} runs at {}/{} fps, the plan at {:g}", video.filename().string(),
                            facts->frame_rate.num, facts->frame_rate.den, plan.job.encode.fps);
    return c;
  }
  c.complete = true;
  if (facts_out != nullptr) *facts_out = std::move(facts);
  return c;
}

}  // namespace

std::string read_video_comment(const fs::path& video) {
  Input in;
  if (avformat_open_input(&in.ctx, video.c_str(), nullptr, nullptr) < 0) return {};
  const AVDictionaryEntry* e = av_dict_get(in.ctx->metadata, "comment", nullptr, 0);
  return e != nullptr ? e->value : "";
}

SegmentCheck check_segment(const PlanFiles& files, const TimelapsePlan& plan, const std::string& hash,
                           std::size_t k) {
  return check_with_facts(files, plan, hash, k, nullptr);
}

SegmentRun run_segment(const fs::path& plan_file, std::size_t k, const Config& base, Progress& progress,
                       const CancelToken& cancel) {
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  const PlanSegment slice = plan.segment(k);
  SegmentRun result;
  result.video = files.segment_video(k);
  if (const SegmentCheck c = check_segment(files, plan, hash, k); c.complete) {
    spdlog::info("segment {} is already complete for this plan: {}", k, result.video.string());
    result.skipped = true;
    result.report = *c.report;
    return result;
  }
  fs::create_directories(files.parts);
  const Config config = plan.make_config(base);
  PlanRun run = whole_plan(plan);
  run.slice = slice;
  run.output = result.video;
  run.use_catalog = false;
  run.encode.closed_gop = true;
  run.encode.metadata = {{"comment", segment_tag(hash, k, plan.segment_count())}};
  const TimelapseSummary s = run_timelapse_plan(plan, run, config, progress, cancel);
  SegmentReport& r = result.report;
  r.segment = k;
  r.plan_hash = hash;
  r.expected = s.expected_slots;
  r.found = s.listed;
  r.already_local = s.already_local;
  r.fetched = s.fetched;
  r.failed = s.fetch_failed;
  r.missing = s.missing_slots;
  r.bytes_fetched = s.bytes_fetched;
  r.frames = s.stream.output_frames;
  r.width = s.stream.width;
  r.height = s.stream.height;
  r.seconds_fetch = s.seconds_fetch;
  r.seconds_render = s.seconds_render;
  r.seconds_interpolate = s.stream.seconds_interpolate;
  r.seconds_encode = s.stream.seconds_encode;
  r.seconds_total = s.seconds_total;
  r.seconds_cpu = cpu_seconds();
  r.peak_rss_mb = peak_rss_mb();
  r.host = host_name();
  write_file_atomic(files.segment_summary(k), report_json(r).dump(2) + "\n");
  return result;
}

std::string JoinSummary::describe() const {
  std::string out =
      fmt::format("joined {} segments into {}: {} frames, {} in {:.2f} s ({}/s)\n", segments.size(),
                  output.string(), total.frames, format_bytes(static_cast<double>(bytes_read)), seconds_join,
                  format_bytes(static_cast<double>(bytes_read) / std::max(1e-9, seconds_join)));
  auto line = [](const std::string& name, const SegmentReport& r) {
    return fmt::format(
        "  {}: scans {} expected, {} found ({} on disk, {} fetched{}), {} missing; {} frames; fetch {:.1f} "
        "s, "
        "render {:.1f} s, interpolate {:.1f} s, encode {:.1f} s, total {:.1f} s (cpu {:.1f} s); peak {:.0f} "
        "MB{}\n",
        name, r.expected, r.found, r.already_local, r.fetched,
        r.failed > 0 ? fmt::format(", {} failed", r.failed) : "", r.missing, r.frames, r.seconds_fetch,
        r.seconds_render, r.seconds_interpolate, r.seconds_encode, r.seconds_total, r.seconds_cpu,
        r.peak_rss_mb, r.host.empty() ? "" : " on " + r.host);
  };
  for (const auto& s : segments) out += line(fmt::format("segment {}", s.segment), s);
  out += line("total", total);
  return out;
}

JoinSummary join_segments(const fs::path& plan_file, Progress& progress, const CancelToken& cancel) {
  const auto t_start = Clock::now();
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  const std::size_t count = plan.segment_count();

  // Check everything before writing anything.
  JoinSummary summary;
  summary.output = plan.job.output;
  std::vector<StreamFacts> facts(count);
  std::vector<std::string> problems;
  for (std::size_t k = 0; k < count; ++k) {
    std::optional<StreamFacts> f;
    const SegmentCheck c = check_with_facts(files, plan, hash, k, &f);
    if (!c.complete) {
      problems.push_back(fmt::format("segment {}: {}", k, c.problem));
      continue;
    }
    facts[k] = std::move(*f);
    summary.segments.push_back(*c.report);
  }
  for (std::size_t k = 1; k < count && problems.empty(); ++k) {
    const StreamFacts &a = facts[0], &b = facts[k];
    if (a.width != b.width || a.height != b.height || a.format != b.format || a.extradata != b.extradata ||
        av_cmp_q(a.time_base, b.time_base) != 0) {
      problems.push_back(
          fmt::format("segment {}: its stream parameters ({}x{}, format {}, time base {}/{}, {} bytes of "
                      "codec header) differ "
                      "from segment 0's ({}x{}, format {}, time base {}/{}, {} bytes)",
                      k, b.width, b.height, b.format, b.time_base.num, b.time_base.den, b.extradata.size(),
                      a.width, a.height, a.format, a.time_base.num, a.time_base.den, a.extradata.size()));
    }
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += "\n  " + p;
    fail(ErrorKind::InvalidArgument,
         "cannot join {}:{}\nrun the segments again (`goesvfi cluster resume {}` or `goesvfi timelapse "
         "--plan {} "
         "--segment K`)",
         files.plan.string(), text, files.plan.string(), files.plan.string());
  }

  if (av_log_get_level() > AV_LOG_ERROR) av_log_set_level(AV_LOG_ERROR);  // no muxer chatter
  // Stream copy, timestamps renumbered in frames so segment k starts where segment k-1 ended.
  AtomicFile out(plan.job.output);
  AVFormatContext* ofmt = nullptr;
  // The container from the final name, the file at the temporary one (mp4 faststart reopens it by name).
  const AVOutputFormat* oformat = av_guess_format(nullptr, plan.job.output.c_str(), nullptr);
  int rc = oformat == nullptr
               ? AVERROR_MUXER_NOT_FOUND
               : avformat_alloc_output_context2(&ofmt, oformat, nullptr, out.temp_path().c_str());
  if (rc < 0 || ofmt == nullptr)
    fail(ErrorKind::InvalidArgument, "cannot write a video named {}: {}", plan.job.output.string(),
         av_error_text(rc));
  struct OutputGuard {
    AVFormatContext*& ctx;
    ~OutputGuard() {
      if (ctx->pb != nullptr) avio_closep(&ctx->pb);
      avformat_free_context(ctx);
    }
  } guard{ofmt};
  const AVRational rate = av_d2q(plan.job.encode.fps, 1001000);
  const AVRational frame_tb = av_inv_q(rate);
  AVStream* ost = avformat_new_stream(ofmt, nullptr);
  {
    Input first;
    const fs::path seg0 = files.segment_video(0);
    if ((rc = avformat_open_input(&first.ctx, seg0.c_str(), nullptr, nullptr)) < 0)
      fail(ErrorKind::Io, "cannot open {}: {}", seg0.string(), av_error_text(rc));
    avformat_find_stream_info(first.ctx, nullptr);
    avcodec_parameters_copy(ost->codecpar, first.ctx->streams[0]->codecpar);
    ost->codecpar->codec_tag = 0;
    ost->time_base = first.ctx->streams[0]->time_base;
  }
  ost->avg_frame_rate = rate;
  av_dict_set(&ofmt->metadata, "comment",
              fmt::format("goesvfi plan {} joined from {} segments", hash, count).c_str(), 0);
  if ((rc = avio_open(&ofmt->pb, out.temp_path().c_str(), AVIO_FLAG_WRITE)) < 0)
    fail(ErrorKind::Io, "cannot create {}: {}", out.temp_path().string(), av_error_text(rc));
  AVDictionary* mux = nullptr;
  const std::string muxer = ofmt->oformat->name;
  if (plan.job.encode.faststart && (muxer.find("mp4") != std::string::npos || muxer == "mov"))
    av_dict_set(&mux, "movflags", "+faststart", 0);
  rc = avformat_write_header(ofmt, &mux);
  av_dict_free(&mux);
  if (rc < 0)
    fail(ErrorKind::Io, "cannot write the header of {}: {}", plan.job.output.string(), av_error_text(rc));

  std::int64_t total_frames = 0;
  for (const auto& f : facts) total_frames += f.packets;
  ProgressTask task = progress.task("join", total_frames, "frames");
  AVPacket* pkt = av_packet_alloc();
  std::int64_t offset = 0;
  try {
    for (std::size_t k = 0; k < count; ++k) {
      cancel.throw_if_cancelled();
      Input in;
      const fs::path seg = files.segment_video(k);
      if ((rc = avformat_open_input(&in.ctx, seg.c_str(), nullptr, nullptr)) < 0)
        fail(ErrorKind::Io, "cannot open {}: {}", seg.string(), av_error_text(rc));
      const AVRational itb = in.ctx->streams[0]->time_base;
      std::int64_t index = 0;
      while ((rc = av_read_frame(in.ctx, pkt)) >= 0) {
        const auto to_frames = [&](std::int64_t t) {
          return av_rescale_q_rnd(t, itb, frame_tb,
                                  static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
        };
        const std::int64_t pts = pkt->pts == AV_NOPTS_VALUE ? index : to_frames(pkt->pts);
        const std::int64_t dts = pkt->dts == AV_NOPTS_VALUE ? pts : to_frames(pkt->dts);
        pkt->pts = av_rescale_q(pts + offset, frame_tb, ost->time_base);
        pkt->dts = av_rescale_q(dts + offset, frame_tb, ost->time_base);
        pkt->duration = av_rescale_q(1, frame_tb, ost->time_base);
        pkt->stream_index = 0;
        pkt->pos = -1;
        summary.bytes_read += pkt->size;
        rc = av_interleaved_write_frame(ofmt, pkt);
        if (rc < 0)
          fail(ErrorKind::Io, "cannot write frame {} of segment {} to {}: {}", index, k,
               plan.job.output.string(), av_error_text(rc));
        ++index;
        task.advance();
      }
      if (rc != AVERROR_EOF) fail(ErrorKind::Corrupt, "cannot read {}: {}", seg.string(), av_error_text(rc));
      offset += index;
    }
  } catch (...) {
    av_packet_free(&pkt);
    throw;
  }
  av_packet_free(&pkt);
  if ((rc = av_write_trailer(ofmt)) < 0)
    fail(ErrorKind::Io, "cannot finish {}: {}", plan.job.output.string(), av_error_text(rc));
  avio_closep(&ofmt->pb);
  out.commit();
  task.finish();

  SegmentReport& t = summary.total;
  for (const auto& r : summary.segments) {
    t.expected += r.expected;
    t.found += r.found;
    t.already_local += r.already_local;
    t.fetched += r.fetched;
    t.failed += r.failed;
    t.missing += r.missing;
    t.bytes_fetched += r.bytes_fetched;
    t.frames += r.frames;
    t.seconds_fetch += r.seconds_fetch;
    t.seconds_render += r.seconds_render;
    t.seconds_interpolate += r.seconds_interpolate;
    t.seconds_encode += r.seconds_encode;
    t.seconds_total += r.seconds_total;
    t.seconds_cpu += r.seconds_cpu;
    t.peak_rss_mb = std::max(t.peak_rss_mb, r.peak_rss_mb);
    t.width = r.width;
    t.height = r.height;
  }
  t.plan_hash = hash;
  summary.seconds_join = std::chrono::duration<double>(Clock::now() - t_start).count();
  json merged = {
      {"plan", files.plan.string()}, {"plan_hash", hash},           {"output", plan.job.output.string()},
      {"frames", t.frames},          {"bytes", summary.bytes_read}, {"seconds_join", summary.seconds_join},
      {"total", report_json(t)},     {"segments", json::array()}};
  for (const auto& r : summary.segments) merged["segments"].push_back(report_json(r));
  write_file_atomic(files.merged_summary(), merged.dump(2) + "\n");
  return summary;
}

}  // namespace goesvfi::cluster
