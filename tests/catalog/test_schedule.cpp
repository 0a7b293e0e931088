#include <random>

#include <gtest/gtest.h>

#include "catalog/schedule.hpp"
#include "core/error.hpp"
#include "goes/names.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::catalog;
using goes::Sector;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
UtcTime utc(const char* text) {
  return parse_utc(text);
}
}  // namespace

TEST(Schedule, SlotCountsPerModeAndSector) {
  // 31 December 2024 is day 366 of a leap year: a whole day has 24 h whatever the day number.
  const UtcTime day = utc("2024-12-31"), next = utc("2025-01-01");
  auto count = [&](Sector s, int mode, UtcTime a, UtcTime b) {
    return expected_slots(*abi_cadence(s, mode), a, b).size();
  };
  EXPECT_EQ(count(Sector::FullDisk, 6, day, next), 24u * 6);
  EXPECT_EQ(count(Sector::FullDisk, 3, day, next), 24u * 4);
  EXPECT_EQ(count(Sector::FullDisk, 4, day, next), 24u * 12);
  EXPECT_EQ(count(Sector::Conus, 6, day, next), 24u * 12);
  EXPECT_EQ(count(Sector::Meso1, 6, day, next), 24u * 60);
  EXPECT_EQ(count(Sector::Meso2, 3, day, next), 24u * 60);
  EXPECT_FALSE(abi_cadence(Sector::Conus, 4));
  EXPECT_FALSE(abi_cadence(Sector::Meso1, 4));
  EXPECT_ERROR(abi_cadence(Sector::FullDisk, 5), ErrorKind::InvalidArgument,
               "scan mode 5 is not an ABI timeline");

  const auto conus =
      expected_slots(*abi_cadence(Sector::Conus, 6), utc("2024-05-01T12:00Z"), utc("2024-05-01T13:00Z"));
  ASSERT_EQ(conus.size(), 12u);
  EXPECT_EQ(format_iso(conus.front()), "2024-05-01T12:01:00Z");
  EXPECT_EQ(format_iso(conus.back()), "2024-05-01T12:56:00Z");
  const auto conus3 =
      expected_slots(*abi_cadence(Sector::Conus, 3), utc("2018-01-01T12:00Z"), utc("2018-01-01T12:10Z"));
  ASSERT_EQ(conus3.size(), 2u);
  EXPECT_EQ(format_iso(conus3.front()), "2018-01-01T12:02:00Z");
  const auto fd3 =
      expected_slots(*abi_cadence(Sector::FullDisk, 3), utc("2018-01-01T12:05Z"), utc("2018-01-01T13:00Z"));
  ASSERT_EQ(fd3.size(), 3u);  // 12:15, 12:30, 12:45
  EXPECT_EQ(format_iso(fd3.front()), "2018-01-01T12:15:00Z");
  // Half-open: the end slot itself is not expected.
  EXPECT_EQ(
      expected_slots(*abi_cadence(Sector::FullDisk, 6), utc("2024-05-01T12:00Z"), utc("2024-05-01T12:10Z"))
          .size(),
      1u);
}

TEST(Schedule, ToleranceEdges) {
  const Cadence conus = *abi_cadence(Sector::Conus, 6);
  EXPECT_EQ(format_iso(*match_slot(conus, utc("2024-05-01T12:01:17Z"))), "2024-05-01T12:01:00Z");
  EXPECT_EQ(format_iso(*match_slot(conus, utc("2024-05-01T12:03:29.900Z"))), "2024-05-01T12:01:00Z");
  EXPECT_FALSE(match_slot(conus, utc("2024-05-01T12:03:30Z")));  // 150 s late: off schedule
  EXPECT_EQ(format_iso(*match_slot(conus, utc("2024-05-01T12:00:55Z"))),
            "2024-05-01T12:01:00Z");  // 5 s early
  EXPECT_FALSE(match_slot(conus, utc("2024-05-01T12:00:54.900Z")));
  const Cadence meso = *abi_cadence(Sector::Meso2, 6);
  EXPECT_EQ(format_iso(*match_slot(meso, utc("2023-08-03T00:00:55.300Z"))), "2023-08-03T00:00:00Z");
  EXPECT_EQ(format_iso(*match_slot(meso, utc("2023-08-03T00:01:00Z"))), "2023-08-03T00:01:00Z");
  const Cadence fd = *abi_cadence(Sector::FullDisk, 6);
  EXPECT_EQ(format_iso(*match_slot(fd, utc("2024-05-01T18:00:21.700Z"))), "2024-05-01T18:00:00Z");
  EXPECT_FALSE(match_slot(fd, utc("2024-05-01T18:05:00Z")));
  // CDN stamps are the nominal minute itself.
  EXPECT_EQ(format_iso(*match_slot(fd, utc("2024-05-01T18:00:00Z"))), "2024-05-01T18:00:00Z");
}

TEST(Schedule, RealNamesFallOnTheirSlots) {
  struct Case {
    const char* name;
    const char* slot;
  };
  for (const Case& c : {
           Case{"OR_ABI-L2-FDCC-M6_G17_s20193002001196_e20193002003569_c20193002004132.nc",
                "2019-10-27T20:01:00Z"},
           Case{"OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc",
                "2019-12-01T10:27:00Z"},
           Case{"OR_ABI-L1b-RadM1-M6C01_G16_s20200010001262_e20200010001320_c20200010001364.nc",
                "2020-01-01T00:01:00Z"},
           Case{"OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc",
                "2024-05-01T18:00:00Z"},
       }) {
    const auto n = goes::parse_noaa_name(c.name);
    const auto slot = match_slot(*abi_cadence(n.sector, n.mode), n.start);
    ASSERT_TRUE(slot) << c.name;
    EXPECT_EQ(format_iso(*slot), c.slot) << c.name;
  }
}

TEST(Schedule, GeneratedDaysAcrossLeapDayAndYearEnd) {
  // Generated NOAA names of every full-disk scan with realistic start offsets (18-24 s), round-tripped
  // through the name format, each fill exactly one slot.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> jitter(180, 240);  // tenths of a second
  for (const auto& [a, b, hours] : {std::tuple{"2024-02-28T22:00Z", "2024-03-01T02:00Z", 28},
                                    std::tuple{"2023-12-31T20:00Z", "2024-01-01T04:00Z", 8},
                                    std::tuple{"2024-12-31T00:00Z", "2025-01-01T01:00Z", 25}}) {
    const Cadence fd = *abi_cadence(Sector::FullDisk, 6);
    const auto slots = expected_slots(fd, utc(a), utc(b));
    ASSERT_EQ(slots.size(), static_cast<std::size_t>(hours * 6)) << a;
    for (UtcTime slot : slots) {
      goes::NoaaName n;
      n.start = slot + std::chrono::milliseconds(jitter(rng) * 100);
      n.end = n.start + minutes(9) + seconds(30);
      n.created = n.end + seconds(6);
      const auto parsed = goes::parse_noaa_name(goes::format_noaa_name(n));
      ASSERT_EQ(parsed.start, n.start);
      const auto matched = match_slot(fd, parsed.start);
      ASSERT_TRUE(matched);
      EXPECT_EQ(*matched, slot);
    }
  }
}

TEST(Schedule, ModeChangesShapeTheExpectedSlots) {
  // Mode 6 until noon, mode 3 from the 12:00 scan, back to mode 6 at 14:00 (a real pattern of 2019 tests).
  std::vector<std::pair<UtcTime, int>> obs{{utc("2019-04-02T11:50:20Z"), 6},
                                           {utc("2019-04-02T12:00:37Z"), 3},
                                           {utc("2019-04-02T13:45:37Z"), 3},
                                           {utc("2019-04-02T14:00:20Z"), 6}};
  const auto periods = mode_periods(obs);
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[1].mode, 3);
  EXPECT_EQ(format_iso(periods[1].start), "2019-04-02T12:00:00Z");
  EXPECT_EQ(format_iso(periods[2].start), "2019-04-02T14:00:00Z");
  EXPECT_EQ(mode_at(periods, utc("2019-04-02T13:00Z")), 3);
  EXPECT_EQ(mode_at(periods, utc("2019-04-02T03:00Z")), 6);
  const auto slots =
      expected_abi_slots(Sector::FullDisk, periods, utc("2019-04-02T11:00Z"), utc("2019-04-02T15:00Z"));
  // 11:00-12:00 every 10 min (6), 12:00-14:00 every 15 min (8), 14:00-15:00 every 10 min (6).
  ASSERT_EQ(slots.size(), 20u);
  EXPECT_EQ(format_iso(slots[6].time), "2019-04-02T12:00:00Z");
  EXPECT_EQ(slots[6].mode, 3);
  EXPECT_EQ(format_iso(slots[7].time), "2019-04-02T12:15:00Z");
  EXPECT_EQ(format_iso(slots[14].time), "2019-04-02T14:00:00Z");
  // CONUS is not scanned in mode 4: a mode-4 period expects nothing.
  const auto m4 = mode_periods({{utc("2017-09-15T12:00:37Z"), 4}});
  EXPECT_TRUE(
      expected_abi_slots(Sector::Conus, m4, utc("2017-09-15T12:00Z"), utc("2017-09-15T13:00Z")).empty());
  EXPECT_EQ(
      expected_abi_slots(Sector::FullDisk, m4, utc("2017-09-15T12:00Z"), utc("2017-09-15T13:00Z")).size(),
      12u);
}

TEST(Schedule, DetectsIntervalsWithGapsAndJitter) {
  std::mt19937 rng(3);
  auto series = [&](int step_s, int count, double keep, int jitter_s) {
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<int> j(-jitter_s, jitter_s);
    std::vector<UtcTime> out;
    const UtcTime t0 = utc("2024-06-01T00:00:20Z");
    for (int i = 0; i < count; ++i) {
      if (i > 0 && i < count - 1 && u(rng) > keep) continue;
      out.push_back(t0 + seconds(i * step_s + j(rng)));
    }
    return out;
  };
  EXPECT_EQ(detect_interval(series(60, 500, 1.0, 0)), minutes(1));
  EXPECT_EQ(detect_interval(series(60, 500, 0.6, 3)), minutes(1));  // 40 % missing, +-3 s jitter
  EXPECT_EQ(detect_interval(series(120, 500, 0.7, 2)), minutes(2));
  EXPECT_EQ(detect_interval(series(600, 300, 0.8, 5)), minutes(10));
  EXPECT_EQ(detect_interval(series(60, 100000, 0.7, 2)), minutes(1));  // a folder of 100k frames
  EXPECT_EQ(detect_interval(series(420, 200, 0.9, 0)), seconds(420));  // not a common cadence: kept as is
  auto dup = series(300, 100, 1.0, 0);
  dup.push_back(dup[10]);  // a duplicate scan is not a zero interval
  EXPECT_EQ(detect_interval(dup), minutes(5));
  EXPECT_FALSE(detect_interval({utc("2024-01-01")}));
  EXPECT_FALSE(detect_interval({utc("2024-01-01"), utc("2024-01-01")}));
}

TEST(Schedule, UniformCadenceKeepsThePhase) {
  const Cadence c = uniform_cadence(minutes(2), utc("2024-06-01T00:00:20Z"));
  const auto slots = expected_slots(c, utc("2024-06-01T00:00Z"), utc("2024-06-01T00:07Z"));
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(format_iso(slots[0]), "2024-06-01T00:00:20Z");
  EXPECT_EQ(format_iso(*match_slot(c, utc("2024-06-01T00:03:15Z"))), "2024-06-01T00:02:20Z");
  EXPECT_EQ(format_iso(*match_slot(c, utc("2024-06-01T00:03:25Z"))), "2024-06-01T00:04:20Z");
  EXPECT_ERROR(uniform_cadence(seconds(0), utc("2024-06-01")), ErrorKind::InvalidArgument,
               "scan interval 0 ms");
}
