// UTC time points at millisecond resolution (ABI names carry tenths of a second) and their text forms.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace goesvfi {

using UtcTime = std::chrono::sys_time<std::chrono::milliseconds>;

// Parses ISO-8601 UTC: "2024-05-01T12:00Z", "2024-05-01T12:00:30Z", "2024-05-01T12:00:30.5Z", "2024-05-01"
// (midnight), "2024-05-01 12:00" (a space for T, Z optional). Throws InvalidArgument naming the text.
UtcTime parse_utc(std::string_view text);
std::optional<UtcTime> try_parse_utc(std::string_view text);
// From calendar fields; validates ranges (day of year 366 only in leap years) and returns nullopt if invalid.
std::optional<UtcTime> make_utc(int year, int month, int day, int hour, int minute, int second,
                                int millis = 0);
std::optional<UtcTime> make_utc_doy(int year, int day_of_year, int hour, int minute, int second,
                                    int millis = 0);
bool is_leap_year(int year);

// "2024-05-01T12:00:30Z" (milliseconds shown only when non-zero).
std::string format_iso(UtcTime t);
// "20240501T120030Z": the compact form used in goesproc-style file names.
std::string format_compact(UtcTime t);
// Fields of a time: for name formatting.
struct UtcFields {
  int year, month, day, day_of_year, hour, minute, second, millis;
};
UtcFields utc_fields(UtcTime t);

}  // namespace goesvfi
