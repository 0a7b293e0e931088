// Many files to image files: NetCDF rendered, images (goesproc/CDN JPGs) passed through the transform (false
// colour), in parallel on the global pool, written atomically under goesproc names.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "goes/names.hpp"
#include "render/render.hpp"
#include "render/scan_reader.hpp"

namespace goesvfi {

namespace {

bool is_netcdf(const std::filesystem::path& p) {
  return goes::is_netcdf_name(p.filename().string());
}

std::string sector_code_for(const AbiHeader& h) {
  if (auto noaa = goes::try_parse_noaa_name(h.file.filename().string())) {
    switch (noaa->sector) {
      case goes::Sector::FullDisk:
        return "FD";
      case goes::Sector::Conus:
        return "CONUS";
      case goes::Sector::Meso1:
        return "M1";
      case goes::Sector::Meso2:
        return "M2";
    }
  }
  if (h.scene == "Full Disk") return "FD";
  if (h.scene == "CONUS") return "CONUS";
  if (h.scene == "Mesoscale") return "M1";
  return "FD";
}

// A frame from an image file: navigation from its name (satellite -> nominal longitude) and a full-disk
// geometry when it is square.
RenderedFrame frame_from_image(const std::filesystem::path& file) {
  RenderedFrame frame;
  const auto name = goes::parse_scene_name(file.filename().string());
  if (!name || !name->satellite) {
    fail(ErrorKind::InvalidArgument,
         "{}: an image input needs a goesproc or CDN name (e.g. GOES16_FD_CH13_20241221T180021Z.jpg) to know "
         "its satellite and time",
         file.string());
  }
  frame.image = read_image(file);
  auto& h = frame.header;
  h.file = file;
  h.platform = goes::satellite_id(*name->satellite);
  h.band = name->band.value_or(13);
  h.start = name->start;
  h.width = frame.image.width();
  h.height = frame.image.height();
  h.scene = !name->sector || *name->sector == goes::Sector::FullDisk ? "Full Disk"
            : *name->sector == goes::Sector::Conus                   ? "CONUS"
                                                                     : "Mesoscale";
  h.projection.lon0_deg = satellite_longitude_or_east(goes::satellite_number(*name->satellite));
  h.area = FixedGridArea::full_disk(h.width);
  return frame;
}

}  // namespace

std::string rendered_name(const AbiHeader& header, const std::string& extension, const std::string& product) {
  goes::GoesprocName n;
  if (header.platform.empty()) {
    fail(ErrorKind::Corrupt, "{} has no platform_ID: cannot name the rendered image", header.file.string());
  }
  n.satellite = goes::parse_satellite(header.platform);
  n.sector_code = sector_code_for(header);
  if (product.empty()) {
    n.band = header.band;
  } else {
    n.product = product;
  }
  n.time = std::chrono::floor<std::chrono::seconds>(header.start);
  n.extension = extension.starts_with('.') ? extension : "." + extension;
  return goes::format_goesproc_name(n);
}

std::vector<std::filesystem::path> list_netcdf_inputs(const std::vector<std::filesystem::path>& inputs) {
  std::vector<std::filesystem::path> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& e : std::filesystem::directory_iterator(in, ec)) {
        if (e.is_regular_file(ec) && (is_netcdf(e.path()) || is_image_extension(e.path()))) {
          found.push_back(e.path());
        }
      }
      if (ec) fail(ErrorKind::Io, "cannot list {}: {}", in.string(), ec.message());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(in, ec)) {
      out.push_back(in);
    } else {
      fail(ErrorKind::NotFound, "input {} does not exist", in.string());
    }
  }
  return out;
}

RenderBatchOptions render_batch_options_from(const Config& config) {
  RenderBatchOptions o;
  o.render = RenderOptions::from_config(config);
  o.format = config.get_string("render.format");
  o.jpeg_quality = static_cast<int>(config.get_int("render.jpeg_quality"));
  o.jobs = static_cast<int>(config.get_int("render.jobs"));
  return o;
}

RenderBatchResult render_files(const std::vector<std::filesystem::path>& inputs, const RenderBatchOptions& o,
                               Progress& progress, const CancelToken& cancel) {
  if (o.format != "png" && o.format != "jpg") {
    fail(ErrorKind::InvalidArgument, "output format '{}' is not supported: expected png or jpg", o.format);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(o.output_dir, ec)) {
    fail(ErrorKind::NotFound, "output folder {} does not exist", o.output_dir.string());
  }
  RenderBatchResult result;
  // The unit of work: one file, or the files of one scan for a recipe (a multi-band product).
  const Product* recipe = o.render.product.empty() ? nullptr : &product_for(o.render.product);
  if (recipe && recipe->kind != ProductKind::Recipe) recipe = nullptr;
  std::vector<std::vector<std::filesystem::path>> units;
  if (recipe) {
    for (auto& s : group_scan_inputs(inputs, recipe->bands)) {
      if (s.scan.complete()) {
        units.push_back(std::move(s.files));
      } else {
        result.incomplete.push_back(s.scan.describe_missing());
      }
    }
    if (units.empty()) {
      fail(ErrorKind::NotFound,
           "product '{}' needs bands {} of one scan: no scan among the {} input(s) has them all{}",
           recipe->name, fmt::join(recipe->bands, ", "), inputs.size(),
           result.incomplete.empty() ? ""
                                     : " (" + fmt::format("{}", fmt::join(result.incomplete, "; ")) + ")");
    }
  } else {
    for (const auto& file : inputs) units.push_back({file});
  }
  result.written.resize(units.size());
  auto task = progress.task("render", static_cast<std::int64_t>(units.size()), recipe ? "scans" : "files");
  std::mutex names_mutex;
  std::map<std::string, std::filesystem::path> claimed;  // output name -> input, to catch collisions
  // `jobs` workers each take the next file; per-file pixel work also uses the pool.
  const int jobs = std::clamp(o.jobs > 0 ? o.jobs : ThreadPool::global().size(), 1,
                              std::max<int>(1, static_cast<int>(units.size())));
  std::atomic<std::size_t> next{0};
  ThreadPool::global().parallel_for(
      0, jobs,
      [&](std::ptrdiff_t, std::ptrdiff_t) {
        for (std::size_t i = next++; i < units.size(); i = next++) {
          cancel.throw_if_cancelled();
          const auto& file = units[i].front();
          {
            RenderedFrame frame;
            if (recipe) {
              frame = render_scan(units[i], o.render);
            } else if (is_netcdf(file)) {
              frame = render_abi_file(file, o.render);
            } else if (is_image_extension(file)) {
              if (!o.transform) {
                fail(ErrorKind::InvalidArgument,
                     "{} is already an image: only NetCDF files are rendered (images can be false-coloured)",
                     file.string());
              }
              frame = with_context("while reading " + file.string(), [&] { return frame_from_image(file); });
            } else {
              fail(ErrorKind::InvalidArgument, "{} is neither NetCDF (.nc) nor an image", file.string());
            }
            Image image = o.transform ? with_context("while colouring " + file.string(),
                                                     [&] { return o.transform(frame); })
                                      : frame.image;
            if (o.format == "jpg" && image.channels() == 4) image = convert_channels(image, 3);
            const auto name = rendered_name(frame.header, o.format,
                                            recipe        ? recipe_name_code(*recipe)
                                            : o.transform ? o.transform_product
                                                          : "");
            {
              std::lock_guard lock(names_mutex);
              auto [it, inserted] = claimed.emplace(name, file);
              if (!inserted) {
                fail(ErrorKind::InvalidArgument, "{} and {} would both be written as {}", it->second.string(),
                     file.string(), name);
              }
            }
            const auto target = o.output_dir / name;
            write_image(target, image, o.jpeg_quality);
            result.written[i] = target;
          }
          task.advance();
        }
      },
      1);
  task.finish();
  return result;
}

}  // namespace goesvfi
