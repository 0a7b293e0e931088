#include "render/abi_reader.hpp"

#include <dlfcn.h>
#include <netcdf.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "render/netcdf_lock.hpp"

namespace goesvfi {

namespace {

// An open NetCDF file; the caller holds netcdf_library_mutex() for the whole lifetime.
class NcFile {
 public:
  explicit NcFile(const std::filesystem::path& path) : m_path(path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail(ErrorKind::NotFound, "{} does not exist", path.string());
    silence_hdf5_error_printing_on_this_thread();
    const int rc = nc_open(path.c_str(), NC_NOWRITE, &m_id);
    if (rc != NC_NOERR) {
      if (rc == NC_ENOTNC) {
        fail(ErrorKind::Corrupt, "{} is not a NetCDF file (expected a GOES-R ABI NetCDF-4 file)",
             path.string());
      }
      if (rc == EACCES) fail(ErrorKind::AccessDenied, "{} cannot be read: permission denied", path.string());
      fail(ErrorKind::Corrupt, "{} cannot be opened as NetCDF ({}); the file may be truncated", path.string(),
           nc_strerror(rc));
    }
  }
  ~NcFile() { nc_close(m_id); }
  NcFile(const NcFile&) = delete;
  NcFile& operator=(const NcFile&) = delete;

  int id() const { return m_id; }
  const std::filesystem::path& path() const { return m_path; }

  std::optional<int> var(const std::string& name) const {
    int varid = -1;
    if (nc_inq_varid(m_id, name.c_str(), &varid) != NC_NOERR) return std::nullopt;
    return varid;
  }
  int require_var(const std::string& name) const {
    auto v = var(name);
    if (!v) fail(ErrorKind::Corrupt, "{} has no variable '{}'", m_path.string(), name);
    return *v;
  }
  void check(int rc, std::string_view what) const {
    if (rc != NC_NOERR) {
      fail(ErrorKind::Corrupt, "{}: cannot read {} ({}); the file may be truncated", m_path.string(), what,
           nc_strerror(rc));
    }
  }
  std::optional<double> att_double(int varid, const char* name) const {
    nc_type type;
    size_t len = 0;
    if (nc_inq_att(m_id, varid, name, &type, &len) != NC_NOERR || len < 1 || type == NC_CHAR)
      return std::nullopt;
    std::vector<double> values(len);
    check(nc_get_att_double(m_id, varid, name, values.data()), name);
    return values[0];
  }
  std::optional<std::string> att_text(int varid, const char* name) const {
    nc_type type;
    size_t len = 0;
    if (nc_inq_att(m_id, varid, name, &type, &len) != NC_NOERR || type != NC_CHAR) return std::nullopt;
    std::string text(len, '\0');
    check(nc_get_att_text(m_id, varid, name, text.data()), name);
    while (!text.empty() && text.back() == '\0') text.pop_back();
    return text;
  }
  // A scalar variable as double; nullopt when missing or equal to its _FillValue.
  std::optional<double> scalar(const std::string& name) const {
    auto v = var(name);
    if (!v) return std::nullopt;
    double value = 0;
    check(nc_get_var_double(m_id, *v, &value), name);
    if (auto fill = att_double(*v, "_FillValue"); fill && value == *fill) return std::nullopt;
    if (std::isnan(value)) return std::nullopt;
    return value;
  }
  std::vector<double> vector_scaled(int varid, std::size_t n, const std::string& name) const {
    std::vector<double> values(n);
    check(nc_get_var_double(m_id, varid, values.data()), name);
    const double scale = att_double(varid, "scale_factor").value_or(1.0);
    const double offset = att_double(varid, "add_offset").value_or(0.0);
    for (auto& v : values) v = v * scale + offset;
    return values;
  }

 private:
  std::filesystem::path m_path;
  int m_id = -1;
};

UtcTime j2000_epoch() {
  return *make_utc(2000, 1, 1, 12, 0, 0);
}

AbiHeader read_header_locked(const NcFile& nc, int band) {
  AbiHeader h;
  h.file = nc.path();
  const auto& file = nc.path().string();

  // Which imagery variable: Rad (L1b), CMI (CMIP), CMI_Cnn (MCMIP).
  int file_band = 0;
  if (auto band_var = nc.var("band_id")) {
    signed char b = 0;
    nc.check(nc_get_var_schar(nc.id(), *band_var, &b), "band_id");
    file_band = b;
  }
  if (nc.var("Rad")) {
    h.product = AbiProduct::L1bRadiance;
    h.variable = "Rad";
  } else if (nc.var("CMI")) {
    h.product = AbiProduct::L2Cmi;
    h.variable = "CMI";
  } else if (nc.var("CMI_C01") || nc.var("CMI_C13")) {
    h.product = AbiProduct::L2Mcmip;
    if (band == 0) {
      fail(ErrorKind::InvalidArgument, "{} is a multi-band MCMIP file: choose a band (1-16)", file);
    }
    if (band < 1 || band > 16) fail(ErrorKind::InvalidArgument, "band {} is not an ABI band (1-16)", band);
    h.variable = fmt::format("CMI_C{:02d}", band);
    if (!nc.var(h.variable))
      fail(ErrorKind::NotFound, "band {} is not in {} (no {})", band, file, h.variable);
    file_band = band;
  } else {
    auto title = nc.att_text(NC_GLOBAL, "title").value_or("unknown product");
    fail(ErrorKind::Unsupported,
         "{} is not ABI imagery ({}): expected a variable Rad (L1b), CMI (L2 CMIP) or CMI_Cnn (MCMIP)", file,
         title);
  }
  if (file_band < 1 || file_band > 16) {
    fail(ErrorKind::Corrupt, "{}: band_id {} is not an ABI band (1-16)", file, file_band);
  }
  if (band != 0 && band != file_band) {
    fail(ErrorKind::NotFound, "band {} is not in {}: it holds band {}", band, file, file_band);
  }
  h.band = file_band;
  h.quantity = h.band <= 6 ? AbiQuantity::Reflectance : AbiQuantity::BrightnessTemperature;
  if (h.product == AbiProduct::L2Mcmip) {
    h.dqf_variable = fmt::format("DQF_C{:02d}", h.band);
  } else {
    h.dqf_variable = "DQF";
  }
  if (!nc.var(h.dqf_variable)) h.dqf_variable.clear();

  // Shape and packing.
  const int varid = nc.require_var(h.variable);
  int ndims = 0;
  nc.check(nc_inq_varndims(nc.id(), varid, &ndims), h.variable);
  if (ndims != 2)
    fail(ErrorKind::Corrupt, "{}: {} has {} dimensions, expected 2 (y, x)", file, h.variable, ndims);
  int dims[2];
  nc.check(nc_inq_vardimid(nc.id(), varid, dims), h.variable);
  size_t ny = 0, nx = 0;
  nc.check(nc_inq_dimlen(nc.id(), dims[0], &ny), "y dimension");
  nc.check(nc_inq_dimlen(nc.id(), dims[1], &nx), "x dimension");
  if (nx < 1 || ny < 1 || nx > 65536 || ny > 65536) {
    fail(ErrorKind::Corrupt, "{}: {} is {}x{}, expected 1..65536 pixels a side", file, h.variable, nx, ny);
  }
  h.width = static_cast<int>(nx);
  h.height = static_cast<int>(ny);
  nc_type type;
  nc.check(nc_inq_vartype(nc.id(), varid, &type), h.variable);
  if (type != NC_SHORT && type != NC_USHORT) {
    fail(ErrorKind::Unsupported, "{}: {} is stored as NetCDF type {}, expected packed 16-bit integers", file,
         h.variable, static_cast<int>(type));
  }
  h.scale_factor = nc.att_double(varid, "scale_factor").value_or(1.0);
  h.add_offset = nc.att_double(varid, "add_offset").value_or(0.0);
  h.is_unsigned = type == NC_USHORT || nc.att_text(varid, "_Unsigned").value_or("") == "true";
  if (auto fill = nc.att_double(varid, "_FillValue")) {
    h.has_fill = true;
    h.fill_value = static_cast<int>(*fill);
  }

  // Calibration.
  if (h.product == AbiProduct::L1bRadiance) {
    if (h.quantity == AbiQuantity::BrightnessTemperature) {
      const char* names[] = {"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"};
      double* targets[] = {&h.planck_fk1, &h.planck_fk2, &h.planck_bc1, &h.planck_bc2};
      for (int i = 0; i < 4; ++i) {
        auto v = nc.scalar(names[i]);
        if (!v) {
          fail(ErrorKind::Corrupt,
               "{}: IR band {} needs the Planck constant variable {}, which is missing or fill", file, h.band,
               names[i]);
        }
        *targets[i] = *v;
      }
      if (h.planck_fk1 <= 0 || h.planck_fk2 <= 0 || h.planck_bc2 == 0) {
        fail(ErrorKind::Corrupt, "{}: Planck constants fk1={} fk2={} bc2={} are not physical", file,
             h.planck_fk1, h.planck_fk2, h.planck_bc2);
      }
    } else {
      auto k = nc.scalar("kappa0");
      if (!k) {
        fail(ErrorKind::Corrupt, "{}: reflective band {} needs the variable kappa0, which is missing or fill",
             file, h.band);
      }
      h.kappa0 = *k;
    }
  }

  // Geometry.
  if (auto proj = nc.var("goes_imager_projection")) {
    h.projection.lon0_deg = nc.att_double(*proj, "longitude_of_projection_origin").value_or(-75.0);
    h.projection.perspective_height =
        nc.att_double(*proj, "perspective_point_height").value_or(h.projection.perspective_height);
    h.projection.semi_major = nc.att_double(*proj, "semi_major_axis").value_or(h.projection.semi_major);
    h.projection.semi_minor = nc.att_double(*proj, "semi_minor_axis").value_or(h.projection.semi_minor);
  } else {
    fail(ErrorKind::Corrupt, "{} has no variable 'goes_imager_projection' (the fixed-grid navigation)", file);
  }
  const auto xs = nc.vector_scaled(nc.require_var("x"), nx, "x");
  const auto ys = nc.vector_scaled(nc.require_var("y"), ny, "y");
  h.area.width = h.width;
  h.area.height = h.height;
  h.area.x0 = xs.front();
  h.area.y0 = ys.front();
  h.area.dx = nx > 1 ? (xs.back() - xs.front()) / static_cast<double>(nx - 1) : 56e-6;
  h.area.dy = ny > 1 ? (ys.back() - ys.front()) / static_cast<double>(ny - 1) : -56e-6;
  // 28 microradians is 1 km at the sub-satellite point (PUG); round to the nominal 0.5 km steps.
  h.resolution_km = std::max(0.5, std::round(std::abs(h.area.dx) / 28e-6 * 2.0) / 2.0);

  // Identity and time.
  h.platform = nc.att_text(NC_GLOBAL, "platform_ID").value_or("");
  h.scene = nc.att_text(NC_GLOBAL, "scene_id").value_or("");
  if (auto start = nc.att_text(NC_GLOBAL, "time_coverage_start"); start && try_parse_utc(*start)) {
    h.start = *try_parse_utc(*start);
  } else if (auto tb = nc.var("time_bounds")) {
    double bounds[2] = {0, 0};
    nc.check(nc_get_var_double(nc.id(), *tb, bounds), "time_bounds");
    h.start = j2000_epoch() + std::chrono::milliseconds(std::llround(bounds[0] * 1000.0));
  } else {
    fail(ErrorKind::Corrupt, "{} has neither time_coverage_start nor time_bounds: the scan time is unknown",
         file);
  }
  return h;
}

}  // namespace

// HDF5 prints its whole error stack to stderr whenever netCDF probes an optional attribute that is absent
// (netCDF 4.9 asks for the _Quantize* attributes of every variable). Errors reach us as return codes, so the
// automatic printing is switched off, once per thread (a thread-safe HDF5 keeps this setting per thread).
// Looked up at run time: libhdf5 is loaded by libnetcdf, and linking it directly would tie us to one HDF5
// flavour (serial/openmpi).
void silence_hdf5_error_printing_on_this_thread() {
  thread_local const bool done = [] {
    using SetAuto = int (*)(std::int64_t, void*, void*);
    if (auto fn = reinterpret_cast<SetAuto>(dlsym(RTLD_DEFAULT, "H5Eset_auto2")))
      fn(0 /* H5E_DEFAULT */, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

std::mutex& netcdf_library_mutex() {
  static std::mutex m;
  return m;
}

AbiHeader read_abi_header(const std::filesystem::path& file, int band) {
  std::lock_guard lock(netcdf_library_mutex());
  NcFile nc(file);
  return read_header_locked(nc, band);
}

AbiRaw read_abi_raw(const std::filesystem::path& file, int band) {
  AbiRaw raw;
  std::lock_guard lock(netcdf_library_mutex());
  NcFile nc(file);
  raw.header = read_header_locked(nc, band);
  const auto& h = raw.header;
  const std::size_t n = static_cast<std::size_t>(h.width) * h.height;
  raw.packed.resize(n);
  // Read as signed shorts and reinterpret: nc_get_var_ushort would range-check the _Unsigned values.
  static_assert(sizeof(short) == sizeof(std::uint16_t));
  nc.check(nc_get_var_short(nc.id(), nc.require_var(h.variable), reinterpret_cast<short*>(raw.packed.data())),
           h.variable);
  if (!h.dqf_variable.empty()) {
    raw.dqf.resize(n);
    nc.check(nc_get_var_schar(nc.id(), nc.require_var(h.dqf_variable),
                              reinterpret_cast<signed char*>(raw.dqf.data())),
             h.dqf_variable);
  }
  return raw;
}

double brightness_temperature(double radiance, const AbiHeader& h) {
  if (!(radiance > 0)) return std::numeric_limits<double>::quiet_NaN();
  return (h.planck_fk2 / std::log(h.planck_fk1 / radiance + 1.0) - h.planck_bc1) / h.planck_bc2;
}

double reflectance_factor(double radiance, const AbiHeader& h) {
  return radiance * h.kappa0;
}

std::vector<float> calibration_table(const AbiHeader& h) {
  std::vector<float> table(65536);
  const int fill16 = h.has_fill ? (h.fill_value & 0xffff) : -1;
  for (int p = 0; p < 65536; ++p) {
    if (p == fill16) {
      table[p] = std::numeric_limits<float>::quiet_NaN();
      continue;
    }
    const double packed = h.is_unsigned ? p : static_cast<std::int16_t>(static_cast<std::uint16_t>(p));
    const double value = packed * h.scale_factor + h.add_offset;
    double out = value;
    if (h.product == AbiProduct::L1bRadiance) {
      out = h.quantity == AbiQuantity::BrightnessTemperature ? brightness_temperature(value, h)
                                                             : reflectance_factor(value, h);
    }
    table[p] = static_cast<float>(out);
  }
  return table;
}

std::array<bool, 256> dqf_invalid_table(const std::vector<int>& invalid) {
  std::array<bool, 256> table{};
  for (int v : invalid) {
    if (v < 0 || v > 255) fail(ErrorKind::InvalidArgument, "DQF value {} is outside 0..255", v);
    table[static_cast<std::size_t>(v)] = true;
  }
  return table;
}

std::vector<int> parse_dqf_list(std::string_view text) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find(',', pos);
    if (end == std::string_view::npos) end = text.size();
    auto item = text.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      int v = 0;
      auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
      if (ec != std::errc() || p != item.data() + item.size() || v < 0 || v > 255) {
        fail(ErrorKind::InvalidArgument,
             "render.dqf_invalid '{}': '{}' is not a DQF value (expected comma-separated integers 0-255)",
             text, item);
      }
      out.push_back(v);
    }
    pos = end + 1;
  }
  return out;
}

AbiField read_abi_field(const std::filesystem::path& file, const AbiReadOptions& options) {
  return calibrate_abi_raw(read_abi_raw(file, options.band), options);
}

AbiField calibrate_abi_raw(const AbiRaw& raw, const AbiReadOptions& options) {
  if (options.downsample < 1) {
    fail(ErrorKind::InvalidArgument, "downsample factor {} must be at least 1", options.downsample);
  }
  const auto& file = raw.header.file;
  const auto table = calibration_table(raw.header);
  const auto invalid = dqf_invalid_table(options.dqf_invalid);
  const auto& h = raw.header;
  const int f = options.downsample;
  const int out_w = h.width / f, out_h = h.height / f;
  if (out_w < 1 || out_h < 1) {
    fail(ErrorKind::InvalidArgument, "{} ({}x{}) is smaller than one {}x{} averaging block", file.string(),
         h.width, h.height, f, f);
  }
  AbiField field;
  field.header = h;
  field.header.width = out_w;
  field.header.height = out_h;
  field.header.area = h.area.downsampled(f);
  field.header.resolution_km = h.resolution_km * f;
  field.values = Image(out_w, out_h, 1, SampleType::F32);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const bool has_dqf = !raw.dqf.empty();
  ThreadPool::global().parallel_for(
      0, out_h,
      [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
        std::vector<double> sum(static_cast<std::size_t>(out_w));
        std::vector<int> count(static_cast<std::size_t>(out_w));
        for (auto oy = y0; oy < y1; ++oy) {
          std::fill(sum.begin(), sum.end(), 0.0);
          std::fill(count.begin(), count.end(), 0);
          for (int dy = 0; dy < f; ++dy) {
            const std::size_t row = static_cast<std::size_t>(oy * f + dy) * h.width;
            for (int ox = 0; ox < out_w; ++ox) {
              for (int dx = 0; dx < f; ++dx) {
                const std::size_t i = row + static_cast<std::size_t>(ox * f + dx);
                if (has_dqf && invalid[raw.dqf[i]]) continue;
                const float v = table[raw.packed[i]];
                if (std::isnan(v)) continue;
                sum[ox] += v;
                ++count[ox];
              }
            }
          }
          float* out = field.values.row<float>(static_cast<int>(oy));
          for (int ox = 0; ox < out_w; ++ox) {
            out[ox] = count[ox] ? static_cast<float>(sum[ox] / count[ox]) : nan;
          }
        }
      },
      8);
  return field;
}

}  // namespace goesvfi
