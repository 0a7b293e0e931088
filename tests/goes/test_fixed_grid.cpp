// GOES-R ABI fixed-grid navigation against the PUG's worked example and NOAA's own metadata.
#include <cmath>

#include <gtest/gtest.h>

#include "goes/fixed_grid.hpp"

namespace goesvfi {
namespace {

// GOES-R PUG vol. 3, 5.1.2.8.1/2 worked example: lat 33.846162, lon -84.690932 seen from -75.0 is
// x = -0.024052, y = 0.095340 rad.
TEST(FixedGrid, PugWorkedExample) {
  FixedGridProjection p;
  p.lon0_deg = -75.0;
  const auto s = p.to_scan({33.846162, -84.690932});
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->x, -0.024052, 1e-6);
  EXPECT_NEAR(s->y, 0.095340, 1e-6);
  const auto g = p.to_geo({-0.024052, 0.095340});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lat_deg, 33.846162, 1e-3);
  EXPECT_NEAR(g->lon_deg, -84.690932, 1e-3);
}

TEST(FixedGrid, SubSatellitePointLimbAndSpace) {
  FixedGridProjection p;
  p.lon0_deg = -137.2;
  auto g = p.to_geo({0, 0});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lat_deg, 0, 1e-12);
  EXPECT_NEAR(g->lon_deg, -137.2, 1e-12);
  // The limb seen along the equator: asin(r_eq / H) = 0.151275 rad; the tangent point is acos(r_eq / H)
  // = 81.30 degrees of longitude from the sub-satellite point.
  EXPECT_NEAR(p.limb_angle_x(), std::asin(6378137.0 / 42164160.0), 1e-12);
  g = p.to_geo({p.limb_angle_x() - 1e-7, 0});
  ASSERT_TRUE(g);
  EXPECT_NEAR(g->lon_deg, -137.2 + std::acos(6378137.0 / 42164160.0) * 180 / M_PI, 0.1);  // +x is east
  EXPECT_FALSE(p.to_geo({p.limb_angle_x() + 1e-4, 0}));                                   // space
  EXPECT_FALSE(p.to_geo({0.1, 0.13}));         // space, off a corner of the disk
  EXPECT_FALSE(p.to_scan({0, -137.2 + 100}));  // the far side
  // Round trip inside the disk (longitudes wrap into -180..180).
  for (double lat : {-60.0, -20.0, 0.0, 35.0, 60.0}) {
    for (double dlon : {-60.0, -10.0, 0.0, 45.0}) {
      const auto s = p.to_scan({lat, -137.2 + dlon});
      ASSERT_TRUE(s);
      const auto back = p.to_geo(*s);
      ASSERT_TRUE(back);
      EXPECT_NEAR(back->lat_deg, lat, 1e-9);
      EXPECT_NEAR(std::remainder(back->lon_deg - (-137.2 + dlon), 360.0), 0.0, 1e-9);
    }
  }
}

// NOAA's own metadata: geospatial_lat_center/lon_center of the real files are the geodetic position of the
// centre of x_image_bounds / y_image_bounds.
TEST(FixedGrid, MatchesNoaaImageCentres) {
  FixedGridProjection g17;
  g17.lon0_deg = -137.0;
  auto c = g17.to_geo({(0.0246399995 + 0.0526399985) / 2, (0.120399997 + 0.0923999995) / 2});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->lat_deg, 39.05284, 0.01);
  EXPECT_NEAR(c->lon_deg, -119.9407, 0.01);
  FixedGridProjection g16;
  c = g16.to_geo({0.0, (0.119840004 + 0.091839999) / 2});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->lat_deg, 38.49226, 0.01);
  EXPECT_NEAR(c->lon_deg, -75.0, 1e-9);
}

TEST(FixedGrid, FullDiskPixelGrid) {
  const auto a = FixedGridArea::full_disk(5424);
  EXPECT_NEAR(a.dx, 56e-6, 1e-12);
  EXPECT_NEAR(a.x0, -0.151844, 1e-9);  // NOAA's first full-disk x (2 km)
  EXPECT_NEAR(a.y0, 0.151844, 1e-9);
  const auto b = FixedGridArea::full_disk(2712);
  EXPECT_NEAR(b.col_of(0.0), 1355.5, 1e-9);  // the centre lies between the two middle pixels
  const auto d = a.downsampled(2);
  EXPECT_NEAR(d.x0, b.x0, 1e-12);
  EXPECT_NEAR(d.dx, b.dx, 1e-12);
}

}  // namespace
}  // namespace goesvfi
