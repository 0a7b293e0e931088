// `goesvfi check` end to end: a report over a generated archive with a missing scan, then --fix from a second
// archive (a LocalStore source) fills it and the exit code turns 0.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "pipeline/demo.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

TEST(CheckCli, ReportsTheMissingScanAndFixItFillsIt) {
  test::TempDir dir;
  DemoDataOptions o;
  o.size = 64;
  o.scans = 6;
  o.missing_index = 2;
  o.archive = dir / "local";
  generate_demo_data(o, Progress::null(), CancelToken());
  o.missing_index = -1;
  o.archive = dir / "mirror";
  generate_demo_data(o, Progress::null(), CancelToken());

  const std::vector<std::string> base = {
      "check",       (dir / "local").string(), "--start",  "2024-05-01T12:00Z",
      "--end",       "2024-05-01T13:00Z",      "--format", "json",
      "--no-catalog"};
  auto r = test::run_cli(base);
  EXPECT_NE(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["expected"], 6);
  EXPECT_EQ(report["present"], 5);
  ASSERT_EQ(report["missing_times"].size(), 1u);
  EXPECT_EQ(report["missing_times"][0], "2024-05-01T12:20:00Z");

  auto fix = base;
  fix.insert(fix.end(), {"--fix", "--source", (dir / "mirror").string(), "--progress", "none"});
  r = test::run_cli(fix);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = test::run_cli(base);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["missing"], 0);
}
