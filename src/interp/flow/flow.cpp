#include "interp/flow/flow.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "core/cv_image.hpp"
#include "core/cv_pool.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "interp/blend.hpp"
#include "interp/flow/warp.hpp"

namespace goesvfi {

namespace {

// A static pixel is an overlay when a channel differs from the 5x5 mean around it by more than this share of
// full scale: thin lines and text stand out, smooth static areas (a cloudless sea) do not.
constexpr double k_overlay_contrast = 0.1;
// Overlay pixels are filled with the mean of the other pixels within this many pixels (or 2x, 4x if none).
constexpr int k_overlay_fill_radius = 2;
// The change between the frames and the disagreement of the warped frames are averaged over
// (2r+1)x(2r+1) pixels before they are compared.
constexpr int k_confidence_radius = 3;
// Luma at or below this (2 of 255) is "space": rendered off-disk pixels are 0, JPEG leaves a little noise.
constexpr float k_background_luma = 2.0f / 255.0f;
// DIS needs a few patches per side at its coarsest level; smaller inputs are padded by edge replication.
constexpr int k_min_flow_side = 64;
// Row bands of at least this many rows per pool task.
constexpr std::ptrdiff_t k_grain = 16;

// `image` as a width x height x channels image of `type` that nobody else holds: kept when it already is one
// (scratch reuse: no allocation, no fresh pages), else newly allocated.
void reuse_image(Image& image, int width, int height, int channels, SampleType type) {
  if (image.empty() || image.width() != width || image.height() != height || image.channels() != channels ||
      image.type() != type || !image.is_unique()) {
    image = Image(width, height, channels, type);
  }
}

// Calls rows(r0, r1) over bands of rows on the pool.
template <typename Rows>
void parallel_rows(int height, Rows&& rows) {
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) { rows(static_cast<int>(y0), static_cast<int>(y1)); },
      k_grain);
}

// Runs rows(T{}, r0, r1) over bands of rows on the pool, T the sample type of `type`.
template <typename Rows>
void parallel_rows_of_type(SampleType type, int height, Rows&& rows) {
  parallel_rows(height, [&](int r0, int r1) {
    switch (type) {
      case SampleType::U8:
        return rows(std::uint8_t{}, r0, r1);
      case SampleType::U16:
        return rows(std::uint16_t{}, r0, r1);
      case SampleType::F32:
        return rows(float{}, r0, r1);
    }
  });
}

// Runs rows(T{}, std::integral_constant<int, C>{}, r0, r1) over bands of rows, T and C the frame's.
template <typename Rows>
void parallel_rows_of_layout(const Image& image, Rows&& rows) {
  parallel_rows_of_type(image.type(), image.height(), [&](auto sample, int r0, int r1) {
    switch (image.channels()) {
      case 1:
        return rows(sample, std::integral_constant<int, 1>{}, r0, r1);
      case 3:
        return rows(sample, std::integral_constant<int, 3>{}, r0, r1);
      default:
        return rows(sample, std::integral_constant<int, 4>{}, r0, r1);
    }
  });
}

// Luma of one frame: 8-bit frames keep U8 luma (peak 255, no conversion pass), others F32 in [0,1]; and the
// background mask (U8, 1 = space/no data). The Mats are reused from call to call.
struct FrameLuma {
  cv::Mat luma;
  double peak = 1.0;
  cv::Mat background;
  cv::Mat grey, converted, alpha;  // working planes
};

// The luma alone (what the estimator reads).
void luma_only(const Image& image, FrameLuma& out) {
  const cv::Mat src = as_mat(image);
  cv::Mat grey = src;
  if (image.channels() != 1) {
    cv::cvtColor(src, out.grey, image.channels() == 3 ? cv::COLOR_RGB2GRAY : cv::COLOR_RGBA2GRAY);
    grey = out.grey;
  }
  if (image.type() == SampleType::U8) {
    out.luma = grey;
    out.peak = 255.0;
  } else {
    grey.convertTo(out.converted, CV_32F, 1.0 / sample_peak(image.type()));
    out.luma = out.converted;
    out.peak = 1.0;
  }
}

void frame_luma(const Image& image, FrameLuma& out) {
  luma_only(image, out);
  cv::compare(out.luma, k_background_luma * out.peak, out.background, cv::CMP_LE);  // 255 where true
  if (image.channels() == 4) {
    cv::extractChannel(as_mat(image), out.alpha, 3);
    cv::compare(out.alpha, 0, out.alpha, cv::CMP_EQ);
    cv::bitwise_or(out.background, out.alpha, out.background);
  }
  cv::min(out.background, 1, out.background);  // 0/1
}

// The mean absolute luma difference (in [0,1]) where a pixel that is background in exactly one frame counts
// as full scale.
template <typename T>
double luma_difference_rows(const FrameLuma& a, const FrameLuma& b, int y0, int y1) {
  const float peak = static_cast<float>(a.peak);
  double total = 0;
  for (int y = y0; y < y1; ++y) {
    const T* la = a.luma.ptr<T>(y);
    const T* lb = b.luma.ptr<T>(y);
    const std::uint8_t* ba = a.background.ptr<std::uint8_t>(y);
    const std::uint8_t* bb = b.background.ptr<std::uint8_t>(y);
    float row = 0;
    for (int x = 0; x < a.luma.cols; ++x) {
      row += ba[x] != bb[x] ? peak : std::abs(static_cast<float>(la[x]) - static_cast<float>(lb[x]));
    }
    total += row;
  }
  return total;
}

double score_from_luma(const FrameLuma& a, const FrameLuma& b) {
  std::mutex mutex;
  double total = 0;
  parallel_rows(a.luma.rows, [&](int r0, int r1) {
    const double part = a.luma.depth() == CV_8U ? luma_difference_rows<std::uint8_t>(a, b, r0, r1)
                                                : luma_difference_rows<float>(a, b, r0, r1);
    const std::lock_guard lock(mutex);
    total += part;
  });
  return total / (static_cast<double>(a.luma.total()) * a.peak);
}

// Both lumas stretched jointly to 0..255 so that dim or low-contrast (e.g. 12-bit IR in 16-bit) frames keep
// their texture for the 8-bit estimator. `ua`, `ub` are the working planes used when a conversion is needed.
std::pair<cv::Mat, cv::Mat> stretch_to_u8(const cv::Mat& la, const cv::Mat& lb, cv::Mat& ua, cv::Mat& ub) {
  double min_a, max_a, min_b, max_b;
  cv::minMaxLoc(la, &min_a, &max_a);
  cv::minMaxLoc(lb, &min_b, &max_b);
  const double lo = std::min(min_a, min_b), hi = std::max(max_a, max_b);
  const double gain = hi - lo > 1e-9 ? 255.0 / (hi - lo) : 0.0;
  if (la.depth() == CV_8U && lo == 0.0 && hi == 255.0 && la.isContinuous() && lb.isContinuous()) {
    return {la, lb};  // already full range; DIS wants continuous rows
  }
  la.convertTo(ua, CV_8U, gain, -lo * gain);
  lb.convertTo(ub, CV_8U, gain, -lo * gain);
  return {ua, ub};
}

// Presets, by measured speed/quality (docs/benchmarks.md): DIS's own presets, with `fast` estimating at half
// the configured scale. Cloud motion is smooth, so a coarse field upsampled loses little.
cv::Ptr<cv::DISOpticalFlow> make_dis(FlowPreset preset) {
  switch (preset) {
    case FlowPreset::Fast:
      return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_ULTRAFAST);
    case FlowPreset::Medium: {
      // One variational refinement iteration per level instead of DIS_FAST's 5: a third less estimation time,
      // and on the real Irma sequences slightly better (docs/benchmarks.md).
      auto dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
      dis->setVariationalRefinementIterations(1);
      return dis;
    }
    case FlowPreset::Quality:
      return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
  }
  return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
}

double preset_scale(FlowPreset preset) {
  return preset == FlowPreset::Fast ? 0.5 : 1.0;
}

// Both flows at the estimation resolution (DIS's finest level), vectors in full-frame pixels: the passes
// that need them per pixel sample them bilinearly (what upsampling with cv::resize INTER_LINEAR gives), so no
// full-resolution flow plane is ever written.
struct CoarseFlow {
  cv::Mat fx, fy, gx, gy;      // F32: a -> b (f) and b -> a (g)
  float sx = 1.0f, sy = 1.0f;  // frame size / estimation size
};

}  // namespace

// The working buffers of the flow backend, kept from one pair (and timestep) to the next: at a constant frame
// size nothing is allocated, so no fresh pages are faulted in, after the first pair.
struct FlowScratch {
  cv::Ptr<cv::DISOpticalFlow> dis;
  FlowPreset dis_preset = FlowPreset::Medium;
  cv::Size dis_input;                        // the size the instance was used at
  int dis_finest = 0;                        // the preset's finest pyramid level (DIS's own downscale)
  FrameLuma luma0, luma1, filled0, filled1;  // of the frames; of the frames with overlays filled
  cv::Mat stretched0, stretched1, small0, small1, padded0, padded1;  // estimator inputs
  cv::Mat forward, backward;  // DIS output (CV_32FC2, estimation pixels)
  CoarseFlow flow;
  cv::Mat coarse_confidence0, coarse_confidence1, confidence0, confidence1;  // U8 consistency
  cv::Mat overlay;                                                           // U8 0/1 static overlay pixels
  Image src0, src1;                         // the frames with their overlays filled
  cv::Mat change;                           // F32 local mean |a - b|
  cv::Mat d0x, d0y, d1x, d1y;               // per timestep: coarse displacement to each frame
  std::vector<int> col0, col1, row0, row1;  // bilinear upsampling taps and weights, per column / row
  std::vector<float> col_weight, row_weight;
  cv::Mat moved, residual, residual_mean;  // per timestep: warped blend (F32 x C), warp disagreement
  std::vector<Image> outputs;              // output frames handed out; reused once the caller drops them
};

namespace {

// U8 0/1: pixels identical in a and b (every channel) that are not space and stand out from their 5x5
// neighbourhood (in some colour channel the mean, as cv::blur computes it with reflected borders, differs
// by more than a tenth of full scale: a cyan line is plain in the green channel over bright cloud but not in
// the red one). Static overlays: map outlines, grids, captions. One pass; the mean only where identical.
template <typename T, int channels>
void overlay_rows(const Image& a, const Image& b, const cv::Mat& background, cv::Mat& out, int y0, int y1) {
  const int width = a.width(), height = a.height();
  const int colours = std::min(channels, 3);
  const float limit = static_cast<float>(k_overlay_contrast * sample_peak(a.type()));
  const auto reflect = [](int i, int n) {
    if (n == 1) return 0;
    if (i < 0) return -i;
    return i >= n ? 2 * n - 2 - i : i;
  };
  for (int y = y0; y < y1; ++y) {
    const T* pa = a.row<T>(y);
    const T* pb = b.row<T>(y);
    const std::uint8_t* space = background.ptr<std::uint8_t>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      o[x] = 0;
      if (space[x] != 0) continue;
      bool same = true;
      for (int c = 0; c < channels; ++c) same &= pa[x * channels + c] == pb[x * channels + c];
      if (!same) continue;
      float sum[3] = {0, 0, 0};
      for (int v = y - 2; v <= y + 2; ++v) {
        const T* row = a.row<T>(reflect(v, height));
        for (int u = x - 2; u <= x + 2; ++u) {
          const T* px = row + reflect(u, width) * channels;
          for (int c = 0; c < colours; ++c) sum[c] += static_cast<float>(px[c]);
        }
      }
      float largest = 0;
      for (int c = 0; c < colours; ++c) {
        float mean = sum[c] / 25.0f;
        if constexpr (!std::is_floating_point_v<T>) mean = std::nearbyint(mean);  // blur's rounding
        largest = std::max(largest, std::abs(static_cast<float>(pa[x * channels + c]) - mean));
      }
      o[x] = largest > limit ? 1 : 0;
    }
  }
}

void overlay_pixels(const Image& a, const Image& b, const cv::Mat& background, cv::Mat& out) {
  out.create(a.height(), a.width(), CV_8U);
  parallel_rows_of_layout(a, [&](auto sample, auto channels, int r0, int r1) {
    overlay_rows<decltype(sample), decltype(channels)::value>(a, b, background, out, r0, r1);
  });
}

// The frame with the masked pixels replaced by the mean of the unmasked pixels within a few pixels of them,
// so that flow estimation and warping see the scene under the overlay. Overlays are thin, so this touches few
// pixels; a pixel with no unmasked neighbour within the widest window keeps its value.
template <typename T>
void fill_masked_rows(Image& out, const Image& image, const cv::Mat& mask, int y0, int y1) {
  const int width = image.width(), height = image.height(), channels = image.channels();
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
    T* o = out.row<T>(y);
    std::copy_n(image.row<T>(y), static_cast<std::size_t>(width) * channels, o);
    for (int x = 0; x < width; ++x) {
      if (m[x] == 0) continue;
      for (int r = k_overlay_fill_radius; r <= 4 * k_overlay_fill_radius; r *= 2) {
        float sum[4] = {0, 0, 0, 0};
        int n = 0;
        for (int v = std::max(0, y - r); v <= std::min(height - 1, y + r); ++v) {
          const std::uint8_t* mv = mask.ptr<std::uint8_t>(v);
          const T* iv = image.row<T>(v);
          for (int u = std::max(0, x - r); u <= std::min(width - 1, x + r); ++u) {
            if (mv[u] != 0) continue;
            for (int c = 0; c < channels; ++c) sum[c] += static_cast<float>(iv[u * channels + c]);
            ++n;
          }
        }
        if (n == 0) continue;
        for (int c = 0; c < channels; ++c) o[x * channels + c] = cv::saturate_cast<T>(sum[c] / n);
        break;
      }
    }
  }
}

void fill_masked(const Image& image, const cv::Mat& mask, Image& out) {
  reuse_image(out, image.width(), image.height(), image.channels(), image.type());
  parallel_rows_of_type(image.type(), image.height(), [&](auto sample, int r0, int r1) {
    fill_masked_rows<decltype(sample)>(out, image, mask, r0, r1);
  });
}

// F32 plane: per-pixel mean absolute difference over the channels, in full-scale units, averaged over a
// (2r+1)x(2r+1) box.
template <typename T, int C>
void difference_rows(const Image& x, const Image& y, float gain, cv::Mat& out, int y0, int y1) {
  for (int row = y0; row < y1; ++row) {
    const T* px = x.row<T>(row);
    const T* py = y.row<T>(row);
    float* o = out.ptr<float>(row);
    using Sum = std::conditional_t<std::is_integral_v<T>, int, float>;  // exact for 8/16-bit samples
    for (int col = 0; col < x.width(); ++col) {
      Sum sum = 0;
      for (int c = 0; c < C; ++c) {
        sum += std::abs(static_cast<Sum>(px[col * C + c]) - static_cast<Sum>(py[col * C + c]));
      }
      o[col] = static_cast<float>(sum) * gain;
    }
  }
}

void local_difference(const Image& x, const Image& y, int radius, cv::Mat& out) {
  out.create(x.height(), x.width(), CV_32F);
  const float gain = static_cast<float>(1.0 / (sample_peak(x.type()) * x.channels()));
  parallel_rows_of_layout(x, [&](auto sample, auto channels, int r0, int r1) {
    difference_rows<decltype(sample), decltype(channels)::value>(x, y, gain, out, r0, r1);
  });
  if (radius > 0) cv::blur(out, out, cv::Size(2 * radius + 1, 2 * radius + 1));
}

// Splits DIS's CV_32FC2 output into two planes, rescaled from estimation to frame pixels.
void split_flow(const cv::Mat& flow, float sx, float sy, cv::Mat& dx, cv::Mat& dy) {
  dx.create(flow.size(), CV_32F);
  dy.create(flow.size(), CV_32F);
  for (int y = 0; y < flow.rows; ++y) {
    const float* src = flow.ptr<float>(y);
    float* px = dx.ptr<float>(y);
    float* py = dy.ptr<float>(y);
    for (int x = 0; x < flow.cols; ++x) {
      px[x] = src[2 * x] * sx;
      py[x] = src[2 * x + 1] * sy;
    }
  }
}

// Estimates both flows between the frames' lumas into scratch.flow. DIS's own finest-level downscale (the
// presets estimate at 1/4 or 1/2 of the input) is done here, before DIS (the same INTER_AREA reduction), so
// DIS's result stays at that resolution instead of being upsampled into full-resolution planes; inputs too
// small for that keep the downscale inside DIS.
const CoarseFlow& flow_from_luma(const FrameLuma& a, const FrameLuma& b, FlowPreset preset, double scale,
                                 FlowScratch& scratch) {
  const int width = a.luma.cols, height = a.luma.rows;
  if (scratch.dis.empty() || scratch.dis_preset != preset) {
    scratch.dis = make_dis(preset);
    scratch.dis_preset = preset;
    scratch.dis_finest = scratch.dis->getFinestScale();
  }
  auto [ua, ub] = stretch_to_u8(a.luma, b.luma, scratch.stretched0, scratch.stretched1);
  scale *= preset_scale(preset);
  const int scaled_w = std::max(1, static_cast<int>(std::lround(width * scale)));
  const int scaled_h = std::max(1, static_cast<int>(std::lround(height * scale)));
  int level = 0;
  while (level < scratch.dis_finest && std::min(scaled_w, scaled_h) >> (level + 1) >= k_min_flow_side) {
    ++level;
  }
  const int est_w = scaled_w >> level, est_h = scaled_h >> level;
  const cv::Size dis_input(std::max(est_w, k_min_flow_side), std::max(est_h, k_min_flow_side));
  if (scratch.dis_input != dis_input || scratch.dis->getFinestScale() != scratch.dis_finest - level) {
    // A fresh instance per input size: OpenCV 4.6's DIS keeps per-level buffers from its first input and
    // reads past them when a later, larger input has more pyramid levels.
    scratch.dis = make_dis(preset);
    scratch.dis->setFinestScale(scratch.dis_finest - level);
    scratch.dis_input = dis_input;
  }
  if (est_w != width || est_h != height) {
    cv::resize(ua, scratch.small0, cv::Size(est_w, est_h), 0, 0, cv::INTER_AREA);
    cv::resize(ub, scratch.small1, cv::Size(est_w, est_h), 0, 0, cv::INTER_AREA);
    ua = scratch.small0;
    ub = scratch.small1;
  }
  const int pad_x = std::max(0, k_min_flow_side - est_w), pad_y = std::max(0, k_min_flow_side - est_h);
  if (pad_x > 0 || pad_y > 0) {
    cv::copyMakeBorder(ua, scratch.padded0, 0, pad_y, 0, pad_x, cv::BORDER_REPLICATE);
    cv::copyMakeBorder(ub, scratch.padded1, 0, pad_y, 0, pad_x, cv::BORDER_REPLICATE);
    ua = scratch.padded0;
    ub = scratch.padded1;
  }
  scratch.dis->calc(ua, ub, scratch.forward);
  scratch.dis->calc(ub, ua, scratch.backward);
  CoarseFlow& flow = scratch.flow;
  flow.sx = static_cast<float>(width) / static_cast<float>(est_w);
  flow.sy = static_cast<float>(height) / static_cast<float>(est_h);
  const cv::Rect valid(0, 0, est_w, est_h);
  split_flow(scratch.forward(valid), flow.sx, flow.sy, flow.fx, flow.fy);
  split_flow(scratch.backward(valid), flow.sx, flow.sy, flow.gx, flow.gy);
  return flow;
}

// 255 / (1 + |F_ab(p) + F_ba(p + F_ab(p))|^2) at the flows' resolution (vectors in frame pixels), F_ba read
// at the nearest sample: a pixel whose round trip returns home is visible in both frames.
void consistency(const cv::Mat& fx, const cv::Mat& fy, const cv::Mat& gx, const cv::Mat& gy, float sx,
                 float sy, cv::Mat& out) {
  out.create(fx.size(), CV_8U);
  const int width = fx.cols, height = fx.rows;
  for (int y = 0; y < height; ++y) {
    const float* px = fx.ptr<float>(y);
    const float* py = fy.ptr<float>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const int tx = std::clamp(cvRound(static_cast<float>(x) + px[x] / sx), 0, width - 1);
      const int ty = std::clamp(cvRound(static_cast<float>(y) + py[x] / sy), 0, height - 1);
      const float ex = px[x] + gx.ptr<float>(ty)[tx], ey = py[x] + gy.ptr<float>(ty)[tx];
      o[x] = static_cast<std::uint8_t>(255.0f / (1.0f + ex * ex + ey * ey) + 0.5f);
    }
  }
}

// The consistency of both flows, computed where the flows are and upsampled (bilinear) to the frame.
void pair_confidence(const CoarseFlow& f, int width, int height, FlowScratch& scratch) {
  consistency(f.fx, f.fy, f.gx, f.gy, f.sx, f.sy, scratch.coarse_confidence0);
  consistency(f.gx, f.gy, f.fx, f.fy, f.sx, f.sy, scratch.coarse_confidence1);
  if (f.fx.cols == width && f.fx.rows == height) {
    scratch.confidence0 = scratch.coarse_confidence0;
    scratch.confidence1 = scratch.coarse_confidence1;
    return;
  }
  cv::resize(scratch.coarse_confidence0, scratch.confidence0, cv::Size(width, height), 0, 0,
             cv::INTER_LINEAR);
  cv::resize(scratch.coarse_confidence1, scratch.confidence1, cv::Size(width, height), 0, 0,
             cv::INTER_LINEAR);
}

// Per-pair state reused for every timestep.
struct PairState {
  const CoarseFlow* flow = nullptr;
  cv::Mat confidence0, confidence1;  // U8 forward-backward consistency: 255 consistent -> 0 occluded
  cv::Mat here0, here1;              // U8 0/1: space in a / in b at each pixel
  Image src0, src1;                  // what the warp reads: the frames with their static overlays filled
  cv::Mat identical;                 // U8 0/1: the pixel is kept as it is in a (static overlay); may be empty
  cv::Mat change;                    // F32: local mean |a - b| (what the linear blend has to explain)
};

void check_flow_matches(const Image& a, const BidirectionalFlow& flow) {
  for (const Image* plane : {&flow.forward.dx, &flow.forward.dy, &flow.backward.dx, &flow.backward.dy}) {
    if (plane->width() != a.width() || plane->height() != a.height() || plane->channels() != 1 ||
        plane->type() != SampleType::F32) {
      fail(ErrorKind::InvalidArgument, "flow field {} does not match the {} frames (expected {}x{} grey f32)",
           plane->describe(), a.describe(), a.width(), a.height());
    }
  }
}

// An output frame like `like`: one handed out before that the caller has dropped since, else a new one
// (kept for reuse, up to `keep` of them).
Image output_frame(const Image& like, std::size_t keep, FlowScratch& scratch) {
  for (Image& image : scratch.outputs) {
    if (image.is_unique() && image.same_layout(like)) return image;
  }
  Image image(like.width(), like.height(), like.channels(), like.type());
  auto held = std::find_if(scratch.outputs.begin(), scratch.outputs.end(),
                           [&](const Image& old) { return !old.same_layout(like) || !old.is_unique(); });
  if (scratch.outputs.size() < keep) {
    scratch.outputs.push_back(image);
  } else if (held != scratch.outputs.end()) {
    *held = image;
  }
  return image;
}

Image synthesise(const Image& a, const PairState& s, double t_double, std::size_t keep,
                 FlowScratch& scratch) {
  const float t = static_cast<float>(t_double);
  const CoarseFlow& f = *s.flow;
  // Flows from time t to each frame, from the two estimated flows (Jiang et al., Super SloMo, eq. 4), at the
  // flows' resolution: linear in the flows, so upsampling them afterwards (in the warp pass) is the same as
  // upsampling the flows first.
  const float u = 1.0f - t;
  const float a0 = -u * t, b0 = t * t, a1 = u * u, b1 = -t * u;
  for (cv::Mat* plane : {&scratch.d0x, &scratch.d0y, &scratch.d1x, &scratch.d1y})
    plane->create(f.fx.size(), CV_32F);
  for (int y = 0; y < f.fx.rows; ++y) {
    const float* fx = f.fx.ptr<float>(y);
    const float* fy = f.fy.ptr<float>(y);
    const float* gx = f.gx.ptr<float>(y);
    const float* gy = f.gy.ptr<float>(y);
    float* d0x = scratch.d0x.ptr<float>(y);
    float* d0y = scratch.d0y.ptr<float>(y);
    float* d1x = scratch.d1x.ptr<float>(y);
    float* d1y = scratch.d1y.ptr<float>(y);
    for (int x = 0; x < f.fx.cols; ++x) {
      d0x[x] = a0 * fx[x] + b0 * gx[x];
      d0y[x] = a0 * fy[x] + b0 * gy[x];
      d1x[x] = a1 * fx[x] + b1 * gx[x];
      d1y[x] = a1 * fy[x] + b1 * gy[x];
    }
  }
  flow_warp::upsampling_taps(f.fx.cols, a.width(), scratch.col0, scratch.col1, scratch.col_weight);
  flow_warp::upsampling_taps(f.fx.rows, a.height(), scratch.row0, scratch.row1, scratch.row_weight);
  scratch.moved.create(a.height(), a.width() * a.channels() + 1, CV_32F);  // a spare float per row
  scratch.residual.create(a.height(), a.width(), CV_32F);
  flow_warp::WarpInput in;
  in.a = &s.src0;
  in.b = &s.src1;
  in.d0x = &scratch.d0x;
  in.d0y = &scratch.d0y;
  in.d1x = &scratch.d1x;
  in.d1y = &scratch.d1y;
  in.col0 = scratch.col0.data();
  in.col1 = scratch.col1.data();
  in.col_weight = scratch.col_weight.data();
  in.row0 = scratch.row0.data();
  in.row1 = scratch.row1.data();
  in.row_weight = scratch.row_weight.data();
  in.here0 = s.here0;
  in.here1 = s.here1;
  in.confidence0 = s.confidence0;
  in.confidence1 = s.confidence1;
  in.t = t;
  const flow_warp::WarpKernel kernel = flow_warp::best_warp_kernel();
  parallel_rows(a.height(), [&](int r0, int r1) {
    flow_warp::warp_rows(kernel, in, scratch.moved, scratch.residual, r0, r1);
  });
  if (!s.change.empty()) {
    const int side = 2 * k_confidence_radius + 1;
    cv::blur(scratch.residual, scratch.residual_mean, cv::Size(side, side));
  }
  Image out = output_frame(a, keep, scratch);
  flow_warp::CombineInput mix;
  mix.a = &s.src0;
  mix.b = &s.src1;
  mix.original = &a;
  mix.moved = &scratch.moved;
  mix.identical = s.identical;
  mix.change = s.change;
  mix.residual_mean = scratch.residual_mean;
  mix.t = t;
  parallel_rows(a.height(), [&](int r0, int r1) { flow_warp::combine_rows(kernel, mix, out, r0, r1); });
  return out;
}

}  // namespace

FlowPreset parse_flow_preset(std::string_view text) {
  if (text == "fast") return FlowPreset::Fast;
  if (text == "medium") return FlowPreset::Medium;
  if (text == "quality") return FlowPreset::Quality;
  fail(ErrorKind::InvalidArgument, "unknown flow preset '{}' (expected fast, medium or quality)", text);
}

FlowFallback parse_flow_fallback(std::string_view text) {
  if (text == "blend") return FlowFallback::Blend;
  if (text == "hold") return FlowFallback::Hold;
  fail(ErrorKind::InvalidArgument, "unknown flow fallback '{}' (expected blend or hold)", text);
}

FlowOptions::FlowOptions() : FlowOptions(from_config(Config::defaults())) {}

FlowOptions FlowOptions::from_config(const Config& config) {
  FlowOptions o(FromConfig{});
  o.preset = parse_flow_preset(config.get_string("flow.preset"));
  o.scale = config.get_float("flow.scale");
  o.discontinuity_threshold = config.get_float("flow.discontinuity_threshold");
  o.fallback = parse_flow_fallback(config.get_string("flow.fallback"));
  o.static_overlays = config.get_bool("flow.static_overlays");
  o.confidence = config.get_bool("flow.confidence");
  return o;
}

namespace {

// A coarse flow plane upsampled to the frame, as a new Image.
Image upsampled_plane(const cv::Mat& plane, int width, int height) {
  Image out(width, height, 1, SampleType::F32);
  cv::Mat dst = as_mat(out);
  cv::resize(plane, dst, dst.size(), 0, 0, cv::INTER_LINEAR);
  return out;
}

// Full-resolution flow planes viewed as a CoarseFlow at factor 1.
void view_flow(const BidirectionalFlow& flow, CoarseFlow& out) {
  out.fx = as_mat(flow.forward.dx);
  out.fy = as_mat(flow.forward.dy);
  out.gx = as_mat(flow.backward.dx);
  out.gy = as_mat(flow.backward.dy);
  out.sx = out.sy = 1.0f;
}

}  // namespace

BidirectionalFlow estimate_flow(const Image& a, const Image& b, FlowPreset preset, double scale) {
  const double one_step[] = {0.5};
  check_interpolation_inputs(a, b, one_step);
  if (!(scale > 0.0 && scale <= 1.0)) {
    fail(ErrorKind::InvalidArgument, "flow scale {} is outside (0,1] (flow.scale)", scale);
  }
  use_global_pool_for_opencv();
  FlowScratch scratch;
  frame_luma(a, scratch.luma0);
  frame_luma(b, scratch.luma1);
  const CoarseFlow& f = flow_from_luma(scratch.luma0, scratch.luma1, preset, scale, scratch);
  const int w = a.width(), h = a.height();
  return {{upsampled_plane(f.fx, w, h), upsampled_plane(f.fy, w, h)},
          {upsampled_plane(f.gx, w, h), upsampled_plane(f.gy, w, h)}};
}

double discontinuity_score(const Image& a, const Image& b) {
  const double one_step[] = {0.5};
  check_interpolation_inputs(a, b, one_step);
  FrameLuma la, lb;
  frame_luma(a, la);
  frame_luma(b, lb);
  return score_from_luma(la, lb);
}

Image warp_interpolate(const Image& a, const Image& b, const BidirectionalFlow& flow, double t) {
  const double step[] = {t};
  check_interpolation_inputs(a, b, step);
  check_flow_matches(a, flow);
  use_global_pool_for_opencv();
  FlowScratch scratch;
  frame_luma(a, scratch.luma0);
  frame_luma(b, scratch.luma1);
  view_flow(flow, scratch.flow);
  pair_confidence(scratch.flow, a.width(), a.height(), scratch);
  PairState state;
  state.flow = &scratch.flow;
  state.confidence0 = scratch.confidence0;
  state.confidence1 = scratch.confidence1;
  state.here0 = scratch.luma0.background;
  state.here1 = scratch.luma1.background;
  state.src0 = a;
  state.src1 = b;
  return synthesise(a, state, t, 0, scratch);
}

FlowInterpolator::~FlowInterpolator() = default;

FlowInterpolator::FlowInterpolator(FlowOptions options)
    : m_options(options), m_scratch(std::make_unique<FlowScratch>()) {
  if (!(options.scale > 0.0 && options.scale <= 1.0)) {
    fail(ErrorKind::InvalidArgument, "flow scale {} is outside (0,1] (flow.scale)", options.scale);
  }
  if (!(options.discontinuity_threshold >= 0.0 && options.discontinuity_threshold <= 1.0)) {
    fail(ErrorKind::InvalidArgument,
         "flow discontinuity threshold {} is outside [0,1] (flow.discontinuity_threshold)",
         options.discontinuity_threshold);
  }
  use_global_pool_for_opencv();
}

std::vector<Image> FlowInterpolator::interpolate(const Image& a, const Image& b,
                                                 std::span<const double> timesteps, const CancelToken& cancel,
                                                 PairReport* report) {
  check_interpolation_inputs(a, b, timesteps);
  std::vector<Image> out;
  if (timesteps.empty()) return out;
  cancel.throw_if_cancelled();
  const std::lock_guard lock(m_scratch_mutex);  // one pair at a time uses the scratch buffers
  FlowScratch& scratch = *m_scratch;
  FrameLuma& la = scratch.luma0;
  FrameLuma& lb = scratch.luma1;
  frame_luma(a, la);
  frame_luma(b, lb);
  const double score = score_from_luma(la, lb);
  if (score > m_options.discontinuity_threshold) {
    const bool hold = m_options.fallback == FlowFallback::Hold;
    std::string reason = fmt::format(
        "frames too different to interpolate (discontinuity score {:.3f} > flow.discontinuity_threshold "
        "{:.3f}); {} instead",
        score, m_options.discontinuity_threshold, hold ? "held the nearest frame" : "blended");
    spdlog::warn("flow: {}", reason);
    if (report != nullptr) {
      report->fell_back = true;
      report->reason = std::move(reason);
    }
    for (double t : timesteps) {
      cancel.throw_if_cancelled();
      out.push_back(hold ? (t < 0.5 ? a : b) : blend_frames(a, b, t));
    }
    return out;
  }
  PairState state;
  state.src0 = a;
  state.src1 = b;
  const FrameLuma* fa = &la;
  const FrameLuma* fb = &lb;
  if (m_options.static_overlays) {
    overlay_pixels(a, b, la.background, scratch.overlay);
    if (cv::countNonZero(scratch.overlay) > 0) {
      fill_masked(a, scratch.overlay, scratch.src0);
      fill_masked(b, scratch.overlay, scratch.src1);
      state.src0 = scratch.src0;
      state.src1 = scratch.src1;
      state.identical = scratch.overlay;
      luma_only(state.src0, scratch.filled0);
      luma_only(state.src1, scratch.filled1);
      fa = &scratch.filled0;
      fb = &scratch.filled1;
    }
  }
  state.flow = &flow_from_luma(*fa, *fb, m_options.preset, m_options.scale, scratch);
  cancel.throw_if_cancelled();
  pair_confidence(*state.flow, a.width(), a.height(), scratch);
  state.confidence0 = scratch.confidence0;
  state.confidence1 = scratch.confidence1;
  state.here0 = la.background;
  state.here1 = lb.background;
  if (m_options.confidence) {
    local_difference(state.src0, state.src1, k_confidence_radius, scratch.change);
    state.change = scratch.change;
  }
  const std::size_t keep = std::min<std::size_t>(timesteps.size() + 1, 8);
  for (double t : timesteps) {
    cancel.throw_if_cancelled();
    out.push_back(synthesise(a, state, t, keep, scratch));
  }
  return out;
}

}  // namespace goesvfi
