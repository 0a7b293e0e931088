// bench_render: the cost of rendering an ABI full disk against the floor set by reading it, and the per-frame
// cost of false colour. A driver (not Google Benchmark) so that baseline and candidate run in the same
// process on the same file and the ratio is printed directly.
//
//   bench_render [--threads N] [--reps N] [--dir FOLDER] [--keep]   (--keep leaves the generated file)
//
// 1. Writes a 5424x5424 band-13 full disk in NOAA's layout and compression (packed 12-bit Rad in a short,
//    226x226 chunks, deflate level 1, DQF, off-disk fill) with libnetcdf.
// 2. Baseline: nc_open + nc_get_var_short("Rad") + nc_close (reading and inflating the radiances alone).
//    Candidate: render_abi_file() (header, Rad + DQF, calibration, masking, grey mapping). Median of --reps.
// 3. False colour of a 2712x2712 frame on the pool (--threads 1 = one core) once the view cache is warm, with
//    a synthetic 4096x2048 underlay and gradient-only.
#include <netcdf.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "colour/false_colour.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "render/abi_writer.hpp"
#include "render/render.hpp"

using namespace goesvfi;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Median wall and process-CPU milliseconds of `reps` runs. On a shared machine the CPU time is the steadier
// figure; with --threads 1 it is the single-core cost.
struct Timing {
  double wall = 0, cpu = 0;
};
template <typename Fn>
Timing median_ms(int reps, Fn&& fn) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = Clock::now();
    const double c0 = cpu_ms();
    fn();
    cpu.push_back(cpu_ms() - c0);
    wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

void report(const char* what, Timing t, const Timing* base = nullptr) {
  fmt::print("{:<44} wall {:8.1f} ms  cpu {:8.1f} ms", what, t.wall, t.cpu);
  if (base) fmt::print("   ratio wall {:.2f}x cpu {:.2f}x", t.wall / base->wall, t.cpu / base->cpu);
  fmt::print("\n");
}

// Cloud-like brightness temperature: smooth structure plus sensor noise, so deflate sees realistic entropy.
double synthetic_bt(int x, int y) {
  const double u = x / 5424.0, v = y / 5424.0;
  double t = 285 - 60 * std::pow(std::max(0.0, std::sin(u * 19.0 + 3 * std::sin(v * 7.0)) *
                                                   std::sin(v * 23.0 + 2 * std::cos(u * 5.0))),
                                 2.0);
  t -= 25 * std::max(0.0, std::sin(u * 61.0 + v * 13.0) * std::cos(v * 47.0 - u * 11.0));
  std::uint32_t h = static_cast<std::uint32_t>(x) * 73856093u ^ static_cast<std::uint32_t>(y) * 19349663u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return t + ((h & 0xff) / 255.0 - 0.5) * 0.8;
}

void write_full_disk(const std::filesystem::path& path) {
  AbiL1bSpec spec;
  spec.area = FixedGridArea::full_disk(5424);
  spec.start = *make_utc(2024, 12, 21, 18, 0, 21, 700);
  const std::size_t n = 5424ull * 5424ull;
  spec.packed.assign(n, static_cast<std::uint16_t>(spec.fill_value));
  spec.dqf.assign(n, 255);  // NOAA: off-disk DQF is its fill (-1)
  FixedGridProjection proj;
  const double limb_x = proj.limb_angle_x(), limb_y = std::asin(proj.semi_minor / proj.H());
  ThreadPool::global().parallel_for(0, 5424, [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
    for (auto y = y0; y < y1; ++y) {
      for (int x = 0; x < 5424; ++x) {
        const auto s = spec.area.scan_of(x, static_cast<double>(y));
        if (std::hypot(s.x / limb_x, s.y / limb_y) >= 1.0) continue;
        const std::size_t i = static_cast<std::size_t>(y) * 5424 + x;
        spec.packed[i] = pack_brightness_temperature(synthetic_bt(x, static_cast<int>(y)), spec);
        spec.dqf[i] = 0;
      }
    }
  });
  write_abi_l1b(path, spec);
}

void read_rad_only(const std::filesystem::path& path) {
  // Allocated per read, as the renderer must.
  auto buffer = std::make_unique_for_overwrite<short[]>(5424ull * 5424ull);
  int nc = -1, var = -1;
  if (nc_open(path.c_str(), NC_NOWRITE, &nc) != NC_NOERR || nc_inq_varid(nc, "Rad", &var) != NC_NOERR ||
      nc_get_var_short(nc, var, buffer.get()) != NC_NOERR) {
    fail(ErrorKind::Io, "baseline read of {} failed", path.string());
  }
  nc_close(nc);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, reps = 5;
  bool keep = false;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--keep")) keep = true;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--reps")) reps = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  try {
    ThreadPool::configure_global(threads);
    const auto file = dir / "bench_render_OR_ABI-L1b-RadF-M6C13_G16_s20243561800217.nc";
    auto t0 = Clock::now();
    write_full_disk(file);
    fmt::print("generated {} ({:.1f} MB) in {:.1f} s; pool threads {}\n", file.string(),
               std::filesystem::file_size(file) / 1e6,
               std::chrono::duration<double>(Clock::now() - t0).count(), ThreadPool::global().size());

    RenderOptions options;
    const auto base = median_ms(reps, [&] { read_rad_only(file); });
    report("read+inflate Rad alone (baseline)", base);
    report("render_abi_file, grey (target <= 1.3x)",
           median_ms(reps, [&] { (void)render_abi_file(file, options); }), &base);
    options.colormap = "noaa-ir";
    report("render_abi_file, noaa-ir colour table",
           median_ms(reps, [&] { (void)render_abi_file(file, options); }), &base);
    options.colormap.clear();
    options.resolution_km = 4;
    report("render_abi_file, --resolution 4km",
           median_ms(reps, [&] { (void)render_abi_file(file, options); }), &base);

    // False colour per 2712x2712 frame.
    options.resolution_km = 4;
    const auto frame = render_abi_file(file, options);
    Image map(4096, 2048, 3, SampleType::U8);
    for (int y = 0; y < map.height(); ++y) {
      auto* row = map.row<std::uint8_t>(y);
      for (int x = 0; x < map.width() * 3; ++x) row[x] = static_cast<std::uint8_t>((x * 7 + y * 3) & 0xff);
    }
    const auto map_path = dir / "bench_render_underlay.png";
    write_image(map_path, map);
    FalseColourOptions fc;
    fc.underlay = map_path;
    t0 = Clock::now();
    (void)false_colour(frame.image, -75.0, fc);
    fmt::print("false colour first frame (projects the underlay) {:8.1f} ms\n",
               std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    report("false colour 2712x2712 underlay (warm)",
           median_ms(reps, [&] { (void)false_colour(frame.image, -75.0, fc); }));
    fc.equalise = true;
    fc.saturation = 1.2;
    fc.atmosphere = true;
    (void)false_colour(frame.image, -75.0, fc);
    report("  + equalise, saturation, limb glow (warm)",
           median_ms(reps, [&] { (void)false_colour(frame.image, -75.0, fc); }));
    FalseColourOptions gradient_only;
    gradient_only.underlay.clear();
    (void)false_colour(frame.image, -75.0, gradient_only);
    report("false colour 2712x2712 gradient-only (warm)",
           median_ms(reps, [&] { (void)false_colour(frame.image, -75.0, gradient_only); }));
    if (!keep) std::filesystem::remove(file);
    std::filesystem::remove(map_path);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_render: %s\n", e.describe().c_str());
    return 1;
  }
  return 0;
}
