// The timelapse plan as a value: planned from a listing without touching the disk, printed, serialised and
// read back with a stable hash, split at scan boundaries, and run a slice at a time with the slices adding
// up, frame for frame, to the whole video.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "encode/video_probe.hpp"
#include "fetch/fetch.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  test::TempDir dir;
  DemoData data;
  TimelapseJob job;
  Config config;

  explicit Fixture(int scans = 13, int missing = 6)
      : data(test::make_archive(dir / "archive", scans, missing)),
        job(test::job_for(data, dir.path(), (dir / "archive").string())) {}
};

std::vector<fetch::RemoteFile> listing(const Fixture& f) {
  auto store = fetch::make_store(f.config, f.job.source);
  return store->list(fetch::make_query("G16", "ABI-L2-CMIPF", 13, "", f.job.start, f.job.end), CancelToken());
}

}  // namespace

TEST(TimelapsePlan, CountsSlotsScansGapsAndFrames) {
  Fixture f;
  const TimelapsePlan plan = plan_from_source(f.job, f.config, CancelToken());
  EXPECT_EQ(plan.slots.size(), 13u);
  ASSERT_EQ(plan.scans.size(), 12u);
  ASSERT_EQ(plan.missing.size(), 1u);
  EXPECT_EQ(plan.missing[0], f.data.missing);
  EXPECT_EQ(plan.scans[5].slots_to_next, 2);  // 12:50 -> 13:10 across the missing 13:00
  EXPECT_EQ(plan.scans[5].slot_index, 5u);
  EXPECT_EQ(plan.scans[6].slot_index, 7u);
  // Interpolate: every slot from the first to the last scan is N+1 frames, plus the last: 12 x 2 + 1.
  EXPECT_EQ(plan.output_frames(), 25);
  EXPECT_EQ(plan.pair_timesteps(5), (std::vector<double>{0.25, 0.5, 0.75}));
  EXPECT_EQ(plan.pair_timesteps(0), (std::vector<double>{0.5}));
  TimelapsePlan skip = plan;
  skip.job.gaps = GapMode::Skip;
  EXPECT_EQ(skip.output_frames(), 23);  // 11 pairs x 2 + 1
  EXPECT_NE(skip.hash(), plan.hash());
  const std::string text = plan.describe();
  EXPECT_NE(text.find("13 scans expected, 12 found, 1 missing"), std::string::npos) << text;
  EXPECT_NE(text.find("missing: 2024-05-01 13:00, 1 scan"), std::string::npos) << text;
  EXPECT_NE(text.find("frames: 25"), std::string::npos) << text;
  // Planning reads nothing but the listing: no data folder, no catalog.
  EXPECT_FALSE(fs::exists(f.job.data_dir));
  EXPECT_FALSE(fs::exists(f.job.catalog_file));
}

TEST(TimelapsePlan, JsonRoundTripKeepsEveryValueAndTheHash) {
  Fixture f;
  f.job.render.range_min = 190.5;
  f.job.crop = Rect{1, 2, 64, 32};
  f.job.gaps = GapMode::Hold;
  f.config.set("flow.scale", 0.25, "test");
  TimelapsePlan plan = plan_from_source(f.job, f.config, CancelToken());
  split_plan(plan, 3);
  const fs::path file = f.dir / "plan.json";
  write_plan(file, plan);
  const TimelapsePlan back = read_plan(file);
  EXPECT_EQ(back.hash(), plan.hash());
  EXPECT_EQ(plan_to_json(back).dump(), plan_to_json(plan).dump());
  EXPECT_EQ(back.job.render.range_min, 190.5);
  EXPECT_FALSE(back.job.render.range_max.has_value());
  EXPECT_EQ(back.job.crop, (Rect{1, 2, 64, 32}));
  EXPECT_EQ(back.job.gaps, GapMode::Hold);
  EXPECT_EQ(back.scans[3].file.time, plan.scans[3].file.time);  // milliseconds kept
  EXPECT_EQ(back.segments.size(), 3u);
  EXPECT_DOUBLE_EQ(back.make_config(Config()).get_float("flow.scale"), 0.25);
  // The hash is over the content: any edit is caught, and another version is refused.
  nlohmann::json j = plan_to_json(plan);
  j["job"]["intermediate"] = 3;
  try {
    plan_from_json(j);
    ADD_FAILURE() << "an edited plan was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt) << e.what();
  }
  j = plan_to_json(plan);
  j["version"] = 99;
  test::expect_invalid([&] { plan_from_json(j); }, "plan version 99");
}

TEST(TimelapsePlan, SplitsAtScansSharingBoundariesAndFramesAddUp) {
  Fixture f;
  TimelapsePlan plan = plan_from_source(f.job, f.config, CancelToken());
  split_plan(plan, 4);
  ASSERT_EQ(plan.segments.size(), 4u);
  std::int64_t frames = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (k > 0) {
      EXPECT_EQ(plan.segments[k].first_scan, plan.segments[k - 1].last_scan);
    }
    EXPECT_LT(plan.segments[k].first_scan, plan.segments[k].last_scan);
    EXPECT_EQ(plan.segments[k].encodes_last, k == 3);
    frames += plan.segment_frames(k);
  }
  EXPECT_EQ(plan.segments.front().first_scan, 0u);
  EXPECT_EQ(plan.segments.back().last_scan, 11u);
  EXPECT_EQ(frames, plan.output_frames());
  // Ideal cuts at slots 3, 6 and 9; slot 6 has no scan, the nearest (slot 5, scan 5) is taken.
  EXPECT_EQ(plan.segments[1].first_scan, 3u);
  EXPECT_EQ(plan.segments[2].first_scan, 5u);
  EXPECT_EQ(plan.segment_file_name(2), "seg-2.mkv");

  TimelapsePlan by_length = plan_from_source(f.job, f.config, CancelToken());
  split_plan_by_length(by_length, std::chrono::minutes(40));
  ASSERT_EQ(by_length.segments.size(), 3u);  // cuts at 12:40 and 13:20 (slots 4 and 8)
  EXPECT_EQ(by_length.scans[by_length.segments[1].first_scan].slot_index, 4u);
  EXPECT_EQ(by_length.scans[by_length.segments[2].first_scan].slot_index, 8u);
}

TEST(TimelapsePlan, SplitErrorsSayWhatIsWrong) {
  Fixture f;
  TimelapsePlan plan = plan_from_source(f.job, f.config, CancelToken());
  test::expect_invalid([&] { split_plan(plan, 12); }, "12 segments need at least 13 scans");
  test::expect_invalid([&] { split_plan(plan, 0); }, "at least 1");
  // A long hole (slots 3-8 missing): cutting in four leaves a segment inside the hole without a pair.
  std::vector<fetch::RemoteFile> listed;
  for (const auto& file : listing(f)) {
    if (file.time < f.job.start + std::chrono::minutes(30) ||
        file.time > f.job.start + std::chrono::minutes(90))
      listed.push_back(file);
  }
  TimelapsePlan holed = plan_timelapse(f.job, f.config, "test", listed, true);
  ASSERT_EQ(holed.scans.size(), 7u);
  test::expect_invalid([&] { split_plan(holed, 4); }, "would hold no pair of scans");
  EXPECT_NO_THROW(split_plan(holed, 2));
}

TEST(TimelapsePlan, SlicesConcatenateToTheWholeVideo) {
  Fixture f;
  TimelapsePlan plan = plan_from_source(f.job, f.config, CancelToken());
  const auto whole = run_timelapse_plan(plan, whole_plan(plan), f.config, Progress::null(), CancelToken());
  EXPECT_EQ(whole.stream.output_frames, plan.output_frames());
  std::vector<Image> expected;
  probe_video(f.job.output, &expected);
  ASSERT_EQ(expected.size(), 25u);

  split_plan(plan, 4);
  std::vector<Image> joined;
  std::int64_t missing = 0, listed = 0, slots = 0;
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    PlanRun run = whole_plan(plan);
    run.slice = plan.segment(k);
    run.output = f.dir / plan.segment_file_name(k);
    run.use_catalog = false;
    const auto s = run_timelapse_plan(plan, run, f.config, Progress::null(), CancelToken());
    EXPECT_EQ(s.stream.output_frames, plan.segment_frames(k)) << k;
    missing += s.missing_slots;
    listed += s.listed;
    slots += s.expected_slots;
    std::vector<Image> frames;
    probe_video(run.output, &frames);
    for (auto& img : frames) joined.push_back(std::move(img));
  }
  EXPECT_EQ(missing, 1);
  EXPECT_EQ(listed, 12);
  EXPECT_EQ(slots, 13);
  ASSERT_EQ(joined.size(), expected.size());
  for (std::size_t i = 0; i < joined.size(); ++i) {
    ASSERT_EQ(joined[i].width(), expected[i].width());
    EXPECT_EQ(test::psnr(joined[i], expected[i]), 120.0) << "frame " << i;
  }
}
