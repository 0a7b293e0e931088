// Test helpers over the demo generator (link the goesvfi library): a small NOAA-layout archive of GOES-like
// full-disk scans, and a lossless timelapse job over it.
#pragma once

#include <filesystem>

#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"

namespace goesvfi::test {

inline DemoData make_archive(const std::filesystem::path& archive, int scans, int missing_index,
                             int size = 128) {
  DemoDataOptions o;
  o.archive = archive;
  o.scans = scans;
  o.missing_index = missing_index;
  o.size = size;
  return generate_demo_data(o, Progress::null(), CancelToken());
}

// G16 band 13 over the archive's range, blend with one in-between frame, ffv1 yuv444p into dir/out.mkv;
// fetched files and the catalog under `dir`.
inline TimelapseJob job_for(const DemoData& data, const std::filesystem::path& dir,
                            const std::string& source) {
  TimelapseJob job;
  job.satellite = "G16";
  job.product = "ABI-L2-CMIPF";
  job.band = 13;
  job.start = data.start;
  job.end = data.end;
  job.source = source;
  job.data_dir = dir / "data";
  job.catalog_file = dir / "catalog.sqlite";
  job.backend = "blend";
  job.intermediate = 1;
  job.encode.codec = "ffv1";
  job.encode.pix_fmt = "yuv444p";
  job.encode.crf = -1;
  job.encode.preset = "";
  job.output = dir / "out.mkv";
  return job;
}

}  // namespace goesvfi::test
