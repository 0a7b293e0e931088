// Catalog benchmark driver: (1) an incremental catalog scan of N generated NOAA-named files (default 100
// 000): the first scan (every header read) against a re-scan (size/mtime unchanged) in the same run, as a
// ratio; (2) `check` over a month of full-disk mode-6 slots (4 320 files, 1 % missing) cold (new catalog) and
// warm. Usage: bench_catalog [files=100000] [work folder=$TMPDIR]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "catalog/catalog.hpp"
#include "catalog/check.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

// A 64-byte NetCDF-4 (HDF5 v2 superblock) stand-in that passes the header check.
void write_nc(const fs::path& path) {
  unsigned char b[64] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 2, 8, 8, 0};
  for (int i = 0; i < 8; ++i) b[20 + i] = 0xff;
  b[28] = 64;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b), sizeof b);
}

std::string name_at(UtcTime start, goes::Sector sector, int band) {
  goes::NoaaName n;
  n.sector = sector;
  n.band = band;
  n.start = start;
  n.end = start + std::chrono::minutes(9);
  n.created = n.end + std::chrono::seconds(5);
  return goes::format_noaa_name(n);
}

template <typename Fn>
double seconds_of(Fn&& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  const fs::path base = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path();
  const fs::path work = base / fmt::format("goesvfi-bench-catalog-{}", ::getpid());
  fs::create_directories(work);

  // 1. N files: CONUS mode-6 scans of bands 1-16 in hourly folders (bucket layout).
  const fs::path data = work / "data";
  const UtcTime t0 = parse_utc("2024-01-01T00:01:17Z");
  const double gen_s = seconds_of([&] {
    for (int i = 0; i < count; ++i) {
      const UtcTime t = t0 + std::chrono::minutes(5 * (i / 16));
      const fs::path dir = data / goes::hour_prefix({goes::Product{}, goes::Sector::Conus}, t);
      if (i % 192 == 0) fs::create_directories(dir);
      write_nc(dir / name_at(t, goes::Sector::Conus, 1 + i % 16));
    }
  });
  double first = 0, rescan = 0;
  std::size_t unchanged = 0;
  {
    catalog::Catalog cat(work / "catalog.sqlite");
    first = seconds_of([&] { cat.scan(data); });
    rescan = seconds_of([&] { unchanged = cat.scan(data).unchanged; });
  }
  fmt::print("catalog scan of {} files (generated in {:.1f} s)\n", count, gen_s);
  fmt::print("  first scan  {:8.2f} s  ({:.0f} files/s)\n", first, count / first);
  fmt::print("  re-scan     {:8.2f} s  ({} unchanged)\n", rescan, unchanged);
  fmt::print("  ratio first/re-scan: {:.1f}x\n", first / rescan);

  // 2. check over a month of full-disk slots, every 100th scan missing.
  const fs::path month = work / "month";
  fs::create_directories(month);
  const UtcTime m0 = parse_utc("2024-05-01T00:00:20Z");
  int files = 0;
  for (int i = 0; i < 31 * 144; ++i) {
    if (i % 100 == 50) continue;
    write_nc(month / name_at(m0 + std::chrono::minutes(10 * i), goes::Sector::FullDisk, 13));
    ++files;
  }
  catalog::CheckOptions o;
  o.folder = month;
  o.catalog_file = work / "month.sqlite";
  catalog::CheckReport report;
  const double cold = seconds_of([&] { report = catalog::check_folder(o); });
  const double warm = seconds_of([&] { report = catalog::check_folder(o); });
  fmt::print("check of a month of full-disk slots: {} expected, {} present, {} missing in {} runs\n",
             report.expected, report.present, report.missing.size(), report.missing_runs.size());
  fmt::print("  cold (new catalog) {:6.3f} s, warm {:6.3f} s, ratio {:.1f}x\n", cold, warm, cold / warm);
  fs::remove_all(work);
  return report.expected == 31u * 144 && report.present == static_cast<std::size_t>(files) ? 0 : 1;
}
