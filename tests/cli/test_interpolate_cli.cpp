// End to end: the goesvfi binary on generated sequences, read back with libavformat.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/image_io.hpp"
#include "encode/video_probe.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {
void write_sequence(const fs::path& dir, int n, int w, int h, int channels = 3) {
  fs::create_directories(dir);
  for (int i = 0; i < n; ++i) {
    write_image(dir / ("frame" + std::to_string(i + 1) + ".png"),
                test::make_pattern(w, h, channels, SampleType::U8, 3.0 * i, 1.5 * i));
  }
}
std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST(InterpolateCli, WritesTheVideoTheSummaryDescribes) {
  test::TempDir dir;
  write_sequence(dir / "in", 6, 96, 64);
  const auto out = dir / "out.mp4";
  auto r = test::run_cli({"interpolate", (dir / "in").string(), "-o", out.string(), "--backend", "blend",
                          "-n", "3", "--fps", "12", "--crf", "10", "--preset", "fast", "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("6 input frames -> 21 video frames"), std::string::npos) << r.err;
  std::vector<Image> decoded;
  const auto info = probe_video(out, &decoded);
  EXPECT_EQ(info.frames, 21);  // (6-1)*(3+1)+1
  EXPECT_NEAR(info.fps, 12.0, 1e-6);
  EXPECT_EQ(info.width, 96);
  // Originals land every 4th frame, within codec tolerance.
  for (int i = 0; i < 6; ++i) {
    const Image src = read_image(dir / "in" / ("frame" + std::to_string(i + 1) + ".png"));
    EXPECT_GT(test::psnr(decoded[static_cast<std::size_t>(i * 4)], src), 40.0) << i;
  }
}

TEST(InterpolateCli, DryRunCropOddSizeAndProfile) {
  test::TempDir dir;
  write_sequence(dir / "in", 3, 64, 48, 1);
  auto r = test::run_cli({"interpolate", (dir / "in").string(), "-o", (dir / "o.mp4").string(), "--crop",
                          "3,3,41,31", "--dry-run", "--backend", "blend"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 frames"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 frames, 40x30"), std::string::npos) << r.out;  // odd crop trimmed to even for 4:2:0
  EXPECT_FALSE(fs::exists(dir / "o.mp4"));
  r = test::run_cli({"interpolate", (dir / "in").string(), "-o", (dir / "o.mkv").string(), "--profile",
                     "lossless", "--backend", "none", "--progress", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"event\":\"finish\""), std::string::npos) << r.out;
  EXPECT_EQ(probe_video(dir / "o.mkv").codec, "ffv1");
}

TEST(InterpolateCli, BadInputGivesClearErrorsAndWritesNothing) {
  test::TempDir dir;
  write_sequence(dir / "in", 3, 64, 48);
  fs::create_directories(dir / "empty");
  write_sequence(dir / "one", 1, 64, 48);
  write_sequence(dir / "mixed", 2, 64, 48);
  write_image(dir / "mixed" / "frame3.png", test::make_pattern(70, 48, 3, SampleType::U8));
  write_sequence(dir / "trunc", 3, 64, 48);
  fs::resize_file(dir / "trunc" / "frame2.png", 60);
  const auto out = (dir / "out" / "v.mp4").string();
  fs::create_directories(dir / "out");
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  const std::string in = (dir / "in").string();
  std::vector<Case> cases = {
      {{(dir / "empty").string()}, "no PNG, JPEG or TIFF frames"},
      {{(dir / "one").string(), "--backend", "blend"}, "needs at least two frames"},
      {{(dir / "mixed").string(), "--backend", "blend"}, "frame3.png is 70x48"},
      {{(dir / "trunc").string(), "--backend", "blend"}, "frame2.png"},
      {{in, "--crop", "50,0,30,30", "--backend", "blend"}, "64x48"},
      {{in, "--fps", "0"}, "interpolate.fps (--fps) '0'"},
      {{in, "--fps", "100000"}, "--fps"},
      {{in, "--codec", "h266", "--backend", "blend"}, "unknown video codec 'h266'"},
      {{in, "--pix-fmt", "rgb24", "--backend", "blend"}, "cannot take pixel format rgb24"},
      {{in, "--backend", "magic"}, "interpolate.backend (--backend) 'magic'"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"interpolate"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"-o", out, "--progress", "none"});
    const auto r = test::run_cli(args);
    EXPECT_NE(r.exit_code, 0) << c.expect;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << r.err;
  }
  EXPECT_EQ(entries(dir / "out"), 0u);
  // Output folder not writable (root ignores permissions, so use a path under a regular file).
  const auto r = test::run_cli({"interpolate", in, "-o", (dir / "in" / "frame1.png" / "v.mp4").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST(InterpolateCli, DiskFullLeavesNoPartialFile) {
  test::TempDir dir;
  write_sequence(dir / "in", 4, 256, 192);
  fs::create_directories(dir / "out");
  // A file-size limit of 8 kB makes the video write fail like a full disk (EFBIG).
  const auto r = test::run_cli({"interpolate", (dir / "in").string(), "-o", (dir / "out" / "v.mp4").string(),
                                "--backend", "blend", "-n", "4", "--crf", "0", "--progress", "none"},
                               "ulimit -f 8;");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(entries(dir / "out"), 0u) << r.err;
}

TEST(InterpolateCli, SigintMidEncodeLeavesNothingBehind) {
  test::TempDir dir;
  write_sequence(dir / "in", 30, 320, 240);
  fs::create_directories(dir / "out");
  const std::string out = (dir / "out" / "v.mp4").string();
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(test::cli_path().c_str(), "goesvfi", "interpolate", (dir / "in").string().c_str(), "-o",
          out.c_str(), "--backend", "blend", "-n", "8", "--preset", "veryslow", "--progress", "none",
          nullptr);
    _exit(127);
  }
  // Wait until the encoder's temporary file exists, then interrupt.
  bool started = false;
  for (int i = 0; i < 600 && !started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    started = entries(dir / "out") > 0;
  }
  EXPECT_TRUE(started);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(entries(dir / "out"), 0u);
}
