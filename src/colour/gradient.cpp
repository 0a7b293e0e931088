#include "colour/gradient.hpp"

#include "core/config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "colour/product.hpp"
#include "core/error.hpp"

namespace goesvfi {

namespace {

struct Lch {
  double l, c, h;  // h in degrees, 0..360
};

double srgb_to_linear(double v) {
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}
double linear_to_srgb(double v) {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
}

// D65 white point, sRGB primaries (IEC 61966-2-1).
constexpr double k_xn = 0.95047, k_yn = 1.0, k_zn = 1.08883;

double lab_f(double t) {
  constexpr double d = 6.0 / 29.0;
  return t > d * d * d ? std::cbrt(t) : t / (3 * d * d) + 4.0 / 29.0;
}
double lab_f_inv(double t) {
  constexpr double d = 6.0 / 29.0;
  return t > d ? t * t * t : 3 * d * d * (t - 4.0 / 29.0);
}

Lch to_lch(Rgb8 rgb) {
  const double r = srgb_to_linear(rgb.r / 255.0), g = srgb_to_linear(rgb.g / 255.0),
               b = srgb_to_linear(rgb.b / 255.0);
  const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
  const double fx = lab_f(x / k_xn), fy = lab_f(y / k_yn), fz = lab_f(z / k_zn);
  const double l = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
  const double c = std::hypot(a, bb);
  constexpr double k_achromatic = 1e-4;  // sRGB greys come out of the matrices with |a|,|b| ~ 1e-5
  double h = c < k_achromatic ? 0.0 : std::atan2(bb, a) * 180.0 / std::numbers::pi;
  if (h < 0) h += 360.0;
  return {l, c, h};
}

Rgb8 from_lch(Lch v) {
  const double hr = v.h * std::numbers::pi / 180.0;
  const double a = v.c * std::cos(hr), bb = v.c * std::sin(hr);
  const double fy = (v.l + 16) / 116, fx = fy + a / 500, fz = fy - bb / 200;
  const double x = k_xn * lab_f_inv(fx), y = k_yn * lab_f_inv(fy), z = k_zn * lab_f_inv(fz);
  const double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
  const double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  auto to8 = [](double lin) {
    const double s = linear_to_srgb(std::clamp(lin, 0.0, 1.0));
    return static_cast<std::uint8_t>(std::lround(std::clamp(s, 0.0, 1.0) * 255.0));
  };
  return {to8(r), to8(g), to8(b)};
}

// Sanchez's rule (its GradientService, on ImageSharp's CIE LCh): L, C and the hue angle in degrees 0..360 are
// each interpolated linearly, the hue without wrapping round the circle, and an achromatic colour (black,
// white, grey) has hue 0. Following it exactly is what makes Sanchez's gradient files give Sanchez's
// tables (DarkRed-Blue darkens from orange through dark red to black because black's hue is 0).
Lch mix(const Lch& a, const Lch& b, double t) {
  return {a.l + (b.l - a.l) * t, a.c + (b.c - a.c) * t, a.h + (b.h - a.h) * t};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::vector<GradientStop> stops_from(std::initializer_list<std::pair<double, const char*>> list) {
  std::vector<GradientStop> out;
  for (const auto& [pos, hex] : list) out.push_back({pos, parse_hex_colour(hex)});
  return out;
}

// Sanchez's DarkRed-Blue.json and Red-Blue.json: the same seven stops, then black or red at the cold end.
std::vector<GradientStop> sanchez_rainbow(const char* cold_end) {
  return stops_from({{0.0, "06009f"},
                     {0.1429, "0092ff"},
                     {0.2857, "00ffdb"},
                     {0.4286, "00ff49"},
                     {0.5714, "49ff00"},
                     {0.7143, "dbff00"},
                     {0.8571, "ff9200"},
                     {1.0, cold_end}});
}

struct Builtin {
  const char* name;
  std::vector<GradientStop> (*make)();
};

// Positions are IR intensity (0 = warm/black, 1 = cold/white), as Sanchez applies gradients to IR images.
const Builtin k_builtins[] = {
    // NOAA-style IR enhancement: grey for warm surfaces and low cloud, then colour bands for cold cloud tops
    // (the top step starts from a faintly pink white so that the hue rule below does not swing it through
    // green; on the default 180-320 K range: 0.571 = 240 K, 0.643 = 230 K, 0.714 = 220 K, 0.786 = 210 K,
    // 0.857 = 200 K, 0.929 = 190 K).
    {"noaa-ir",
     [] {
       return stops_from({{0.0, "000000"},
                          {0.571, "c8c8c8"},
                          {0.572, "00c8ff"},
                          {0.643, "0032ff"},
                          {0.644, "00ff3c"},
                          {0.714, "008c00"},
                          {0.715, "ffff00"},
                          {0.786, "ff8c00"},
                          {0.787, "ff0000"},
                          {0.857, "8c0000"},
                          {0.858, "000000"},
                          {0.929, "646464"},
                          {0.930, "fff0ff"},
                          {1.0, "ff80ff"}});
     }},
    // Sanchez's gradient files (nullpainter/sanchez, Resources/Gradients, Apache-2.0), stop for stop.
    // DarkRed-Blue is Sanchez's default IR table; Red-Blue ends in red instead of black.
    {"darkred-blue", [] { return sanchez_rainbow("000000"); }},
    {"red-blue", [] { return sanchez_rainbow("ff0000"); }},
    // Purple-Yellow.json (viridis-like)
    {"purple-yellow",
     [] {
       return stops_from({{0.0, "420157"},
                          {0.1428, "46317e"},
                          {0.2857, "38598e"},
                          {0.4286, "28798e"},
                          {0.5713, "1d9788"},
                          {0.7143, "38b977"},
                          {0.8571, "7fd14f"},
                          {1.0, "fae623"}});
     }},
    // Atmosphere.json (the limb glow)
    {"atmosphere",
     [] {
       return stops_from(
           {{0.0, "0871e3"}, {0.35, "568bb5"}, {0.43, "92b3cd"}, {0.48, "0062e7"}, {1.0, "0e3f68"}});
     }},
    {"grey",
     [] {
       return stops_from({{0.0, "000000"}, {1.0, "ffffff"}});
     }},
};

}  // namespace

Rgb8 parse_hex_colour(std::string_view text, std::string_view what) {
  std::string_view hex = text;
  if (!hex.empty() && hex.front() == '#') hex.remove_prefix(1);
  if (hex.size() != 6 || !std::all_of(hex.begin(), hex.end(), [](char ch) {
        return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
      })) {
    fail(ErrorKind::InvalidArgument, "{} '{}' is not a colour: expected rrggbb hex, e.g. 1b3f66", what, text);
  }
  const auto v = std::stoul(std::string(hex), nullptr, 16);
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>((v >> 8) & 0xff),
          static_cast<std::uint8_t>(v & 0xff)};
}

ColourLut make_lut(std::vector<GradientStop> stops) {
  if (stops.empty()) fail(ErrorKind::InvalidArgument, "a gradient needs at least one colour stop");
  std::stable_sort(stops.begin(), stops.end(),
                   [](const GradientStop& a, const GradientStop& b) { return a.position < b.position; });
  // Each stop owns the entry nearest its position, round(position * 255), and holds its colour there exactly;
  // entries between two stops' entries are interpolated. Stops sharing an entry make a hard step (the later
  // stop's colour is kept), which is how a table draws sharp enhancement bands.
  auto entry_of = [](double position) { return static_cast<int>(std::lround(position * 255.0)); };
  ColourLut lut;
  const int first = entry_of(stops.front().position), last = entry_of(stops.back().position);
  for (int i = 0; i <= first; ++i) lut[i] = stops.front().colour;
  for (int i = last; i < 256; ++i) lut[i] = stops.back().colour;
  for (std::size_t k = 0; k + 1 < stops.size(); ++k) {
    const int ka = entry_of(stops[k].position), kb = entry_of(stops[k + 1].position);
    const Lch a = to_lch(stops[k].colour), b = to_lch(stops[k + 1].colour);
    for (int i = ka + 1; i < kb; ++i) lut[i] = from_lch(mix(a, b, static_cast<double>(i - ka) / (kb - ka)));
    lut[kb] = stops[k + 1].colour;
  }
  return lut;
}

Image apply_colour_table(const Image& grey_in, const ColourLut& lut) {
  Image grey = grey_in;
  if (grey.channels() != 1) grey = convert_channels(grey, 1);
  if (grey.type() != SampleType::U8) grey = convert_type(grey, SampleType::U8);
  Image out(grey.width(), grey.height(), 3, SampleType::U8);
  for (int y = 0; y < grey.height(); ++y) {
    const auto* g = grey.row<std::uint8_t>(y);
    auto* o = out.row<std::uint8_t>(y);
    for (int x = 0; x < grey.width(); ++x) {
      const Rgb8 c = lut[g[x]];
      o[x * 3] = c.r;
      o[x * 3 + 1] = c.g;
      o[x * 3 + 2] = c.b;
    }
  }
  return out;
}

std::vector<std::string> builtin_gradient_names() {
  std::vector<std::string> names;
  for (const auto& b : k_builtins) names.emplace_back(b.name);
  for (const auto& p : products()) {
    if (p.table && std::find(names.begin(), names.end(), p.name) == names.end()) names.push_back(p.name);
  }
  return names;
}

namespace {
// render.colormap and colour.gradient suggest the built-in tables (a gradient JSON file is allowed too).
const bool registered_colour_tables = register_config_choices("colour tables", builtin_gradient_names);
}  // namespace

std::vector<GradientStop> parse_gradient_json(std::string_view text, std::string_view origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::Corrupt, "gradient file {} is not JSON: {}", origin, e.what());
  }
  if (!doc.is_array() || doc.empty()) {
    fail(ErrorKind::Corrupt, "gradient file {}: expected a non-empty array of {{\"Colour\", \"Position\"}}",
         origin);
  }
  std::vector<GradientStop> stops;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& e = doc[i];
    if (!e.is_object() || !e.contains("Colour") || !e.contains("Position") || !e["Colour"].is_string() ||
        !e["Position"].is_number()) {
      fail(ErrorKind::Corrupt,
           "gradient file {}, entry {}: expected {{\"Colour\":\"#rrggbb\",\"Position\":0..1}}", origin, i);
    }
    const double pos = e["Position"].get<double>();
    if (!(pos >= 0.0 && pos <= 1.0)) {
      fail(ErrorKind::Corrupt, "gradient file {}, entry {}: Position {} is outside 0..1", origin, i, pos);
    }
    const auto colour = e["Colour"].get<std::string>();
    stops.push_back(
        {pos, parse_hex_colour(colour, fmt::format("gradient file {}, entry {} Colour", origin, i))});
  }
  return stops;
}

std::vector<GradientStop> load_gradient(std::string_view name_or_path) {
  const auto key = lower(name_or_path);
  for (const auto& b : k_builtins) {
    if (key == b.name) return b.make();
  }
  // The colour tables of colour-table products (water-vapour, ...) are colour tables too.
  if (const Product* p = find_product(key); p && p->table) return p->table();
  const std::filesystem::path path(name_or_path);
  const bool looks_like_file = path.has_extension() || path.has_parent_path();
  if (!looks_like_file) {
    fail(ErrorKind::InvalidArgument, "unknown colour table '{}': expected one of {} or a gradient JSON file",
         name_or_path, fmt::join(builtin_gradient_names(), ", "));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::NotFound, "gradient file {} does not exist or cannot be read", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_gradient_json(ss.str(), path.string());
}

}  // namespace goesvfi
