// Interpolate colours a video with one levels mapping, pooled from its first frames.
#include <gtest/gtest.h>

#include "core/image_io.hpp"
#include "pipeline/interpolate.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

TEST(ColourLevels, SequenceLevelsPoolTheFirstFrames) {
  test::TempDir dir;
  std::vector<Image> frames;
  std::vector<fs::path> paths;
  for (int f = 0; f < 4; ++f) {
    Image img(101, 101, 1, SampleType::U8);
    for (int y = 0; y < 101; ++y)
      for (int x = 0; x < 101; ++x)
        img.row<std::uint8_t>(y)[x] = static_cast<std::uint8_t>((x * (f + 1) + y * 3) % 200 + 20 * f);
    paths.push_back(dir / ("frame" + std::to_string(f) + ".png"));
    write_image(paths.back(), img);
    frames.push_back(img);
  }
  FalseColourOptions o;
  o.underlay.clear();  // gradient only: the levels do not depend on the map
  o.levels_frames = 3;
  const auto levels = sequence_levels(paths, FramePrep{}, o, -75.2);
  const auto pooled = false_colour_levels({frames[0], frames[1], frames[2]}, -75.2, o);
  const auto first = false_colour_levels({frames[0]}, -75.2, o);
  const auto all = false_colour_levels(frames, -75.2, o);
  EXPECT_EQ(levels->global, pooled->global);
  EXPECT_NE(levels->global, first->global);  // three frames pooled, not one
  EXPECT_NE(levels->global, all->global);    // and not the fourth
  o.equalise = false;
  EXPECT_EQ(sequence_levels(paths, FramePrep{}, o, -75.2)->global, LevelsMap::identity().global);
}
