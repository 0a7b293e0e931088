// Cluster segments end to end through the CLI: plans that split, segments run as local processes and under a
// real Slurm (scripts/slurm-test-cluster.sh; the Slurm tests skip when `sinfo` does not answer), the join's
// checks, resume after scancel. Data: the demo generator's GOES-like full disk, 128 px, 13 slots, one
// missing.
#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "cluster/process.hpp"
#include "cluster/segments.hpp"
#include "cluster/slurm.hpp"
#include "encode/video_probe.hpp"
#include "fetch/s3.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Points SLURM_CONF at the test cluster when it is unset, and asks sinfo (once per process, at most 15 s: an
// unreachable controller makes sinfo retry for a minute) for an idle or busy node.
bool slurm_reachable() {
  static const bool reachable = [] {
    if (std::getenv("SLURM_CONF") == nullptr) {
      const char* dir = std::getenv("GOESVFI_SLURM_DIR");
      const fs::path conf = fs::path(dir != nullptr ? dir : "/tmp/goesvfi-slurm") / "slurm.conf";
      if (fs::exists(conf)) setenv("SLURM_CONF", conf.c_str(), 1);
    }
    const auto r = cluster::run_program({"timeout", "15", "sinfo", "--noheader", "--format=%t"});
    return r.exit_code == 0 && std::regex_search(r.out, std::regex("idle|mix|alloc"));
  }();
  return reachable;
}

#define SKIP_WITHOUT_SLURM()                                                                               \
  if (!slurm_reachable())                                                                                  \
  GTEST_SKIP() << "no Slurm cluster answers `sinfo` (start one with scripts/slurm-test-cluster.sh start; " \
                  "scripts/run-tests.sh does)"

struct Data {
  test::TempDir dir;
  DemoData data = test::make_archive(dir / "archive", 13, 6);

  // The timelapse flags of the plan and of the single-process run: blend, one in-between frame, ffv1.
  std::vector<std::string> flags(const fs::path& output, const std::string& intermediate = "1") const {
    return {"--progress",
            "none",
            "timelapse",
            "--satellite",
            "G16",
            "--start",
            format_iso(data.start),
            "--end",
            format_iso(data.end),
            "--source",
            (dir / "archive").string(),
            "--data-dir",
            (dir / "data").string(),
            "--backend",
            "blend",
            "-n",
            intermediate,
            "--codec",
            "ffv1",
            "--pix-fmt",
            "yuv444p",
            "-o",
            output.string()};
  }
  fs::path write_plan(const std::string& name, const std::vector<std::string>& split,
                      const std::string& intermediate = "1") const {
    auto args = flags(dir / (name + ".mkv"), intermediate);
    args.insert(args.end(), split.begin(), split.end());
    args.push_back("--write-plan");
    args.push_back((dir / (name + ".json")).string());
    const auto r = test::run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir / (name + ".json");
  }
};

std::vector<std::string> frame_hashes(const fs::path& video) {
  std::vector<Image> frames;
  probe_video(video, &frames);
  std::vector<std::string> out;
  for (const auto& f : frames) {
    std::string bytes;
    for (int y = 0; y < f.height(); ++y)
      bytes.append(reinterpret_cast<const char*>(f.row<std::uint8_t>(y)),
                   static_cast<std::size_t>(f.width() * f.channels()));
    out.push_back(fetch::sha256_hex(bytes));
  }
  return out;
}

template <typename Pred>
bool wait_for(Pred pred, std::chrono::seconds limit = 120s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(300ms);
  }
  return pred();
}

std::string array_id(const std::string& submit_out) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(submit_out, m, std::regex("as job array ([0-9]+)"))) << submit_out;
  return m.size() > 1 ? m[1].str() : "";
}

}  // namespace

void expect_slurm_options(const cluster::SlurmOptions& o, const Config& c) {
  EXPECT_EQ(o.partition, c.get_string("cluster.partition"));
  EXPECT_EQ(o.time, c.get_string("cluster.time"));
  EXPECT_EQ(o.account, c.get_string("cluster.account"));
  EXPECT_EQ(o.cpus_per_task, c.get_int("cluster.cpus_per_task"));
  EXPECT_EQ(o.mem, c.get_string("cluster.mem"));
  EXPECT_EQ(o.max_parallel, c.get_int("cluster.max_parallel"));
}

TEST(ClusterOptions, DefaultsAreTheSchemasAndResumeOverlaysOnlySetKeys) {
  const Config& d = Config::defaults();
  expect_slurm_options(cluster::SlurmOptions{}, d);
  expect_slurm_options(cluster::SlurmOptions::from_config(d), d);

  // The last submit's values stay where the config sets nothing.
  cluster::SlurmOptions last;
  last.partition = "gpu";
  last.time = "2:00:00";
  last.cpus_per_task = 8;
  last.max_parallel = 3;
  Config c;
  c.set_text("cluster.time", "1-12", "--time");
  c.set_text("cluster.mem", "16G", "--mem");
  const auto o = cluster::SlurmOptions::overlay(last, c);
  EXPECT_EQ(o.partition, "gpu");
  EXPECT_EQ(o.time, "1-12");
  EXPECT_EQ(o.mem, "16G");
  EXPECT_EQ(o.cpus_per_task, 8);
  EXPECT_EQ(o.max_parallel, 3);
  EXPECT_EQ(o.account, "");
  expect_slurm_options(cluster::SlurmOptions::from_config(c), c);
}

TEST(ClusterOptions, SlurmValuesAreCheckedBeforeSlurmIsAsked) {
  auto r = test::run_cli({"cluster", "submit", "plan.json", "--time", "4h"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cluster.time (--time)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected a Slurm time limit"), std::string::npos) << r.err;
  r = test::run_cli({"cluster", "resume", "plan.json", "--mem", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cluster.mem (--mem)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected a Slurm memory size"), std::string::npos) << r.err;
  r = test::run_cli({"cluster", "run", "plan.json", "-j", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cluster.jobs (--jobs) '0'"), std::string::npos) << r.err;
}

TEST(ClusterPlan, ErrorsAreClear) {
  Data d;
  auto args = d.flags(d.dir / "x.mkv");
  args.insert(args.end(), {"--segments", "12", "--write-plan", (d.dir / "p.json").string()});
  auto r = test::run_cli(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("12 segments need at least 13 scans"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the range has 12 scans"), std::string::npos) << r.err;
  // Cuts every 10 minutes: the cut after the missing 13:00 scan and the next one fall on the same scan.
  args = d.flags(d.dir / "x.mkv");
  args.insert(args.end(), {"--segment-length", "10min", "--write-plan", (d.dir / "p.json").string()});
  r = test::run_cli(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("would hold no pair of scans"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d.dir / "p.json"));
  args = d.flags(d.dir / "x.mkv");
  args.insert(args.end(), {"--segment-length", "1fortnight", "--write-plan", (d.dir / "p.json").string()});
  r = test::run_cli(args);
  EXPECT_NE(r.err.find("segment length '1fortnight' is not a duration"), std::string::npos) << r.err;

  const fs::path plan = d.write_plan("plan", {"--segments", "4"});
  r = test::run_cli({"timelapse", "--plan", plan.string(), "--segment", "4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("segment 4 does not exist: the plan has segments 0 to 3"), std::string::npos) << r.err;
  r = test::run_cli({"timelapse", "--plan", plan.string(), "--segment", "0", "--progress", "none"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("wrote segment 0"), std::string::npos) << r.err;
  const auto written = fs::last_write_time(d.dir / "plan.parts" / "seg-0.mkv");
  r = test::run_cli({"timelapse", "--plan", plan.string(), "--segment", "0", "--progress", "none"});
  EXPECT_NE(r.err.find("skipped (already complete)"), std::string::npos) << r.err;
  EXPECT_EQ(fs::last_write_time(d.dir / "plan.parts" / "seg-0.mkv"), written);
}

TEST(ClusterRun, LocalProcessesJoinAndTheJoinRefusesForeignOrCorruptSegments) {
  Data d;
  const fs::path plan = d.write_plan("plan", {"--segments", "3"});
  auto r = test::run_cli({"--progress", "none", "cluster", "run", plan.string(), "-j", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("joined 3 segments"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("total: scans 13 expected, 12 found"), std::string::npos) << r.err;
  EXPECT_EQ(probe_video(d.dir / "plan.mkv").frames, 25);

  // A segment of another plan (three in-between frames) in place of segment 2.
  const fs::path other = d.write_plan("other", {"--segments", "3"}, "3");
  r = test::run_cli({"timelapse", "--plan", other.string(), "--segment", "2", "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path seg2 = d.dir / "plan.parts" / "seg-2.mkv";
  const fs::path saved = d.dir / "seg-2.saved";
  fs::copy_file(seg2, saved);
  fs::copy_file(d.dir / "other.parts" / "seg-2.mkv", seg2, fs::copy_options::overwrite_existing);
  r = test::run_cli({"join", plan.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("segment 2: seg-2.mkv is from another plan or segment"), std::string::npos) << r.err;

  // A truncated segment.
  fs::copy_file(saved, seg2, fs::copy_options::overwrite_existing);
  fs::resize_file(seg2, fs::file_size(seg2) / 2);
  r = test::run_cli({"join", plan.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("segment 2: seg-2.mkv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("goesvfi cluster resume"), std::string::npos) << r.err;

  // Restored, the join succeeds again.
  fs::copy_file(saved, seg2, fs::copy_options::overwrite_existing);
  r = test::run_cli({"join", plan.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(ClusterSlurm, FourSegmentsGiveTheFramesOfOneProcess) {
  SKIP_WITHOUT_SLURM();
  Data d;
  auto r = test::run_cli(d.flags(d.dir / "single.mkv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Ideal cuts at slots 3, 6 and 9; slot 6 (13:00) is the missing scan, so one cut moves to its neighbour.
  const fs::path plan = d.write_plan("plan", {"--segments", "4"});
  r = test::run_cli({"cluster", "submit", plan.string(), "--cpus-per-task", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(d.dir / "plan.sbatch"));
  EXPECT_NE(test::read_file(d.dir / "plan.sbatch").find("#SBATCH --mem="), std::string::npos);
  ASSERT_TRUE(wait_for([&] { return cluster::status(plan).joined; })) << cluster::status(plan).describe();
  const auto st = cluster::status(plan);
  EXPECT_EQ(st.count(cluster::SegmentState::Done), 4u) << st.describe();
  const auto single = frame_hashes(d.dir / "single.mkv");
  const auto joined = frame_hashes(d.dir / "plan.mkv");
  EXPECT_EQ(single.size(), 25u);
  EXPECT_EQ(joined, single);
  r = test::run_cli({"cluster", "status", plan.string()});
  EXPECT_NE(r.out.find("progress: 4/4 segments done (100 %)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("join: done"), std::string::npos) << r.out;
}

TEST(ClusterSlurm, CancelledSegmentShowsFailedAndResumeRerunsOnlyIt) {
  SKIP_WITHOUT_SLURM();
  Data d;
  const fs::path plan = d.write_plan("plan", {"--segments", "4"});
  auto r = test::run_cli({"cluster", "submit", plan.string(), "--cpus-per-task", "1", "--max-parallel", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string array = array_id(r.out);
  const auto cancel = cluster::run_program({"scancel", array + "_3"});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  ASSERT_TRUE(wait_for([&] {
    const auto st = cluster::status(plan);
    return st.count(cluster::SegmentState::Done) == 3 && st.count(cluster::SegmentState::Failed) == 1;
  })) << cluster::status(plan).describe();
  r = test::run_cli({"cluster", "status", plan.string()});
  // Cancelled while pending, a task leaves no record without accounting (sacct): it counts as failed.
  EXPECT_NE(r.out.find("segment 3: failed (job " + array + "_3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 failed"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(d.dir / "plan.mkv"));
  std::vector<fs::file_time_type> times;
  for (int k = 0; k < 3; ++k)
    times.push_back(fs::last_write_time(d.dir / "plan.parts" / fmt::format("seg-{}.mkv", k)));

  r = test::run_cli({"cluster", "resume", plan.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("submitted segments 3 as job array"), std::string::npos) << r.out;
  ASSERT_TRUE(wait_for([&] { return cluster::status(plan).joined; })) << cluster::status(plan).describe();
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(fs::last_write_time(d.dir / "plan.parts" / fmt::format("seg-{}.mkv", k)),
              times[static_cast<std::size_t>(k)]);
  EXPECT_EQ(probe_video(d.dir / "plan.mkv").frames, 25);
  r = test::run_cli({"cluster", "resume", plan.string()});
  EXPECT_NE(r.out.find("nothing to resume"), std::string::npos) << r.out;
}

TEST(ClusterSlurm, SbatchErrorsAreShownVerbatimWithAHint) {
  SKIP_WITHOUT_SLURM();
  Data d;
  const fs::path plan = d.write_plan("plan", {"--segments", "2"});
  const auto r = test::run_cli({"cluster", "submit", plan.string(), "--partition", "no-such-partition"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sbatch failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("invalid partition"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: list the partitions with `sinfo -s`"), std::string::npos) << r.err;
}
