#include "pipeline/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

float hash01(int x, int y, int seed) {
  std::uint32_t h = static_cast<std::uint32_t>(x) * 0x8da6b343u ^
                    static_cast<std::uint32_t>(y) * 0xd8163841u ^
                    static_cast<std::uint32_t>(seed) * 0xcb1ab31fu;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return static_cast<float>(h & 0xffffff) / static_cast<float>(0xffffff);
}

float smooth(float t) {
  return t * t * (3.0f - 2.0f * t);
}

float value_noise(double x, double y, int seed) {
  const double fx = std::floor(x), fy = std::floor(y);
  const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
  const float tx = smooth(static_cast<float>(x - fx)), ty = smooth(static_cast<float>(y - fy));
  const float a = hash01(ix, iy, seed), b = hash01(ix + 1, iy, seed);
  const float c = hash01(ix, iy + 1, seed), d = hash01(ix + 1, iy + 1, seed);
  return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

}  // namespace

float cloud_density(double x, double y, double minutes, int height, const SyntheticFlow& flow, int seed) {
  // Zonal flow: exact back-tracing, the texture at (x, y) now was at (x - u(y) t, y).
  const double lat = y / std::max(1, height);
  const double u =
      flow.base_px_per_min + flow.jet_px_per_min * std::sin(2.0 * M_PI * lat / flow.jet_wavelength);
  const double x0 = x - u * minutes;
  // Noise in units of the frame height so a scene looks alike at any resolution.
  const double scale = 8.0 / std::max(1, height);
  float v = 0, amp = 0.5f;
  double f = scale;
  for (int octave = 0; octave < 5; ++octave) {
    v += amp * value_noise(x0 * f, y * f, seed + octave * 101);
    f *= 2.03;
    amp *= 0.5f;
  }
  // Shape into clouds: a threshold with a soft edge gives clear sky between cloud masses.
  const float c = (v - 0.45f) * 3.0f;
  return c < 0 ? 0.0f : (c > 1 ? 1.0f : c);
}

namespace {
// Brightness temperature of surface + clouds. `dy` is the latitude-like coordinate in [-1, 1], `rr` the
// squared distance from the sub-satellite point (limb darkening), both as fractions of the disk radius.
float scene_bt(double dy, double rr, float cloud) {
  // Surface: ~300 K at the equator to ~250 K near the poles, slightly cooler towards the limb.
  const double surface = 300.0 - 50.0 * dy * dy - 8.0 * rr;
  // Cloud tops from ~260 K (thin, low) to ~205 K (thick, deep convection).
  const double top = 260.0 - 55.0 * cloud;
  return static_cast<float>(surface + (top - surface) * std::min(1.0f, cloud * 1.6f));
}

// Fills every row of `out` on the pool: fill(y, first sample of row y).
template <typename T, typename Fill>
Image filled_rows(Image out, Fill fill) {
  ThreadPool::global().parallel_for(
      0, out.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) fill(static_cast<int>(y), out.row<T>(static_cast<int>(y)));
      },
      8);
  return out;
}
}  // namespace

Image synthetic_disk_bt(int size, double minutes, int seed, const SyntheticFlow& flow) {
  const double r = size * 0.5 * 0.985, cx = size * 0.5, cy = size * 0.5;
  return filled_rows<float>(Image(size, size, 1, SampleType::F32), [&](int y, float* row) {
    for (int x = 0; x < size; ++x) {
      const double dx = (x + 0.5 - cx) / r, dy = (y + 0.5 - cy) / r;
      const double rr = dx * dx + dy * dy;
      row[x] = rr >= 1.0
                   ? std::numeric_limits<float>::quiet_NaN()
                   : scene_bt(dy, rr, cloud_density(x, static_cast<double>(y), minutes, size, flow, seed));
    }
  });
}

Image synthetic_sector_bt(int width, int height, double minutes, int seed, const SyntheticFlow& flow) {
  return filled_rows<float>(Image(width, height, 1, SampleType::F32), [&](int y, float* row) {
    // A mid-latitude band: 20-50 degrees north as 0.25-0.65 of the disk radius.
    const double dy = 0.25 + 0.4 * (y + 0.5) / height;
    for (int x = 0; x < width; ++x) {
      const double dx = -0.5 + (x + 0.5) / width;
      row[x] = scene_bt(dy, dx * dx + dy * dy,
                        cloud_density(x, static_cast<double>(y), minutes, height, flow, seed));
    }
  });
}

Image synthetic_ir_band(int band, const Image& bt13, double minutes, int seed, const SyntheticFlow& flow) {
  if (band == 13) return bt13.clone();
  if (band != 8 && band != 10 && band != 12)
    fail(ErrorKind::InvalidArgument, "the synthetic scene has IR bands 8, 10, 12 and 13, not {}", band);
  const int w = bt13.width(), h = bt13.height();
  return filled_rows<float>(Image(w, h, 1, SampleType::F32), [&](int y, float* row) {
    const float* t13 = bt13.row<float>(y);
    // Poleward of ~30 degrees (as a fraction of the rows) a cold, ozone-rich air mass.
    const double lat = std::abs(2.0 * (y + 0.5) / h - 1.0);
    const double polar = std::clamp((lat - 0.3) / 0.5, 0.0, 1.0);
    for (int x = 0; x < w; ++x) {
      const double t = t13[x];
      if (std::isnan(t)) {
        row[x] = std::numeric_limits<float>::quiet_NaN();
        continue;
      }
      // The cloud of the scene (as scene_bt covers the surface) and dry descending air in patches.
      const double cover =
          std::min(1.0f, cloud_density(x, static_cast<double>(y), minutes, h, flow, seed) * 1.6f);
      const double dry = cloud_density(x, static_cast<double>(y), minutes, h, flow, seed + 7);
      const double c08 = 236.0 - 14.0 * polar + 9.0 * dry;
      double clear = 0, top = 0;
      switch (band) {
        case 8:
          clear = c08;
          top = t - 2.0;
          break;
        case 10:
          clear = c08 + 13.0 + 4.0 * polar + 2.0 * dry;
          top = t - 1.0;
          break;
        default:  // 12: ozone absorbs more in cold and stratospheric air
          clear = t - 14.0 - 16.0 * polar - 14.0 * dry;
          top = t - 3.0;
          break;
      }
      row[x] = static_cast<float>(clear + (top - clear) * cover);
    }
  });
}

Image synthetic_cloud_frame(int width, int height, double minutes, int seed, const SyntheticFlow& flow) {
  return filled_rows<std::uint8_t>(Image(width, height, 3, SampleType::U8), [&](int y, std::uint8_t* row) {
    for (int x = 0; x < width; ++x) {
      const float c = cloud_density(x, static_cast<double>(y), minutes, height, flow, seed);
      row[3 * x + 0] = static_cast<std::uint8_t>(20 + 225 * c);
      row[3 * x + 1] = static_cast<std::uint8_t>(40 + 210 * c);
      row[3 * x + 2] = static_cast<std::uint8_t>(70 + 180 * c);
    }
  });
}

}  // namespace goesvfi
