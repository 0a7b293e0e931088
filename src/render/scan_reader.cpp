#include "render/scan_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "colour/product.hpp"
#include "core/error.hpp"

namespace goesvfi {

namespace {

bool near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

// What differs between the grid of `h` and that of `first` ("" when they match).
std::string grid_difference(const AbiHeader& first, const AbiHeader& h) {
  if (h.platform != first.platform)
    return fmt::format("satellite {} (band {}: {})", h.platform, first.band, first.platform);
  if (h.scene != first.scene)
    return fmt::format("scene '{}' (band {}: '{}')", h.scene, first.band, first.scene);
  if (h.start != first.start)
    return fmt::format("start {} (band {}: {})", format_iso(h.start), first.band, format_iso(first.start));
  if (h.width != first.width || h.height != first.height)
    return fmt::format("size {}x{} (band {}: {}x{}): bands of different resolution need resampling", h.width,
                       h.height, first.band, first.width, first.height);
  const auto& a = first.area;
  const auto& b = h.area;
  if (!near(a.x0, b.x0) || !near(a.dx, b.dx) || !near(a.y0, b.y0) || !near(a.dy, b.dy))
    return fmt::format("scan angles x0 {} dx {} y0 {} dy {} (band {}: {} {} {} {})", b.x0, b.dx, b.y0, b.dy,
                       first.band, a.x0, a.dx, a.y0, a.dy);
  if (!near(h.projection.lon0_deg, first.projection.lon0_deg))
    return fmt::format("sub-satellite longitude {} (band {}: {})", h.projection.lon0_deg, first.band,
                       first.projection.lon0_deg);
  return {};
}

}  // namespace

std::vector<ScanInputs> group_scan_inputs(const std::vector<std::filesystem::path>& inputs,
                                          const std::vector<int>& bands) {
  std::vector<std::string> names;
  names.reserve(inputs.size());
  for (const auto& p : inputs) names.push_back(p.filename().string());
  std::vector<ScanInputs> out;
  for (auto& scan : goes::group_by_scan(names, bands)) {
    ScanInputs s;
    if (scan.complete()) {
      for (const auto& index : scan.files) s.files.push_back(inputs[*index]);
    }
    s.scan = std::move(scan);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<AbiField> read_scan_fields(const std::vector<std::filesystem::path>& files,
                                       const std::vector<int>& bands, const AbiReadOptions& options) {
  if (files.size() != bands.size() || files.empty()) {
    fail(ErrorKind::InvalidArgument, "{} file(s) given for bands {}: one file per band", files.size(),
         fmt::join(bands, ", "));
  }
  std::vector<AbiField> fields;
  fields.reserve(files.size());
  for (std::size_t k = 0; k < files.size(); ++k) {
    AbiReadOptions o = options;
    o.band = bands[k];
    fields.push_back(read_abi_field(files[k], o));
    if (k == 0) continue;
    if (auto diff = grid_difference(fields[0].header, fields[k].header); !diff.empty()) {
      fail(ErrorKind::InvalidArgument, "{} (band {}) is not on the grid of {}: {}", files[k].string(),
           bands[k], files[0].filename().string(), diff);
    }
  }
  return fields;
}

RenderedFrame render_scan(const std::vector<std::filesystem::path>& files, const RenderOptions& options) {
  const Product& p = product_for(options.product);
  if (p.kind != ProductKind::Recipe) {
    fail(ErrorKind::InvalidArgument, "product '{}' shows one band: render its files one at a time", p.name);
  }
  return with_context(
      fmt::format("while rendering {} from {}", p.name, files.empty() ? "" : files[0].string()), [&] {
        const int factor =
            files.empty() ? 1
                          : downsample_factor(options.resolution_km, read_abi_header(files[0], p.bands[0]));
        auto fields = read_scan_fields(files, p.bands, {0, options.dqf_invalid, factor});
        std::vector<Image> values;
        values.reserve(fields.size());
        for (const auto& f : fields) values.push_back(f.values);
        RenderedFrame frame;
        frame.image = p.combine(values);
        frame.header = std::move(fields[0].header);
        frame.header.band = 0;
        return frame;
      });
}

std::string recipe_name_code(const Product& product) {
  std::string code;
  for (char c : product.name) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return code;
}

}  // namespace goesvfi
