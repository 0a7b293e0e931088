#include "goes/domain.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace goesvfi::goes {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

int satellite_number(Satellite sat) {
  return static_cast<int>(sat);
}
std::string satellite_id(Satellite sat) {
  return fmt::format("G{}", satellite_number(sat));
}
std::string satellite_goes_name(Satellite sat) {
  return fmt::format("GOES{}", satellite_number(sat));
}
std::string bucket_name(Satellite sat) {
  return fmt::format("noaa-goes{}", satellite_number(sat));
}

std::optional<Satellite> satellite_from_number(int number) {
  if (number >= 16 && number <= 19) return static_cast<Satellite>(number);
  return std::nullopt;
}

UtcTime east_switch_to_g19() {
  return *make_utc(2025, 4, 4, 15, 10, 0);
}
UtcTime west_switch_to_g18() {
  return *make_utc(2023, 1, 4, 0, 0, 0);
}

Satellite operational_satellite(Orbit orbit, UtcTime at) {
  if (orbit == Orbit::East) return at < east_switch_to_g19() ? Satellite::G16 : Satellite::G19;
  return at < west_switch_to_g18() ? Satellite::G17 : Satellite::G18;
}

std::optional<Orbit> parse_orbit(std::string_view text) {
  const std::string s = lower(text);
  if (s == "east" || s == "goes-east") return Orbit::East;
  if (s == "west" || s == "goes-west") return Orbit::West;
  return std::nullopt;
}

std::vector<SatellitePeriod> operational_periods(Orbit orbit, UtcTime start, UtcTime end) {
  std::vector<SatellitePeriod> out;
  if (end <= start) return out;
  const UtcTime cut = orbit == Orbit::East ? east_switch_to_g19() : west_switch_to_g18();
  if (start < cut) out.push_back({operational_satellite(orbit, start), start, std::min(end, cut)});
  if (end > cut) out.push_back({operational_satellite(orbit, cut), std::max(start, cut), end});
  return out;
}

Satellite parse_satellite(std::string_view text, std::optional<UtcTime> at) {
  std::string s = lower(text);
  if (const auto orbit = parse_orbit(text)) {
    if (!at) {
      fail(ErrorKind::InvalidArgument,
           "satellite '{}' is an alias resolved by date, but no date was given (use G16, G17, G18 or G19)",
           text);
    }
    return operational_satellite(*orbit, *at);
  }
  std::string_view rest = s;
  for (std::string_view prefix : {"noaa-goes", "goes-", "goes_", "goes", "g"}) {
    if (rest.starts_with(prefix)) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  if (all_digits(rest) && rest.size() == 2) {
    if (auto sat = satellite_from_number(std::stoi(std::string(rest)))) return *sat;
  }
  fail(ErrorKind::InvalidArgument, "unknown satellite '{}': expected G16, G17, G18, G19, east or west", text);
}

std::string sector_code(Sector sector) {
  switch (sector) {
    case Sector::FullDisk:
      return "F";
    case Sector::Conus:
      return "C";
    case Sector::Meso1:
      return "M1";
    case Sector::Meso2:
      return "M2";
  }
  return "?";
}

std::string sector_folder_code(Sector sector) {
  return sector == Sector::Meso1 || sector == Sector::Meso2 ? "M" : sector_code(sector);
}

Sector parse_sector(std::string_view text) {
  const std::string s = lower(text);
  if (s == "f" || s == "fd" || s == "full" || s == "fulldisk" || s == "full-disk") return Sector::FullDisk;
  if (s == "c" || s == "conus" || s == "pacus") return Sector::Conus;
  if (s == "m1" || s == "meso1") return Sector::Meso1;
  if (s == "m2" || s == "meso2") return Sector::Meso2;
  fail(ErrorKind::InvalidArgument, "unknown sector '{}': expected F (full disk), C (CONUS), M1 or M2", text);
}

std::string level_code(Level level) {
  return level == Level::L1b ? "L1b" : "L2";
}

bool product_has_band(const Product& product) {
  return product.name == "Rad" || product.name == "CMIP" || product.name == "DMW" || product.name == "DMWV";
}

std::string ProductFolder::name() const {
  return fmt::format("ABI-{}-{}{}", level_code(product.level), product.name, sector_folder_code(sector));
}

ProductFolder parse_product_folder(std::string_view text) {
  ProductFolder out;
  std::string_view rest = text;
  if (!rest.starts_with("ABI-")) {
    fail(ErrorKind::InvalidArgument, "product '{}': expected it to start with 'ABI-' (e.g. ABI-L1b-RadF)",
         text);
  }
  rest.remove_prefix(4);
  if (rest.starts_with("L1b-")) {
    out.product.level = Level::L1b;
    rest.remove_prefix(4);
  } else if (rest.starts_with("L2-")) {
    out.product.level = Level::L2;
    rest.remove_prefix(3);
  } else {
    fail(ErrorKind::InvalidArgument, "product '{}': level must be L1b or L2", text);
  }
  if (rest.size() < 2 ||
      !std::all_of(rest.begin(), rest.end(), [](unsigned char c) { return std::isalnum(c); })) {
    fail(ErrorKind::InvalidArgument,
         "product '{}': expected a product name and sector letter after the level", text);
  }
  const char last = rest.back();
  if (last == 'F') {
    out.sector = Sector::FullDisk;
  } else if (last == 'C') {
    out.sector = Sector::Conus;
  } else if (last == 'M') {
    out.sector = Sector::Meso1;
  } else {
    fail(ErrorKind::InvalidArgument, "product '{}': sector letter '{}' is not F, C or M", text, last);
  }
  out.product.name = std::string(rest.substr(0, rest.size() - 1));
  if (out.product.level == Level::L1b && out.product.name != "Rad") {
    fail(ErrorKind::InvalidArgument, "product '{}': the only L1b ABI product is Rad", text);
  }
  return out;
}

int check_band(int band) {
  if (band < 1 || band > 16)
    fail(ErrorKind::InvalidArgument, "band {} is out of range: ABI bands are 1-16", band);
  return band;
}

int check_mode(int mode) {
  if (mode != 3 && mode != 4 && mode != 6) {
    fail(ErrorKind::InvalidArgument, "scan mode {} is not an ABI timeline: expected 3, 4 or 6", mode);
  }
  return mode;
}

}  // namespace goesvfi::goes
