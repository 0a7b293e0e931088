// `goesvfi fetch` end to end against s3rver (tests/fixtures/s3): bucket layout in -o DIR, a re-run that skips
// everything, --dry-run writing nothing, a clear message and exit code 3 when nothing matches, and a non-zero
// exit code naming the file when one download cannot be put in place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "fixtures/s3/node_process.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::read_file;
using ::testing::HasSubstr;

namespace {

std::vector<fs::path> regular_files(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(root, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) out.push_back(entry.path());
  }
  return out;
}

struct Seeded {
  std::string key;
  std::string bytes;
};

class FetchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three full-disk band-13 scans at 00:00, 00:10 and 00:20, and one at 01:00 outside the range used.
    const UtcTime first = *make_utc(2024, 5, 1, 0, 0, 20, 400);
    for (UtcTime t : {first, first + 10min, first + 20min, first + 60min}) {
      goes::NoaaName n;
      n.product = {goes::Level::L2, "CMIP"};
      n.sector = goes::Sector::FullDisk;
      n.band = 13;
      n.start = t;
      n.end = t + 9min + 30s;
      n.created = n.end + 5s;
      Seeded s{goes::bucket_key(n), std::string(5000 + files.size() * 1000, '\0')};
      for (std::size_t i = 0; i < s.bytes.size(); ++i)
        s.bytes[i] = static_cast<char>((i * 31 + files.size() * 7) & 0xff);
      const fs::path path = dir / "seed" / "noaa-goes16" / s.key;
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary)
          .write(s.bytes.data(), static_cast<std::streamsize>(s.bytes.size()));
      files.push_back(std::move(s));
    }
    server = std::make_unique<test::NodeProcess>(
        test::source_dir() / "tests" / "fixtures" / "s3", "start-s3rver.js",
        std::vector<std::string>{"--data", (dir / "data").string(), "--seed", (dir / "seed").string()});
  }

  test::CommandResult fetch(const fs::path& out, std::vector<std::string> extra = {},
                            const std::string& product = "ABI-L2-CMIPF",
                            const std::string& start = "2024-05-01T00:00Z",
                            const std::string& end = "2024-05-01T00:30Z") {
    std::vector<std::string> args = {"fetch",  "--satellite", "G16",        "--product",  product,
                                     "--band", "13",          "--start",    start,        "--end",
                                     end,      "--source",    "s3",         "--endpoint", server->url(),
                                     "-o",     out.string(),  "--progress", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    // Unsigned requests whatever the environment holds.
    return test::run_cli(args, "env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY");
  }

  test::TempDir dir;
  std::vector<Seeded> files;
  std::unique_ptr<test::NodeProcess> server;
};

TEST_F(FetchCli, DownloadsInBucketLayoutThenSkipsEverythingOnARerun) {
  const fs::path out = dir / "out";
  auto r = fetch(out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 listed: 3 downloaded, 0 skipped (already complete), 0 failed"));
  EXPECT_EQ(regular_files(out).size(), 3u);  // the 01:00 scan is outside the range; no temporaries
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(files[i].key);
    ASSERT_TRUE(fs::exists(out / files[i].key));
    EXPECT_EQ(read_file(out / files[i].key), files[i].bytes);
  }

  r = fetch(out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 listed: 0 downloaded, 3 skipped (already complete), 0 failed"));
}

TEST_F(FetchCli, DryRunListsAndWritesNothing) {
  const fs::path out = dir / "dry";
  const auto r = fetch(out, {"--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (std::size_t i = 0; i < 3; ++i) EXPECT_THAT(r.out, HasSubstr((out / files[i].key).string()));
  EXPECT_THAT(r.out, HasSubstr("3 files listed from s3 " + server->url()));
  EXPECT_THAT(r.out, HasSubstr("0 already complete"));
  EXPECT_TRUE(regular_files(out).empty());
}

TEST_F(FetchCli, NothingToFetchSaysWhichQueryFoundNothing) {
  auto r = fetch(dir / "none", {}, "ABI-L1b-RadF");  // a product the bucket does not hold
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("has no G16 ABI-L1b-RadF band 13 files"));
  EXPECT_THAT(r.err, HasSubstr("2024-05-01T00:00:00Z"));

  r = fetch(dir / "none", {}, "ABI-L2-CMIPF", "2024-05-01T02:00Z", "2024-05-01T03:00Z");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("has no G16 ABI-L2-CMIPF band 13 files"));
  EXPECT_THAT(r.err, HasSubstr("2024-05-01T02:00:00Z"));
  EXPECT_TRUE(regular_files(dir / "none").empty());
}

TEST_F(FetchCli, AFileThatCannotBePutInPlaceFailsTheRunAndIsNamed) {
  // A folder where the second file should go: its download completes but cannot be renamed over it.
  const fs::path out = dir / "blocked";
  fs::create_directories(out / files[1].key);
  std::ofstream(out / files[1].key / "keep") << "x";
  const auto r = fetch(out);
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;  // an I/O error
  EXPECT_THAT(r.err, HasSubstr("failed:"));
  EXPECT_THAT(r.err, HasSubstr((out / files[1].key).string()));
  EXPECT_THAT(r.out, HasSubstr("3 listed: 2 downloaded, 0 skipped (already complete), 1 failed"));
  EXPECT_EQ(read_file(out / files[0].key), files[0].bytes);
  EXPECT_EQ(read_file(out / files[2].key), files[2].bytes);
  EXPECT_EQ(regular_files(out).size(), 3u);  // two files and "keep"; no temporaries left
}

}  // namespace
