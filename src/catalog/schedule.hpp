// ABI scan schedules: when a scan of a sector is expected under each scan mode, how a file's start time is
// matched to its slot, how mode changes read from file names shape the expected slots, and the scan interval
// of arbitrary image folders.
//
// Cadences (scan start offsets confirmed from real file names, e.g. the shared
// OR_ABI-L2-FDCC-M6_G17_s20193002001196 (CONUS, 20:01:19.6) and OR_ABI-L1b-RadM1-M6C01_G16_s20200010001262
// (M1, 00:01:26.2), and NOAA names such as OR_ABI-L1b-RadF-M6C13_G16_s20241221800217 (FD, 18:00:21.7)):
//   Mode 6: full disk every 10 min at :00, :10, ... (starts ~:20 s after); CONUS/PACUS every 5 min at :01,
//   :06,
//           :11, ... (starts ~:17 s after); each mesoscale sector every minute (M1 ~:2x s, M2 ~:5x s).
//   Mode 3: full disk every 15 min at :00, :15, :30, :45; CONUS every 5 min at :02, :07, ...; mesoscale every
//           minute.
//   Mode 4: full disk every 5 min at :00, :05, ...; no CONUS or mesoscale scans.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/time.hpp"
#include "goes/domain.hpp"

namespace goesvfi::catalog {

using Millis = std::chrono::milliseconds;

// Slots are offset + k * interval. A file starting at t fills slot s when s - early <= t < s + late.
struct Cadence {
  Millis interval{0};
  Millis offset{0};  // phase: the slots' offset from any multiple of `interval` since the epoch
  Millis early{0};   // how far before its slot a start may lie (clock jitter, minute-rounded stamps)
  Millis late{0};    // how far after its slot a start may lie (real starts are seconds after the minute)
};

// The ABI cadence of a sector under a scan mode; nullopt where the mode does not scan the sector (mode 4 has
// only full disk). InvalidArgument for modes other than 3, 4, 6.
std::optional<Cadence> abi_cadence(goes::Sector sector, int mode);
// A cadence for arbitrary frames: slots every `interval` with the phase of `anchor`, matching the nearest
// slot.
Cadence uniform_cadence(Millis interval, UtcTime anchor);

// Slots in [start, end), in order. InvalidArgument when the interval is not positive.
std::vector<UtcTime> expected_slots(const Cadence& cadence, UtcTime start, UtcTime end);
// The slot a file starting at `t` fills, or nullopt when it lies off the schedule.
std::optional<UtcTime> match_slot(const Cadence& cadence, UtcTime t);

// The scan mode in force from `start` on (until the next period).
struct ModePeriod {
  UtcTime start;
  int mode = 6;
};
// Periods from (file start time, mode) observations: the mode changes where the first file of a new mode
// starts, at that file's slot. `initial_mode` holds before the first observation (default: the first one's).
std::vector<ModePeriod> mode_periods(std::vector<std::pair<UtcTime, int>> observations,
                                     std::optional<int> initial_mode = std::nullopt);
// The mode in force at t.
int mode_at(const std::vector<ModePeriod>& periods, UtcTime t, int fallback = 6);

// Expected slots of a sector over [start, end) following the mode periods, and the cadence of each slot.
struct Slot {
  UtcTime time;
  int mode = 6;
};
std::vector<Slot> expected_abi_slots(goes::Sector sector, const std::vector<ModePeriod>& periods,
                                     UtcTime start, UtcTime end);

// The nominal scan interval of a series of frame times (any order, duplicates allowed): the smallest spacing
// that explains almost all gaps between consecutive frames as whole multiples, rounded to a common cadence
// (30 s, 1, 2, 5, 10, 15, 30, 60 min) when within 3 %. Robust to missing frames and jitter of a few seconds.
// nullopt with fewer than two distinct times.
std::optional<Millis> detect_interval(std::vector<UtcTime> times);

}  // namespace goesvfi::catalog
