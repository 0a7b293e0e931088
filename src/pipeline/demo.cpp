#include "pipeline/demo.hpp"

#include <cmath>

#include "core/error.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"
#include "pipeline/synthetic.hpp"
#include "render/abi_writer.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

DemoData generate_demo_data(const DemoDataOptions& o, Progress& progress, const CancelToken& cancel) {
  DemoData data;
  data.start = o.start;
  data.end = o.start + o.scans * 10min;
  data.missing = o.start + std::max(0, o.missing_index) * 10min;
  auto task = progress.task("generate", o.scans - (o.missing_index >= 0 ? 1 : 0), "files");
  for (int i = 0; i < o.scans; ++i) {
    cancel.throw_if_cancelled();
    if (i == o.missing_index) continue;
    // Real full-disk starts are ~20 s after the slot; the scan takes 9 min 40 s.
    goes::NoaaName name;
    name.product = goes::Product{goes::Level::L2, "CMIP"};
    name.sector = goes::Sector::FullDisk;
    name.mode = 6;
    name.band = 13;
    name.satellite = goes::Satellite::G16;
    name.start = o.start + i * 10min + 20s + 500ms;
    name.end = name.start + 9min + 40s;
    name.created = name.end + 25s;
    const fs::path path = o.archive / goes::bucket_key(name);
    data.files.push_back(path);
    if (!fs::exists(path)) {
      fs::create_directories(path.parent_path());
      AbiL1bSpec spec = cmip_spec(13, FixedGridArea::full_disk(o.size), -75.2);
      spec.platform = "G16";
      spec.start = name.start;
      const Image bt = synthetic_disk_bt(o.size, 10.0 * i, o.seed);
      spec.packed.resize(static_cast<std::size_t>(o.size) * o.size);
      for (int y = 0; y < o.size; ++y) {
        const float* row = bt.row<float>(y);
        for (int x = 0; x < o.size; ++x) {
          spec.packed[static_cast<std::size_t>(y) * o.size + x] =
              std::isnan(row[x]) ? static_cast<std::uint16_t>(spec.fill_value) : pack_value(row[x], spec);
        }
      }
      write_abi_file(path, spec);
    }
    task.advance();
  }
  task.finish();
  return data;
}

}  // namespace goesvfi
