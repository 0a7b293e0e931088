#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::goes;

namespace {

UtcTime utc(const char* text) {
  return parse_utc(text);
}

// The error message of fn(), or "" when it does not throw.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    return e.message();
  }
  return "";
}

}  // namespace

TEST(NoaaName, ParsesEveryField) {
  const NoaaName n =
      parse_noaa_name("OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc");
  EXPECT_EQ(n.system, "OR");
  EXPECT_EQ(n.product.level, Level::L1b);
  EXPECT_EQ(n.product.name, "Rad");
  EXPECT_EQ(n.sector, Sector::FullDisk);
  EXPECT_EQ(n.mode, 6);
  EXPECT_EQ(n.band, 13);
  EXPECT_EQ(n.satellite, Satellite::G16);
  // 2024 is a leap year: day 122 is 1 May.
  EXPECT_EQ(format_iso(n.start), "2024-05-01T18:00:21.700Z");
  EXPECT_EQ(format_iso(n.end), "2024-05-01T18:09:52.500Z");
  EXPECT_EQ(format_iso(n.created), "2024-05-01T18:09:58.300Z");
  EXPECT_EQ(n.extension, ".nc");
  EXPECT_EQ(n.folder().name(), "ABI-L1b-RadF");
}

TEST(NoaaName, SharedFilesParseWithTheirRealFields) {
  // The real NOAA files in ../shared/data/goes; expected fields read off the names by hand.
  struct Expect {
    std::string name;
    std::string folder;
    Sector sector;
    std::optional<int> band;
    Satellite sat;
    std::string start;
  };
  const std::vector<Expect> expected{
      {"OR_ABI-L1b-RadM1-M6C13_G17_s20193351027275_e20193351027344_c20193351027405.nc", "ABI-L1b-RadM",
       Sector::Meso1, 13, Satellite::G17, "2019-12-01T10:27:27.500Z"},
      {"OR_ABI-L1b-RadM1-M6C01_G16_s20200010001262_e20200010001320_c20200010001364.nc", "ABI-L1b-RadM",
       Sector::Meso1, 1, Satellite::G16, "2020-01-01T00:01:26.200Z"},
      {"OR_ABI-L2-FDCC-M6_G17_s20193002001196_e20193002003569_c20193002004132.nc", "ABI-L2-FDCC",
       Sector::Conus, std::nullopt, Satellite::G17, "2019-10-27T20:01:19.600Z"},
  };
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::shared_dir() / "data" / "goes")) {
    const std::string name = entry.path().filename().string();
    const NoaaName n = parse_noaa_name(name);
    EXPECT_EQ(format_noaa_name(n), name);
    for (const auto& e : expected) {
      if (e.name != name) continue;
      ++seen;
      EXPECT_EQ(n.folder().name(), e.folder);
      EXPECT_EQ(n.sector, e.sector);
      EXPECT_EQ(n.band, e.band);
      EXPECT_EQ(n.satellite, e.sat);
      EXPECT_EQ(format_iso(n.start), e.start);
      EXPECT_EQ(n.mode, 6);
    }
  }
  EXPECT_EQ(seen, expected.size());
}

TEST(NoaaName, RoundTripsRealNames) {
  for (const char* name : {
           "OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc",
           "OR_ABI-L1b-RadC-M6C02_G18_s20240010001172_e20240010003545_c20240010003583.nc",
           "OR_ABI-L1b-RadM2-M6C07_G16_s20232150000553_e20232150001022_c20232150001061.nc",
           "OR_ABI-L1b-RadF-M3C13_G16_s20181000000368_e20181000011146_c20181000011189.nc",
           "OR_ABI-L1b-RadF-M4C13_G16_s20172581200376_e20172581205182_c20172581205220.nc",
           "OR_ABI-L2-CMIPF-M6C13_G19_s20251001200208_e20251001209528_c20251001209595.nc",
           "OR_ABI-L2-MCMIPC-M6_G16_s20192091801158_e20192091803531_c20192091804056.nc",
           "OR_ABI-L2-ACHAF-M6_G18_s20232591200210_e20232591209518_c20232591211367.nc",
           "OT_ABI-L1b-RadC-M6C13_G19_s20243661801172_e20243661803545_c20243661803587.nc",
       }) {
    EXPECT_EQ(format_noaa_name(parse_noaa_name(name)), name);
  }
}

TEST(NoaaName, Level2AndTestPrefix) {
  const NoaaName n =
      parse_noaa_name("OR_ABI-L2-MCMIPC-M6_G16_s20192091801158_e20192091803531_c20192091804056.nc");
  EXPECT_EQ(n.product.level, Level::L2);
  EXPECT_EQ(n.product.name, "MCMIP");
  EXPECT_EQ(n.sector, Sector::Conus);
  EXPECT_FALSE(n.band);
  EXPECT_EQ(n.folder().name(), "ABI-L2-MCMIPC");
  const NoaaName t =
      parse_noaa_name("OT_ABI-L1b-RadC-M6C13_G19_s20243661801172_e20243661803545_c20243661803587.nc");
  EXPECT_EQ(t.system, "OT");
  EXPECT_EQ(format_iso(t.start), "2024-12-31T18:01:17.200Z");  // day 366 of a leap year
}

TEST(NoaaName, BadNamesSayWhichFieldIsWrong) {
  auto msg = [](const char* name) { return error_of([&] { parse_noaa_name(name); }); };
  EXPECT_NE(msg("OR_ABI-L1b-RadF-M6C13_G16_s20233661800217_e20233661809525_c20233661809583.nc")
                .find("day of year 366 is not in 1-365 (2023)"),
            std::string::npos);
  EXPECT_NE(
      msg("OR_ABI-L1b-RadF-M6C17_G16_s20241221800217_e20241221809525_c20241221809583.nc").find("band 'C17'"),
      std::string::npos);
  EXPECT_NE(
      msg("OR_ABI-L1b-RadF-M5C13_G16_s20241221800217_e20241221809525_c20241221809583.nc").find("scan mode"),
      std::string::npos);
  EXPECT_NE(msg("OR_ABI-L1b-RadF-M6C13_G15_s20241221800217_e20241221809525_c20241221809583.nc")
                .find("satellite 'G15'"),
            std::string::npos);
  EXPECT_NE(msg("OR_ABI-L1b-RadX-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc")
                .find("product/sector 'RadX'"),
            std::string::npos);
  EXPECT_NE(
      msg("OR_ABI-L1b-RadF-M6C13_G16_s20241222400217_e20241221809525_c20241221809583.nc").find("hour 24"),
      std::string::npos);
  EXPECT_NE(msg("OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525.nc").find("6 '_'-separated"),
            std::string::npos);
  EXPECT_NE(msg("XX_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc")
                .find("system environment 'XX'"),
            std::string::npos);
  EXPECT_NE(
      msg("OR_ABI-L3-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc").find("level 'L3'"),
      std::string::npos);
  EXPECT_FALSE(
      try_parse_noaa_name("OR_ABI-L1b-RadF-M6C13_G16_s2024122180021_e20241221809525_c20241221809583.nc"));
  // The name is named in the message.
  EXPECT_NE(msg("OR_bad.nc").find("'OR_bad.nc'"), std::string::npos);
}

TEST(CdnName, ParsesFormatsAndChecksSizes) {
  const CdnName n = parse_cdn_name("20241221800_GOES16-ABI-FD-13-5424x5424.jpg");
  EXPECT_EQ(format_iso(n.time), "2024-05-01T18:00:00Z");
  EXPECT_EQ(n.satellite, Satellite::G16);
  EXPECT_EQ(n.sector(), Sector::FullDisk);
  EXPECT_EQ(n.band, 13);
  EXPECT_EQ(n.width, 5424);
  for (const char* name :
       {"20241221800_GOES16-ABI-FD-13-5424x5424.jpg", "20241221800_GOES16-ABI-FD-02-10848x10848.jpg",
        "20243661801_GOES19-ABI-CONUS-13-2500x1500.jpg", "20241221800_GOES18-ABI-FD-GEOCOLOR-1808x1808.jpg",
        "20241221801_GOES16-ABI-ne-08-600x600.jpg", "20241221800_GOES16-ABI-M1-13-1000x1000.jpg"}) {
    EXPECT_EQ(format_cdn_name(parse_cdn_name(name)), name);
  }
  // Mesoscale: seconds in the stamp and the sector centre instead of M1/M2.
  const CdnName meso = parse_cdn_name("2025126143026_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg");
  EXPECT_EQ(format_iso(meso.time), "2025-05-06T14:30:26Z");
  EXPECT_EQ(meso.satellite, Satellite::G19);
  EXPECT_EQ(meso.sector_code, "MESO");
  EXPECT_EQ(meso.location, "22N-93W");
  EXPECT_EQ(meso.band, 13);
  EXPECT_EQ(meso.width, 1000);
  EXPECT_FALSE(meso.sector());  // M1 or M2 only from the folder
  EXPECT_EQ(format_cdn_name(meso), "2025126143026_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg");
  EXPECT_EQ(format_cdn_name(parse_cdn_name("2025126143026_GOES18-ABI-MESO-GEOCOLOR-33S-107E-500x500.jpg")),
            "2025126143026_GOES18-ABI-MESO-GEOCOLOR-33S-107E-500x500.jpg");
  EXPECT_NE(error_of([] {
              parse_cdn_name("2025126143026_GOES19-ABI-MESO-13-22X-93W-1000x1000.jpg");
            }).find("mesoscale centre '22X-93W'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse_cdn_name("20251261430_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg");
            }).find("expected 13 digits"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse_cdn_name("2025126143066_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg");
            }).find("second 66"),
            std::string::npos);
  const CdnName geo = parse_cdn_name("20241221800_GOES18-ABI-FD-GEOCOLOR-1808x1808.jpg");
  EXPECT_FALSE(geo.band);
  EXPECT_EQ(geo.product, "GEOCOLOR");
  EXPECT_FALSE(parse_cdn_name("20241221801_GOES16-ABI-ne-08-600x600.jpg").sector());
  EXPECT_NE(
      error_of([] { parse_cdn_name("20241221800_GOES16-ABI-FD-13-5000x5000.jpg"); }).find("full-disk size"),
      std::string::npos);
  EXPECT_NE(
      error_of([] { parse_cdn_name("20241221801_GOES16-ABI-CONUS-13-2500x2500.jpg"); }).find("CONUS size"),
      std::string::npos);
  EXPECT_NE(
      error_of([] { parse_cdn_name("20233661800_GOES16-ABI-FD-13-5424x5424.jpg"); }).find("day of year 366"),
      std::string::npos);
  EXPECT_NE(error_of([] { parse_cdn_name("20241221800_GOES16-ABI-FD-17-5424x5424.jpg"); }).find("band '17'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_cdn_name("20241221800_GOES15-ABI-FD-13-5424x5424.jpg"); }).find("GOES15"),
            std::string::npos);
}

TEST(GoesprocName, SharedImageAndProducts) {
  const std::string name = "GOES16_FD_CH13_20200830T035020Z.jpg";
  ASSERT_TRUE(std::filesystem::exists(test::shared_dir() / "data" / "images" / name));
  const GoesprocName n = parse_goesproc_name(name);
  EXPECT_EQ(n.satellite, Satellite::G16);
  EXPECT_EQ(n.sector(), Sector::FullDisk);
  EXPECT_EQ(n.band, 13);
  EXPECT_EQ(format_iso(n.time), "2020-08-30T03:50:20Z");
  EXPECT_EQ(format_goesproc_name(n), name);
  for (const char* other : {"GOES16_FD_CH13_20241221T180021Z.jpg", "GOES17_M1_CH02_20191201T102727Z.png",
                            "GOES16_FD_FC_20200830T035020Z.jpg", "GOES18_CONUS_CH13_20240229T235959Z.png"}) {
    EXPECT_EQ(format_goesproc_name(parse_goesproc_name(other)), other);
  }
  EXPECT_NE(error_of([] { parse_goesproc_name("GOES16_FD_CH13_20230229T000000Z.jpg"); }).find("time '2023"),
            std::string::npos);  // no 29 February in 2023
  EXPECT_NE(
      error_of([] { parse_goesproc_name("GOES16_FD_CH19_20200830T035020Z.jpg"); }).find("channel 'CH19'"),
      std::string::npos);
}

TEST(SceneName, ReadsAnyFamilyAndBareStamps) {
  auto s = parse_scene_name("OR_ABI-L2-CMIPF-M6C13_G19_s20251001200208_e20251001209528_c20251001209595.nc");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->family, NameFamily::Noaa);
  EXPECT_EQ(s->folder->name(), "ABI-L2-CMIPF");
  EXPECT_EQ(s->mode, 6);
  s = parse_scene_name("20241221801_GOES16-ABI-CONUS-13-2500x1500.jpg");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->family, NameFamily::Cdn);
  EXPECT_EQ(s->sector, Sector::Conus);
  s = parse_scene_name("my frame_20230615T120000Z-2.png");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->family, NameFamily::TimeOnly);
  EXPECT_EQ(format_iso(s->start), "2023-06-15T12:00:00Z");
  EXPECT_FALSE(parse_scene_name("120230615T120000Z.png"));  // part of a longer digit run
  EXPECT_FALSE(parse_scene_name("frame_0001.png"));
  // NOAA's GOES-13 image server (the shared Irma day): sector HU, channel IR, 2017, day 250, 21:45 UTC.
  s = parse_scene_name("HUIR172502145.png");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->family, NameFamily::TimeOnly);
  EXPECT_EQ(format_iso(s->start), "2017-09-07T21:45:00Z");
  EXPECT_EQ(format_iso(parse_scene_name("HUVS172501115.GIF")->start), "2017-09-07T11:15:00Z");
  EXPECT_FALSE(parse_scene_name("HUIR172502165.png"));  // minute 65
  EXPECT_FALSE(parse_scene_name("HUIR173672145.png"));  // day 367
  EXPECT_FALSE(parse_scene_name("huir172502145.png"));  // not the server's upper-case codes
  EXPECT_FALSE(parse_scene_name("HUIR1725021450.png"));
}

TEST(Satellite, AliasesFollowTheOperationalSwitches) {
  EXPECT_EQ(parse_satellite("east", utc("2025-04-04T15:09:59Z")), Satellite::G16);
  EXPECT_EQ(parse_satellite("east", utc("2025-04-04T15:10Z")), Satellite::G19);
  EXPECT_EQ(parse_satellite("EAST", utc("2020-01-01")), Satellite::G16);
  EXPECT_EQ(parse_satellite("west", utc("2023-01-03T23:59Z")), Satellite::G17);
  EXPECT_EQ(parse_satellite("west", utc("2023-01-04T00:00Z")), Satellite::G18);
  EXPECT_EQ(parse_satellite("GOES-18"), Satellite::G18);
  EXPECT_EQ(parse_satellite("noaa-goes19"), Satellite::G19);
  EXPECT_EQ(parse_satellite("g17"), Satellite::G17);
  EXPECT_EQ(bucket_name(Satellite::G18), "noaa-goes18");
  EXPECT_NE(error_of([] { parse_satellite("east"); }).find("no date"), std::string::npos);
  EXPECT_NE(error_of([] { parse_satellite("G15"); }).find("'G15'"), std::string::npos);
}

TEST(Satellite, RangesAcrossASwitchSplitIntoOnePeriodPerSatellite) {
  const auto east = operational_periods(Orbit::East, utc("2025-04-04T14:00Z"), utc("2025-04-04T16:00Z"));
  ASSERT_EQ(east.size(), 2u);
  EXPECT_EQ(east[0].satellite, Satellite::G16);
  EXPECT_EQ(format_iso(east[0].start), "2025-04-04T14:00:00Z");
  EXPECT_EQ(format_iso(east[0].end), "2025-04-04T15:10:00Z");
  EXPECT_EQ(east[1].satellite, Satellite::G19);
  EXPECT_EQ(format_iso(east[1].start), "2025-04-04T15:10:00Z");
  EXPECT_EQ(format_iso(east[1].end), "2025-04-04T16:00:00Z");

  const auto west = operational_periods(Orbit::West, utc("2023-01-03T12:00Z"), utc("2023-01-04T12:00Z"));
  ASSERT_EQ(west.size(), 2u);
  EXPECT_EQ(west[0].satellite, Satellite::G17);
  EXPECT_EQ(west[1].satellite, Satellite::G18);
  EXPECT_EQ(format_iso(west[1].start), "2023-01-04T00:00:00Z");

  // Ranges on one side of the switch (ending exactly at it, or starting at it) stay whole.
  const auto before = operational_periods(Orbit::East, utc("2025-04-04T15:00Z"), utc("2025-04-04T15:10Z"));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].satellite, Satellite::G16);
  const auto after = operational_periods(Orbit::West, utc("2023-01-04T00:00Z"), utc("2023-01-05T00:00Z"));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].satellite, Satellite::G18);
  EXPECT_EQ(format_iso(after[0].end), "2023-01-05T00:00:00Z");
  EXPECT_TRUE(operational_periods(Orbit::East, utc("2025-04-05T00:00Z"), utc("2025-04-05T00:00Z")).empty());

  EXPECT_EQ(parse_orbit("GOES-East"), Orbit::East);
  EXPECT_EQ(parse_orbit("west"), Orbit::West);
  EXPECT_FALSE(parse_orbit("G16"));
}

TEST(ProductFolder, ParsesBucketFolders) {
  const ProductFolder f = parse_product_folder("ABI-L2-CMIPM");
  EXPECT_EQ(f.product.level, Level::L2);
  EXPECT_EQ(f.product.name, "CMIP");
  EXPECT_EQ(f.sector, Sector::Meso1);
  EXPECT_EQ(f.name(), "ABI-L2-CMIPM");
  EXPECT_EQ(parse_product_folder("ABI-L1b-RadC").name(), "ABI-L1b-RadC");
  EXPECT_NE(error_of([] { parse_product_folder("ABI-L3-RadF"); }).find("level"), std::string::npos);
  EXPECT_NE(error_of([] { parse_product_folder("ABI-L1b-RadX"); }).find("sector letter 'X'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_product_folder("ABI-L1b-CMIPF"); }).find("only L1b"), std::string::npos);
}

TEST(Keys, BucketKeyAndHourPrefixes) {
  const NoaaName n =
      parse_noaa_name("OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc");
  EXPECT_EQ(bucket_key(n),
            "ABI-L1b-RadF/2024/122/18/"
            "OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc");
  const ProductFolder rad{Product{}, Sector::FullDisk};
  // Across a leap year's end: 31 December 2024 is day 366.
  EXPECT_EQ(hour_prefixes(rad, utc("2024-12-31T22:30Z"), utc("2025-01-01T01:00Z")),
            (std::vector<std::string>{"ABI-L1b-RadF/2024/366/22/", "ABI-L1b-RadF/2024/366/23/",
                                      "ABI-L1b-RadF/2025/001/00/"}));
  EXPECT_EQ(hour_prefixes(rad, utc("2023-12-31T23:59Z"), utc("2024-01-01T00:00:01Z")),
            (std::vector<std::string>{"ABI-L1b-RadF/2023/365/23/", "ABI-L1b-RadF/2024/001/00/"}));
  EXPECT_TRUE(hour_prefixes(rad, utc("2024-01-01T05:00Z"), utc("2024-01-01T05:00Z")).empty());
  EXPECT_EQ(hour_prefixes({Product{Level::L2, "CMIP"}, Sector::Meso2}, utc("2024-02-29T12:10Z"),
                          utc("2024-02-29T12:20Z")),
            (std::vector<std::string>{"ABI-L2-CMIPM/2024/060/12/"}));
  EXPECT_NE(error_of([&] { hour_prefixes(rad, utc("2024-01-02"), utc("2024-01-01")); }).find("end is before"),
            std::string::npos);
}
