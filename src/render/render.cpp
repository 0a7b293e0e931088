#include "render/render.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

constexpr std::uint16_t k_no_data = 256;  // level meaning "fill / masked"

struct Mapping {
  AbiQuantity quantity;
  double lo, hi, gamma;

  std::uint16_t level(double v) const {
    if (std::isnan(v)) return k_no_data;
    double t = quantity == AbiQuantity::BrightnessTemperature ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo);
    t = std::clamp(t, 0.0, 1.0);
    if (quantity == AbiQuantity::Reflectance && gamma != 1.0) t = std::pow(t, gamma);
    return static_cast<std::uint16_t>(std::lround(t * 255.0));
  }
};

Mapping make_mapping(AbiQuantity quantity, const RenderOptions& o) {
  Mapping m{quantity, 0, 1, o.gamma};
  if (quantity == AbiQuantity::BrightnessTemperature) {
    m.lo = o.range_min.value_or(o.ir_min_k);
    m.hi = o.range_max.value_or(o.ir_max_k);
  } else {
    m.lo = o.range_min.value_or(0.0);
    m.hi = o.range_max.value_or(1.0);
  }
  if (!(m.hi > m.lo)) {
    fail(ErrorKind::InvalidArgument, "render range {}:{} is empty: expected min < max", m.lo, m.hi);
  }
  return m;
}

// Builds the output image from per-row levels (0..255, or k_no_data), in parallel over rows.
Image compose(int width, int height, const RenderOptions& o,
              const std::function<void(int y, std::uint16_t* levels)>& row_levels) {
  std::optional<ColourLut> lut;
  if (!o.colormap.empty()) lut = make_lut(load_gradient(o.colormap));
  const bool alpha = o.background == Background::Transparent;
  const int channels = lut ? (alpha ? 4 : 3) : (alpha ? 4 : 1);
  Image out(width, height, channels, SampleType::U8);
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        std::vector<std::uint16_t> levels(static_cast<std::size_t>(width));
        for (auto y = y0; y < y1; ++y) {
          row_levels(static_cast<int>(y), levels.data());
          auto* px = out.row<std::uint8_t>(static_cast<int>(y));
          for (int x = 0; x < width; ++x, px += channels) {
            const std::uint16_t lev = levels[x];
            if (lev == k_no_data) continue;  // zero-initialised: black / transparent
            if (lut) {
              const Rgb8 c = (*lut)[lev];
              px[0] = c.r;
              px[1] = c.g;
              px[2] = c.b;
            } else {
              px[0] = static_cast<std::uint8_t>(lev);
              if (channels == 4) px[1] = px[2] = px[0];
            }
            if (channels == 4) px[3] = 255;
          }
        }
      },
      16);
  return out;
}

}  // namespace

RenderOptions RenderOptions::from_config(const Config& config) {
  RenderOptions o;
  o.ir_min_k = config.get_float("render.ir_min_k");
  o.ir_max_k = config.get_float("render.ir_max_k");
  o.gamma = config.get_float("render.gamma");
  o.colormap = config.get_string("render.colormap");
  o.dqf_invalid = parse_dqf_list(config.get_string("render.dqf_invalid"));
  o.background =
      config.get_string("render.background") == "transparent" ? Background::Transparent : Background::Black;
  return o;
}

double parse_resolution_km(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t.size() > 2 && (t.substr(t.size() - 2) == "km" || t.substr(t.size() - 2) == "KM")) {
    t.remove_suffix(2);
  }
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !(v > 0) || v > 1000) {
    fail(ErrorKind::InvalidArgument,
         "resolution '{}' is not valid: expected kilometres such as 1km, 2km, 4km", text);
  }
  return v;
}

std::pair<double, double> parse_range(std::string_view text) {
  const auto colon = text.find(':');
  double lo = 0, hi = 0;
  bool ok = colon != std::string_view::npos;
  if (ok) {
    auto a = text.substr(0, colon), b = text.substr(colon + 1);
    auto r1 = std::from_chars(a.data(), a.data() + a.size(), lo);
    auto r2 = std::from_chars(b.data(), b.data() + b.size(), hi);
    ok = !a.empty() && !b.empty() && r1.ec == std::errc() && r1.ptr == a.data() + a.size() &&
         r2.ec == std::errc() && r2.ptr == b.data() + b.size() && hi > lo;
  }
  if (!ok) {
    fail(ErrorKind::InvalidArgument, "range '{}' is not valid: expected MIN:MAX with MIN < MAX, e.g. 180:320",
         text);
  }
  return {lo, hi};
}

Image map_field(const Image& values, AbiQuantity quantity, const RenderOptions& options) {
  if (values.type() != SampleType::F32 || values.channels() != 1) {
    fail(ErrorKind::InvalidArgument, "map_field needs a one-channel float field, got {}", values.describe());
  }
  const Mapping m = make_mapping(quantity, options);
  return compose(values.width(), values.height(), options, [&](int y, std::uint16_t* levels) {
    const float* row = values.row<float>(y);
    for (int x = 0; x < values.width(); ++x) levels[x] = m.level(row[x]);
  });
}

RenderedFrame render_abi_file(const std::filesystem::path& file, const RenderOptions& options) {
  return with_context("while rendering " + file.string(), [&] {
    const auto invalid = dqf_invalid_table(options.dqf_invalid);
    int factor = 1;
    if (options.resolution_km > 0) {
      const auto header = read_abi_header(file, options.band);
      const double ratio = options.resolution_km / header.resolution_km;
      factor = static_cast<int>(std::lround(ratio));
      if (factor < 1 || std::abs(ratio - factor) > 1e-6) {
        fail(ErrorKind::InvalidArgument,
             "resolution {} km is not a whole multiple of band {}'s native {} km (downsampling only)",
             options.resolution_km, header.band, header.resolution_km);
      }
    }
    RenderedFrame frame;
    if (factor > 1) {
      auto field = read_abi_field(file, {options.band, options.dqf_invalid, factor});
      frame.image = map_field(field.values, field.header.quantity, options);
      frame.header = std::move(field.header);
      return frame;
    }
    // Native resolution: packed value -> level in one table.
    auto raw = read_abi_raw(file, options.band);
    const auto values = calibration_table(raw.header);
    const Mapping m = make_mapping(raw.header.quantity, options);
    std::vector<std::uint16_t> level_of(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) level_of[i] = m.level(values[i]);
    const int w = raw.header.width;
    const bool has_dqf = !raw.dqf.empty();
    if (options.colormap.empty() && options.background == Background::Black) {
      // The common case, in one pass: grey level by table, zero where masked.
      std::array<std::uint8_t, 65536> grey{};
      for (std::size_t i = 0; i < level_of.size(); ++i) {
        grey[i] = level_of[i] == k_no_data ? 0 : static_cast<std::uint8_t>(level_of[i]);
      }
      std::array<std::uint8_t, 256> keep{};
      for (int v = 0; v < 256; ++v) keep[v] = invalid[v] ? 0 : 0xff;
      frame.image = Image(w, raw.header.height, 1, SampleType::U8);
      ThreadPool::global().parallel_for(
          0, raw.header.height,
          [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
            for (auto y = y0; y < y1; ++y) {
              const std::size_t base = static_cast<std::size_t>(y) * w;
              const std::uint16_t* packed = raw.packed.data() + base;
              auto* out = frame.image.row<std::uint8_t>(static_cast<int>(y));
              if (has_dqf) {
                const std::uint8_t* dqf = raw.dqf.data() + base;
                for (int x = 0; x < w; ++x) out[x] = grey[packed[x]] & keep[dqf[x]];
              } else {
                for (int x = 0; x < w; ++x) out[x] = grey[packed[x]];
              }
            }
          },
          16);
      frame.header = std::move(raw.header);
      return frame;
    }
    frame.image = compose(w, raw.header.height, options, [&](int y, std::uint16_t* levels) {
      const std::size_t base = static_cast<std::size_t>(y) * w;
      const std::uint16_t* packed = raw.packed.data() + base;
      for (int x = 0; x < w; ++x) levels[x] = level_of[packed[x]];
      if (has_dqf) {
        const std::uint8_t* dqf = raw.dqf.data() + base;
        for (int x = 0; x < w; ++x) {
          if (invalid[dqf[x]]) levels[x] = k_no_data;
        }
      }
    });
    frame.header = std::move(raw.header);
    return frame;
  });
}

}  // namespace goesvfi
