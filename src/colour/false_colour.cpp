#include "colour/false_colour.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>

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
  std::vector<std::uint8_t> haze;      // tint opacity towards the limb (0..255), without a map only
  std::vector<std::int8_t> grain;      // per-pixel gain offset in 1/512 (+-25 %), empty without noise
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

// Light grain: a multiplicative gain 1 + 0.04 N(0, 1) per pixel (clamped to +-25 %), drawn from a hash of the
// pixel position rather than a random generator, so the pattern is fixed: the same pixel gets the same grain
// in every frame of a video. Sanchez Multiply-blends a normal sample clamped to 0..1 at 20 % instead, which
// darkens the picture by 14 % on average; a zero-mean grain gives the same texture and keeps clouds white.
std::int8_t grain_at(int x, int y) {
  auto hash = [](std::uint64_t v) {
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    v *= 0xc4ceb9fe1a85ec53ULL;
    v ^= v >> 33;
    return v;
  };
  const std::uint64_t h =
      hash((static_cast<std::uint64_t>(static_cast<std::uint32_t>(y)) << 32) ^ static_cast<std::uint32_t>(x));
  const double u1 = 1.0 - static_cast<double>(h >> 40) / static_cast<double>(1ULL << 24);
  const double u2 = static_cast<double>((h >> 16) & 0xffffff) / static_cast<double>(1ULL << 24);
  const double normal = std::sqrt(-2.0 * std::log(u1)) * std::sin(2.0 * std::numbers::pi * u2);
  return static_cast<std::int8_t>(std::clamp(std::lround(0.04 * normal * 512.0), -127L, 127L));
}

std::shared_ptr<const ViewLayers> build_view(const FixedGridProjection& proj, const FixedGridArea& area,
                                             const Image* map, const FalseColourOptions& o) {
  const bool atmosphere = o.atmosphere;
  const bool haze = o.haze > 0 && o.haze_opacity > 0;
  auto view = std::make_shared<ViewLayers>();
  view->width = area.width;
  view->height = area.height;
  const std::size_t n = static_cast<std::size_t>(area.width) * area.height;
  view->on_disk.assign(n, 0);
  if (map) view->underlay.assign(n * 3, 0);
  if (haze && !map) view->haze.assign(n, 0);
  if (o.noise) view->grain.assign(n, 0);
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
            const double rho = std::hypot(s.x / limb_x, s.y / limb_y);
            if (geo) {
              view->on_disk[i] = 1;
              // Sanchez's haze: the tint, transparent where the squared radius is 1 - haze, rising linearly
              // to haze_opacity at the limb. Over a map it hazes the map, under the clouds (which stay white,
              // as high cloud tops sit above most of the air); the view keeps the hazed map.
              std::uint8_t alpha = 0;
              if (haze) {
                const double from_limb = (rho * rho - (1.0 - o.haze)) / o.haze;
                alpha = static_cast<std::uint8_t>(
                    std::lround(std::clamp(from_limb, 0.0, 1.0) * o.haze_opacity * 255.0));
              }
              if (map) {
                std::uint8_t* px = &view->underlay[i * 3];
                sample_map(*map, geo->lat_deg, geo->lon_deg, px);
                const std::uint8_t tint[3] = {o.tint.r, o.tint.g, o.tint.b};
                for (int ch = 0; ch < 3; ++ch) {
                  px[ch] =
                      static_cast<std::uint8_t>((px[ch] * (255u - alpha) + tint[ch] * alpha + 127u) / 255u);
                }
              } else if (haze) {
                view->haze[i] = alpha;
              }
              if (o.noise) view->grain[i] = grain_at(col, static_cast<int>(row));
            }
            if (atmosphere) {
              // Glow strength rises towards the limb inside the disk and fades just outside it.
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
      fmt::format("{:.4f}|{}x{}|{:.10g}|{:.10g}|{:.10g}|{:.10g}|{}|{}|{:g}|{:g}|{}|{}|{}|{}", lon, area.width,
                  area.height, area.x0, area.dx, area.y0, area.dy, o.underlay.string(), o.atmosphere, o.haze,
                  o.haze_opacity, o.noise, o.tint.r, o.tint.g, o.tint.b);
  if (auto it = c.views.find(key); it != c.views.end()) return it->second;
  Image map;
  if (!o.underlay.empty()) map = load_map(o.underlay);
  FixedGridProjection proj;
  proj.lon0_deg = lon;
  auto view = build_view(proj, area, map.empty() ? nullptr : &map, o);
  if (c.views.size() >= k_max_views) c.views.clear();
  c.views.emplace(key, view);
  return view;
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

// Histogram equalisation over the counted pixels: the darkest present level goes to 0, the brightest to 255.
LevelsTable equalise(const std::array<std::uint64_t, 256>& hist) {
  LevelsTable level{};
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
  return level;
}

LevelsTable identity_table() {
  LevelsTable t{};
  for (int v = 0; v < 256; ++v) t[v] = static_cast<std::uint8_t>(v);
  return t;
}

// Adaptive levels (contrast-limited adaptive histogram equalisation, as Sanchez's -a does before its global
// equalisation): a k x k grid of tiles, each equalised on its own clipped histogram; a pixel's level is
// interpolated bilinearly between the tables of the four nearest tile centres.
constexpr int k_tiles = 8;
constexpr double k_clip =
    4.0;  // a bin holds at most 4x the tile's mean bin count; the excess is spread evenly

struct TileGrid {
  int w, h;
  // Tile coordinate of a pixel centre: tile centres sit at integer coordinates 0..k-1.
  double tx(int x) const { return std::clamp((x + 0.5) * k_tiles / w - 0.5, 0.0, k_tiles - 1.0); }
  double ty(int y) const { return std::clamp((y + 0.5) * k_tiles / h - 0.5, 0.0, k_tiles - 1.0); }
};

std::uint8_t adaptive_level(const LevelsMap& m, const TileGrid& g, int x, int y, std::uint8_t v) {
  const double fx = g.tx(x), fy = g.ty(y);
  const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
  const int x1 = std::min(x0 + 1, k_tiles - 1), y1 = std::min(y0 + 1, k_tiles - 1);
  const double ax = fx - x0, ay = fy - y0;
  const auto at = [&](int tx, int ty) { return static_cast<double>(m.tile[ty * k_tiles + tx][v]); };
  const double top = at(x0, y0) * (1 - ax) + at(x1, y0) * ax;
  const double bottom = at(x0, y1) * (1 - ax) + at(x1, y1) * ax;
  return static_cast<std::uint8_t>(std::lround(top * (1 - ay) + bottom * ay));
}

LevelsTable clipped_equalise(std::array<std::uint64_t, 256> hist) {
  std::uint64_t total = 0;
  for (auto c : hist) total += c;
  if (total == 0) return identity_table();
  const auto limit = static_cast<std::uint64_t>(std::max(1.0, k_clip * static_cast<double>(total) / 256.0));
  std::uint64_t excess = 0;
  for (auto& c : hist) {
    if (c > limit) {
      excess += c - limit;
      c = limit;
    }
  }
  for (int v = 0; v < 256; ++v)
    hist[v] += excess / 256 + (static_cast<std::uint64_t>(v) < excess % 256 ? 1 : 0);
  // Plain CDF mapping (not shifted to the first level): a tile of one dominant level stays near its level.
  LevelsTable t{};
  std::uint64_t cdf = 0;
  for (int v = 0; v < 256; ++v) {
    cdf += hist[v];
    t[v] =
        static_cast<std::uint8_t>(std::lround(255.0 * static_cast<double>(cdf) / static_cast<double>(total)));
  }
  return t;
}

Image grey_of(const Image& ir) {
  Image g = ir;
  if (g.channels() != 1) g = convert_channels(g, 1);
  if (g.type() != SampleType::U8) g = convert_type(g, SampleType::U8);
  return g;
}

FixedGridArea area_of(const Image& ir, const std::optional<FixedGridArea>& area_in) {
  if (ir.empty()) fail(ErrorKind::InvalidArgument, "false colour of an empty image");
  if (!area_in && ir.width() != ir.height()) {
    fail(ErrorKind::InvalidArgument,
         "false colour of a {} frame: without navigation only square full-disk frames can be coloured",
         ir.describe());
  }
  const FixedGridArea area = area_in.value_or(FixedGridArea::full_disk(ir.width()));
  if (area.width != ir.width() || area.height != ir.height()) {
    fail(ErrorKind::InvalidArgument, "false colour: navigation is for {}x{} but the frame is {}", area.width,
         area.height, ir.describe());
  }
  return area;
}

void check_longitude(double lon) {
  if (!(lon >= -180 && lon <= 360))
    fail(ErrorKind::InvalidArgument, "satellite longitude {} is not a longitude", lon);
}

LevelsMap compute_levels(const std::vector<Image>& greys, const ViewLayers& view,
                         const FalseColourOptions& o) {
  LevelsMap m = LevelsMap::identity();
  if (!o.equalise) return m;
  const int w = view.width, h = view.height;
  const TileGrid grid{w, h};
  if (o.adaptive_levels) {
    std::vector<std::array<std::uint64_t, 256>> hists(k_tiles * k_tiles);
    for (const auto& g : greys) {
      for (int y = 0; y < h; ++y) {
        const auto* row = g.row<std::uint8_t>(y);
        const auto* disk = &view.on_disk[static_cast<std::size_t>(y) * w];
        const int ty = std::min(y * k_tiles / h, k_tiles - 1);
        for (int x = 0; x < w; ++x) {
          if (disk[x]) hists[ty * k_tiles + std::min(x * k_tiles / w, k_tiles - 1)][row[x]]++;
        }
      }
    }
    m.tiles = k_tiles;
    for (const auto& hist : hists) m.tile.push_back(clipped_equalise(hist));
  }
  std::array<std::uint64_t, 256> hist{};
  for (const auto& g : greys) {
    for (int y = 0; y < h; ++y) {
      const auto* row = g.row<std::uint8_t>(y);
      const auto* disk = &view.on_disk[static_cast<std::size_t>(y) * w];
      for (int x = 0; x < w; ++x) {
        if (disk[x]) hist[m.tiles ? adaptive_level(m, grid, x, y, row[x]) : row[x]]++;
      }
    }
  }
  m.global = equalise(hist);
  return m;
}

}  // namespace

LevelsMap LevelsMap::identity() {
  LevelsMap m;
  m.global = identity_table();
  return m;
}

std::filesystem::path default_underlay_path() {
  const std::filesystem::path xplanet = "/usr/share/xplanet/images/earth.jpg";
  std::error_code ec;
  return std::filesystem::is_regular_file(xplanet, ec) ? xplanet : std::filesystem::path();
}

FalseColourOptions::FalseColourOptions() : FalseColourOptions(from_config(Config::defaults())) {}

FalseColourOptions FalseColourOptions::from_config(const Config& config) {
  FalseColourOptions o(FromConfig{});
  const auto underlay = config.get_string("colour.underlay");
  if (underlay.empty()) {
    o.underlay = default_underlay_path();
  } else if (underlay != "none") {
    o.underlay = underlay;
  }
  o.tint = parse_hex_colour(config.get_string("colour.tint"), "colour.tint");
  o.brightness = config.get_float("colour.brightness");
  o.saturation = config.get_float("colour.saturation");
  o.equalise = config.get_bool("colour.equalise");
  o.adaptive_levels = config.get_bool("colour.adaptive_levels");
  o.haze = config.get_float("colour.haze");
  o.haze_opacity = config.get_float("colour.haze_opacity");
  o.noise = config.get_bool("colour.noise");
  o.atmosphere = config.get_bool("colour.atmosphere");
  o.gradient = config.get_string("colour.gradient");
  o.levels_frames = static_cast<int>(config.get_int("colour.levels_frames"));
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

std::shared_ptr<const LevelsMap> false_colour_levels(const std::vector<Image>& frames,
                                                     double satellite_lon_deg,
                                                     const FalseColourOptions& options,
                                                     const std::optional<FixedGridArea>& area_in) {
  if (frames.empty()) fail(ErrorKind::InvalidArgument, "false-colour levels of no frames");
  check_longitude(satellite_lon_deg);
  const FixedGridArea area = area_of(frames.front(), area_in);
  std::vector<Image> greys;
  for (const auto& f : frames) {
    if (f.width() != area.width || f.height() != area.height) {
      fail(ErrorKind::InvalidArgument, "false-colour levels: frame {} differs from the first frame's {}x{}",
           f.describe(), area.width, area.height);
    }
    greys.push_back(grey_of(f));
  }
  const auto view = view_for(satellite_lon_deg, area, options);
  return std::make_shared<const LevelsMap>(compute_levels(greys, *view, options));
}

Image false_colour(const Image& ir, double satellite_lon_deg, const FalseColourOptions& options,
                   const std::optional<FixedGridArea>& area_in) {
  check_longitude(satellite_lon_deg);
  const FixedGridArea area = area_of(ir, area_in);
  const auto view = view_for(satellite_lon_deg, area, options);
  const Image grey = grey_of(ir);
  const int w = grey.width(), h = grey.height();

  // Levels: the sequence's, else this frame's own.
  std::shared_ptr<const LevelsMap> levels = options.levels;
  if (!levels) levels = std::make_shared<const LevelsMap>(compute_levels({grey}, *view, options));
  if (levels->tiles != 0 && levels->tiles != k_tiles) {
    fail(ErrorKind::InvalidArgument, "false colour: a levels map of {} tiles (expected {})", levels->tiles,
         k_tiles);
  }
  const bool with_underlay = !view->underlay.empty();
  std::array<Rgb8, 256> colour_of{};
  if (with_underlay) {
    colour_of = tint_table(options.tint);
  } else {
    colour_of = make_lut(load_gradient(options.gradient.empty() ? "noaa-ir" : options.gradient));
  }
  const Rgb8 tint = options.tint;
  const TileGrid grid{w, h};
  // Sanchez's colour correction of the composite, 8.8 fixed point: out = (luma + (c - luma) * saturation) *
  // brightness.
  const bool adjust = options.brightness != 1.0 || options.saturation != 1.0;
  const int b256 = static_cast<int>(std::lround(options.brightness * 256));
  const int s256 = static_cast<int>(std::lround(options.saturation * 256));

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
          const std::uint8_t* glow_row = view->glow.empty() ? nullptr : &view->glow[base * 3];
          const std::uint8_t* haze_row = view->haze.empty() ? nullptr : &view->haze[base];
          const std::int8_t* grain_row = view->grain.empty() ? nullptr : &view->grain[base];
          for (int x = 0; x < w; ++x) {
            std::uint8_t px[3] = {0, 0, 0};
            if (disk[x]) {
              const std::uint8_t adapted =
                  levels->tiles ? adaptive_level(*levels, grid, x, static_cast<int>(y), g[x]) : g[x];
              const Rgb8 c = colour_of[levels->global[adapted]];
              px[0] = c.r;
              px[1] = c.g;
              px[2] = c.b;
              if (under) {
                for (int ch = 0; ch < 3; ++ch) px[ch] = screen(px[ch], under[x * 3 + ch]);
              }
              // Sanchez's order: colour correction, haze (here when there is no map to haze), grain.
              if (adjust) {
                const int luma = (77 * px[0] + 150 * px[1] + 29 * px[2]) >> 8;
                for (auto& v : px) {
                  const int sat = luma + (((v - luma) * s256) >> 8);
                  v = static_cast<std::uint8_t>(std::clamp((sat * b256) >> 8, 0, 255));
                }
              }
              if (haze_row && haze_row[x]) {
                const unsigned a = haze_row[x];
                px[0] = div255(px[0] * (255u - a) + tint.r * a);
                px[1] = div255(px[1] * (255u - a) + tint.g * a);
                px[2] = div255(px[2] * (255u - a) + tint.b * a);
              }
              if (grain_row) {
                const int gain = 512 + grain_row[x];
                for (auto& v : px) v = static_cast<std::uint8_t>(std::min(255, (v * gain + 256) >> 9));
              }
            }
            if (glow_row) {
              for (int ch = 0; ch < 3; ++ch) px[ch] = screen(px[ch], glow_row[x * 3 + ch]);
            }
            o[x * 3] = px[0];
            o[x * 3 + 1] = px[1];
            o[x * 3 + 2] = px[2];
          }
        }
      },
      16);
  return out;
}

}  // namespace goesvfi
