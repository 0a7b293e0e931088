#include <gtest/gtest.h>

#include "goes/scan_time.hpp"

using namespace goesvfi;

TEST(ScanTime, ReadsEveryNamingFamily) {
  auto t =
      scan_time_from_name("OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso(*t), "2024-05-01T18:00:21.700Z");
  t = scan_time_from_name("20241221800_GOES16-ABI-FD-13-5424x5424.jpg");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso(*t), "2024-05-01T18:00:00Z");
  t = scan_time_from_name("GOES16_FD_CH13_20200830T035020Z.jpg");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso(*t), "2020-08-30T03:50:20Z");
  EXPECT_FALSE(scan_time_from_name("img10.png"));
  EXPECT_FALSE(scan_time_from_name("OR_ABI-L1b-RadF-M6C13_G16_s20233661800217_e1_c1.nc"));  // DOY 366 in 2023
}
