// The scan time carried in a file name, whatever the naming family: NOAA `..._s20241221800217_...` (start,
// YYYYDDDHHMMSSt), STAR CDN `20241221800_GOES16-...` (YYYYDDDHHMM), goesproc/Sanchez
// `..._20241221T180021Z...`, and our own rendered frames (goesproc style). Used to order frames and to match
// files to scan slots.
#pragma once

#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace goesvfi {

std::optional<UtcTime> scan_time_from_name(std::string_view filename);

}  // namespace goesvfi
