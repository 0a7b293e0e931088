#include "goes/keys.hpp"

#include "core/error.hpp"

namespace goesvfi::goes {

std::string hour_prefix(const ProductFolder& folder, UtcTime t) {
  const UtcFields f = utc_fields(t);
  return fmt::format("{}/{:04}/{:03}/{:02}/", folder.name(), f.year, f.day_of_year, f.hour);
}

std::string bucket_key(const NoaaName& name) {
  return hour_prefix(name.folder(), name.start) + format_noaa_name(name);
}

std::vector<std::string> hour_prefixes(const ProductFolder& folder, UtcTime start, UtcTime end) {
  if (end < start) {
    fail(ErrorKind::InvalidArgument, "time range {} to {}: the end is before the start", format_iso(start),
         format_iso(end));
  }
  std::vector<std::string> out;
  for (auto hour = std::chrono::floor<std::chrono::hours>(start); hour < end; hour += std::chrono::hours(1)) {
    out.push_back(hour_prefix(folder, hour));
  }
  return out;
}

}  // namespace goesvfi::goes
