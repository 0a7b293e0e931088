#include "render/render.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

constexpr std::uint16_t k_no_data = 256;  // level meaning "fill / masked"

constexpr double k_data_steps = 65534.0;  // data values 1..65535 span the range; 0 = no data

struct Mapping {
  AbiQuantity quantity;
  double lo, hi, gamma;

  // Position in the range, 0..1 (IR inverted: the warm end is 0, as cold = white).
  double position(double v) const {
    const double t =
        quantity == AbiQuantity::BrightnessTemperature ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo);
    return std::clamp(t, 0.0, 1.0);
  }
  std::uint16_t level_of_position(double t) const {
    if (quantity == AbiQuantity::Reflectance && gamma != 1.0) t = std::pow(t, gamma);
    return static_cast<std::uint16_t>(std::lround(t * 255.0));
  }
  std::uint16_t level(double v) const { return std::isnan(v) ? k_no_data : level_of_position(position(v)); }
  // The data value of a physical value (linear in it: gamma belongs to the colouring).
  std::uint16_t data(double v) const {
    return std::isnan(v) ? 0 : static_cast<std::uint16_t>(1 + std::lround(position(v) * k_data_steps));
  }
  std::uint16_t level_of_data(std::uint16_t d) const {
    return d == 0 ? k_no_data : level_of_position((d - 1) / k_data_steps);
  }
};

Mapping make_mapping(AbiQuantity quantity, const RenderOptions& o) {
  Mapping m{quantity, 0, 1, o.gamma};
  const bool ir = quantity == AbiQuantity::BrightnessTemperature;
  const ValueRange fallback = band_defaults(o.band > 0 ? o.band : (ir ? 13 : 1)).range;
  m.lo = o.range_min.value_or(fallback.min);
  m.hi = o.range_max.value_or(fallback.max);
  if (!(m.hi > m.lo)) {
    fail(ErrorKind::InvalidArgument, "render range {}:{} is empty: expected min < max", m.lo, m.hi);
  }
  return m;
}

using Pixel = std::array<std::uint8_t, 4>;

// What each grey level (and k_no_data) becomes in the output: grey, RGB through a colour table, RGBA when
// the background is transparent. No data is all zero (black, or transparent).
struct PixelTable {
  int channels = 1;
  std::array<Pixel, 257> of_level{};
};

PixelTable make_pixel_table(const RenderOptions& o) {
  std::optional<ColourLut> lut;
  if (!o.colormap.empty()) lut = make_lut(load_gradient(o.colormap));
  const bool alpha = o.background == Background::Transparent;
  PixelTable t;
  t.channels = lut ? (alpha ? 4 : 3) : (alpha ? 4 : 1);
  for (int level = 0; level < 256; ++level) {
    const auto v = static_cast<std::uint8_t>(level);
    const Rgb8 c = lut ? (*lut)[level] : Rgb8{v, v, v};
    t.of_level[level] = t.channels == 1 ? Pixel{v, 0, 0, 0} : Pixel{c.r, c.g, c.b, 255};
  }
  return t;
}

// Builds the output image from per-row levels (0..255, or k_no_data), in parallel over rows.
Image compose(int width, int height, const RenderOptions& o,
              const std::function<void(int y, std::uint16_t* levels)>& row_levels) {
  const PixelTable table = make_pixel_table(o);
  Image out(width, height, table.channels, SampleType::U8);
  ThreadPool::global().parallel_for(
      0, height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        std::vector<std::uint16_t> levels(static_cast<std::size_t>(width));
        for (auto y = y0; y < y1; ++y) {
          row_levels(static_cast<int>(y), levels.data());
          auto* px = out.row<std::uint8_t>(static_cast<int>(y));
          for (int x = 0; x < width; ++x) {
            std::memcpy(px + x * table.channels, table.of_level[levels[x]].data(), table.channels);
          }
        }
      },
      16);
  return out;
}

// Native resolution: packed value -> output entry through one table (65 536 entries), `none` where DQF
// masks; `put(row, x, entry)` stores one entry.
template <typename Entry, typename Put>
void map_packed(const AbiRaw& raw, const std::vector<Entry>& entry_of, const std::array<bool, 256>& invalid,
                const Entry& none, Image& out, Put put) {
  const int w = raw.header.width;
  const bool has_dqf = !raw.dqf.empty();
  ThreadPool::global().parallel_for(
      0, raw.header.height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) {
          const std::size_t base = static_cast<std::size_t>(y) * w;
          const std::uint16_t* packed = raw.packed.data() + base;
          const std::uint8_t* dqf = has_dqf ? raw.dqf.data() + base : nullptr;
          std::byte* dst = out.row_ptr(static_cast<int>(y));
          for (int x = 0; x < w; ++x) put(dst, x, dqf && invalid[dqf[x]] ? none : entry_of[packed[x]]);
        }
      },
      16);
}

template <int Channels>
void put_pixel(std::byte* row, int x, const Pixel& p) {
  std::memcpy(row + x * Channels, p.data(), Channels);
}

void map_packed_pixels(const AbiRaw& raw, const std::vector<Pixel>& pixel_of,
                       const std::array<bool, 256>& invalid, int channels, Image& out) {
  switch (channels) {
    case 1:
      return map_packed(raw, pixel_of, invalid, Pixel{}, out, put_pixel<1>);
    case 3:
      return map_packed(raw, pixel_of, invalid, Pixel{}, out, put_pixel<3>);
    default:
      return map_packed(raw, pixel_of, invalid, Pixel{}, out, put_pixel<4>);
  }
}

// A file read with its options resolved and checked, ready to map.
struct ReadFile {
  AbiRaw raw;
  RenderOptions options;  // resolved for the file's band
  std::array<bool, 256> invalid{};
  int factor = 1;  // area-average downsampling
};

ReadFile read_for_render(const std::filesystem::path& file, const RenderOptions& requested) {
  ReadFile r;
  // Option errors (unknown colour table or product, bad DQF list) before any pixel is read.
  r.invalid = dqf_invalid_table(requested.dqf_invalid);
  (void)make_pixel_table(requested);
  if (!requested.product.empty()) (void)product_for(requested.product);
  r.raw = read_abi_raw(file, requested.band);
  r.options = resolve_product(requested, r.raw.header.band);
  r.factor = downsample_factor(r.options.resolution_km, r.raw.header);
  return r;
}

}  // namespace

int downsample_factor(double resolution_km, const AbiHeader& header) {
  if (resolution_km <= 0) return 1;
  const double ratio = resolution_km / header.resolution_km;
  const int factor = static_cast<int>(std::lround(ratio));
  if (factor < 1 || std::abs(ratio - factor) > 1e-6) {
    fail(ErrorKind::InvalidArgument,
         "resolution {} km is not a whole multiple of band {}'s native {} km (downsampling only)",
         resolution_km, header.band, header.resolution_km);
  }
  return factor;
}

RenderOptions::RenderOptions() : RenderOptions(from_config(Config::defaults())) {}

RenderOptions RenderOptions::from_config(const Config& config) {
  RenderOptions o(FromConfig{});
  o.product = config.get_string("render.product");
  o.gamma = config.get_float("render.gamma");
  o.colormap = config.get_string("render.colormap");
  o.dqf_invalid = parse_dqf_list(config.get_string("render.dqf_invalid"));
  o.background =
      config.get_string("render.background") == "transparent" ? Background::Transparent : Background::Black;
  o.band = static_cast<int>(config.get_int("render.band"));
  if (const auto& range = config.get_string("render.range"); !range.empty())
    std::tie(o.range_min, o.range_max) = with_context("in render.range", [&] { return parse_range(range); });
  if (const auto& res = config.get_string("render.resolution"); !res.empty())
    o.resolution_km = with_context("in render.resolution", [&] { return parse_resolution_km(res); });
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

RenderOptions resolve_product(const RenderOptions& o, int band) {
  const BandDefaults& d = band_defaults(band);
  const Product& p = product_for(o.product.empty() ? d.product : o.product, band);
  if (p.kind == ProductKind::Recipe) {
    fail(ErrorKind::InvalidArgument, "product '{}' combines bands {}: render shows one band at a time",
         p.name, fmt::join(p.bands, ", "));
  }
  RenderOptions r = o;
  r.band = band;
  const ValueRange range = p.range.value_or(d.range);
  if (!r.range_min) r.range_min = range.min;
  if (!r.range_max) r.range_max = range.max;
  if (r.colormap.empty() && p.kind == ProductKind::ColourTable) r.colormap = p.name;
  return r;
}

RenderedFrame render_abi_file(const std::filesystem::path& file, const RenderOptions& requested) {
  return with_context("while rendering " + file.string(), [&] {
    ReadFile r = read_for_render(file, requested);
    RenderedFrame frame;
    if (r.factor > 1) {
      auto field = calibrate_abi_raw(r.raw, {r.options.band, r.options.dqf_invalid, r.factor});
      frame.image = map_field(field.values, field.header.quantity, r.options);
      frame.header = std::move(field.header);
      return frame;
    }
    // Native resolution: packed value -> output pixel in one table.
    const PixelTable table = make_pixel_table(r.options);
    const auto values = calibration_table(r.raw.header);
    const Mapping m = make_mapping(r.raw.header.quantity, r.options);
    std::vector<Pixel> pixel_of(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) pixel_of[i] = table.of_level[m.level(values[i])];
    frame.image = Image(r.raw.header.width, r.raw.header.height, table.channels, SampleType::U8);
    map_packed_pixels(r.raw, pixel_of, r.invalid, table.channels, frame.image);
    frame.header = std::move(r.raw.header);
    return frame;
  });
}

Image map_field_data(const Image& values, AbiQuantity quantity, const RenderOptions& options) {
  if (values.type() != SampleType::F32 || values.channels() != 1) {
    fail(ErrorKind::InvalidArgument, "map_field_data needs a one-channel float field, got {}",
         values.describe());
  }
  const Mapping m = make_mapping(quantity, options);
  Image out(values.width(), values.height(), 1, SampleType::U16);
  ThreadPool::global().parallel_for(
      0, values.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = static_cast<int>(y0); y < y1; ++y) {
          const float* src = values.row<float>(y);
          auto* dst = out.row<std::uint16_t>(y);
          for (int x = 0; x < values.width(); ++x) dst[x] = m.data(src[x]);
        }
      },
      16);
  return out;
}

DataFrame render_abi_data(const std::filesystem::path& file, const RenderOptions& requested) {
  return with_context("while rendering " + file.string(), [&] {
    ReadFile r = read_for_render(file, requested);
    DataFrame frame;
    frame.options = r.options;
    if (r.factor > 1) {
      auto field = calibrate_abi_raw(r.raw, {r.options.band, r.options.dqf_invalid, r.factor});
      frame.data = map_field_data(field.values, field.header.quantity, r.options);
      frame.header = std::move(field.header);
      return frame;
    }
    const auto values = calibration_table(r.raw.header);
    const Mapping m = make_mapping(r.raw.header.quantity, r.options);
    std::vector<std::uint16_t> data_of(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) data_of[i] = m.data(values[i]);
    frame.data = Image(r.raw.header.width, r.raw.header.height, 1, SampleType::U16);
    map_packed(r.raw, data_of, r.invalid, std::uint16_t{0}, frame.data,
               [](std::byte* row, int x, std::uint16_t d) { reinterpret_cast<std::uint16_t*>(row)[x] = d; });
    frame.header = std::move(r.raw.header);
    return frame;
  });
}

DataPalette::DataPalette(AbiQuantity quantity, const RenderOptions& options) {
  const PixelTable table = make_pixel_table(options);
  const Mapping m = make_mapping(quantity, options);
  m_channels = table.channels;
  m_pixel.resize(65536);
  for (std::size_t d = 0; d < m_pixel.size(); ++d)
    m_pixel[d] = table.of_level[m.level_of_data(static_cast<std::uint16_t>(d))];
}

Image DataPalette::colour(const Image& data) const {
  if (data.type() != SampleType::U16 || data.channels() != 1) {
    fail(ErrorKind::InvalidArgument, "a data frame is one-channel 16-bit, got {}", data.describe());
  }
  Image out(data.width(), data.height(), m_channels, SampleType::U8);
  const int channels = m_channels;
  ThreadPool::global().parallel_for(
      0, data.height(),
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = static_cast<int>(y0); y < y1; ++y) {
          const auto* src = data.row<std::uint16_t>(y);
          auto* dst = out.row<std::uint8_t>(y);
          for (int x = 0; x < data.width(); ++x)
            std::memcpy(dst + x * channels, m_pixel[src[x]].data(), channels);
        }
      },
      16);
  return out;
}

}  // namespace goesvfi
