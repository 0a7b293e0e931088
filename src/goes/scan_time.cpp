#include "goes/scan_time.hpp"

#include <cctype>
#include <regex>
#include <string>

namespace goesvfi {

namespace {
int to_int(const std::string& s) {
  return std::stoi(s);
}
}  // namespace

std::optional<UtcTime> scan_time_from_name(std::string_view filename) {
  const std::string name(filename);
  std::smatch m;
  // NOAA: _sYYYYDDDHHMMSSt_
  static const std::regex noaa(R"(_s(\d{4})(\d{3})(\d{2})(\d{2})(\d{2})(\d)(?:_|\.|$))");
  if (std::regex_search(name, m, noaa)) {
    return make_utc_doy(to_int(m[1]), to_int(m[2]), to_int(m[3]), to_int(m[4]), to_int(m[5]),
                        to_int(m[6]) * 100);
  }
  // goesproc / Sanchez / ours: YYYYMMDDTHHMMSSZ
  static const std::regex compact(R"((?:^|[^0-9])(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z)");
  if (std::regex_search(name, m, compact)) {
    return make_utc(to_int(m[1]), to_int(m[2]), to_int(m[3]), to_int(m[4]), to_int(m[5]), to_int(m[6]));
  }
  // STAR CDN: leading YYYYDDDHHMM_
  static const std::regex cdn(R"(^(\d{4})(\d{3})(\d{2})(\d{2})_)");
  if (std::regex_search(name, m, cdn)) {
    return make_utc_doy(to_int(m[1]), to_int(m[2]), to_int(m[3]), to_int(m[4]), 0);
  }
  return std::nullopt;
}

}  // namespace goesvfi
