#include "colour/false_colour.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

// What depends only on geometry and the underlay: computed once per key.
struct ViewLayers {
  int width = 0, height = 0;
  std::vector<std::uint8_t> on_disk;   // 1 where the line of sight hits the Earth
  std::vector<std::uint8_t> underlay;  // RGB, empty without an underlay
  std::vector<std::uint8_t> glow;      // RGB screen layer, empty without atmosphere
};

struct Caches {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const ViewLayers>> views;
  std::string map_path;
  std::filesystem::file_time_type map_time;
  Image map;  // the decoded equirectangular underlay (one: decoding a 21600x10800 map is costly)
};
Caches& caches() {
  static Caches c;
  return c;
}
constexpr std::size_t k_max_views = 8;

Image load_map(const std::filesystem::path& path) {
  auto& c = caches();
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) fail(ErrorKind::NotFound, "underlay {} does not exist or cannot be read", path.string());
  if (c.map_path != path.string() || c.map_time != mtime || c.map.empty()) {
    Image img = with_context("while loading the false-colour underlay " + path.string(),
                             [&] { return read_image(path); });
    if (img.type() != SampleType::U8) img = convert_type(img, SampleType::U8);
    if (img.channels() != 3) img = convert_channels(img, 3);
    if (img.width() < 2 || img.height() < 2) {
      fail(ErrorKind::InvalidArgument, "underlay {} is {}: expected an equirectangular world map",
           path.string(), img.describe());
    }
    c.map = img;
    c.map_path = path.string();
    c.map_time = mtime;
  }
  return c.map;
}

// Bilinear sample of an equirectangular map at (lat, lon), wrapping in longitude.
void sample_map(const Image& map, double lat, double lon, std::uint8_t* out) {
  const int w = map.width(), h = map.height();
  const double u = (lon + 180.0) / 360.0 * w - 0.5;
  const double v = std::clamp((90.0 - lat) / 180.0 * h - 0.5, 0.0, h - 1.0);
  const int u0 = static_cast<int>(std::floor(u)), v0 = static_cast<int>(std::floor(v));
  const double fu = u - u0, fv = v - v0;
  const int ua = ((u0 % w) + w) % w, ub = (ua + 1) % w;
  const int va = v0, vb = std::min(v0 + 1, h - 1);
  const auto* ra = map.row<std::uint8_t>(va);
  const auto* rb = map.row<std::uint8_t>(vb);
  for (int ch = 0; ch < 3; ++ch) {
    const double top = ra[ua * 3 + ch] * (1 - fu) + ra[ub * 3 + ch] * fu;
    const double bottom = rb[ua * 3 + ch] * (1 - fu) + rb[ub * 3 + ch] * fu;
    out[ch] = static_cast<std::uint8_t>(std::lround(top * (1 - fv) + bottom * fv));
  }
}

std::shared_ptr<const ViewLayers> build_view(const FixedGridProjection& proj, const FixedGridArea& area,
                                             const Image* map, bool atmosphere) {
  auto view = std::make_shared<ViewLayers>();
  view->width = area.width;
  view->height = area.height;
  const std::size_t n = static_cast<std::size_t>(area.width) * area.height;
  view->on_disk.assign(n, 0);
  if (map) view->underlay.assign(n * 3, 0);
  ColourLut glow_lut{};
  if (atmosphere) {
    view->glow.assign(n * 3, 0);
    glow_lut = make_lut(load_gradient("atmosphere"));
  }
  // Limb radii in scan angle along x and y (the polar radius is smaller).
  const double limb_x = proj.limb_angle_x();
  const double limb_y = std::asin(proj.semi_minor / proj.H());
  ThreadPool::global().parallel_for(
      0, area.height,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto row = y0; row < y1; ++row) {
          for (int col = 0; col < area.width; ++col) {
            const std::size_t i = static_cast<std::size_t>(row) * area.width + col;
            const ScanAngle s = area.scan_of(col, static_cast<double>(row));
            const auto geo = proj.to_geo(s);
            if (geo) {
              view->on_disk[i] = 1;
              if (map) sample_map(*map, geo->lat_deg, geo->lon_deg, &view->underlay[i * 3]);
            }
            if (atmosphere) {
              // Glow strength rises towards the limb inside the disk and fades just outside it.
              const double rho = std::hypot(s.x / limb_x, s.y / limb_y);
              double strength = 0;
              if (rho < 1.0) {
                strength = std::clamp((rho - 0.88) / 0.12, 0.0, 1.0);
                strength *= strength;
              } else {
                strength = std::clamp(1.0 - (rho - 1.0) / 0.025, 0.0, 1.0);
              }
              if (strength > 0) {
                const auto c =
                    glow_lut[static_cast<std::size_t>(std::clamp(rho - 0.88, 0.0, 0.15) / 0.15 * 255)];
                const double k = 0.6 * strength;
                view->glow[i * 3 + 0] = static_cast<std::uint8_t>(std::lround(c.r * k));
                view->glow[i * 3 + 1] = static_cast<std::uint8_t>(std::lround(c.g * k));
                view->glow[i * 3 + 2] = static_cast<std::uint8_t>(std::lround(c.b * k));
              }
            }
          }
        }
      },
      4);
  return view;
}

std::shared_ptr<const ViewLayers> view_for(double lon, const FixedGridArea& area,
                                           const FalseColourOptions& o) {
  auto& c = caches();
  std::lock_guard lock(c.mutex);
  const auto key =
      fmt::format("{:.4f}|{}x{}|{:.10g}|{:.10g}|{:.10g}|{:.10g}|{}|{}", lon, area.width, area.height, area.x0,
                  area.dx, area.y0, area.dy, o.underlay.string(), o.atmosphere);
  if (auto it = c.views.find(key); it != c.views.end()) return it->second;
  Image map;
  if (!o.underlay.empty()) map = load_map(o.underlay);
  FixedGridProjection proj;
  proj.lon0_deg = lon;
  auto view = build_view(proj, area, map.empty() ? nullptr : &map, o.atmosphere);
  if (c.views.size() >= k_max_views) c.views.clear();
  c.views.emplace(key, view);
  return view;
}

Image grey_u8(const Image& ir) {
  Image g = ir;
  if (g.channels() != 1) g = convert_channels(g, 1);
  if (g.type() != SampleType::U8) g = convert_type(g, SampleType::U8);
  return g;
}

inline std::uint8_t div255(unsigned t) {
  return static_cast<std::uint8_t>(((t + 128) * 257) >> 16);
}
inline std::uint8_t screen(std::uint8_t a, std::uint8_t b) {
  return static_cast<std::uint8_t>(255 - div255((255u - a) * (255u - b)));
}

// Sanchez's tint: dark IR -> black, mid -> the tint, bright -> white; the crossover is placed by the tint's
// HSL lightness so a dark tint keeps most of the disk dark and lets the underlay show through the Screen
// blend.
std::array<Rgb8, 256> tint_table(Rgb8 tint) {
  const double mx = std::max({tint.r, tint.g, tint.b}) / 255.0,
               mn = std::min({tint.r, tint.g, tint.b}) / 255.0;
  const double lightness = (mx + mn) / 2;
  const double gain = 4.0 * (1.0 - lightness);
  std::array<Rgb8, 256> table{};
  for (int v = 0; v < 256; ++v) {
    const double pos = gain * (v / 255.0 - 1.0) + 1.0;
    auto channel = [&](std::uint8_t t) {
      const double c = pos < 0 ? t / 255.0 * std::max(0.0, pos + 1.0) : t / 255.0 * (1.0 - pos) + pos;
      return static_cast<std::uint8_t>(std::lround(std::clamp(c, 0.0, 1.0) * 255.0));
    };
    table[v] = {channel(tint.r), channel(tint.g), channel(tint.b)};
  }
  return table;
}

}  // namespace

FalseColourOptions FalseColourOptions::from_config(const Config& config) {
  FalseColourOptions o;
  o.underlay = config.get_string("colour.underlay");
  o.tint = parse_hex_colour(config.get_string("colour.tint"), "colour.tint");
  o.brightness = config.get_float("colour.brightness");
  o.saturation = config.get_float("colour.saturation");
  o.equalise = config.get_bool("colour.equalise");
  o.atmosphere = config.get_bool("colour.atmosphere");
  o.gradient = config.get_string("colour.gradient");
  return o;
}

void clear_false_colour_cache() {
  auto& c = caches();
  std::lock_guard lock(c.mutex);
  c.views.clear();
  c.map = Image();
  c.map_path.clear();
}

std::size_t false_colour_cache_size() {
  auto& c = caches();
  std::lock_guard lock(c.mutex);
  return c.views.size();
}

Image false_colour(const Image& ir, double satellite_lon_deg, const FalseColourOptions& options,
                   const std::optional<FixedGridArea>& area_in) {
  if (ir.empty()) fail(ErrorKind::InvalidArgument, "false colour of an empty image");
  if (!area_in && ir.width() != ir.height()) {
    fail(ErrorKind::InvalidArgument,
         "false colour of a {} frame: without navigation only square full-disk frames can be coloured",
         ir.describe());
  }
  if (!(satellite_lon_deg >= -180 && satellite_lon_deg <= 360)) {
    fail(ErrorKind::InvalidArgument, "satellite longitude {} is not a longitude", satellite_lon_deg);
  }
  const FixedGridArea area = area_in.value_or(FixedGridArea::full_disk(ir.width()));
  if (area.width != ir.width() || area.height != ir.height()) {
    fail(ErrorKind::InvalidArgument, "false colour: navigation is for {}x{} but the frame is {}", area.width,
         area.height, ir.describe());
  }
  const auto view = view_for(satellite_lon_deg, area, options);
  const Image grey = grey_u8(ir);
  const int w = grey.width(), h = grey.height();

  // Intensity table: equalisation (over on-disk pixels), then tint or gradient.
  std::array<std::uint8_t, 256> level{};
  for (int v = 0; v < 256; ++v) level[v] = static_cast<std::uint8_t>(v);
  if (options.equalise) {
    std::array<std::uint64_t, 256> hist{};
    for (int y = 0; y < h; ++y) {
      const auto* g = grey.row<std::uint8_t>(y);
      const auto* m = &view->on_disk[static_cast<std::size_t>(y) * w];
      for (int x = 0; x < w; ++x) hist[g[x]] += m[x];
    }
    std::uint64_t total = 0, first = 0;
    for (auto c : hist) total += c;
    for (auto c : hist) {
      if (c) {
        first = c;
        break;
      }
    }
    std::uint64_t cdf = 0;
    for (int v = 0; v < 256; ++v) {
      cdf += hist[v];
      level[v] = total > first
                     ? static_cast<std::uint8_t>(std::lround(
                           255.0 * static_cast<double>(cdf > first ? cdf - first : 0) / (total - first)))
                     : static_cast<std::uint8_t>(v);
    }
  }
  const bool with_underlay = !view->underlay.empty();
  std::array<Rgb8, 256> colour_of{};
  if (with_underlay) {
    const auto tint = tint_table(options.tint);
    for (int v = 0; v < 256; ++v) colour_of[v] = tint[level[v]];
  } else {
    const auto lut = make_lut(load_gradient(options.gradient.empty() ? "noaa-ir" : options.gradient));
    for (int v = 0; v < 256; ++v) colour_of[v] = lut[level[v]];
  }
  // Brightness and saturation as 8.8 fixed point: out = luma + (c - luma) * saturation, all times brightness.
  const bool adjust = options.brightness != 1.0 || options.saturation != 1.0;
  const int b256 = static_cast<int>(std::lround(options.brightness * 256));
  const int s256 = static_cast<int>(std::lround(options.saturation * 256));
  const bool glow = !view->glow.empty();

  Image out(w, h, 3, SampleType::U8);
  ThreadPool::global().parallel_for(
      0, h,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        for (auto y = y0; y < y1; ++y) {
          const std::size_t base = static_cast<std::size_t>(y) * w;
          const auto* g = grey.row<std::uint8_t>(static_cast<int>(y));
          const auto* disk = &view->on_disk[base];
          auto* o = out.row<std::uint8_t>(static_cast<int>(y));
          const std::uint8_t* under = with_underlay ? &view->underlay[base * 3] : nullptr;
          const std::uint8_t* glow_row = glow ? &view->glow[base * 3] : nullptr;
          for (int x = 0; x < w; ++x) {
            std::uint8_t r = 0, gg = 0, b = 0;
            if (disk[x]) {
              const Rgb8 c = colour_of[g[x]];
              r = c.r;
              gg = c.g;
              b = c.b;
              if (under) {
                r = screen(r, under[x * 3]);
                gg = screen(gg, under[x * 3 + 1]);
                b = screen(b, under[x * 3 + 2]);
              }
              if (adjust) {
                const int luma = (77 * r + 150 * gg + 29 * b) >> 8;
                auto adj = [&](int ch) {
                  const int sat = luma + (((ch - luma) * s256) >> 8);
                  return static_cast<std::uint8_t>(std::clamp((sat * b256) >> 8, 0, 255));
                };
                r = adj(r);
                gg = adj(gg);
                b = adj(b);
              }
            }
            if (glow_row) {
              r = screen(r, glow_row[x * 3]);
              gg = screen(gg, glow_row[x * 3 + 1]);
              b = screen(b, glow_row[x * 3 + 2]);
            }
            o[x * 3] = r;
            o[x * 3 + 1] = gg;
            o[x * 3 + 2] = b;
          }
        }
      },
      16);
  return out;
}

}  // namespace goesvfi
