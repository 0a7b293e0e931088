// NOAA bucket keys: `<product folder>/<YYYY>/<DOY>/<HH>/<file name>` (e.g.
// ABI-L1b-RadF/2024/122/18/OR_ABI-L1b-RadF-M6C13_G16_s2024122180021...). Exact keys cannot be predicted (the
// seconds and the creation time are only known after the scan), so stores list the hour prefixes a range
// touches and match the parsed names.
#pragma once

#include <string>
#include <vector>

#include "core/time.hpp"
#include "goes/domain.hpp"
#include "goes/names.hpp"

namespace goesvfi::goes {

// "ABI-L1b-RadF/2024/122/18/" for the hour holding `t`.
std::string hour_prefix(const ProductFolder& folder, UtcTime t);
// The key of a NOAA file in its bucket (its hour folder is that of its start time).
std::string bucket_key(const NoaaName& name);
// The hour prefixes of the half-open range [start, end), in time order; InvalidArgument when end < start.
// An empty range gives no prefixes.
std::vector<std::string> hour_prefixes(const ProductFolder& folder, UtcTime start, UtcTime end);

}  // namespace goesvfi::goes
