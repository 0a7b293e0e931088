// A timelapse of a multi-band product (the Air Mass RGB) on generated NOAA-layout data: every band is listed,
// files are grouped by scan, a scan missing a band is reported as incomplete and becomes a gap, frames are
// the recipe's picture and are interpolated as pictures.
#include <cstdlib>

#include <gtest/gtest.h>

#include "encode/video_probe.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"
#include "render/scan_reader.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

const std::vector<int> k_airmass = {8, 10, 12, 13};

// 5 slots of bands 8, 10, 12, 13 (the 12:20 scan missing), then band 12 of the 12:30 scan removed.
DemoData airmass_archive(const fs::path& archive) {
  DemoDataOptions o;
  o.archive = archive;
  o.scans = 5;
  o.missing_index = 2;
  o.size = 64;
  o.bands = k_airmass;
  DemoData data = generate_demo_data(o, Progress::null(), CancelToken());
  EXPECT_EQ(data.files.size(), 16u);
  fs::remove(data.files.at(8 + 2));  // scan 3 (12:30), band 12
  return data;
}

TimelapseJob airmass_job(const DemoData& data, const fs::path& dir) {
  TimelapseJob job = test::job_for(data, dir, (dir / "archive").string());
  job.render.product = "airmass";
  return job;
}

}  // namespace

TEST(TimelapseRecipe, PlansCompleteScansAndReportsIncompleteOnes) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  Config config;
  const TimelapseJob job = airmass_job(data, dir.path());
  const TimelapsePlan plan = plan_from_source(job, config, CancelToken());
  EXPECT_EQ(plan.slots.size(), 5u);
  ASSERT_EQ(plan.scans.size(), 3u);  // 12:00, 12:10, 12:40
  for (const auto& s : plan.scans) {
    ASSERT_EQ(s.more.size(), 3u);
    EXPECT_NE(s.file.name.find("M6C08_G16"), std::string::npos) << s.file.name;
    EXPECT_NE(s.more[0].name.find("M6C10_G16"), std::string::npos);
    EXPECT_NE(s.more[1].name.find("M6C12_G16"), std::string::npos);
    EXPECT_NE(s.more[2].name.find("M6C13_G16"), std::string::npos);
    for (const auto& f : s.more) EXPECT_EQ(f.time, s.file.time);
  }
  EXPECT_EQ(plan.scans[2].slot_index, 4u);
  EXPECT_EQ(plan.missing.size(), 2u);
  ASSERT_EQ(plan.incomplete.size(), 1u);
  EXPECT_EQ(plan.incomplete[0], "G16 ABI-L2-CMIPF scan of 2024-05-01T12:30:20.500Z: no file of band 12");
  EXPECT_NE(plan.describe().find("incomplete: G16 ABI-L2-CMIPF scan of 2024-05-01T12:30:20.500Z"),
            std::string::npos)
      << plan.describe();
  // The plan file keeps every band of every scan.
  const TimelapsePlan back = plan_from_json(plan_to_json(plan));
  EXPECT_EQ(back.hash(), plan.hash());
  ASSERT_EQ(back.scans.size(), 3u);
  EXPECT_EQ(back.scans[1].more.at(2).name, plan.scans[1].more.at(2).name);
  EXPECT_EQ(back.incomplete, plan.incomplete);
}

TEST(TimelapseRecipe, VideoFramesAreTheRecipeInterpolatedAsPictures) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  Config config;
  const TimelapseJob job = airmass_job(data, dir.path());
  const auto summary = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(summary.stream.input_frames, 3);
  // Slots 0, 1, 4 with one in-between frame per slot: 2 + 3 x 2 + 1.
  EXPECT_EQ(summary.stream.output_frames, 9);
  EXPECT_EQ(summary.already_local, 12);  // files, four per scan
  ASSERT_EQ(summary.incomplete.size(), 1u);
  EXPECT_NE(summary.describe(job.encode.fps).find("incomplete: G16 ABI-L2-CMIPF scan"), std::string::npos);
  std::vector<Image> frames;
  const auto info = probe_video(job.output, &frames);
  ASSERT_EQ(info.frames, 9);
  // The first frame is the recipe's picture of the first scan (through lossless ffv1 in yuv444p: within
  // the colour conversion's rounding).
  std::vector<fs::path> first(data.files.begin(), data.files.begin() + 4);
  RenderOptions o;
  o.product = "airmass";
  const Image expected = render_scan(first, o).image;
  ASSERT_EQ(frames[0].width(), expected.width());
  ASSERT_EQ(frames[0].channels(), 3);
  int worst = 0;
  for (int y = 0; y < expected.height(); ++y) {
    for (int x = 0; x < expected.width() * 3; ++x)
      worst = std::max(worst, std::abs(frames[0].row<std::uint8_t>(y)[x] - expected.row<std::uint8_t>(y)[x]));
  }
  EXPECT_LE(worst, 3);
  // Not grey: the picture has colour.
  int coloured = 0;
  for (int y = 0; y < expected.height(); ++y) {
    const auto* px = expected.row<std::uint8_t>(y);
    for (int x = 0; x < expected.width(); ++x)
      coloured += std::abs(px[3 * x] - px[3 * x + 1]) + std::abs(px[3 * x + 1] - px[3 * x + 2]) > 40;
  }
  EXPECT_GT(coloured, expected.width() * expected.height() / 4);
}

TEST(TimelapseRecipe, DataSpaceAndFalseColourAreRefusedForARecipe) {
  test::TempDir dir;
  const DemoData data = airmass_archive(dir / "archive");
  Config config;
  TimelapseJob job = airmass_job(data, dir.path());
  job.space = InterpSpace::Data;
  EXPECT_ERROR(
      plan_from_source(job, config, CancelToken()), ErrorKind::InvalidArgument,
      "interpolate.space data interpolates one band's values; product 'airmass' combines bands 8, 10, "
      "12, 13");
  job.space = InterpSpace::Colour;
  job.false_colour = true;
  EXPECT_ERROR(plan_from_source(job, config, CancelToken()), ErrorKind::InvalidArgument,
               "colour.false_colour tints one IR band; product 'airmass'");
  job.false_colour = false;
  // MCMIP files hold every band in one file; a timelapse reads one file per band.
  TimelapseJob mcmip = job;
  mcmip.product = "ABI-L2-MCMIPF";
  mcmip.band.reset();
  EXPECT_ERROR(plan_from_source(mcmip, config, CancelToken()), ErrorKind::Unsupported,
               "use 8, 10, 12, 13 files (ABI-L2-CMIP or ABI-L1b-Rad), not ABI-L2-MCMIPF");
  // Nothing complete: NotFound naming the incomplete scans.
  for (std::size_t i = 2; i < data.files.size(); i += 4) fs::remove(data.files[i]);  // every band 12
  EXPECT_ERROR(
      plan_from_source(job, config, CancelToken()), ErrorKind::NotFound,
      "with every band of product 'airmass' (G16 ABI-L2-CMIPF scan of 2024-05-01T12:00:20.500Z: no file "
      "of band 12;");
}
