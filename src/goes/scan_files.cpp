#include "goes/scan_files.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "goes/names.hpp"

namespace goesvfi::goes {

std::string ScanFiles::describe() const {
  return fmt::format("{} {} scan of {}", satellite_id(satellite), ProductFolder{product, sector}.name(),
                     format_iso(start));
}

std::string ScanFiles::describe_missing() const {
  return fmt::format("{}: no file of band {}", describe(), fmt::join(missing, ", "));
}

std::vector<ScanFiles> group_by_scan(const std::vector<std::string>& names, const std::vector<int>& bands) {
  using Key =
      std::tuple<UtcTime, int, int, int, int, std::string>;  // start, satellite, sector, mode, level, name
  std::map<Key, ScanFiles> scans;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto n = try_parse_noaa_name(names[i]);
    if (!n) {
      fail(ErrorKind::InvalidArgument,
           "{} is not a NOAA ABI file name (e.g. OR_ABI-L1b-RadC-M6C08_G16_s..._e..._c....nc): the bands of "
           "one "
           "scan are matched by name",
           names[i]);
    }
    const Key key{n->start, static_cast<int>(n->satellite),     static_cast<int>(n->sector),
                  n->mode,  static_cast<int>(n->product.level), n->product.name};
    for (std::size_t b = 0; b < bands.size(); ++b) {
      if (n->band && *n->band != bands[b]) continue;
      auto [it, added] = scans.try_emplace(key);
      ScanFiles& s = it->second;
      if (added) {
        s.satellite = n->satellite;
        s.product = n->product;
        s.sector = n->sector;
        s.mode = n->mode;
        s.start = n->start;
        s.bands = bands;
        s.files.assign(bands.size(), std::nullopt);
      }
      s.files[b] = i;
    }
  }
  std::vector<ScanFiles> out;
  out.reserve(scans.size());
  for (auto& [key, s] : scans) {
    for (std::size_t b = 0; b < bands.size(); ++b) {
      if (!s.files[b]) s.missing.push_back(bands[b]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void require_complete(const ScanFiles& scan, std::string_view what) {
  if (scan.complete()) return;
  fail(ErrorKind::NotFound, "{} needs bands {}: the {} has no file of band {}", what,
       fmt::join(scan.bands, ", "), scan.describe(), fmt::join(scan.missing, ", "));
}

}  // namespace goesvfi::goes
