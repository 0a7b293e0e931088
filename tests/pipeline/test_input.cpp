#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "pipeline/input.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

TEST(Input, NaturalOrder) {
  EXPECT_TRUE(natural_less("img2.png", "img10.png"));
  EXPECT_FALSE(natural_less("img10.png", "img2.png"));
  EXPECT_TRUE(natural_less("img002.png", "img10.png"));
  EXPECT_TRUE(natural_less("a.png", "B.png"));
}

TEST(Input, OrdersByScanTimeWhenEveryNameHasOne) {
  std::vector<fs::path> p = {"GOES16_FD_CH13_20240501T181021Z.png",
                             "20241221800_GOES16-ABI-FD-13-678x678.jpg",
                             "OR_ABI-L2-CMIPF-M6C13_G16_s20241221820217_e20241221829525_c20241221829583.png"};
  EXPECT_TRUE(order_frames(p));
  EXPECT_EQ(p[0].string(), "20241221800_GOES16-ABI-FD-13-678x678.jpg");
  EXPECT_EQ(p[1].string(), "GOES16_FD_CH13_20240501T181021Z.png");
  std::vector<fs::path> q = {"img10.png", "GOES16_FD_CH13_20241221T181021Z.png", "img2.png"};
  EXPECT_FALSE(order_frames(q));
  EXPECT_EQ(q[0].string(), "GOES16_FD_CH13_20241221T181021Z.png");
  EXPECT_EQ(q[1].string(), "img2.png");
}

TEST(Input, ListsFoldersGlobsAnyCaseAndRejectsEmpty) {
  test::TempDir dir;
  const Image img = test::make_pattern(8, 8, 1, SampleType::U8);
  write_image(dir / "img10.PNG", img);
  write_image(dir / "img2.png", img);
  write_image(dir / "img3.JPG", img);
  std::ofstream(dir / "notes.txt") << "x";
  auto list = list_input_frames({dir.path().string()});
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].filename(), "img2.png");
  EXPECT_EQ(list[2].filename(), "img10.PNG");
  EXPECT_EQ(list_input_frames({(dir / "img*.png").string()}).size(), 1u);
  test::TempDir empty;
  try {
    list_input_frames({empty.path().string()});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(empty.path().string()), std::string::npos);
  }
  EXPECT_ERROR(list_input_frames({(dir / "nothing").string()}), ErrorKind::NotFound,
               "nothing' does not exist");
}

TEST(Input, CropResizeAndEvenSize) {
  EXPECT_EQ(parse_crop("1,2,30,40"), (Rect{1, 2, 30, 40}));
  EXPECT_ERROR(parse_crop("1,2,30"), ErrorKind::InvalidArgument, "crop '1,2,30' is not X,Y,W,H");
  EXPECT_ERROR(parse_crop("1,2,-3,4"), ErrorKind::InvalidArgument, "crop '1,2,-3,4' is not X,Y,W,H");
  EXPECT_EQ(parse_size("1920x1080"), std::make_pair(1920, 1080));
  FramePrep prep;
  prep.crop = Rect{10, 10, 31, 21};
  prep.even_size = true;
  const Image out = prepare_frame(test::make_pattern(64, 48, 3, SampleType::U8), "f.png", prep);
  EXPECT_EQ(out.width(), 30);
  EXPECT_EQ(out.height(), 20);
  prep.crop = Rect{40, 0, 30, 10};
  try {
    prepare_frame(test::make_pattern(64, 48, 3, SampleType::U8), "f.png", prep);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("64x48"), std::string::npos) << e.what();
  }
  FramePrep resize;
  resize.resize = std::make_pair(32, 24);
  EXPECT_EQ(prepare_frame(test::make_pattern(64, 48, 3, SampleType::U8), "f.png", resize).width(), 32);
}

TEST(Input, CropProblemSaysWhyACropDoesNotFit) {
  EXPECT_EQ(crop_problem({0, 0, 80, 60}, 80, 60), std::nullopt);
  EXPECT_EQ(crop_problem({79, 59, 1, 1}, 80, 60), std::nullopt);
  const auto wide = crop_problem({10, 0, 71, 60}, 80, 60);
  ASSERT_TRUE(wide.has_value());
  EXPECT_EQ(*wide, "crop 10,0,71,60 does not fit the 80x60 frame (x+w <= 80 and y+h <= 60 needed)");
  const auto tall = crop_problem({0, 1, 80, 60}, 80, 60);
  ASSERT_TRUE(tall.has_value());
  EXPECT_NE(tall->find("80x60"), std::string::npos);
  const auto empty = crop_problem({5, 5, 0, 10}, 80, 60);
  ASSERT_TRUE(empty.has_value());
  EXPECT_NE(empty->find("W,H > 0"), std::string::npos) << *empty;
  EXPECT_TRUE(crop_problem({-1, 0, 10, 10}, 80, 60).has_value());
  // Sums that would overflow int still count as not fitting.
  EXPECT_TRUE(crop_problem({2147483000, 0, 2147483000, 10}, 80, 60).has_value());
}

TEST(Input, ReaderChecksSizesAndNamesTheOddFile) {
  test::TempDir dir;
  write_image(dir / "a1.png", test::make_pattern(16, 16, 3, SampleType::U8));
  write_image(dir / "a2.png", test::make_pattern(16, 16, 1, SampleType::U8));  // grey: converted to RGB
  write_image(dir / "a3.png", test::make_pattern(20, 16, 3, SampleType::U8));
  FrameReader reader(list_input_frames({dir.path().string()}), FramePrep{}, 2, CancelToken());
  EXPECT_EQ(reader.next()->channels(), 3);
  EXPECT_EQ(reader.next()->channels(), 3);
  try {
    reader.next();
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("a3.png is 20x16"), std::string::npos) << msg;
    EXPECT_NE(msg.find("16x16"), std::string::npos) << msg;
  }
}

// The geometry after a frame is prepared: a crop starts at its corner's scan angle, halving the size by area
// averaging puts each pixel at the mean of the four it covers (FixedGridArea::downsampled), even-size
// trimming keeps the pixels' angles; an unnavigated frame is a full disk only when square.
TEST(Input, PreparedAreaFollowsResizeAndCrop) {
  const FixedGridArea area{100, 80, -0.1, 0.002, 0.08, -0.002};
  FramePrep prep;
  prep.crop = Rect{10, 20, 31, 40};
  prep.even_size = true;
  auto a = prepared_area(area, 100, 80, prep);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->width, 30);
  EXPECT_EQ(a->height, 40);
  EXPECT_DOUBLE_EQ(a->scan_of(0, 0).x, area.scan_of(10, 20).x);
  EXPECT_DOUBLE_EQ(a->scan_of(5, 7).y, area.scan_of(15, 27).y);
  prep = {};
  prep.resize = std::pair{50, 40};
  a = prepared_area(area, 100, 80, prep);
  ASSERT_TRUE(a);
  const FixedGridArea half = area.downsampled(2);
  EXPECT_DOUBLE_EQ(a->scan_of(7, 9).x, half.scan_of(7, 9).x);
  EXPECT_DOUBLE_EQ(a->scan_of(7, 9).y, (area.scan_of(14, 18).y + area.scan_of(15, 19).y) / 2);
  prep.crop = Rect{5, 5, 10, 10};
  a = prepared_area(area, 100, 80, prep);
  EXPECT_DOUBLE_EQ(a->scan_of(0, 0).x, half.scan_of(5, 5).x);
  EXPECT_EQ(a->width, 10);
  // No navigation: a square frame is a full disk; another shape has no geometry to offer.
  prep = {};
  prep.crop = Rect{4, 4, 8, 8};
  a = prepared_area(std::nullopt, 64, 64, prep);
  ASSERT_TRUE(a);
  EXPECT_DOUBLE_EQ(a->scan_of(0, 0).x, FixedGridArea::full_disk(64).scan_of(4, 4).x);
  EXPECT_FALSE(prepared_area(std::nullopt, 64, 48, prep));
  prep.crop = Rect{95, 0, 8, 8};
  EXPECT_FALSE(prepared_area(area, 100, 80, prep));
}
