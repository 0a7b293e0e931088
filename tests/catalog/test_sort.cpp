#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "catalog/sort.hpp"
#include "core/error.hpp"
#include "files.hpp"
#include "goes/scan_time.hpp"

using namespace goesvfi;
using namespace goesvfi::catalog;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

std::size_t count_files(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

SortFilesOptions files_options(const fs::path& src, const fs::path& dst,
                               TransferMode mode = TransferMode::Copy,
                               OnConflict on_conflict = OnConflict::Skip, bool dry_run = false) {
  SortFilesOptions o;
  o.source = src;
  o.destination = dst;
  o.mode = mode;
  o.on_conflict = on_conflict;
  o.dry_run = dry_run;
  return o;
}

SortDatesOptions dates_options(const fs::path& folder, bool by_hour = false) {
  SortDatesOptions o;
  o.folder = folder;
  o.by_hour = by_hour;
  return o;
}

}  // namespace

TEST(SortFiles, CaptureFoldersBecomeFlatTimestampedNames) {
  test::TempDir dir;
  const fs::path src = dir / "src", dst = dir / "out";
  write(src / "2024-05-01_12-30-00" / "goes16 band13.png", "png-1");
  write(src / "2024-05-01_12-40-00" / "\u00fcn\u00efc\u00f8d\u00e9 \u2601.jpg", "jpg-2");
  write(src / "deep" / "er" / "2024-05-01_12-50-00" / "-rf --x.PNG", "png-3");
  write(src / "2024-05-01_12-50-00" / "notes.txt", "text");
  write(src / "not-a-capture" / "a.png", "png-4");
  write(src / "2024-13-01_12-50-00" / "b.png", "bad month");

  SortFilesOptions o = files_options(src, dst);
  const SortReport r = sort_files(o);
  EXPECT_EQ(r.done, 3u);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.ignored, 1u);  // notes.txt
  EXPECT_EQ(read_all(dst / "goes16 band13_20240501T123000Z.png"), "png-1");
  EXPECT_EQ(read_all(dst / "\u00fcn\u00efc\u00f8d\u00e9 \u2601_20240501T124000Z.jpg"), "jpg-2");
  EXPECT_EQ(read_all(dst / "-rf --x_20240501T125000Z.PNG"), "png-3");
  EXPECT_EQ(count_files(dst), 3u);
  EXPECT_EQ(count_files(src), 6u);  // copy keeps every source
  // The names order frames by time everywhere else.
  EXPECT_EQ(format_iso(*scan_time_from_name("goes16 band13_20240501T123000Z.png")), "2024-05-01T12:30:00Z");

  // Re-running finds everything done.
  const SortReport again = sort_files(o);
  EXPECT_EQ(again.done, 0u);
  EXPECT_EQ(again.skipped, 3u);
  EXPECT_EQ(again.actions[0].outcome, SortOutcome::AlreadyDone);
}

TEST(SortFiles, MoveLosesNothingAndConflictsFollowThePolicy) {
  test::TempDir dir;
  const fs::path src = dir / "src", dst = dir / "out";
  write(src / "2024-05-01_12-30-00" / "a.png", "new-a");
  write(src / "2024-05-01_12-40-00" / "b.png", "new-b");
  write(src / "2024-05-01_12-50-00" / "c.png", "new-c");
  write(dst / "a_20240501T123000Z.png", "old-a");
  write(dst / "b_20240501T124000Z.png", "old-b");
  write(dst / "c_20240501T125000Z.png", "new-c");  // identical: an interrupted earlier run

  SortFilesOptions o = files_options(src, dst, TransferMode::Move);
  SortReport r = sort_files(o);
  EXPECT_EQ(r.done, 0u);
  EXPECT_EQ(r.skipped, 3u);
  EXPECT_EQ(read_all(dst / "a_20240501T123000Z.png"), "old-a");
  EXPECT_TRUE(fs::exists(src / "2024-05-01_12-30-00" / "a.png"));   // skipped: kept
  EXPECT_FALSE(fs::exists(src / "2024-05-01_12-50-00" / "c.png"));  // already there: source removed

  o.on_conflict = OnConflict::Rename;
  r = sort_files(o);
  EXPECT_EQ(r.done, 2u);
  EXPECT_EQ(read_all(dst / "a_20240501T123000Z.png"), "old-a");
  EXPECT_EQ(read_all(dst / "a_20240501T123000Z-1.png"), "new-a");
  EXPECT_EQ(read_all(dst / "b_20240501T124000Z-1.png"), "new-b");
  EXPECT_EQ(r.actions[0].outcome, SortOutcome::Renamed);
  EXPECT_FALSE(fs::exists(src / "2024-05-01_12-30-00" / "a.png"));
  EXPECT_EQ(format_iso(*scan_time_from_name("a_20240501T123000Z-1.png")), "2024-05-01T12:30:00Z");

  write(src / "2024-05-01_12-30-00" / "a.png", "newer-a");
  o.on_conflict = OnConflict::Overwrite;
  r = sort_files(o);
  EXPECT_EQ(r.done, 1u);
  EXPECT_EQ(read_all(dst / "a_20240501T123000Z.png"), "newer-a");
  EXPECT_EQ(count_files(src), 0u);
  // No temporary is left behind.
  for (const auto& e : fs::directory_iterator(dst)) EXPECT_NE(e.path().filename().string()[0], '.');
}

TEST(SortFiles, HostileNames) {
  test::TempDir dir;
  const fs::path src = dir / "src", dst = dir / "out";
  std::string long_stem;
  for (int i = 0; i < 120; ++i) long_stem += "\u00e9";  // 240 bytes
  write(src / "2024-05-01_12-30-00" / (long_stem + ".png"), "long");
  write(src / "2024-05-01_12-40-00" / "a..b ..png", "dots");
  write(src / "2024-05-01_12-40-00" / "..png", "hidden");
  write(src / "2024-05-01_12-50-00" / "..hidden.png", "hidden");
  write(src / "2024-05-01_13-00-00" / "a\nb.png", "newline");
  SortReport r = sort_files(files_options(src, dst));
  EXPECT_EQ(r.failed, 0u) << (r.actions.empty() ? "" : r.actions[0].detail);
  EXPECT_EQ(r.done, 3u);  // "..png" and "..hidden.png" are hidden files: not sorted
  EXPECT_EQ(r.ignored, 2u);
  for (const auto& e : fs::directory_iterator(dst)) {
    const std::string name = e.path().filename().string();
    EXPECT_LE(name.size(), 200u);
    EXPECT_TRUE(valid_utf8(name)) << name;
    EXPECT_NE(name[0], '.');
    EXPECT_TRUE(scan_time_from_name(name)) << name;
  }
  EXPECT_EQ(read_all(dst / "a..b ._20240501T124000Z.png"), "dots");
  EXPECT_EQ(read_all(dst / (sorted_file_name(long_stem, parse_utc("2024-05-01T12:30Z"), ".png"))), "long");
  EXPECT_EQ(read_all(dst / "a\nb_20240501T130000Z.png"), "newline");
}

TEST(SortFiles, UnwritableDestinationKeepsEverySource) {
  test::TempDir dir;
  const fs::path src = dir / "src";
  write(src / "2024-05-01_12-30-00" / "a.png", "a");
  write(dir / "file", "x");
  try {
    sort_files(files_options(src, dir / "file" / "out", TransferMode::Move));
    FAIL() << "a destination below a file was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::AccessDenied);
    EXPECT_NE(e.message().find("file/out"), std::string::npos);
  }
  EXPECT_EQ(read_all(src / "2024-05-01_12-30-00" / "a.png"), "a");
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  const fs::path ro = dir / "ro";
  fs::create_directories(ro);
  ::chmod(ro.c_str(), 0555);
  const SortReport r = sort_files(files_options(src, ro, TransferMode::Move));
  ::chmod(ro.c_str(), 0755);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_NE(r.actions[0].detail.find("not writable"), std::string::npos);
  EXPECT_EQ(read_all(src / "2024-05-01_12-30-00" / "a.png"), "a");
}

TEST(SortFiles, DryRunChangesNothing) {
  test::TempDir dir;
  write(dir / "src" / "2024-05-01_12-30-00" / "a.png", "a");
  const SortReport r =
      sort_files(files_options(dir / "src", dir / "out", TransferMode::Move, OnConflict::Skip, true));
  ASSERT_EQ(r.actions.size(), 1u);
  EXPECT_EQ(r.actions[0].outcome, SortOutcome::Planned);
  EXPECT_EQ(r.actions[0].to, dir / "out" / "a_20240501T123000Z.png");
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_TRUE(fs::exists(dir / "src" / "2024-05-01_12-30-00" / "a.png"));
}

TEST(SortDates, GroupsByDayOrHourAndReportsGaps) {
  test::TempDir dir;
  // Full-disk goesproc frames every 10 minutes across midnight, 23:40 and 00:10-00:20 missing.
  const UtcTime t0 = parse_utc("2024-02-29T23:00:20Z");
  std::size_t written = 0;
  for (int i = 0; i < 12; ++i) {
    if (i == 4 || i == 7 || i == 8) continue;
    goes::GoesprocName n;
    n.time = t0 + std::chrono::minutes(10 * i);
    n.band = 13;
    write(dir / goes::format_goesproc_name(n), "frame" + std::to_string(i));
    ++written;
  }
  write(dir / "readme.md", "hi");
  SortReport r = sort_dates(dates_options(dir.path()));
  EXPECT_EQ(r.done, written);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.ignored, 1u);
  EXPECT_EQ(read_all(dir / "2024-02-29" / "GOES16_FD_CH13_20240229T230020Z.jpg"), "frame0");
  EXPECT_EQ(read_all(dir / "2024-03-01" / "GOES16_FD_CH13_20240301T000020Z.jpg"), "frame6");
  EXPECT_EQ(count_files(dir / "2024-02-29"), 5u);
  ASSERT_TRUE(r.interval);
  EXPECT_EQ(*r.interval, std::chrono::minutes(10));
  ASSERT_EQ(r.missing_runs.size(), 2u);
  EXPECT_EQ(describe_run(r.missing_runs[0]), "2024-02-29 23:40:20, 1 scan");
  EXPECT_EQ(describe_run(r.missing_runs[1]), "2024-03-01 00:10:20\u201300:20:20, 2 scans");
  // Re-running moves nothing and reports the same gaps.
  r = sort_dates(dates_options(dir.path()));
  EXPECT_EQ(r.done, 0u);
  EXPECT_EQ(r.missing_runs.size(), 2u);

  test::TempDir hourly;
  write(hourly / "GOES16_FD_CH13_20240301T000020Z.jpg", "x");
  r = sort_dates(dates_options(hourly.path(), true));
  EXPECT_EQ(read_all(hourly / "2024-03-01" / "00" / "GOES16_FD_CH13_20240301T000020Z.jpg"), "x");
}
