#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "pipeline/preview.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;

namespace {
Image flat(int w, int h, std::uint8_t value) {
  Image img(w, h, 3, SampleType::U8);
  for (int y = 0; y < h; ++y) std::fill_n(img.row<std::uint8_t>(y), w * 3, value);
  return img;
}
}  // namespace

TEST(Preview, BlendAtHalfIsTheMeanOfTheCroppedPair) {
  test::TempDir dir;
  write_image(dir / "a.png", flat(40, 30, 100));
  write_image(dir / "b.png", flat(40, 30, 201));
  InterpolateJob job;
  job.backend = "blend";
  job.prep.crop = Rect{4, 2, 20, 10};
  Config config;
  const PairPreview p = preview_pair(job, config, dir / "a.png", dir / "b.png", 0.5, CancelToken());
  ASSERT_EQ(p.middle.width(), 20);
  ASSERT_EQ(p.middle.height(), 10);
  EXPECT_EQ(p.before.width(), 20);
  EXPECT_EQ(p.before.row<std::uint8_t>(0)[0], 100);
  EXPECT_EQ(p.after.row<std::uint8_t>(9)[59], 201);
  // (100 + 201) / 2 = 150.5, rounded.
  const int mid = p.middle.row<std::uint8_t>(5)[30];
  EXPECT_TRUE(mid == 150 || mid == 151) << mid;
  EXPECT_FALSE(p.report.fell_back);

  // Motion: the flow backend puts a shifted pattern half-way, closer than a cross-fade does.
  const Image a = test::make_pattern(96, 64, 3, SampleType::U8, 0, 0);
  const Image b = test::make_pattern(96, 64, 3, SampleType::U8, 6, 0);
  const Image half = test::make_pattern(96, 64, 3, SampleType::U8, 3, 0);
  write_image(dir / "p1.png", a);
  write_image(dir / "p2.png", b);
  job.prep.crop.reset();
  job.backend = "flow";
  const PairPreview flow = preview_pair(job, config, dir / "p1.png", dir / "p2.png", 0.5, CancelToken());
  job.backend = "blend";
  const PairPreview blend = preview_pair(job, config, dir / "p1.png", dir / "p2.png", 0.5, CancelToken());
  EXPECT_GT(test::interior_psnr(flow.middle, half, 8), test::interior_psnr(blend.middle, half, 8) + 3.0);
}

TEST(Preview, BadCropTimeAndCancelAreErrors) {
  test::TempDir dir;
  write_image(dir / "a.png", flat(40, 30, 10));
  write_image(dir / "b.png", flat(40, 30, 20));
  InterpolateJob job;
  job.backend = "blend";
  Config config;
  job.prep.crop = Rect{30, 0, 20, 10};
  test::expect_invalid([&] { preview_pair(job, config, dir / "a.png", dir / "b.png", 0.5, CancelToken()); },
                       "does not fit the 40x30 frame");
  job.prep.crop.reset();
  test::expect_invalid([&] { preview_pair(job, config, dir / "a.png", dir / "b.png", 1.0, CancelToken()); },
                       "not inside (0, 1)");
  CancelToken cancel;
  cancel.cancel();
  try {
    preview_pair(job, config, dir / "a.png", dir / "b.png", 0.5, cancel);
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
  job.backend = "none";
  const PairPreview none = preview_pair(job, config, dir / "a.png", dir / "b.png", 0.5, CancelToken());
  EXPECT_TRUE(none.report.fell_back);
  EXPECT_EQ(none.middle.row<std::uint8_t>(0)[0], 10);
}
