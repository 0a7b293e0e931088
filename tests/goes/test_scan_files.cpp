// Grouping NOAA file names into scans for multi-band products (goes/scan_files.hpp).
#include <gtest/gtest.h>

#include "goes/names.hpp"
#include "goes/scan_files.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi::goes {
namespace {

const std::vector<int> k_airmass = {8, 10, 12, 13};

TEST(ScanFiles, GroupsBandsByScanAndReportsMissingOnes) {
  // Two CONUS scans five minutes apart (real NOAA names: every band of a scan shares its start), a band the
  // recipe does not use, and a second scan without band 12.
  const std::vector<std::string> names = {
      "OR_ABI-L1b-RadC-M6C13_G16_s20241221806172_e20241221808557_c20241221809012.nc",  // 0 scan 2
      "OR_ABI-L1b-RadC-M6C08_G16_s20241221801172_e20241221803545_c20241221803598.nc",  // 1 scan 1
      "OR_ABI-L1b-RadC-M6C10_G16_s20241221801172_e20241221803557_c20241221804011.nc",  // 2
      "OR_ABI-L1b-RadC-M6C07_G16_s20241221801172_e20241221803545_c20241221803592.nc",  // 3 (not used)
      "OR_ABI-L1b-RadC-M6C12_G16_s20241221801172_e20241221803551_c20241221804005.nc",  // 4
      "OR_ABI-L1b-RadC-M6C13_G16_s20241221801172_e20241221803557_c20241221804012.nc",  // 5
      "OR_ABI-L1b-RadC-M6C08_G16_s20241221806172_e20241221808545_c20241221808598.nc",  // 6 scan 2
      "OR_ABI-L1b-RadC-M6C10_G16_s20241221806172_e20241221808557_c20241221809011.nc",  // 7
  };
  const auto scans = group_by_scan(names, k_airmass);
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_TRUE(scans[0].complete());
  EXPECT_EQ(scans[0].start, *make_utc(2024, 5, 1, 18, 1, 17, 200));
  EXPECT_EQ(scans[0].sector, Sector::Conus);
  ASSERT_EQ(scans[0].files.size(), 4u);
  EXPECT_EQ(scans[0].files[0], 1u);
  EXPECT_EQ(scans[0].files[1], 2u);
  EXPECT_EQ(scans[0].files[2], 4u);
  EXPECT_EQ(scans[0].files[3], 5u);
  EXPECT_FALSE(scans[1].complete());
  EXPECT_EQ(scans[1].missing, (std::vector<int>{12}));
  EXPECT_EQ(scans[1].files[0], 6u);
  EXPECT_EQ(scans[1].files[3], 0u);
  EXPECT_EQ(scans[1].describe(), "G16 ABI-L1b-RadC scan of 2024-05-01T18:06:17.200Z");
  EXPECT_ERROR(
      require_complete(scans[1], "airmass"), ErrorKind::NotFound,
      "airmass needs bands 8, 10, 12, 13: the G16 ABI-L1b-RadC scan of 2024-05-01T18:06:17.200Z has no "
      "file of band 12");
  require_complete(scans[0], "airmass");
}

TEST(ScanFiles, ScansDifferBySatelliteSectorAndLevel) {
  const std::vector<std::string> names = {
      "OR_ABI-L1b-RadC-M6C08_G16_s20241221801172_e20241221803545_c20241221803598.nc",
      "OR_ABI-L1b-RadC-M6C08_G18_s20241221801172_e20241221803545_c20241221803598.nc",
      "OR_ABI-L2-CMIPC-M6C08_G16_s20241221801172_e20241221803545_c20241221804098.nc",
      "OR_ABI-L1b-RadF-M6C08_G16_s20241221801172_e20241221810480_c20241221810535.nc",
  };
  const auto scans = group_by_scan(names, k_airmass);
  ASSERT_EQ(scans.size(), 4u);
  for (const auto& s : scans) EXPECT_EQ(s.missing, (std::vector<int>{10, 12, 13})) << s.describe();
}

TEST(ScanFiles, AnMcmipFileHoldsEveryBand) {
  const auto scans = group_by_scan(
      {"OR_ABI-L2-MCMIPC-M6_G16_s20241221801172_e20241221803545_c20241221804098.nc"}, k_airmass);
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_TRUE(scans[0].complete());
  for (const auto& f : scans[0].files) EXPECT_EQ(f, 0u);
}

TEST(ScanFiles, OtherNamesAreRejectedByName) {
  EXPECT_ERROR(group_by_scan({"GOES16_FD_CH13_20241221T180021Z.jpg"}, k_airmass), ErrorKind::InvalidArgument,
               "GOES16_FD_CH13_20241221T180021Z.jpg is not a NOAA ABI file name");
  EXPECT_TRUE(group_by_scan({}, k_airmass).empty());
}

}  // namespace
}  // namespace goesvfi::goes
