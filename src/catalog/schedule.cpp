#include "catalog/schedule.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace goesvfi::catalog {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::optional<Cadence> abi_cadence(goes::Sector sector, int mode) {
  goes::check_mode(mode);
  const bool meso = sector == goes::Sector::Meso1 || sector == goes::Sector::Meso2;
  // Full-disk and CONUS starts lie 15-40 s after the nominal minute; 150 s of lateness keeps a slow start in
  // its slot while a scan of the next slot (>= 5 min later) can never be taken for it. Mesoscale scans fill
  // their whole minute (M2 starts ~55 s in).
  if (meso) {
    if (mode == 4) return std::nullopt;
    return Cadence{minutes(1), Millis(0), Millis(0), minutes(1)};
  }
  if (sector == goes::Sector::FullDisk) {
    const minutes interval = mode == 6 ? minutes(10) : mode == 3 ? minutes(15) : minutes(5);
    return Cadence{interval, Millis(0), seconds(5), seconds(150)};
  }
  if (mode == 4) return std::nullopt;
  return Cadence{minutes(5), mode == 6 ? minutes(1) : minutes(2), seconds(5), seconds(150)};
}

Cadence uniform_cadence(Millis interval, UtcTime anchor) {
  if (interval <= Millis(0)) {
    fail(ErrorKind::InvalidArgument, "scan interval {} ms: expected a positive interval", interval.count());
  }
  const std::int64_t phase =
      anchor.time_since_epoch().count() -
      floor_div(anchor.time_since_epoch().count(), interval.count()) * interval.count();
  return Cadence{interval, Millis(phase), interval / 2, interval - interval / 2};
}

std::vector<UtcTime> expected_slots(const Cadence& c, UtcTime start, UtcTime end) {
  if (c.interval <= Millis(0)) {
    fail(ErrorKind::InvalidArgument, "scan interval {} ms: expected a positive interval", c.interval.count());
  }
  std::vector<UtcTime> out;
  if (end <= start) return out;
  const std::int64_t i = c.interval.count(), o = c.offset.count();
  // First slot at or after start.
  std::int64_t k = floor_div(start.time_since_epoch().count() - o, i);
  UtcTime slot{Millis(o + k * i)};
  if (slot < start) slot += c.interval;
  for (; slot < end; slot += c.interval) out.push_back(slot);
  return out;
}

std::optional<UtcTime> match_slot(const Cadence& c, UtcTime t) {
  const std::int64_t i = c.interval.count(), o = c.offset.count();
  const std::int64_t k = floor_div(t.time_since_epoch().count() - o + c.early.count(), i);
  const UtcTime slot{Millis(o + k * i)};
  if (t - slot < c.late) return slot;
  return std::nullopt;
}

std::vector<ModePeriod> mode_periods(std::vector<std::pair<UtcTime, int>> observations,
                                     std::optional<int> initial_mode) {
  std::stable_sort(observations.begin(), observations.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ModePeriod> out;
  const int first = initial_mode           ? goes::check_mode(*initial_mode)
                    : observations.empty() ? 6
                                           : observations.front().second;
  out.push_back({UtcTime::min(), first});
  for (const auto& [t, mode] : observations) {
    if (mode == out.back().mode) continue;
    // Every ABI start lies within a minute of its nominal slot, so the change happens at the file's minute.
    out.push_back({std::chrono::floor<minutes>(t), goes::check_mode(mode)});
  }
  return out;
}

int mode_at(const std::vector<ModePeriod>& periods, UtcTime t, int fallback) {
  int mode = fallback;
  for (const auto& p : periods) {
    if (p.start > t) break;
    mode = p.mode;
  }
  return mode;
}

std::vector<Slot> expected_abi_slots(goes::Sector sector, const std::vector<ModePeriod>& periods,
                                     UtcTime start, UtcTime end) {
  std::vector<Slot> out;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const UtcTime from = std::max(periods[i].start, start);
    const UtcTime to = i + 1 < periods.size() ? std::min(periods[i + 1].start, end) : end;
    if (to <= from) continue;
    const auto cadence = abi_cadence(sector, periods[i].mode);
    if (!cadence) continue;
    for (UtcTime t : expected_slots(*cadence, from, to)) out.push_back({t, periods[i].mode});
  }
  return out;
}

std::optional<Millis> detect_interval(std::vector<UtcTime> times) {
  std::sort(times.begin(), times.end());
  std::vector<double> gaps;  // seconds; spacings under a second are duplicates of one scan
  for (std::size_t i = 1; i < times.size(); ++i) {
    const double d = std::chrono::duration<double>(times[i] - times[i - 1]).count();
    if (d >= 1.0) gaps.push_back(d);
  }
  if (gaps.empty()) return std::nullopt;
  std::vector<double> sorted = gaps;
  std::sort(sorted.begin(), sorted.end());
  auto near_multiple = [](double d, double c) {
    const double n = std::round(d / c);
    return n >= 1 && std::abs(d - n * c) <= std::max(0.1 * c, 1.0);
  };
  const double n = static_cast<double>(gaps.size());
  double chosen = sorted[sorted.size() / 2];
  double last_tried = -1;
  // The cadence's own spacing makes up at least a fifth of the gaps, so candidates sampled at every 2nd
  // percentile cannot miss it: 50 candidates keep this linear in the number of frames.
  for (std::size_t k = 0; k < 50; ++k) {
    const double c = sorted[k * sorted.size() / 50];
    if (last_tried > 0 && c < last_tried * 1.02) continue;
    last_tried = c;
    std::size_t single = 0, explained = 0;
    for (double d : gaps) {
      if (near_multiple(d, c)) {
        ++explained;
        if (std::round(d / c) == 1) ++single;
      }
    }
    if (single >= 0.2 * n && explained >= 0.9 * n) {
      std::vector<double> ones;
      for (double d : gaps) {
        if (near_multiple(d, c) && std::round(d / c) == 1) ones.push_back(d);
      }
      std::nth_element(ones.begin(), ones.begin() + ones.size() / 2, ones.end());
      chosen = ones[ones.size() / 2];
      break;
    }
  }
  constexpr std::array<double, 9> common{30, 60, 120, 300, 600, 900, 1800, 3600, 86400};
  for (double c : common) {
    if (std::abs(chosen - c) <= 0.03 * c) return Millis(static_cast<std::int64_t>(c * 1000));
  }
  return Millis(static_cast<std::int64_t>(std::llround(chosen * 1000)));
}

}  // namespace goesvfi::catalog
