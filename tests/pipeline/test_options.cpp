// The pipeline's jobs take their defaults from the schema: T{} equals T::from_config(Config::defaults())
// field by field, compared with the schema's values (not literals), and from_config reads changed values.
#include <gtest/gtest.h>

#include "colour/product.hpp"
#include "core/config.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/interpolate.hpp"
#include "pipeline/timelapse.hpp"
#include "testutil/encode_options.hpp"
#include "testutil/testutil.hpp"

namespace goesvfi {
namespace {

void expect_interpolate_job(const InterpolateJob& job, const Config& c) {
  EXPECT_EQ(job.backend, c.get_string("interpolate.backend"));
  EXPECT_EQ(job.intermediate, c.get_int("interpolate.intermediate"));
  EXPECT_EQ(job.prefetch, c.get_int("interpolate.prefetch"));
  EXPECT_EQ(job.gaps, parse_gap_mode(c.get_string("interpolate.gaps")));
  EXPECT_EQ(job.space, parse_interp_space(c.get_string("interpolate.space")));
  test::expect_encode_options(job.encode, c);
  const FramePrep prep = frame_prep_from(c);
  EXPECT_EQ(job.prep.resize, prep.resize);
  EXPECT_EQ(job.prep.crop, prep.crop);
  EXPECT_EQ(job.false_colour.has_value(), shows_false_colour(c));
  if (job.false_colour) {
    EXPECT_EQ(job.false_colour->saturation, c.get_float("colour.saturation"));
  }
}

TEST(PipelineOptions, InterpolateJobDefaultsAreTheSchemas) {
  const Config& d = Config::defaults();
  expect_interpolate_job(InterpolateJob{}, d);
  expect_interpolate_job(InterpolateJob::from_config(d), d);
  EXPECT_TRUE(InterpolateJob{}.inputs.empty());
  EXPECT_TRUE(InterpolateJob{}.output.empty());

  Config c;
  c.set("interpolate.backend", std::string("blend"), "test");
  c.set("interpolate.intermediate", std::int64_t{5}, "test");
  c.set("interpolate.prefetch", std::int64_t{9}, "test");
  c.set("interpolate.space", std::string("colour"), "test");
  c.set("interpolate.gaps", std::string("hold"), "test");
  c.set("encode.crf", std::int64_t{30}, "test");
  c.set("frame.resize", std::string("320x200"), "test");
  c.set("frame.crop", std::string("1,2,30,40"), "test");
  c.set("colour.false_colour", true, "test");
  c.set("colour.saturation", 1.5, "test");
  c.set("colour.longitude", std::string("-137.2"), "test");
  const InterpolateJob job = InterpolateJob::from_config(c);
  expect_interpolate_job(job, c);
  EXPECT_EQ(job.intermediate, 5);
  ASSERT_TRUE(job.prep.crop.has_value());
  EXPECT_EQ(job.prep.crop->height, 40);
  ASSERT_TRUE(job.longitude_deg.has_value());
  EXPECT_EQ(*job.longitude_deg, -137.2);
}

TEST(PipelineOptions, InterpolateRefusesARecipeItCannotMake) {
  Config c;
  c.set_text("render.product", "airmass", "--show");
  test::expect_invalid([&] { (void)InterpolateJob::from_config(c); }, "goesvfi render --show airmass");
}

void expect_timelapse_job(const TimelapseJob& job, const Config& c) {
  EXPECT_EQ(job.satellite, c.get_string("query.satellite"));
  EXPECT_EQ(job.product, c.get_string("query.product"));
  EXPECT_EQ(job.sector, c.get_string("query.sector"));
  EXPECT_EQ(job.band, std::optional<int>(static_cast<int>(c.get_int("query.band"))));
  EXPECT_EQ(job.source, c.get_string("fetch.source"));
  EXPECT_EQ(job.false_colour, shows_false_colour(c));
  EXPECT_EQ(job.render.gamma, c.get_float("render.gamma"));
  EXPECT_EQ(job.colour.saturation, c.get_float("colour.saturation"));
  const FramePrep prep = frame_prep_from(c);
  EXPECT_EQ(job.crop, prep.crop);
  EXPECT_EQ(job.resize, prep.resize);
  EXPECT_EQ(job.backend, c.get_string("interpolate.backend"));
  EXPECT_EQ(job.intermediate, c.get_int("interpolate.intermediate"));
  EXPECT_EQ(job.gaps, parse_gap_mode(c.get_string("interpolate.gaps")));
  EXPECT_EQ(job.space, parse_interp_space(c.get_string("interpolate.space")));
  test::expect_encode_options(job.encode, c);
  EXPECT_EQ(job.output, c.get_string("timelapse.output"));
}

TEST(PipelineOptions, TimelapseJobDefaultsAreTheSchemas) {
  const Config& d = Config::defaults();
  expect_timelapse_job(TimelapseJob{}, d);
  expect_timelapse_job(TimelapseJob::from_config(d), d);
  // The range is the one thing a run needs that has no default.
  EXPECT_ERROR(timelapse_job_from(d), ErrorKind::InvalidArgument, "query.start is not set");

  Config c;
  c.set("query.satellite", std::string("G18"), "test");
  c.set("query.band", std::int64_t{8}, "test");
  c.set("query.start", std::string("2024-05-01T12:00Z"), "test");
  c.set("query.end", std::string("2024-05-01T13:00Z"), "test");
  c.set("interpolate.intermediate", std::int64_t{3}, "test");
  c.set("interpolate.gaps", std::string("hold"), "test");
  c.set("timelapse.output", std::string("east.mkv"), "test");
  c.set("colour.false_colour", true, "test");
  const TimelapseJob job = timelapse_job_from(c);
  expect_timelapse_job(job, c);
  EXPECT_EQ(job.end - job.start, std::chrono::hours(1));
  EXPECT_EQ(job.gaps, GapMode::Hold);
}

TEST(PipelineOptions, DemoDataDefaultsAreTheSchemas) {
  const Config& d = Config::defaults();
  for (const DemoDataOptions& o : {DemoDataOptions{}, DemoDataOptions::from_config(d)}) {
    EXPECT_EQ(o.scans, d.get_int("demo.scans"));
    EXPECT_EQ(o.size, d.get_int("demo.size"));
    EXPECT_EQ(o.missing_index, d.get_int("demo.scans") / 2);
  }
  Config c;
  c.set("demo.scans", std::int64_t{5}, "test");
  c.set("demo.size", std::int64_t{256}, "test");
  const DemoDataOptions o = DemoDataOptions::from_config(c);
  EXPECT_EQ(o.scans, 5);
  EXPECT_EQ(o.size, 256);
  EXPECT_EQ(o.missing_index, 2);
}

}  // namespace
}  // namespace goesvfi
