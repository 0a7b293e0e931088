#include "pipeline/demo.hpp"

#include <cmath>

#include "colour/product.hpp"
#include "core/error.hpp"
#include "goes/fixed_grid.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"
#include "pipeline/synthetic.hpp"
#include "render/abi_writer.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

DemoDataOptions::DemoDataOptions() : DemoDataOptions(from_config(Config::defaults())) {}

DemoDataOptions DemoDataOptions::from_config(const Config& config) {
  DemoDataOptions o(FromConfig{});
  o.scans = static_cast<int>(config.get_int("demo.scans"));
  o.size = static_cast<int>(config.get_int("demo.size"));
  o.missing_index = o.scans / 2;
  if (const Product* p = shown_product(config); p && p->kind == ProductKind::Recipe) o.bands = p->bands;
  return o;
}

DemoData generate_demo_data(const DemoDataOptions& o, Progress& progress, const CancelToken& cancel) {
  const bool conus = o.sector == goes::Sector::Conus;
  if (!conus && o.sector != goes::Sector::FullDisk)
    fail(ErrorKind::InvalidArgument, "demo data is full disk or CONUS");
  // Mode 6: full disk every 10 min starting ~20 s after :00; CONUS every 5 min at :01, :06, ... starting ~17
  // s after.
  const auto cadence = conus ? std::chrono::milliseconds(5min) : std::chrono::milliseconds(10min);
  const auto phase = conus ? std::chrono::milliseconds(1min) : std::chrono::milliseconds(0);
  const auto start_delay = conus ? 17s + 300ms : 20s + 500ms;
  const auto duration = conus ? 2min + 40s : 9min + 40s;
  DemoData data;
  data.start = o.start;
  data.end = o.start + o.scans * cadence;
  data.missing = o.start + phase + std::max(0, o.missing_index) * cadence;
  // CONUS as NOAA's GOES-East 2 km CONUS grid (scan angles of the first pixel centre, 56 microradian steps).
  FixedGridArea area = FixedGridArea::full_disk(o.size);
  if (conus)
    area = FixedGridArea{o.conus_width, o.conus_height,
                         -0.101332,     0.000056 * 2500 / o.conus_width,
                         0.128212,      -0.000056 * 1500 / o.conus_height};
  const int files = (o.scans - (o.missing_index >= 0 ? 1 : 0)) * static_cast<int>(o.bands.size());
  auto task = progress.task("generate", files, "files");
  for (int i = 0; i < o.scans; ++i) {
    cancel.throw_if_cancelled();
    if (i == o.missing_index) continue;
    Image bt13;  // the scene, made once per scan when a file of it is missing
    for (const int band : o.bands) {
      goes::NoaaName name;
      name.product = goes::Product{goes::Level::L2, "CMIP"};
      name.sector = o.sector;
      name.mode = 6;
      name.band = band;
      name.satellite = goes::Satellite::G16;
      name.start = o.start + phase + i * cadence + start_delay;
      name.end = name.start + duration;
      name.created = name.end + 25s;
      const fs::path path = o.archive / goes::bucket_key(name);
      data.files.push_back(path);
      if (fs::exists(path)) {
        task.advance();
        continue;
      }
      fs::create_directories(path.parent_path());
      AbiL1bSpec spec =
          cmip_spec(band, area, satellite_longitude_or_east(goes::satellite_number(name.satellite)));
      spec.platform = "G16";
      spec.scene = conus ? "CONUS" : "Full Disk";
      spec.start = name.start;
      const double minutes = std::chrono::duration<double, std::ratio<60>>(name.start - o.start).count();
      if (bt13.empty())
        bt13 = conus ? synthetic_sector_bt(area.width, area.height, minutes, o.seed)
                     : synthetic_disk_bt(o.size, minutes, o.seed);
      const Image bt = synthetic_ir_band(band, bt13, minutes, o.seed);
      spec.packed.resize(static_cast<std::size_t>(area.width) * area.height);
      for (int y = 0; y < area.height; ++y) {
        const float* row = bt.row<float>(y);
        for (int x = 0; x < area.width; ++x) {
          spec.packed[static_cast<std::size_t>(y) * area.width + x] =
              std::isnan(row[x]) ? static_cast<std::uint16_t>(spec.fill_value) : pack_value(row[x], spec);
        }
      }
      write_abi_file(path, spec);
      task.advance();
    }
  }
  task.finish();
  return data;
}

}  // namespace goesvfi
