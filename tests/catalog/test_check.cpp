#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "catalog/check.hpp"
#include "core/error.hpp"
#include "files.hpp"

using namespace goesvfi;
using namespace goesvfi::catalog;
namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
UtcTime utc(const char* text) {
  return parse_utc(text);
}

CheckOptions options_for(const fs::path& folder) {
  CheckOptions o;
  o.folder = folder;
  return o;
}
}  // namespace

TEST(Check, ReportsMissingRunsDuplicatesBadAndOffScheduleFiles) {
  test::TempDir dir;
  // Full disk, mode 6, 12:00-13:50 (12 slots), with 12:10-12:40 missing.
  const UtcTime t0 = utc("2024-05-01T12:00:00Z");
  for (int i = 0; i < 12; ++i) {
    if (i >= 1 && i <= 4) continue;
    test::write_nc(dir / test::noaa_name(t0 + minutes(10 * i) + seconds(21)));
  }
  // A second copy of the 12:50 scan (another creation time), an empty 13:00 copy and a truncated 13:10 one.
  goes::NoaaName dup = goes::parse_noaa_name(test::noaa_name(t0 + minutes(50) + seconds(21)));
  dup.created += seconds(30);
  test::write_nc(dir / goes::format_noaa_name(dup));
  const fs::path empty = dir / test::noaa_name(t0 + minutes(60) + seconds(21));
  test::write_text(empty, "");  // replaces the good 13:00 file: that slot is now missing
  test::write_nc(dir / test::noaa_name(t0 + minutes(70) + seconds(21)), 100, 5000);  // replaces 13:10
  // A scan starting at 12:55:30 belongs to no full-disk slot.
  const fs::path off = dir / test::noaa_name(t0 + minutes(55) + seconds(30));
  test::write_nc(off);

  const CheckReport r = check_folder(options_for(dir.path()));
  EXPECT_EQ(r.series, "G16 ABI-L1b-RadF band 13");
  EXPECT_EQ(format_iso(r.start), "2024-05-01T12:00:00Z");
  EXPECT_EQ(r.expected, 12u);
  EXPECT_EQ(r.present, 6u);  // 12 - 4 missing - empty 13:00 - truncated 13:10
  ASSERT_EQ(r.missing.size(), 6u);
  ASSERT_EQ(r.missing_runs.size(), 2u);
  EXPECT_EQ(describe_run(r.missing_runs[0]), "2024-05-01 12:10\u201312:40, 4 scans");
  EXPECT_EQ(describe_run(r.missing_runs[1]), "2024-05-01 13:00\u201313:10, 2 scans");
  ASSERT_EQ(r.duplicates.size(), 1u);
  EXPECT_EQ(format_iso(r.duplicates[0].slot), "2024-05-01T12:50:00Z");
  EXPECT_EQ(r.duplicates[0].files.size(), 2u);
  ASSERT_EQ(r.unreadable.size(), 2u);
  EXPECT_EQ(r.unreadable[0].file, empty.string());
  EXPECT_NE(r.unreadable[0].reason.find("empty"), std::string::npos);
  EXPECT_NE(r.unreadable[1].reason.find("truncated"), std::string::npos);
  ASSERT_EQ(r.off_schedule.size(), 1u);
  EXPECT_EQ(r.off_schedule[0], off.string());
  EXPECT_FALSE(r.complete());

  // The timeline: one entry per expected slot, 10 minutes apart, in order.
  ASSERT_EQ(r.slots.size(), 12u);
  std::string states;
  for (std::size_t i = 0; i < r.slots.size(); ++i) {
    EXPECT_EQ(r.slots[i].time, t0 + minutes(10 * static_cast<int>(i)));
    states += std::string(to_string(r.slots[i].state)).substr(0, 1);
  }
  // 12:00 present, 12:10-12:40 missing, 12:50 duplicate, 13:00-13:10 unreadable, 13:20-13:50 present.
  EXPECT_EQ(states, "pmmmmduupppp");
  EXPECT_EQ(r.slots[5].files.size(), 2u);
  ASSERT_EQ(r.slots[6].files.size(), 1u);
  EXPECT_EQ(r.slots[6].files[0], empty.string());
  ASSERT_EQ(r.slots[0].files.size(), 1u);
  EXPECT_NE(r.slots[0].files[0].find("s20241221200"), std::string::npos) << r.slots[0].files[0];
  EXPECT_TRUE(r.slots[1].files.empty());

  const auto j = nlohmann::json::parse(format_check_report(r, ReportFormat::Json));
  EXPECT_EQ(j["expected"], 12);
  EXPECT_EQ(j["present"], 6);
  EXPECT_EQ(j["missing"], 6);
  EXPECT_EQ(j["missing_times"][0], "2024-05-01T12:10:00Z");
  EXPECT_EQ(j["missing_times"][5], "2024-05-01T13:10:00Z");
  EXPECT_EQ(j["missing_runs"][0]["count"], 4);
  EXPECT_EQ(j["duplicates"][0]["slot"], "2024-05-01T12:50:00Z");
  EXPECT_EQ(j["unreadable"].size(), 2u);
  EXPECT_EQ(j["off_schedule"][0], off.string());
  EXPECT_EQ(j["complete"], false);

  const std::string csv = format_check_report(r, ReportFormat::Csv);
  EXPECT_EQ(csv.rfind("kind,time,end,count,file,detail\n", 0), 0u);
  EXPECT_NE(csv.find("missing,2024-05-01T12:10:00Z,,1,,\n"), std::string::npos);
  EXPECT_NE(csv.find("expected,2024-05-01T12:00:00Z,2024-05-01T14:00:00Z,12,,"), std::string::npos);
  const std::string table = format_check_report(r, ReportFormat::Table);
  EXPECT_NE(table.find("2024-05-01 12:10\u201312:40, 4 scans"), std::string::npos);
  EXPECT_NE(table.find("INCOMPLETE"), std::string::npos);
}

TEST(Check, ModeChangeDayIsNotARunOfGaps) {
  test::TempDir dir;
  // Mode 6 from 10:00 to 12:00, mode 3 from 12:00 to 14:00 (every 15 min), mode 6 again until 15:00.
  for (UtcTime t = utc("2019-04-02T10:00Z"); t < utc("2019-04-02T12:00Z"); t += minutes(10)) {
    test::write_nc(dir / test::noaa_name(t + seconds(20), goes::Sector::FullDisk, 6));
  }
  for (UtcTime t = utc("2019-04-02T12:00Z"); t < utc("2019-04-02T14:00Z"); t += minutes(15)) {
    test::write_nc(dir / test::noaa_name(t + seconds(37), goes::Sector::FullDisk, 3));
  }
  for (UtcTime t = utc("2019-04-02T14:00Z"); t < utc("2019-04-02T15:00Z"); t += minutes(10)) {
    test::write_nc(dir / test::noaa_name(t + seconds(20), goes::Sector::FullDisk, 6));
  }
  const CheckReport r = check_folder(options_for(dir.path()));
  EXPECT_EQ(r.expected, 12u + 8u + 6u);
  EXPECT_EQ(r.present, r.expected);
  EXPECT_TRUE(r.missing.empty());
  EXPECT_TRUE(r.off_schedule.empty());
  EXPECT_TRUE(r.complete());
  ASSERT_EQ(r.modes.size(), 3u);
  EXPECT_EQ(r.modes[1].mode, 3);
  // A mode-3 scan missing in the middle is one gap of the 15-minute schedule.
  fs::remove(dir / test::noaa_name(utc("2019-04-02T13:00:37Z"), goes::Sector::FullDisk, 3));
  const CheckReport gap = check_folder(options_for(dir.path()));
  ASSERT_EQ(gap.missing.size(), 1u);
  EXPECT_EQ(format_iso(gap.missing[0]), "2019-04-02T13:00:00Z");
}

TEST(Check, ExplicitRangeConusAndSeriesChoice) {
  test::TempDir dir;
  // CONUS mode 6 for an hour, bands 13 and 2: the folder holds two series.
  for (UtcTime t = utc("2024-02-29T23:01:17Z"); t < utc("2024-03-01T00:00Z"); t += minutes(5)) {
    test::write_nc(dir / test::noaa_name(t, goes::Sector::Conus, 6, 13));
    test::write_nc(dir / test::noaa_name(t + seconds(1), goes::Sector::Conus, 6, 2));
  }
  try {
    check_folder(options_for(dir.path()));
    FAIL() << "two series were mixed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(e.message().find("G16 ABI-L1b-RadC band 13 (12 files)"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("query.band"), std::string::npos);
  }
  CheckOptions o = options_for(dir.path());
  o.band = 13;
  o.start = utc("2024-02-29T22:00Z");
  o.end = utc("2024-03-01T01:00Z");
  const CheckReport r = check_folder(o);
  EXPECT_EQ(r.expected, 36u);  // three hours of 5-minute CONUS slots
  EXPECT_EQ(r.present, 12u);
  ASSERT_EQ(r.missing_runs.size(), 2u);
  EXPECT_EQ(describe_run(r.missing_runs[0]), "2024-02-29 22:01\u201322:56, 12 scans");
  EXPECT_EQ(describe_run(r.missing_runs[1]), "2024-03-01 00:01\u201300:56, 12 scans");
  o.start = utc("2024-02-29T23:30Z");
  o.end = utc("2024-02-29T23:40Z");
  const CheckReport narrow = check_folder(o);
  EXPECT_EQ(narrow.expected, 2u);  // 23:31, 23:36
  EXPECT_EQ(narrow.present, 2u);
  EXPECT_TRUE(narrow.complete());
}

TEST(Check, CdnGoesprocAndPlainFrames) {
  test::TempDir dir;
  const fs::path cdn = dir / "cdn", gp = dir / "gp", frames = dir / "frames";
  fs::create_directories(cdn);
  fs::create_directories(gp);
  fs::create_directories(frames);
  // CDN full disk: 20241221800 ... every 10 minutes, 18:30 missing.
  for (int i = 0; i < 6; ++i) {
    if (i == 3) continue;
    goes::CdnName n;
    n.time = utc("2024-05-01T18:00Z") + minutes(10 * i);
    n.width = n.height = 339;
    n.band = 13;
    test::write_small_image(cdn / goes::format_cdn_name(n));
  }
  CheckReport r = check_folder(options_for(cdn));
  EXPECT_EQ(r.expected, 6u);
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(format_iso(r.missing[0]), "2024-05-01T18:30:00Z");
  // goesproc names (as goestools and our renderer write them), one of them a PNG cut short.
  for (int i = 0; i < 4; ++i) {
    goes::GoesprocName n;
    n.time = utc("2020-08-30T03:00:20Z") + minutes(10 * i);
    n.band = 13;
    n.extension = ".png";
    test::write_small_image(gp / goes::format_goesproc_name(n));
    if (i == 2) test::truncate_to(gp / goes::format_goesproc_name(n), 40);
  }
  r = check_folder(options_for(gp));
  EXPECT_EQ(r.expected, 4u);
  EXPECT_EQ(r.present, 3u);
  ASSERT_EQ(r.unreadable.size(), 1u);
  EXPECT_NE(r.unreadable[0].file.find("20200830T032020Z"), std::string::npos);
  // Frames with only a time in their names, every 2 minutes at :30 s, with gaps: the interval is detected.
  int written = 0;
  for (int i = 0; i < 60; ++i) {
    if ((i % 7 == 3 && i < 55) || i == 20 || i == 21) continue;
    test::write_small_image(
        frames / ("capture " + format_compact(utc("2023-06-15T12:00:30Z") + minutes(2 * i)) + ".png"));
    ++written;
  }
  test::write_text(frames / "notes.txt", "hello");
  test::write_text(frames / "lock", "");  // empty, but not a frame: ignored, not unreadable
  r = check_folder(options_for(frames));
  EXPECT_EQ(r.interval, minutes(2));
  EXPECT_EQ(r.expected, 60u);
  EXPECT_EQ(r.present, static_cast<std::size_t>(written));
  EXPECT_EQ(r.missing.size(), 60u - written);
  EXPECT_EQ(r.unrecognised.size(), 2u);
  EXPECT_TRUE(r.unreadable.empty());
}

TEST(Check, HundredThousandEntriesFromAYearOfConus) {
  // 100 000 consecutive CONUS mode-6 slots (347 days), every 97th dropped: exact counts without touching
  // disk.
  std::vector<CatalogEntry> entries;
  entries.reserve(100000);
  const UtcTime t0 = utc("2023-12-01T00:01:17Z");
  std::size_t dropped = 0;
  for (int i = 0; i < 100000; ++i) {
    if (i % 97 == 50) {
      ++dropped;
      continue;
    }
    CatalogEntry e;
    e.path = test::noaa_name(t0 + minutes(5 * i), goes::Sector::Conus);
    e.scene = goes::parse_scene_name(e.path);
    entries.push_back(std::move(e));
  }
  CheckOptions o;
  o.folder = "/generated";
  const CheckReport r = check_entries(entries, o);
  EXPECT_EQ(r.expected, 100000u);
  EXPECT_EQ(r.missing.size(), dropped);
  EXPECT_EQ(r.missing_runs.size(), dropped);
  EXPECT_EQ(r.present, 100000u - dropped);
  EXPECT_EQ(format_iso(r.missing[0]), "2023-12-01T04:11:00Z");  // slot 50
}
