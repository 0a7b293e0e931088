#include "core/time.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi {

using namespace std::chrono;

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

std::optional<UtcTime> make_utc(int year, int month, int day, int hour, int minute, int second, int millis) {
  const year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                           std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
      millis < 0 || millis > 999) {
    return std::nullopt;
  }
  return sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) + milliseconds(millis);
}

std::optional<UtcTime> make_utc_doy(int year, int day_of_year, int hour, int minute, int second, int millis) {
  const int days_in_year = is_leap_year(year) ? 366 : 365;
  if (day_of_year < 1 || day_of_year > days_in_year) return std::nullopt;
  auto jan1 = make_utc(year, 1, 1, hour, minute, second, millis);
  if (!jan1) return std::nullopt;
  return *jan1 + days(day_of_year - 1);
}

namespace {
bool read_int(std::string_view s, std::size_t& pos, std::size_t digits, int& out) {
  if (pos + digits > s.size()) return false;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  std::from_chars(s.data() + pos, s.data() + pos + digits, out);
  pos += digits;
  return true;
}
}  // namespace

std::optional<UtcTime> try_parse_utc(std::string_view s) {
  std::size_t p = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_int(s, p, 4, y) || p >= s.size() || s[p++] != '-' || !read_int(s, p, 2, mo) || p >= s.size() ||
      s[p++] != '-' || !read_int(s, p, 2, d)) {
    return std::nullopt;
  }
  if (p < s.size() && (s[p] == 'T' || s[p] == ' ' || s[p] == 't')) {
    ++p;
    if (!read_int(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !read_int(s, p, 2, mi))
      return std::nullopt;
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!read_int(s, p, 2, sec)) return std::nullopt;
      if (p < s.size() && s[p] == '.') {
        ++p;
        int scale = 100;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
          ms += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
      }
    }
  }
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) ++p;
  if (p != s.size()) return std::nullopt;
  return make_utc(y, mo, d, h, mi, sec, ms);
}

UtcTime parse_utc(std::string_view text) {
  auto t = try_parse_utc(text);
  if (!t) {
    fail(ErrorKind::InvalidArgument, "'{}' is not a UTC time (expected e.g. 2024-05-01T12:00Z or 2024-05-01)",
         text);
  }
  return *t;
}

UtcFields utc_fields(UtcTime t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const auto tod = t - day;
  const auto jan1 = sys_days(year_month_day{ymd.year(), January, std::chrono::day(1)});
  UtcFields f{};
  f.year = static_cast<int>(ymd.year());
  f.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  f.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  f.day_of_year = static_cast<int>((day - jan1).count()) + 1;
  f.hour = static_cast<int>(duration_cast<hours>(tod).count());
  f.minute = static_cast<int>(duration_cast<minutes>(tod).count() % 60);
  f.second = static_cast<int>(duration_cast<seconds>(tod).count() % 60);
  f.millis = static_cast<int>(tod.count() % 1000);
  return f;
}

std::string format_iso(UtcTime t) {
  const auto f = utc_fields(t);
  if (f.millis != 0) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", f.year, f.month, f.day, f.hour, f.minute,
                       f.second, f.millis);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", f.year, f.month, f.day, f.hour, f.minute,
                     f.second);
}

std::string format_compact(UtcTime t) {
  const auto f = utc_fields(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", f.year, f.month, f.day, f.hour, f.minute, f.second);
}

}  // namespace goesvfi
