#include "goes/names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "core/error.hpp"

namespace goesvfi::goes {

namespace {

// Name parsing reports the first wrong field through this exception-free path so try_* stays cheap on the
// 100k-file scans of the catalog; parse_* turns the text into an Error.
struct Fault {
  std::string what;
};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Non-empty and letters/digits only (product, sector and band codes).
bool alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = s.find(sep, pos);
    if (next == std::string_view::npos) {
      out.push_back(s.substr(pos));
      return out;
    }
    out.push_back(s.substr(pos, next - pos));
    pos = next + 1;
  }
}

// Splits "name.ext" at the first dot (NOAA/CDN/goesproc stems have none); ext keeps the dot.
std::pair<std::string_view, std::string_view> split_extension(std::string_view name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos) return {name, {}};
  return {name.substr(0, dot), name.substr(dot)};
}

// YYYYDDDHHMM[SS[t]] with each field checked, naming the field that is wrong.
std::optional<UtcTime> doy_stamp(std::string_view s, std::string_view label, Fault& fault) {
  if (!digits(s) || (s.size() != 11 && s.size() != 14)) {
    fault.what = fmt::format("{} time '{}': expected {} digits", label, s, s.size() > 11 ? 14 : 11);
    return std::nullopt;
  }
  const int year = to_int(s.substr(0, 4)), doy = to_int(s.substr(4, 3)), hour = to_int(s.substr(7, 2)),
            minute = to_int(s.substr(9, 2));
  const int second = s.size() == 14 ? to_int(s.substr(11, 2)) : 0;
  const int tenth = s.size() == 14 ? to_int(s.substr(13, 1)) : 0;
  const int days = is_leap_year(year) ? 366 : 365;
  if (year < 2000) {
    fault.what = fmt::format("{} time '{}': year {} is before the GOES-R series", label, s, year);
  } else if (doy < 1 || doy > days) {
    fault.what = fmt::format("{} time '{}': day of year {} is not in 1-{} ({})", label, s, doy, days, year);
  } else if (hour > 23) {
    fault.what = fmt::format("{} time '{}': hour {} is not in 0-23", label, s, hour);
  } else if (minute > 59) {
    fault.what = fmt::format("{} time '{}': minute {} is not in 0-59", label, s, minute);
  } else if (second > 59) {
    fault.what = fmt::format("{} time '{}': second {} is not in 0-59", label, s, second);
  } else {
    return make_utc_doy(year, doy, hour, minute, second, tenth * 100);
  }
  return std::nullopt;
}

std::string doy_format(UtcTime t, bool with_seconds) {
  const UtcFields f = utc_fields(t);
  if (!with_seconds) return fmt::format("{:04}{:03}{:02}{:02}", f.year, f.day_of_year, f.hour, f.minute);
  return fmt::format("{:04}{:03}{:02}{:02}{:02}{}", f.year, f.day_of_year, f.hour, f.minute, f.second,
                     f.millis / 100);
}

std::optional<Satellite> goes_satellite(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return std::nullopt;
  s.remove_prefix(prefix.size());
  if (!digits(s) || s.size() != 2) return std::nullopt;
  return satellite_from_number(to_int(s));
}

std::optional<Sector> sector_from_image_code(std::string_view code) {
  if (code == "FD") return Sector::FullDisk;
  if (code == "CONUS") return Sector::Conus;
  if (code == "M1") return Sector::Meso1;
  if (code == "M2") return Sector::Meso2;
  return std::nullopt;
}

// A name's file extension (".nc", ".jpg"); false with the fault set when the name has none.
bool extension_field(std::string_view ext, std::string_view expected, std::string& out, Fault& fault) {
  if (ext.empty()) {
    fault.what = fmt::format("missing extension (expected {})", expected);
    return false;
  }
  out = std::string(ext);
  return true;
}

// The GOESnn satellite and sector-code fields of CDN and goesproc names; false with the fault set when one of
// them is not valid (`sectors` lists the expected codes).
bool satellite_and_sector(std::string_view satellite_field, std::string_view sector_field,
                          std::string_view sectors, Satellite& satellite, std::string& sector_code,
                          Fault& fault) {
  const auto sat = goes_satellite(satellite_field, "GOES");
  if (!sat) {
    fault.what = fmt::format("satellite '{}': expected GOES16, GOES17, GOES18 or GOES19", satellite_field);
    return false;
  }
  if (!alnum(sector_field)) {
    fault.what = fmt::format("sector '{}': expected {}", sector_field, sectors);
    return false;
  }
  satellite = *sat;
  sector_code = std::string(sector_field);
  return true;
}

std::optional<NoaaName> noaa(std::string_view filename, Fault& fault) {
  const auto [stem, ext] = split_extension(filename);
  const auto parts = split(stem, '_');
  if (parts.size() != 6) {
    fault.what = fmt::format("expected 6 '_'-separated fields (OR_ABI-..._G16_s..._e..._c...), found {}",
                             parts.size());
    return std::nullopt;
  }
  NoaaName n;
  if (parts[0] != "OR" && parts[0] != "OT") {
    fault.what = fmt::format("system environment '{}': expected OR or OT", parts[0]);
    return std::nullopt;
  }
  n.system = std::string(parts[0]);
  const auto fields = split(parts[1], '-');
  if (fields.size() != 4 || fields[0] != "ABI") {
    fault.what =
        fmt::format("product field '{}': expected ABI-<level>-<product><sector>-M<mode>[C<band>]", parts[1]);
    return std::nullopt;
  }
  if (fields[1] == "L1b") {
    n.product.level = Level::L1b;
  } else if (fields[1] == "L2") {
    n.product.level = Level::L2;
  } else {
    fault.what = fmt::format("level '{}': expected L1b or L2", fields[1]);
    return std::nullopt;
  }
  std::string_view ps = fields[2];
  if (ps.ends_with("M1") || ps.ends_with("M2")) {
    n.sector = ps.back() == '1' ? Sector::Meso1 : Sector::Meso2;
    ps.remove_suffix(2);
  } else if (ps.ends_with('F') || ps.ends_with('C')) {
    n.sector = ps.back() == 'F' ? Sector::FullDisk : Sector::Conus;
    ps.remove_suffix(1);
  } else {
    fault.what =
        fmt::format("product/sector '{}': expected the product followed by F, C, M1 or M2", fields[2]);
    return std::nullopt;
  }
  if (!alnum(ps) || (n.product.level == Level::L1b && ps != "Rad")) {
    fault.what = fmt::format("product '{}' in '{}': expected Rad (L1b) or an L2 product name", ps, fields[2]);
    return std::nullopt;
  }
  n.product.name = std::string(ps);
  std::string_view mb = fields[3];
  if (mb.size() < 2 || mb[0] != 'M' || !std::isdigit(static_cast<unsigned char>(mb[1]))) {
    fault.what = fmt::format("mode/band '{}': expected M<mode>[C<band>]", mb);
    return std::nullopt;
  }
  n.mode = mb[1] - '0';
  if (n.mode != 3 && n.mode != 4 && n.mode != 6) {
    fault.what = fmt::format("scan mode '{}': expected M3, M4 or M6", mb.substr(0, 2));
    return std::nullopt;
  }
  mb.remove_prefix(2);
  if (!mb.empty()) {
    if (mb.size() != 3 || mb[0] != 'C' || !digits(mb.substr(1)) || to_int(mb.substr(1)) < 1 ||
        to_int(mb.substr(1)) > 16) {
      fault.what = fmt::format("band '{}': expected C01-C16", mb);
      return std::nullopt;
    }
    n.band = to_int(mb.substr(1));
  }
  const auto sat = goes_satellite(parts[2], "G");
  if (!sat) {
    fault.what = fmt::format("satellite '{}': expected G16, G17, G18 or G19", parts[2]);
    return std::nullopt;
  }
  n.satellite = *sat;
  const std::array<std::pair<char, UtcTime*>, 3> stamps{{{'s', &n.start}, {'e', &n.end}, {'c', &n.created}}};
  const std::array<std::string_view, 3> labels{"start", "end", "creation"};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string_view p = parts[3 + i];
    if (p.size() != 15 || p[0] != stamps[i].first) {
      fault.what = fmt::format("{} time '{}': expected '{}' and 14 digits (YYYYDDDHHMMSSt)", labels[i], p,
                               stamps[i].first);
      return std::nullopt;
    }
    auto t = doy_stamp(p.substr(1), labels[i], fault);
    if (!t) return std::nullopt;
    *stamps[i].second = *t;
  }
  if (!extension_field(ext, ".nc", n.extension, fault)) return std::nullopt;
  return n;
}

std::optional<CdnName> cdn(std::string_view filename, Fault& fault) {
  const auto [stem, ext] = split_extension(filename);
  const std::size_t us = stem.find('_');
  if (us == std::string_view::npos) {
    fault.what = "expected YYYYDDDHHMM_GOESnn-ABI-<sector>-<band>-<W>x<H>";
    return std::nullopt;
  }
  CdnName n;
  // Mesoscale stamps add seconds: YYYYDDDHHMMSS.
  const std::string_view stamp = stem.substr(0, us);
  const bool with_seconds = stamp.size() == 13 && digits(stamp);
  auto t = doy_stamp(with_seconds ? stamp.substr(0, 11) : stamp, "scan", fault);
  if (!t) return std::nullopt;
  n.time = *t;
  if (with_seconds) {
    const int second = to_int(stamp.substr(11, 2));
    if (second > 59) {
      fault.what = fmt::format("scan time '{}': second {} is not in 0-59", stamp, second);
      return std::nullopt;
    }
    n.time += std::chrono::seconds(second);
  }
  auto fields = split(stem.substr(us + 1), '-');
  const bool meso = fields.size() == 7 && fields[2] == "MESO";
  if (meso) {
    // GOESnn-ABI-MESO-<band>-<lat>-<lon>-<W>x<H>: the centre as whole degrees, "22N" and "93W".
    auto is_coord = [](std::string_view c, std::string_view hemispheres) {
      return c.size() >= 2 && digits(c.substr(0, c.size() - 1)) &&
             hemispheres.find(c.back()) != std::string_view::npos;
    };
    if (!is_coord(fields[4], "NS") || !is_coord(fields[5], "EW")) {
      fault.what = fmt::format("mesoscale centre '{}-{}': expected <lat>N|S-<lon>E|W such as 22N-93W",
                               fields[4], fields[5]);
      return std::nullopt;
    }
    n.location = fmt::format("{}-{}", fields[4], fields[5]);
    fields = {fields[0], fields[1], fields[2], fields[3], fields[6]};
  }
  if (fields.size() != 5 || fields[1] != "ABI") {
    fault.what = fmt::format(
        "'{}': expected GOESnn-ABI-<sector>-<band>-<W>x<H> or GOESnn-ABI-MESO-<band>-<lat>-<lon>-<W>x<H>",
        stem.substr(us + 1));
    return std::nullopt;
  }
  if (with_seconds != meso) {
    fault.what = fmt::format("scan time '{}': expected {} digits for {} images", stamp, meso ? 13 : 11,
                             meso ? "mesoscale" : "these");
    return std::nullopt;
  }
  if (!satellite_and_sector(fields[0], fields[2], "FD, CONUS, M1, M2 or a regional code", n.satellite,
                            n.sector_code, fault))
    return std::nullopt;
  if (digits(fields[3])) {
    const int band = to_int(fields[3]);
    if (fields[3].size() != 2 || band < 1 || band > 16) {
      fault.what = fmt::format("band '{}': expected 01-16", fields[3]);
      return std::nullopt;
    }
    n.band = band;
  } else if (alnum(fields[3])) {
    n.product = std::string(fields[3]);
  } else {
    fault.what =
        fmt::format("band/product '{}': expected 01-16 or a product name such as GEOCOLOR", fields[3]);
    return std::nullopt;
  }
  const auto wh = split(fields[4], 'x');
  if (wh.size() != 2 || !digits(wh[0]) || !digits(wh[1]) || wh[0].size() > 6 || wh[1].size() > 6 ||
      to_int(wh[0]) == 0 || to_int(wh[1]) == 0) {
    fault.what = fmt::format("size '{}': expected <width>x<height>", fields[4]);
    return std::nullopt;
  }
  n.width = to_int(wh[0]);
  n.height = to_int(wh[1]);
  if (n.sector_code == "FD") {
    constexpr std::array<int, 5> sizes{339, 678, 1808, 5424, 10848};
    if (n.width != n.height || std::find(sizes.begin(), sizes.end(), n.width) == sizes.end()) {
      fault.what =
          fmt::format("full-disk size '{}': expected 339, 678, 1808, 5424 or 10848 square", fields[4]);
      return std::nullopt;
    }
  } else if (n.sector_code == "CONUS") {
    constexpr std::array<std::pair<int, int>, 5> sizes{
        {{416, 250}, {625, 375}, {1250, 750}, {2500, 1500}, {5000, 3000}}};
    if (std::find(sizes.begin(), sizes.end(), std::pair{n.width, n.height}) == sizes.end()) {
      fault.what = fmt::format("CONUS size '{}': expected 416x250, 625x375, 1250x750, 2500x1500 or 5000x3000",
                               fields[4]);
      return std::nullopt;
    }
  }
  if (!extension_field(ext, ".jpg", n.extension, fault)) return std::nullopt;
  return n;
}

std::optional<UtcTime> compact_at(std::string_view s) {
  // s holds exactly YYYYMMDDTHHMMSSZ
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' || !digits(s.substr(0, 8)) || !digits(s.substr(9, 6))) {
    return std::nullopt;
  }
  return make_utc(to_int(s.substr(0, 4)), to_int(s.substr(4, 2)), to_int(s.substr(6, 2)),
                  to_int(s.substr(9, 2)), to_int(s.substr(11, 2)), to_int(s.substr(13, 2)));
}

std::optional<GoesprocName> goesproc(std::string_view filename, Fault& fault) {
  const auto [stem, ext] = split_extension(filename);
  const auto parts = split(stem, '_');
  if (parts.size() != 4) {
    fault.what = "expected GOESnn_<sector>_CH<band>_YYYYMMDDTHHMMSSZ";
    return std::nullopt;
  }
  GoesprocName n;
  if (!satellite_and_sector(parts[0], parts[1], "FD, M1, M2 or CONUS", n.satellite, n.sector_code, fault))
    return std::nullopt;
  if (parts[2].starts_with("CH") && parts[2].size() == 4 && digits(parts[2].substr(2))) {
    const int band = to_int(parts[2].substr(2));
    if (band < 1 || band > 16) {
      fault.what = fmt::format("channel '{}': expected CH01-CH16", parts[2]);
      return std::nullopt;
    }
    n.band = band;
  } else if (!parts[2].starts_with("CH") && alnum(parts[2])) {
    n.product = std::string(parts[2]);
  } else {
    fault.what = fmt::format("channel '{}': expected CH01-CH16 or a product code such as FC", parts[2]);
    return std::nullopt;
  }
  auto t = compact_at(parts[3]);
  if (!t) {
    fault.what = fmt::format("time '{}': expected a valid YYYYMMDDTHHMMSSZ", parts[3]);
    return std::nullopt;
  }
  n.time = *t;
  if (!extension_field(ext, ".jpg or .png", n.extension, fault)) return std::nullopt;
  return n;
}

// The two entry points of every name family: parse_* (InvalidArgument saying why the name is not one) and
// try_parse_* (nullopt).
template <typename Parse>
auto parse_or_fail(Parse parse, std::string_view family, std::string_view filename) {
  Fault fault;
  auto parsed = parse(filename, fault);
  if (!parsed) fail(ErrorKind::InvalidArgument, "'{}' is not a {} name: {}", filename, family, fault.what);
  return std::move(*parsed);
}
template <typename Parse>
auto try_parse(Parse parse, std::string_view filename) {
  Fault fault;
  return parse(filename, fault);
}

}  // namespace

NoaaName parse_noaa_name(std::string_view filename) {
  return parse_or_fail(noaa, "NOAA ABI", filename);
}
bool is_netcdf_name(std::string_view filename) {
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(filename.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".nc" || ext == ".nc4" || ext == ".netcdf";
}

std::optional<NoaaName> try_parse_noaa_name(std::string_view filename) {
  return try_parse(noaa, filename);
}
std::string format_noaa_name(const NoaaName& n) {
  std::string mode_band = fmt::format("M{}", n.mode);
  if (n.band) mode_band += fmt::format("C{:02}", *n.band);
  return fmt::format("{}_ABI-{}-{}{}-{}_{}_s{}_e{}_c{}{}", n.system, level_code(n.product.level),
                     n.product.name, sector_code(n.sector), mode_band, satellite_id(n.satellite),
                     doy_format(n.start, true), doy_format(n.end, true), doy_format(n.created, true),
                     n.extension);
}

std::optional<Sector> CdnName::sector() const {
  return sector_from_image_code(sector_code);
}
std::optional<Sector> GoesprocName::sector() const {
  return sector_from_image_code(sector_code);
}
CdnName parse_cdn_name(std::string_view filename) {
  return parse_or_fail(cdn, "STAR CDN", filename);
}
std::optional<CdnName> try_parse_cdn_name(std::string_view filename) {
  return try_parse(cdn, filename);
}
std::string format_cdn_name(const CdnName& n) {
  const std::string band = n.band ? fmt::format("{:02}", *n.band) : n.product;
  if (!n.location.empty()) {
    return fmt::format("{}{:02}_{}-ABI-{}-{}-{}-{}x{}{}", doy_format(n.time, false),
                       utc_fields(n.time).second, satellite_goes_name(n.satellite), n.sector_code, band,
                       n.location, n.width, n.height, n.extension);
  }
  return fmt::format("{}_{}-ABI-{}-{}-{}x{}{}", doy_format(n.time, false), satellite_goes_name(n.satellite),
                     n.sector_code, band, n.width, n.height, n.extension);
}

GoesprocName parse_goesproc_name(std::string_view filename) {
  return parse_or_fail(goesproc, "goesproc", filename);
}
std::optional<GoesprocName> try_parse_goesproc_name(std::string_view filename) {
  return try_parse(goesproc, filename);
}
std::string format_goesproc_name(const GoesprocName& n) {
  const std::string band = n.band ? fmt::format("CH{:02}", *n.band) : n.product;
  return fmt::format("{}_{}_{}_{}{}", satellite_goes_name(n.satellite), n.sector_code, band,
                     format_compact(n.time), n.extension);
}

std::optional<UtcTime> find_compact_time(std::string_view text) {
  for (std::size_t t = text.find('T', 8); t != std::string_view::npos; t = text.find('T', t + 1)) {
    if (t + 8 > text.size()) break;
    const std::size_t begin = t - 8;
    if (begin > 0 && std::isdigit(static_cast<unsigned char>(text[begin - 1]))) continue;
    if (auto time = compact_at(text.substr(begin, 16))) return time;
  }
  return std::nullopt;
}

// NOAA's GOES image server of the GOES-13/15 era (goes.noaa.gov): `HUIR17250HHMM.png` = sector (HU), channel
// (IR, WV, VS), 2-digit year, day of year, HHMM UTC.
static std::optional<UtcTime> image_server_time(std::string_view filename) {
  const auto [base, extension] = split_extension(filename);
  if (base.size() != 13 || !digits(base.substr(4))) return std::nullopt;
  for (const char c : base.substr(0, 4)) {
    if (!std::isupper(static_cast<unsigned char>(c))) return std::nullopt;
  }
  Fault f;
  return doy_stamp(fmt::format("20{}", base.substr(4)), "image server", f);
}

std::optional<SceneName> parse_scene_name(std::string_view filename) {
  Fault f;
  SceneName s;
  if (filename.starts_with("OR_") || filename.starts_with("OT_")) {
    if (auto n = noaa(filename, f)) {
      s.family = NameFamily::Noaa;
      s.satellite = n->satellite;
      s.folder = n->folder();
      s.sector = n->sector;
      s.band = n->band;
      if (!n->band) s.product = n->product.name;
      s.mode = n->mode;
      s.start = n->start;
      s.end = n->end;
      return s;
    }
    return std::nullopt;  // a NOAA name with a bad field is not read as anything else
  }
  if (!filename.empty() && std::isdigit(static_cast<unsigned char>(filename[0]))) {
    if (auto n = cdn(filename, f)) {
      s.family = NameFamily::Cdn;
      s.satellite = n->satellite;
      s.sector = n->sector();
      s.band = n->band;
      s.product = n->product;
      s.start = n->time;
      return s;
    }
  }
  if (filename.starts_with("GOES")) {
    if (auto n = goesproc(filename, f)) {
      s.family = NameFamily::Goesproc;
      s.satellite = n->satellite;
      s.sector = n->sector();
      s.band = n->band;
      s.product = n->product;
      s.start = n->time;
      return s;
    }
  }
  if (auto t = find_compact_time(filename)) {
    s.start = *t;
    return s;
  }
  if (auto t = image_server_time(filename)) {
    s.start = *t;
    return s;
  }
  return std::nullopt;
}

}  // namespace goesvfi::goes
