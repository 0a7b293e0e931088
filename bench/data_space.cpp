// bench_data_space: interpolating the data (interpolate.space = data) against interpolating the pictures
// (colour), on the demo's generated scene, scored against the true middle frame rendered the same way.
//
//   bench_data_space [--size N] [--scans N] [--step K] [--backends flow,blend,minterpolate] [--dir FOLDER]
//                    [--png DIR]
//
// 1. Writes the demo's GOES-16 band-13 full disk (pipeline/demo.hpp: a cloud field advected by a known flow,
//    NOAA-layout NetCDF) every 10 minutes, no scan missing.
// 2. For each pair of scans 2K apart (i, i+2K; --step K, default 1: 20 minutes) and each product (band 13
//    grey, the noaa-ir colour table, false colour), both orders produce the t = 0.5 frame between them:
//      colour: colour(i), colour(i+2) -> interpolate;   data: data(i), data(i+2) -> interpolate -> colour,
//    where data(.) is render_abi_data and colour(.) is the timelapse's colouring step (frame_colouring). Each
//    is scored (PSNR, SSIM over all pixels) against colour(i+K), the true middle scan rendered the same way;
//    for the colour table, also the share of pixels whose colour is not in the table (farther than 24 in
//    any channel from every entry and from black).
// 3. Milliseconds (process CPU) per synthesised frame, colouring included, for each order.
// --png DIR writes the first pair's frames (truth, colour, data) of each product and backend.
// Output: a markdown table on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "colour/false_colour.hpp"
#include "colour/gradient.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "interp/interpolator.hpp"
#include "interp/metrics.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/timelapse.hpp"
#include "render/render.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct Shown {
  std::string label;
  RenderOptions render;
  bool false_colour = false;
  std::string table;  // a colour table whose colours are counted
};

struct Scan {
  DataFrame data;
  FrameColour colour;
  Image picture;
};

// Share of pixels not within 24 levels (every channel) of a colour of the table or black.
double off_table_share(const Image& rgb, const std::vector<Rgb8>& colours) {
  std::int64_t off = 0;
  for (int y = 0; y < rgb.height(); ++y) {
    const auto* p = rgb.row<std::uint8_t>(y);
    for (int x = 0; x < rgb.width(); ++x, p += 3) {
      int best = 255;
      for (const Rgb8& c : colours)
        best = std::min(best, std::max({std::abs(p[0] - c.r), std::abs(p[1] - c.g), std::abs(p[2] - c.b)}));
      off += best > 24;
    }
  }
  return static_cast<double>(off) / (static_cast<double>(rgb.width()) * rgb.height());
}

struct Score {
  double psnr = 0, ssim = 0, off = 0, ms = 0;
  int n = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int size = 1024, scans = 7, step = 2;
  std::string backends = "flow,blend,minterpolate", dir_arg, png_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::string(argv[++i]);
    };
    if (a == "--size") {
      size = std::stoi(value());
    } else if (a == "--scans") {
      scans = std::max(3, std::stoi(value()));
    } else if (a == "--step") {
      step = std::max(1, std::stoi(value())) * 2;
    } else if (a == "--backends") {
      backends = value();
    } else if (a == "--dir") {
      dir_arg = value();
    } else if (a == "--png") {
      png_dir = value();
    } else {
      std::fprintf(stderr,
                   "usage: bench_data_space [--size N] [--scans N] [--step K] [--backends LIST] [--dir D] "
                   "[--png D]\n");
      return 2;
    }
  }
  try {
    const fs::path dir = dir_arg.empty()
                             ? fs::temp_directory_path() / fmt::format("goesvfi-dataspace-{}", size)
                             : fs::path(dir_arg);
    DemoDataOptions demo;
    demo.archive = dir;
    demo.scans = scans;
    demo.missing_index = -1;
    demo.size = size;
    const DemoData data = generate_demo_data(demo, Progress::null(), CancelToken());
    if (!png_dir.empty()) fs::create_directories(png_dir);

    std::vector<Shown> products(3);
    products[0].label = "grey (band 13 default)";
    products[1].label = "noaa-ir colour table";
    products[1].render.product = "noaa-ir";
    products[1].table = "noaa-ir";
    products[2].label = "false colour";
    products[2].render.product = "false-colour";
    products[2].false_colour = true;
    FalseColourOptions colour_options;  // Sanchez's defaults, the installed underlay when there is one
    colour_options.underlay = default_underlay_path();
    colour_options.levels = std::make_shared<const LevelsMap>(LevelsMap::identity());  // fixed range

    const Config config;
    fmt::print(
        "Demo scene {0}x{0}, {1} scans 10 min apart; t = 0.5 of each {2}-minute pair against the true "
        "middle scan ({3} pairs).\n\n",
        size, data.files.size(), 10 * step, data.files.size() - step);
    fmt::print(
        "| product | backend | PSNR colour→interp | PSNR data→colour | SSIM colour | SSIM data | "
        "off-table colour | off-table data | CPU ms/frame colour | CPU ms/frame data |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Shown& product : products) {
      std::vector<Scan> scanned;
      for (const auto& file : data.files) {
        Scan s;
        s.data = render_abi_data(file, product.render);
        s.colour =
            frame_colouring(std::make_shared<const DataPalette>(s.data.header.quantity, s.data.options),
                            product.false_colour ? std::optional(colour_options) : std::nullopt,
                            s.data.header.projection.lon0_deg, s.data.header.area);
        s.picture = s.colour(s.data.data);
        scanned.push_back(std::move(s));
      }
      std::vector<Rgb8> table;
      if (!product.table.empty()) {
        table = {{0, 0, 0}};
        for (const Rgb8& c : make_lut(load_gradient(product.table))) table.push_back(c);
      }
      for (const std::string& backend : split(backends)) {
        auto interpolator = make_interpolator_spec(backend, config);
        std::map<std::string, Score> scores;
        const double half[] = {0.5};
        for (std::size_t i = 0; i + step < scanned.size(); ++i) {
          const Scan &a = scanned[i], &truth = scanned[i + step / 2], &b = scanned[i + step];
          double c0 = cpu_ms();
          const Image by_colour =
              interpolator->interpolate(a.picture, b.picture, half, CancelToken()).front();
          const double ms_colour = cpu_ms() - c0;
          c0 = cpu_ms();
          const Image by_data =
              a.colour(interpolator->interpolate(a.data.data, b.data.data, half, CancelToken()).front());
          const double ms_data = cpu_ms() - c0;
          for (const auto& [name, frame, ms] :
               {std::tuple{"colour", &by_colour, ms_colour}, std::tuple{"data", &by_data, ms_data}}) {
            Score& s = scores[name];
            s.psnr += psnr(*frame, truth.picture);
            s.ssim += ssim(*frame, truth.picture);
            if (!table.empty()) s.off += off_table_share(convert_channels(*frame, 3), table);
            s.ms += ms;
            ++s.n;
          }
          if (i == 0 && !png_dir.empty()) {
            const std::string stem =
                fmt::format("{}/{}_{}", png_dir,
                            product.render.product.empty() ? "grey" : product.render.product, backend);
            write_image(stem + "_truth.png", truth.picture);
            write_image(stem + "_colour.png", by_colour);
            write_image(stem + "_data.png", by_data);
          }
        }
        const Score &c = scores["colour"], &d = scores["data"];
        auto off = [&](const Score& s) {
          return table.empty() ? std::string("–") : fmt::format("{:.2f} %", 100 * s.off / s.n);
        };
        fmt::print("| {} | {} | {:.2f} | {:.2f} | {:.4f} | {:.4f} | {} | {} | {:.0f} | {:.0f} |\n",
                   product.label, backend, c.psnr / c.n, d.psnr / d.n, c.ssim / c.n, d.ssim / d.n, off(c),
                   off(d), c.ms / c.n, d.ms / d.n);
        std::fflush(stdout);
      }
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_data_space: %s\n", e.describe().c_str());
    return 1;
  }
  return 0;
}
