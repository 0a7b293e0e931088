#include "interp/flow/flow.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>

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
// Keeps the trust defined where neither frame changes: (mean absolute difference)^2 of 1/100 of full scale.
constexpr float k_confidence_floor = 1e-6f;
// Luma at or below this (2 of 255) is "space": rendered off-disk pixels are 0, JPEG leaves a little noise.
constexpr float k_background_luma = 2.0f / 255.0f;
// DIS needs a few patches per side at its coarsest level; smaller inputs are padded by edge replication.
constexpr int k_min_flow_side = 64;

Image new_f32_plane(int width, int height) {
  return Image(width, height, 1, SampleType::F32);
}

// Luma of one frame: 8-bit frames keep U8 luma (peak 255, no conversion pass), others F32 in [0,1]; and the
// background mask (U8, 1 = space/no data).
struct FrameLuma {
  cv::Mat luma;
  double peak = 1.0;
  cv::Mat background;
};

FrameLuma frame_luma(const Image& image) {
  const cv::Mat src = as_mat(image);
  cv::Mat grey;
  if (image.channels() == 1) {
    grey = src;
  } else {
    cv::cvtColor(src, grey, image.channels() == 3 ? cv::COLOR_RGB2GRAY : cv::COLOR_RGBA2GRAY);
  }
  FrameLuma out;
  if (image.type() == SampleType::U8) {
    out.luma = grey;
    out.peak = 255.0;
  } else {
    grey.convertTo(out.luma, CV_32F, 1.0 / sample_peak(image.type()));
  }
  out.background = out.luma <= k_background_luma * out.peak;  // 255 where true
  if (image.channels() == 4) {
    cv::Mat alpha;
    cv::extractChannel(src, alpha, 3);
    out.background |= (alpha == 0);
  }
  out.background /= 255;  // 0/1
  return out;
}

double score_from_luma(const FrameLuma& a, const FrameLuma& b) {
  cv::Mat diff;
  cv::absdiff(a.luma, b.luma, diff);
  cv::Mat one_sided;
  cv::bitwise_xor(a.background, b.background, one_sided);
  diff.setTo(a.peak, one_sided);
  return cv::mean(diff)[0] / a.peak;
}

// Both lumas stretched jointly to 0..255 so that dim or low-contrast (e.g. 12-bit IR in 16-bit) frames keep
// their texture for the 8-bit estimator.
std::pair<cv::Mat, cv::Mat> stretch_to_u8(const cv::Mat& la, const cv::Mat& lb) {
  double min_a, max_a, min_b, max_b;
  cv::minMaxLoc(la, &min_a, &max_a);
  cv::minMaxLoc(lb, &min_b, &max_b);
  const double lo = std::min(min_a, min_b), hi = std::max(max_a, max_b);
  const double gain = hi - lo > 1e-9 ? 255.0 / (hi - lo) : 0.0;
  if (la.depth() == CV_8U && lo == 0.0 && hi == 255.0) {  // already full range; DIS wants continuous rows
    return {la.isContinuous() ? la : la.clone(), lb.isContinuous() ? lb : lb.clone()};
  }
  cv::Mat ua, ub;
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
    case FlowPreset::Medium:
      return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
    case FlowPreset::Quality:
      return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
  }
  return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
}

double preset_scale(FlowPreset preset) {
  return preset == FlowPreset::Fast ? 0.5 : 1.0;
}

// Splits a CV_32FC2 flow at estimation size into full-size dx/dy planes, rescaling the vectors (one pass).
// `field` keeps its planes when they have that size and nobody else holds them (scratch reuse).
void to_flow_field(const cv::Mat& flow, int width, int height, FlowField& field, cv::Mat& full) {
  for (Image* plane : {&field.dx, &field.dy}) {
    if (plane->empty() || plane->width() != width || plane->height() != height || !plane->is_unique()) {
      *plane = new_f32_plane(width, height);
    }
  }
  if (flow.cols != width || flow.rows != height) {
    cv::resize(flow, full, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
  } else {
    full = flow;
  }
  const float sx = static_cast<float>(width) / static_cast<float>(flow.cols);
  const float sy = static_cast<float>(height) / static_cast<float>(flow.rows);
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) {
          const int row = static_cast<int>(y);
          const float* src = full.ptr<float>(row);
          float* dx = field.dx.row<float>(row);
          float* dy = field.dy.row<float>(row);
          for (int x = 0; x < width; ++x) {
            dx[x] = src[2 * x] * sx;
            dy[x] = src[2 * x + 1] * sy;
          }
        }
      },
      16);
}

}  // namespace

// The working buffers of the flow backend, kept from one pair (and timestep) to the next: at a constant frame
// size nothing is allocated, so no fresh pages are faulted in, after the first pair.
struct FlowScratch {
  cv::Ptr<cv::DISOpticalFlow> dis;
  FlowPreset dis_preset = FlowPreset::Medium;
  cv::Mat forward, backward, full_forward, full_backward;  // estimated flows; upsampled when scaled
  BidirectionalFlow fields;
  cv::Mat confidence0, confidence1, change;
  cv::Mat fixed0, frac0, fixed1, frac1;  // remap's fixed-point sampling maps
  cv::Mat warped0, warped1, residual, trust;
};

namespace {

const BidirectionalFlow& flow_from_luma(const FrameLuma& a, const FrameLuma& b, FlowPreset preset,
                                        double scale, FlowScratch& scratch) {
  const int width = a.luma.cols, height = a.luma.rows;
  auto [ua, ub] = stretch_to_u8(a.luma, b.luma);
  scale *= preset_scale(preset);
  if (scale < 1.0) {
    const cv::Size small(std::max(1, static_cast<int>(std::lround(width * scale))),
                         std::max(1, static_cast<int>(std::lround(height * scale))));
    cv::resize(ua, ua, small, 0, 0, cv::INTER_AREA);
    cv::resize(ub, ub, small, 0, 0, cv::INTER_AREA);
  }
  const int est_w = ua.cols, est_h = ua.rows;
  const int pad_x = std::max(0, k_min_flow_side - est_w), pad_y = std::max(0, k_min_flow_side - est_h);
  if (pad_x > 0 || pad_y > 0) {
    cv::copyMakeBorder(ua, ua, 0, pad_y, 0, pad_x, cv::BORDER_REPLICATE);
    cv::copyMakeBorder(ub, ub, 0, pad_y, 0, pad_x, cv::BORDER_REPLICATE);
  }
  if (scratch.dis.empty() || scratch.dis_preset != preset) {
    scratch.dis = make_dis(preset);
    scratch.dis_preset = preset;
  }
  scratch.dis->calc(ua, ub, scratch.forward);
  scratch.dis->calc(ub, ua, scratch.backward);
  const cv::Rect valid(0, 0, est_w, est_h);
  to_flow_field(scratch.forward(valid), width, height, scratch.fields.forward, scratch.full_forward);
  to_flow_field(scratch.backward(valid), width, height, scratch.fields.backward, scratch.full_backward);
  return scratch.fields;
}

// Per-pair state reused for every timestep.
struct PairState {
  cv::Mat f01x, f01y, f10x, f10y;    // flows as Mat headers over the FlowField planes
  cv::Mat confidence0, confidence1;  // U8 forward-backward consistency: 255 consistent -> 0 occluded
  cv::Mat here0, here1;              // U8 0/1: space in a / in b at each pixel
  Image src0, src1;                  // what the warp reads: the frames with their static overlays filled
  cv::Mat identical;                 // U8 0/1: the pixel is the same in a and b (kept as it is); may be empty
  cv::Mat change;                    // F32: local mean |a - b| (what the linear blend has to explain)
};

// U8 0/1: the pixels whose samples are identical in a and b.
template <typename T>
void identical_rows(const Image& a, const Image& b, cv::Mat& out, int y0, int y1) {
  const int n = a.width() * a.channels(), channels = a.channels();
  for (int y = y0; y < y1; ++y) {
    const T* pa = a.row<T>(y);
    const T* pb = b.row<T>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    for (int i = 0, x = 0; i < n; i += channels, ++x) {
      bool same = true;
      for (int c = 0; c < channels; ++c) same &= pa[i + c] == pb[i + c];
      o[x] = same ? 1 : 0;
    }
  }
}

// Runs rows(T{}, r0, r1) over bands of rows on the pool, T the sample type of `type`.
template <typename Rows>
void parallel_rows_of_type(SampleType type, int height, Rows&& rows) {
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        const int r0 = static_cast<int>(y0), r1 = static_cast<int>(y1);
        switch (type) {
          case SampleType::U8:
            return rows(std::uint8_t{}, r0, r1);
          case SampleType::U16:
            return rows(std::uint16_t{}, r0, r1);
          case SampleType::F32:
            return rows(float{}, r0, r1);
        }
      },
      16);
}

cv::Mat identical_pixels(const Image& a, const Image& b) {
  cv::Mat out(a.height(), a.width(), CV_8U);
  parallel_rows_of_type(a.type(), a.height(), [&](auto sample, int r0, int r1) {
    identical_rows<decltype(sample)>(a, b, out, r0, r1);
  });
  return out;
}

// Static overlays (map outlines, grids, captions): pixels identical in both frames that stand out from their
// neighbourhood (in some channel, the 5x5 mean differs by more than a tenth of full scale: a cyan line is
// plain in the green channel over bright cloud but not in the red one), and are not space. U8 0/1.
cv::Mat overlay_pixels(const Image& a, const cv::Mat& identical, const cv::Mat& background) {
  cv::Mat src = as_mat(a);
  if (a.channels() == 4) cv::cvtColor(src, src, cv::COLOR_RGBA2RGB);
  cv::Mat around, diff;
  cv::blur(src, around, cv::Size(5, 5));
  cv::absdiff(src, around, diff);
  if (diff.channels() > 1) {
    cv::Mat largest = diff.reshape(1, diff.rows * diff.cols);
    cv::reduce(largest, largest, 1, cv::REDUCE_MAX);
    diff = largest.reshape(1, src.rows);
  }
  cv::Mat out = diff > k_overlay_contrast * sample_peak(a.type());  // 255 where true
  out &= identical * 255;
  out &= background == 0;  // space is handled as space, not as an overlay
  out /= 255;
  return out;
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

Image fill_masked(const Image& image, const cv::Mat& mask) {
  Image out = image.clone();
  parallel_rows_of_type(image.type(), image.height(), [&](auto sample, int r0, int r1) {
    fill_masked_rows<decltype(sample)>(out, image, mask, r0, r1);
  });
  return out;
}

// F32 plane: per-pixel mean absolute difference over the channels, in full-scale units, averaged over a
// (2r+1)x(2r+1) box.
template <typename T>
void difference_rows(const cv::Mat& x, const cv::Mat& y, float gain, cv::Mat& out, int y0, int y1) {
  const int n = x.cols * x.channels(), channels = x.channels();
  for (int row = y0; row < y1; ++row) {
    const T* px = x.ptr<T>(row);
    const T* py = y.ptr<T>(row);
    float* o = out.ptr<float>(row);
    for (int i = 0, col = 0; i < n; i += channels, ++col) {
      float sum = 0;
      for (int c = 0; c < channels; ++c) {
        sum += std::abs(static_cast<float>(px[i + c]) - static_cast<float>(py[i + c]));
      }
      o[col] = sum * gain;
    }
  }
}

void local_difference(const cv::Mat& x, const cv::Mat& y, double peak, int radius, cv::Mat& out) {
  out.create(x.size(), CV_32F);
  const float gain = static_cast<float>(1.0 / (peak * x.channels()));
  ThreadPool::global().parallel_for(
      0, x.rows,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        const int r0 = static_cast<int>(y0), r1 = static_cast<int>(y1);
        switch (x.depth()) {
          case CV_8U:
            return difference_rows<std::uint8_t>(x, y, gain, out, r0, r1);
          case CV_16U:
            return difference_rows<std::uint16_t>(x, y, gain, out, r0, r1);
          default:
            return difference_rows<float>(x, y, gain, out, r0, r1);
        }
      },
      16);
  if (radius > 0) cv::blur(out, out, cv::Size(2 * radius + 1, 2 * radius + 1));
}

// 255 / (1 + |F_ab(p) + F_ba(p + F_ab(p))|^2), F_ba read at the nearest pixel: a pixel whose round trip
// returns home is visible in both frames.
void consistency(const cv::Mat& fx, const cv::Mat& fy, const cv::Mat& gx, const cv::Mat& gy, cv::Mat& out) {
  out.create(fx.size(), CV_8U);
  const int width = fx.cols, height = fx.rows;
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) {
          const int row = static_cast<int>(y);
          const float* px = fx.ptr<float>(row);
          const float* py = fy.ptr<float>(row);
          std::uint8_t* o = out.ptr<std::uint8_t>(row);
          for (int x = 0; x < width; ++x) {
            const int tx = std::clamp(cvRound(static_cast<float>(x) + px[x]), 0, width - 1);
            const int ty = std::clamp(cvRound(static_cast<float>(row) + py[x]), 0, height - 1);
            const float ex = px[x] + gx.ptr<float>(ty)[tx], ey = py[x] + gy.ptr<float>(ty)[tx];
            o[x] = static_cast<std::uint8_t>(255.0f / (1.0f + ex * ex + ey * ey) + 0.5f);
          }
        }
      },
      16);
}

PairState make_pair_state(const BidirectionalFlow& flow, const FrameLuma& la, const FrameLuma& lb,
                          FlowScratch& scratch) {
  PairState s;
  s.f01x = as_mat(flow.forward.dx);
  s.f01y = as_mat(flow.forward.dy);
  s.f10x = as_mat(flow.backward.dx);
  s.f10y = as_mat(flow.backward.dy);
  consistency(s.f01x, s.f01y, s.f10x, s.f10y, scratch.confidence0);
  consistency(s.f10x, s.f10y, s.f01x, s.f01y, scratch.confidence1);
  s.confidence0 = scratch.confidence0;
  s.confidence1 = scratch.confidence1;
  s.here0 = la.background;
  s.here1 = lb.background;
  return s;
}

void check_flow_matches(const Image& a, const BidirectionalFlow& flow) {
  for (const Image* plane : {&flow.forward.dx, &flow.forward.dy, &flow.backward.dx, &flow.backward.dy}) {
    if (plane->width() != a.width() || plane->height() != a.height() || plane->channels() != 1 ||
        plane->type() != SampleType::F32) {
      fail(ErrorKind::InvalidArgument, "flow field {} does not match the {} frames (expected {}x{} grey f32)",
           plane->describe(), a.describe(), a.width(), a.height());
    }
  }
}

// The warped frames and their fixed-point sampling maps (remap's CV_16SC2 integer part and 1/32 fractions).
struct Warped {
  cv::Mat &a, &b;
  cv::Mat &fixed0, &frac0, &fixed1, &frac1;
};

// What the warp read at one pixel of the other frame: the bilinear share of space among the four taps (for
// mask-normalised sampling) and the consistency at the nearest tap. Same taps and clamping as remap's.
struct TapInfo {
  float background, confidence;
};

inline __attribute__((always_inline)) TapInfo tap_info(const short* fixed, const std::uint16_t* frac, int x,
                                                       const cv::Mat& here, const cv::Mat& confidence) {
  const int w = here.cols, h = here.rows;
  const int ix = fixed[2 * x], iy = fixed[2 * x + 1];
  const int f = frac[x];
  constexpr int k_tab = cv::INTER_TAB_SIZE;  // 32 fractions per pixel, row-major in `frac`
  const float fx = static_cast<float>(f % k_tab) / k_tab;
  const float fy = static_cast<float>(f / k_tab) / k_tab;
  const int x0 = std::clamp(ix, 0, w - 1), x1 = std::clamp(ix + 1, 0, w - 1);
  const int y0 = std::clamp(iy, 0, h - 1), y1 = std::clamp(iy + 1, 0, h - 1);
  const std::uint8_t* r0 = here.ptr<std::uint8_t>(y0);
  const std::uint8_t* r1 = here.ptr<std::uint8_t>(y1);
  const float top = r0[x0] + fx * (r0[x1] - r0[x0]);
  const float bottom = r1[x0] + fx * (r1[x1] - r1[x0]);
  const int nx = fx < 0.5f ? x0 : x1, ny = fy < 0.5f ? y0 : y1;
  return {top + fy * (bottom - top), confidence.ptr<std::uint8_t>(ny)[nx] * (1.0f / 255.0f)};
}

template <typename T, int C>
void combine_rows(const Image& original, const Warped& w, const PairState& s, const cv::Mat& trust, float t,
                  Image& out, int y0, int y1) {
  const Image& a = s.src0;
  const Image& b = s.src1;
  const int width = a.width();
  std::vector<float> weight0(static_cast<std::size_t>(width)), weight1(static_cast<std::size_t>(width));
  std::vector<float> norm0(static_cast<std::size_t>(width)), norm1(static_cast<std::size_t>(width));
  for (int y = y0; y < y1; ++y) {
    const short* fixed0 = w.fixed0.ptr<short>(y);
    const short* fixed1 = w.fixed1.ptr<short>(y);
    const std::uint16_t* frac0 = w.frac0.ptr<std::uint16_t>(y);
    const std::uint16_t* frac1 = w.frac1.ptr<std::uint16_t>(y);
    const std::uint8_t* here0 = s.here0.ptr<std::uint8_t>(y);
    const std::uint8_t* here1 = s.here1.ptr<std::uint8_t>(y);
    // Weights first, then the samples.
    for (int x = 0; x < width; ++x) {
      const TapInfo at0 = tap_info(fixed0, frac0, x, s.here0, s.confidence0);
      const TapInfo at1 = tap_info(fixed1, frac1, x, s.here1, s.confidence1);
      // Space in both frames stays put unless both warped samples come from the disk (something moving
      // across the background); otherwise the limb would smear outwards.
      const float space_here = static_cast<float>(here0[x] & here1[x]);
      const float both_from_disk =
          (at0.background < 0.5f ? 1.0f : 0.0f) * (at1.background < 0.5f ? 1.0f : 0.0f);
      const float keep = 1.0f - space_here * (1.0f - both_from_disk);
      const auto i = static_cast<std::size_t>(x);
      weight0[i] = ((1.0f - t) * at0.confidence * (1.0f - at0.background) + 1e-6f) * keep;
      weight1[i] = (t * at1.confidence * (1.0f - at1.background) + 1e-6f) * keep;
      // Bilinear taps on space contribute ~0; dividing by the disk share of the taps keeps the limb from
      // darkening (mask-normalised sampling).
      norm0[i] = 1.0f / std::max(1.0f - at0.background, 1e-3f);
      norm1[i] = 1.0f / std::max(1.0f - at1.background, 1e-3f);
    }
    const T* pa = a.row<T>(y);
    const T* pb = b.row<T>(y);
    const T* qa = w.a.ptr<T>(y);
    const T* qb = w.b.ptr<T>(y);
    const T* keep = original.row<T>(y);
    const std::uint8_t* same = s.identical.empty() ? nullptr : s.identical.ptr<std::uint8_t>(y);
    const float* trusted = trust.empty() ? nullptr : trust.ptr<float>(y);
    T* po = out.row<T>(y);
    for (int x = 0; x < width; ++x) {
      const auto i = static_cast<std::size_t>(x);
      if (same != nullptr && same[x] != 0) {
        for (int c = 0; c < C; ++c) po[x * C + c] = keep[x * C + c];
        continue;
      }
      const float w0 = weight0[i], w1 = weight1[i];
      const float sum = w0 + w1;
      const bool warped = sum > 1e-4f;
      const float k0 = warped ? w0 / sum * norm0[i] : 1.0f - t, k1 = warped ? w1 / sum * norm1[i] : t;
      const T* s0 = warped ? qa : pa;
      const T* s1 = warped ? qb : pb;
      const float m = trusted != nullptr ? trusted[x] : 1.0f;
      for (int c = 0; c < C; ++c) {
        const int j = x * C + c;
        const float moved = k0 * static_cast<float>(s0[j]) + k1 * static_cast<float>(s1[j]);
        const float linear = (1.0f - t) * static_cast<float>(pa[j]) + t * static_cast<float>(pb[j]);
        po[j] = cv::saturate_cast<T>(linear + m * (moved - linear));
      }
    }
  }
}

template <typename T>
void combine_dispatch(const Image& a, const Warped& w, const PairState& s, const cv::Mat& trust, float t,
                      Image& out, int y0, int y1) {
  switch (a.channels()) {
    case 1:
      return combine_rows<T, 1>(a, w, s, trust, t, out, y0, y1);
    case 3:
      return combine_rows<T, 3>(a, w, s, trust, t, out, y0, y1);
    default:
      return combine_rows<T, 4>(a, w, s, trust, t, out, y0, y1);
  }
}

Image synthesise(const Image& a, const PairState& s, double t_double, FlowScratch& scratch) {
  const float t = static_cast<float>(t_double);
  // Flows from time t to each frame, from the two estimated flows (Jiang et al., Super SloMo, eq. 4), as
  // sampling maps p + F_t0(p) and p + F_t1(p), in one pass.
  const float u = 1.0f - t;
  const float a0 = -u * t, b0 = t * t, a1 = u * u, b1 = -t * u;
  // Written directly as remap's fixed-point maps (integer pixel + 1/32 fractions, as cv::convertMaps makes
  // them): remap uses them and the combine step reads its taps from them.
  Warped w{scratch.warped0, scratch.warped1, scratch.fixed0, scratch.frac0, scratch.fixed1, scratch.frac1};
  w.fixed0.create(s.f01x.size(), CV_16SC2);
  w.fixed1.create(s.f01x.size(), CV_16SC2);
  w.frac0.create(s.f01x.size(), CV_16UC1);
  w.frac1.create(s.f01x.size(), CV_16UC1);
  constexpr int k_tab = cv::INTER_TAB_SIZE;
  ThreadPool::global().parallel_for(
      0, s.f01x.rows,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) {
          const int row = static_cast<int>(y);
          const float* fx = s.f01x.ptr<float>(row);
          const float* fy = s.f01y.ptr<float>(row);
          const float* gx = s.f10x.ptr<float>(row);
          const float* gy = s.f10y.ptr<float>(row);
          short* m0 = w.fixed0.ptr<short>(row);
          short* m1 = w.fixed1.ptr<short>(row);
          std::uint16_t* q0 = w.frac0.ptr<std::uint16_t>(row);
          std::uint16_t* q1 = w.frac1.ptr<std::uint16_t>(row);
          const float py = static_cast<float>(row);
          for (int x = 0; x < s.f01x.cols; ++x) {
            const float px = static_cast<float>(x);
            const int x0 = cvRound((px + a0 * fx[x] + b0 * gx[x]) * k_tab);
            const int y0i = cvRound((py + a0 * fy[x] + b0 * gy[x]) * k_tab);
            const int x1 = cvRound((px + a1 * fx[x] + b1 * gx[x]) * k_tab);
            const int y1i = cvRound((py + a1 * fy[x] + b1 * gy[x]) * k_tab);
            m0[2 * x] = cv::saturate_cast<short>(x0 >> 5);
            m0[2 * x + 1] = cv::saturate_cast<short>(y0i >> 5);
            q0[x] = static_cast<std::uint16_t>((y0i & (k_tab - 1)) * k_tab + (x0 & (k_tab - 1)));
            m1[2 * x] = cv::saturate_cast<short>(x1 >> 5);
            m1[2 * x + 1] = cv::saturate_cast<short>(y1i >> 5);
            q1[x] = static_cast<std::uint16_t>((y1i & (k_tab - 1)) * k_tab + (x1 & (k_tab - 1)));
          }
        }
      },
      16);
  cv::remap(as_mat(s.src0), w.a, w.fixed0, w.frac0, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::remap(as_mat(s.src1), w.b, w.fixed1, w.frac1, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::Mat trust;  // stays empty without the confidence blend
  if (!s.change.empty()) {
    // How much of the change between the frames the motion explains: where the two warped frames agree
    // much better than the frames themselves do (residual << change), trust the warp; where they disagree
    // as much (clouds that grow or decay, a wrong vector) go toward the linear blend, which is what
    // minimises the error when the motion is unknown. trust = change^2 / (change^2 + residual^2).
    const cv::Mat& residual = scratch.residual;
    local_difference(w.a, w.b, sample_peak(a.type()), k_confidence_radius, scratch.residual);
    scratch.trust.create(residual.size(), CV_32F);
    trust = scratch.trust;
    ThreadPool::global().parallel_for(
        0, residual.rows,
        [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
          for (auto y = y0; y < y1; ++y) {
            const int row = static_cast<int>(y);
            const float* c = s.change.ptr<float>(row);
            const float* r = residual.ptr<float>(row);
            float* o = trust.ptr<float>(row);
            for (int x = 0; x < residual.cols; ++x) {
              const float c2 = c[x] * c[x] + 0.5f * k_confidence_floor;
              o[x] = c2 / (c2 + r[x] * r[x] + 0.5f * k_confidence_floor);
            }
          }
        },
        16);
  }

  Image out(a.width(), a.height(), a.channels(), a.type());
  ThreadPool::global().parallel_for(
      0, a.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        const int r0 = static_cast<int>(y0), r1 = static_cast<int>(y1);
        switch (a.type()) {
          case SampleType::U8:
            combine_dispatch<std::uint8_t>(a, w, s, trust, t, out, r0, r1);
            break;
          case SampleType::U16:
            combine_dispatch<std::uint16_t>(a, w, s, trust, t, out, r0, r1);
            break;
          case SampleType::F32:
            combine_dispatch<float>(a, w, s, trust, t, out, r0, r1);
            break;
        }
      },
      8);
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

FlowOptions flow_options_from_config(const Config& config) {
  FlowOptions o;
  o.preset = parse_flow_preset(config.get_string("flow.preset"));
  o.scale = config.get_float("flow.scale");
  o.discontinuity_threshold = config.get_float("flow.discontinuity_threshold");
  o.fallback = parse_flow_fallback(config.get_string("flow.fallback"));
  o.static_overlays = config.get_bool("flow.static_overlays");
  o.confidence = config.get_bool("flow.confidence");
  return o;
}

BidirectionalFlow estimate_flow(const Image& a, const Image& b, FlowPreset preset, double scale) {
  const double one_step[] = {0.5};
  check_interpolation_inputs(a, b, one_step);
  if (!(scale > 0.0 && scale <= 1.0)) {
    fail(ErrorKind::InvalidArgument, "flow scale {} is outside (0,1] (flow.scale)", scale);
  }
  use_global_pool_for_opencv();
  FlowScratch scratch;
  return flow_from_luma(frame_luma(a), frame_luma(b), preset, scale, scratch);
}

double discontinuity_score(const Image& a, const Image& b) {
  const double one_step[] = {0.5};
  check_interpolation_inputs(a, b, one_step);
  return score_from_luma(frame_luma(a), frame_luma(b));
}

Image warp_interpolate(const Image& a, const Image& b, const BidirectionalFlow& flow, double t) {
  const double step[] = {t};
  check_interpolation_inputs(a, b, step);
  check_flow_matches(a, flow);
  use_global_pool_for_opencv();
  FlowScratch scratch;
  PairState state = make_pair_state(flow, frame_luma(a), frame_luma(b), scratch);
  state.src0 = a;
  state.src1 = b;
  return synthesise(a, state, t, scratch);
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
  const FrameLuma la = frame_luma(a), lb = frame_luma(b);
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
  cv::Mat overlay;
  Image src0 = a, src1 = b;
  if (m_options.static_overlays) {
    overlay = overlay_pixels(a, identical_pixels(a, b), la.background);
    if (cv::countNonZero(overlay) > 0) {
      src0 = fill_masked(a, overlay);
      src1 = fill_masked(b, overlay);
    } else {
      overlay = cv::Mat();
    }
  }
  const FrameLuma fa = src0.data() == a.data() ? la : frame_luma(src0);
  const FrameLuma fb = src1.data() == b.data() ? lb : frame_luma(src1);
  const std::lock_guard lock(m_scratch_mutex);  // one pair at a time uses the scratch buffers
  FlowScratch& scratch = *m_scratch;
  const BidirectionalFlow& flow = flow_from_luma(fa, fb, m_options.preset, m_options.scale, scratch);
  cancel.throw_if_cancelled();
  PairState state = make_pair_state(flow, la, lb, scratch);
  state.src0 = src0;
  state.src1 = src1;
  state.identical = overlay;
  if (m_options.confidence) {
    local_difference(as_mat(src0), as_mat(src1), sample_peak(a.type()), k_confidence_radius, scratch.change);
    state.change = scratch.change;
  }
  for (double t : timesteps) {
    cancel.throw_if_cancelled();
    out.push_back(synthesise(a, state, t, scratch));
  }
  return out;
}

}  // namespace goesvfi
