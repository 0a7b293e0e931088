#include "goes/scan_time.hpp"

#include "goes/names.hpp"

namespace goesvfi {

std::optional<UtcTime> scan_time_from_name(std::string_view filename) {
  if (auto scene = goes::parse_scene_name(filename)) return scene->start;
  return std::nullopt;
}

}  // namespace goesvfi
