#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "files.hpp"
#include "testutil/testutil.hpp"

extern char** environ;

using namespace goesvfi;
using namespace goesvfi::catalog;
namespace fs = std::filesystem;

namespace {
UtcTime utc(const char* text) {
  return parse_utc(text);
}
}  // namespace

TEST(Verify, DetectsEmptyBadAndTruncatedFiles) {
  test::TempDir dir;
  const fs::path goes = test::shared_dir() / "data" / "goes";
  const std::string real_nc = "OR_ABI-L2-FDCC-M6_G17_s20193002001196_e20193002003569_c20193002004132.nc";
  EXPECT_EQ(verify_file(goes / real_nc).state, FileState::Ok);
  fs::copy_file(goes / real_nc, dir / "cut.nc");
  test::truncate_to(dir / "cut.nc", 200000);  // the superblock records 395015 bytes
  const Verification cut = verify_file(dir / "cut.nc");
  EXPECT_EQ(cut.state, FileState::Truncated);
  EXPECT_NE(cut.reason.find("200000 bytes of the 395015"), std::string::npos) << cut.reason;

  const fs::path jpg = test::shared_dir() / "data" / "images" / "GOES16_FD_CH13_20200830T035020Z.jpg";
  EXPECT_EQ(verify_file(jpg).state, FileState::Ok);
  fs::copy_file(jpg, dir / "cut.jpg");
  test::truncate_to(dir / "cut.jpg", fs::file_size(jpg) / 2);
  EXPECT_EQ(verify_file(dir / "cut.jpg").state, FileState::Truncated);

  test::write_small_image(dir / "ok.png");
  EXPECT_EQ(verify_file(dir / "ok.png").state, FileState::Ok);
  fs::copy_file(dir / "ok.png", dir / "cut.png");
  test::truncate_to(dir / "cut.png", fs::file_size(dir / "ok.png") - 5);
  EXPECT_EQ(verify_file(dir / "cut.png").state, FileState::Truncated);

  test::write_text(dir / "empty.nc", "");
  EXPECT_EQ(verify_file(dir / "empty.nc").state, FileState::Empty);
  test::write_text(dir / "html.nc", "<html>AccessDenied</html>");
  EXPECT_EQ(verify_file(dir / "html.nc").state, FileState::BadHeader);
  test::write_text(dir / "html.png", "<html>404</html>");
  EXPECT_EQ(verify_file(dir / "html.png").state, FileState::BadHeader);
  test::write_text(dir / "html.jpg", "<html>404</html>");
  EXPECT_EQ(verify_file(dir / "html.jpg").state, FileState::BadHeader);
  EXPECT_EQ(verify_file(dir / "missing.nc").state, FileState::Unreadable);
  test::write_nc(dir / "gen.nc", 300);
  EXPECT_EQ(verify_file(dir / "gen.nc").state, FileState::Ok);
  test::write_nc(dir / "gen_cut.nc", 300, 301);
  EXPECT_EQ(verify_file(dir / "gen_cut.nc").state, FileState::Truncated);
}

TEST(Catalog, ScansIncrementallyAndQueriesRanges) {
  test::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data / "sub");
  const UtcTime t0 = utc("2024-05-01T12:00:20Z");
  for (int i = 0; i < 12; ++i) {
    test::write_nc((i % 2 ? data / "sub" : data) / test::noaa_name(t0 + std::chrono::minutes(10 * i)));
  }
  test::write_text(data / "README.txt", "notes");
  test::write_text(data / ".hidden.nc", "");
  fs::create_directories(data / ".git");
  test::write_text(data / ".git" / "x", "");

  Catalog cat(dir / "cache" / "catalog.sqlite");
  EXPECT_EQ(cat.schema_version(), catalog_schema_version());
  ScanStats s = cat.scan(data);
  EXPECT_EQ(s.files, 13u);
  EXPECT_EQ(s.added, 13u);
  s = cat.scan(data);
  EXPECT_EQ(s.unchanged, 13u);
  EXPECT_EQ(s.added + s.updated + s.removed, 0u);

  // Change one file (size), remove another: only those are touched.
  const fs::path first = data / test::noaa_name(t0);
  test::write_nc(first, 400);
  fs::remove(data / test::noaa_name(t0 + std::chrono::minutes(20)));
  s = cat.scan(data);
  EXPECT_EQ(s.updated, 1u);
  EXPECT_EQ(s.removed, 1u);
  EXPECT_EQ(s.unchanged, 11u);
  EXPECT_EQ(cat.count(), 12u);

  CatalogQuery q;
  q.root = data;
  q.satellite = goes::Satellite::G16;
  q.band = 13;
  q.start = utc("2024-05-01T12:30Z");
  q.end = utc("2024-05-01T13:00Z");
  const auto found = cat.query(q);
  ASSERT_EQ(found.size(), 3u);  // 12:30, 12:40, 12:50
  EXPECT_EQ(format_iso(found[0].scene->start), "2024-05-01T12:30:20Z");
  EXPECT_EQ(found[0].scene->folder->name(), "ABI-L1b-RadF");
  EXPECT_EQ(found[0].scene->mode, 6);
  EXPECT_EQ(found[0].state, FileState::Ok);
  EXPECT_EQ(found[2].path, (data / "sub" / test::noaa_name(t0 + std::chrono::minutes(50))).string());
  EXPECT_EQ(found[0].size, 200u);

  CatalogQuery all;
  all.root = data;
  const auto everything = cat.query(all);
  ASSERT_EQ(everything.size(), 12u);
  EXPECT_FALSE(everything.back().scene);  // README.txt: no time, listed last
  // A sibling folder sharing the prefix is not "under" data.
  fs::create_directories(dir / "data2");
  test::write_nc(dir / "data2" / test::noaa_name(t0));
  cat.scan(dir / "data2");
  EXPECT_EQ(cat.query(all).size(), 12u);

  EXPECT_ERROR(cat.scan(dir / "nope"), ErrorKind::NotFound, "nope does not exist");
}

TEST(Catalog, RecordsRemoteListings) {
  test::TempDir dir;
  Catalog cat(dir / "c.sqlite");
  CatalogEntry e;
  const std::string name = test::noaa_name(utc("2024-05-01T12:00:20Z"));
  e.path = "ABI-L1b-RadF/2024/122/12/" + name;
  e.source = "s3:noaa-goes16";
  e.scene = goes::parse_scene_name(name);
  e.size = 12345;
  cat.record_remote({e});
  cat.record_remote({e});  // idempotent
  CatalogQuery q;
  q.source = "s3:noaa-goes16";
  const auto found = cat.query(q);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, e.path);
  EXPECT_EQ(found[0].size, 12345u);
  EXPECT_EQ(found[0].scene->band, 13);
}

TEST(Catalog, MigratesOldSchemasAndRefusesNewerOnes) {
  test::TempDir dir;
  const fs::path file = dir / "old.sqlite";
  {
    // A version-1 catalog as an older goesvfi wrote it, holding one file.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, catalog_migrations()[0].c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db,
                     "INSERT INTO files (path, source, family, satellite, start_ms, size, mtime_ns, state) "
                     "VALUES ('/x/a.png', 'local', 3, NULL, 1714564800000, 10, 1, 0);"
                     "PRAGMA user_version=1;",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
  }
  {
    Catalog cat(file);
    EXPECT_EQ(cat.schema_version(), catalog_schema_version());
    CatalogQuery q;
    q.start = utc("2024-05-01T12:00Z");
    q.end = utc("2024-05-01T12:01Z");
    const auto found = cat.query(q);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "/x/a.png");
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    // The index of migration 2 exists.
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE name='files_series_time'", -1, &st,
                       nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  try {
    Catalog cat(file);
    FAIL() << "a newer schema was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_NE(e.message().find("schema version 99"), std::string::npos);
  }
  test::write_text(dir / "junk.sqlite", std::string(4096, 'x'));
  try {
    Catalog cat(dir / "junk.sqlite");
    FAIL() << "junk was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_NE(e.message().find("junk.sqlite"), std::string::npos);
  }
}

// Run by TwoProcessesScanAtOnce in child processes of this executable.
TEST(CatalogHelper, ScanFromEnvironment) {
  const char* db = std::getenv("GOESVFI_TEST_CATALOG_DB");
  const char* folder = std::getenv("GOESVFI_TEST_CATALOG_DIR");
  if (!db || !folder) GTEST_SKIP() << "helper for Catalog.TwoProcessesScanAtOnce";
  Catalog cat(db);
  for (int i = 0; i < 3; ++i) cat.scan(folder);
  EXPECT_EQ(cat.count(), 1500u);
}

TEST(Catalog, TwoProcessesScanAtOnce) {
  test::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  const UtcTime t0 = utc("2024-01-01T00:00:20Z");
  for (int i = 0; i < 1500; ++i)
    test::write_nc(data / test::noaa_name(t0 + std::chrono::minutes(10 * i)), 64);
  const std::string db = (dir / "shared.sqlite").string();
  const std::string env_db = "GOESVFI_TEST_CATALOG_DB=" + db;
  const std::string env_dir = "GOESVFI_TEST_CATALOG_DIR=" + data.string();
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  env.push_back(const_cast<char*>(env_db.c_str()));
  env.push_back(const_cast<char*>(env_dir.c_str()));
  env.push_back(nullptr);
  std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string filter = "--gtest_filter=CatalogHelper.ScanFromEnvironment";
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    char* argv[] = {self.data(), filter.data(), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, env.data()), 0);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a scanning process failed";
  }
  Catalog cat(db);
  EXPECT_EQ(cat.count(), 1500u);
  CatalogQuery q;
  q.start = t0;
  q.end = t0 + std::chrono::hours(24);
  EXPECT_EQ(cat.query(q).size(), 144u);
}
