#include <cmath>

#include <gtest/gtest.h>

#include "pipeline/synthetic.hpp"

using namespace goesvfi;

TEST(Synthetic, DiskSceneHasSpaceSurfaceAndColdClouds) {
  const Image bt = synthetic_disk_bt(128, 0.0, 3);
  EXPECT_TRUE(std::isnan(bt.row<float>(0)[0]));  // corner: space
  float lo = 1e9f, hi = 0;
  for (int y = 0; y < 128; ++y)
    for (int x = 0; x < 128; ++x) {
      const float v = bt.row<float>(y)[x];
      if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  EXPECT_LT(lo, 235.0f);  // cloud tops
  EXPECT_GT(hi, 285.0f);  // warm surface
  EXPECT_LE(hi, 300.5f);
}

TEST(Synthetic, CloudsMoveWithTheKnownZonalFlow) {
  SyntheticFlow flow;
  flow.jet_px_per_min = 0;  // uniform drift: density at (x + u t, y) at time t equals (x, y) at 0
  for (int x = 10; x < 200; x += 37) {
    EXPECT_FLOAT_EQ(cloud_density(x + flow.base_px_per_min * 10.0, 40, 10.0, 100, flow, 5),
                    cloud_density(x, 40, 0.0, 100, flow, 5));
  }
}
