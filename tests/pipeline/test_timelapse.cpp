// End to end on generated NOAA-layout data: a local archive (LocalStore) and the s3rver fixture (S3Store).
#include <sys/resource.h>
#include <sys/wait.h>

#include <thread>

#include <gtest/gtest.h>

#include <map>

#include <fmt/format.h>

#include "colour/gradient.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "encode/video_probe.hpp"
#include "fixtures/s3/node_process.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using test::job_for;
using test::make_archive;

TEST(Timelapse, LocalArchiveFrameCountFollowsTheScheduleAndGaps) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "archive", 7, 3);
  ASSERT_EQ(data.files.size(), 6u);
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.false_colour = true;
  auto summary = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(summary.expected_slots, 7);
  EXPECT_EQ(summary.listed, 6);
  EXPECT_EQ(summary.missing_slots, 1);
  ASSERT_EQ(summary.missing_runs.size(), 1u);
  EXPECT_EQ(summary.missing_runs[0], "2024-05-01 12:30, 1 scan");
  // 7 slots x (N+1) - N = 13 frames: the missing 12:30 scan is bridged with uniform timesteps.
  EXPECT_EQ(summary.stream.output_frames, 13);
  EXPECT_EQ(summary.stream.gaps, 1);
  std::vector<Image> frames;
  const auto info = probe_video(job.output, &frames);
  EXPECT_EQ(info.frames, 13);
  EXPECT_EQ(info.width, 128);

  // Skip: the gap closes up; hold: the last frame stands in for the missing scan.
  job.gaps = GapMode::Skip;
  EXPECT_EQ(run_timelapse(job, config, Progress::null(), CancelToken()).stream.output_frames, 11);
  job.gaps = GapMode::Hold;
  summary = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(summary.stream.output_frames, 13);
  EXPECT_EQ(summary.stream.held_frames, 2);
}

TEST(Timelapse, FramesAreInTimeOrder) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "archive", 4, -1);
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.backend = "none";
  job.encode.pix_fmt = "gray";
  job.encode.codec = "ffv1";
  run_timelapse(job, config, Progress::null(), CancelToken());
  std::vector<Image> frames;
  probe_video(job.output, &frames);
  ASSERT_EQ(frames.size(), 4u);
  // Lossless grey video: frame i is exactly the rendering of scan i, and unlike every other scan.
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Image grey = convert_channels(frames[i], 1);
    for (std::size_t j = 0; j < data.files.size(); ++j) {
      const double p = test::psnr(grey, render_abi_file(data.files[j], job.render).image);
      if (i == j) {
        EXPECT_GT(p, 50.0) << i;
      } else {
        EXPECT_LT(p, 40.0) << i << " vs " << j;
      }
    }
  }
}

// interpolate.space through a colour table with a hue band: red (warm), a green band, blue (cold), with
// sharp steps. Interpolating the pictures blends red into blue through purples that no temperature has;
// interpolating the temperatures and colouring after gives colours of the table only. Both spaces make the
// same number of frames and the same originals.
TEST(Timelapse, DataSpaceMakesOnlyColoursOfTheTable) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "archive", 4, -1);
  const fs::path table = dir / "bands.json";
  write_file_atomic(table, R"([{"Colour":"#ff0000","Position":0},{"Colour":"#ff0000","Position":0.5},
    {"Colour":"#00ff00","Position":0.51},{"Colour":"#00ff00","Position":0.58},
    {"Colour":"#0000ff","Position":0.59},{"Colour":"#0000ff","Position":1}])");
  std::vector<Rgb8> colours = {{0, 0, 0}};  // no data
  for (const Rgb8& c : make_lut(load_gradient(table.string()))) colours.push_back(c);
  // Largest channel difference to the nearest colour of the table.
  auto off_table = [&](const std::uint8_t* p) {
    int best = 255;
    for (const Rgb8& c : colours)
      best = std::min(best, std::max({std::abs(p[0] - c.r), std::abs(p[1] - c.g), std::abs(p[2] - c.b)}));
    return best;
  };
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.render.colormap = table.string();
  job.intermediate = 3;
  std::map<InterpSpace, std::vector<Image>> frames;
  for (InterpSpace space : {InterpSpace::Data, InterpSpace::Colour}) {
    job.space = space;
    job.output = dir / fmt::format("{}.mkv", interp_space_name(space));
    const auto summary = run_timelapse(job, config, Progress::null(), CancelToken());
    EXPECT_EQ(summary.stream.output_frames, 13);
    probe_video(job.output, &frames[space]);
    ASSERT_EQ(frames[space].size(), 13u);
  }
  std::map<InterpSpace, int> off;
  for (const auto& [space, video] : frames) {
    for (std::size_t i = 0; i < video.size(); ++i) {
      const Image rgb = convert_channels(video[i], 3);
      for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x) off[space] += off_table(rgb.row<std::uint8_t>(y) + 3 * x) > 24;
      if (i % 4 == 0) {  // an original: the same picture in both spaces
        const Image other = convert_channels(frames[InterpSpace::Colour][i], 3);
        for (int y = 0; y < rgb.height(); ++y)
          ASSERT_EQ(std::memcmp(rgb.row_ptr(y), other.row_ptr(y), rgb.row_bytes()), 0) << i;
      }
    }
  }
  EXPECT_EQ(off[InterpSpace::Data], 0);
  EXPECT_GT(off[InterpSpace::Colour], 100);  // purples between the red and the blue
}

// False colour after a crop (data space) colours the cropped frame over its own part of the disk: the
// originals match colouring the whole frame, then cropping (colour space).
TEST(Timelapse, DataSpaceFalseColourKeepsTheCropsGeometry) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "archive", 3, -1);
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.false_colour = true;
  job.colour.noise = false;  // grain is per output pixel, so it moves with a crop
  job.crop = Rect{8, 24, 96, 64};
  std::map<InterpSpace, std::vector<Image>> frames;
  for (InterpSpace space : {InterpSpace::Data, InterpSpace::Colour}) {
    job.space = space;
    job.output = dir / fmt::format("{}.mkv", interp_space_name(space));
    run_timelapse(job, config, Progress::null(), CancelToken());
    probe_video(job.output, &frames[space]);
    ASSERT_EQ(frames[space].size(), 5u);
    EXPECT_EQ(frames[space][0].width(), 96);
  }
  for (std::size_t i = 0; i < 5; i += 2)
    EXPECT_GT(test::psnr(frames[InterpSpace::Data][i], frames[InterpSpace::Colour][i]), 40.0) << i;
}

TEST(Timelapse, CancellationLeavesNoOutput) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "archive", 12, -1, 256);
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.intermediate = 8;
  CancelToken cancel;
  // Cancel once the encoder's temporary file exists: the run is mid-encode.
  std::thread watcher([&] {
    for (int i = 0; i < 3000 && !cancel.cancelled(); ++i) {
      for (const auto& e : fs::directory_iterator(dir.path())) {
        if (e.path().filename().string().starts_with(".out.mkv.tmp-")) cancel.cancel();
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  try {
    run_timelapse(job, config, Progress::null(), cancel);
    ADD_FAILURE() << "the run finished before it was cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled) << e.what();
  }
  cancel.cancel();
  watcher.join();
  EXPECT_FALSE(fs::exists(job.output));
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos);
}

TEST(Timelapse, S3FetchesWhatIsMissingAndReusesItOnReRun) {
  test::TempDir dir;
  const DemoData data = make_archive(dir / "seed" / "noaa-goes16", 6, 2);
  std::unique_ptr<test::NodeProcess> server;
  try {
    server = std::make_unique<test::NodeProcess>(
        test::source_dir() / "tests" / "fixtures" / "s3", "start-s3rver.js",
        std::vector<std::string>{"--data", (dir / "s3data").string(), "--seed", (dir / "seed").string()});
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  Config config;
  config.set("fetch.endpoint", "http://127.0.0.1:" + std::to_string(server->port()), "test");
  TimelapseJob job = job_for(data, dir.path(), "s3");
  auto first = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(first.listed, 5);
  EXPECT_EQ(first.fetched, 5);
  EXPECT_EQ(first.already_local, 0);
  EXPECT_EQ(first.stream.output_frames, 11);  // 6 slots x 2 - 1
  fs::remove(job.output);
  auto second = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(second.fetched, 0);
  EXPECT_EQ(second.already_local, 5);
  EXPECT_EQ(second.stream.output_frames, 11);
  // A file lost from the data folder is fetched again, and only that one.
  fs::remove(dir / "data" / fs::relative(data.files[1], dir / "seed" / "noaa-goes16"));
  auto third = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(third.fetched, 1);
  EXPECT_EQ(third.already_local, 4);
}

TEST(Timelapse, MemoryStaysFlatInTheNumberOfFrames) {
  GOESVFI_SKIP_IF_SANITIZED();
  test::TempDir dir;
  auto peak_rss_mb = [&](int scans) {
    const fs::path root = dir / std::to_string(scans);
    const DemoData data = make_archive(root / "archive", scans, -1, 512);
    const std::vector<std::string> args = {test::cli_path().string(),
                                           "timelapse",
                                           "--satellite",
                                           "G16",
                                           "--start",
                                           format_iso(data.start),
                                           "--end",
                                           format_iso(data.end),
                                           "--source",
                                           (root / "archive").string(),
                                           "--backend",
                                           "blend",
                                           "-n",
                                           "3",
                                           "--preset",
                                           "ultrafast",
                                           "-o",
                                           (root / "o.mp4").string(),
                                           "--progress",
                                           "none",
                                           "--data-dir",
                                           (root / "data").string()};
    const pid_t pid = fork();
    if (pid == 0) {
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      const std::string cache = "XDG_CACHE_HOME=" + (root / "cache").string();
      putenv(const_cast<char*>(cache.c_str()));
      execv(argv[0], argv.data());
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return usage.ru_maxrss / 1024.0;
  };
  const double small = peak_rss_mb(6), large = peak_rss_mb(30);
  EXPECT_LT(large, small * 1.25) << small << " MB for 6 scans, " << large << " MB for 30";
}

TEST(Timelapse, ConusScheduleAtFiveMinutes) {
  test::TempDir dir;
  DemoDataOptions o;
  o.archive = dir / "archive";
  o.sector = goes::Sector::Conus;
  o.scans = 5;
  o.missing_index = 1;
  o.conus_width = 250;
  o.conus_height = 150;
  const DemoData data = generate_demo_data(o, Progress::null(), CancelToken());
  EXPECT_EQ(format_iso(data.missing), "2024-05-01T12:06:00Z");  // CONUS slots at :01, :06, ...
  Config config;
  TimelapseJob job = job_for(data, dir.path(), (dir / "archive").string());
  job.product = "ABI-L2-CMIPC";
  job.false_colour = true;
  const auto summary = run_timelapse(job, config, Progress::null(), CancelToken());
  EXPECT_EQ(summary.expected_slots, 5);
  EXPECT_EQ(summary.listed, 4);
  EXPECT_EQ(summary.stream.output_frames, 9);  // 5 slots x 2 - 1, the missing 12:06 bridged
  EXPECT_EQ(summary.stream.width, 250);
  EXPECT_EQ(summary.stream.height, 150);
}
