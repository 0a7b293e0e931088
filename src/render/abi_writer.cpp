#include "render/abi_writer.hpp"

#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "render/netcdf_lock.hpp"

namespace goesvfi {

namespace {

void check(int rc, const std::filesystem::path& path, std::string_view what) {
  if (rc != NC_NOERR) fail(ErrorKind::Io, "writing {}: {} failed ({})", path.string(), what, nc_strerror(rc));
}

}  // namespace

std::uint16_t pack_brightness_temperature(double kelvin, const AbiL1bSpec& s) {
  const double radiance =
      s.planck_fk1 / (std::exp(s.planck_fk2 / (s.planck_bc1 + s.planck_bc2 * kelvin)) - 1.0);
  const double packed = std::round((radiance - s.add_offset) / s.scale_factor);
  return static_cast<std::uint16_t>(std::clamp(packed, 0.0, 4094.0));
}

AbiL1bSpec cmip_spec(int band, const FixedGridArea& area, double lon0_deg) {
  AbiL1bSpec s;
  s.product = AbiProduct::L2Cmi;
  s.band = band;
  s.area = area;
  s.lon0_deg = lon0_deg;
  if (band <= 6) {
    s.scale_factor = 0.00024420026;
    s.add_offset = 0.0;
  } else {
    s.scale_factor = 0.04224986;
    s.add_offset = 173.15;
  }
  s.fill_value = 65535;
  return s;
}

std::uint16_t pack_value(double physical, const AbiL1bSpec& s) {
  if (s.product == AbiProduct::L1bRadiance && s.band > 6) return pack_brightness_temperature(physical, s);
  const double packed = std::round((physical - s.add_offset) / s.scale_factor);
  return static_cast<std::uint16_t>(std::clamp(packed, 0.0, 4094.0));
}

void write_abi_file(const std::filesystem::path& path, const AbiL1bSpec& s) {
  const bool mcmip = s.product == AbiProduct::L2Mcmip;
  const bool cmi = s.product == AbiProduct::L2Cmi || mcmip;
  const auto w = static_cast<std::size_t>(s.area.width), h = static_cast<std::size_t>(s.area.height);
  if (s.packed.size() != w * h || (!s.dqf.empty() && s.dqf.size() != w * h)) {
    fail(ErrorKind::InvalidArgument, "ABI spec for {}: {} packed / {} DQF values for a {}x{} area",
         path.string(), s.packed.size(), s.dqf.size(), w, h);
  }
  AtomicFile out(path);
  const auto& tmp = out.temp_path();
  {
    std::lock_guard lock(netcdf_library_mutex());
    silence_hdf5_error_printing_on_this_thread();
    int nc = -1;
    check(nc_create(tmp.c_str(), NC_NETCDF4 | NC_CLOBBER, &nc), path, "nc_create");
    struct Closer {
      int id;
      ~Closer() { nc_close(id); }
    } closer{nc};
    int dy = 0, dx = 0, dband = 0;
    check(nc_def_dim(nc, "y", h, &dy), path, "y");
    check(nc_def_dim(nc, "x", w, &dx), path, "x");
    check(nc_def_dim(nc, "band", 1, &dband), path, "band");
    const int dims[2] = {dy, dx};
    const size_t chunks[2] = {std::min<size_t>(static_cast<size_t>(s.chunk), h),
                              std::min<size_t>(static_cast<size_t>(s.chunk), w)};
    auto text_att = [&](int var, const char* name, const std::string& value) {
      check(nc_put_att_text(nc, var, name, value.size(), value.c_str()), path, name);
    };
    auto float_att = [&](int var, const char* name, double value) {
      const float f = static_cast<float>(value);
      check(nc_put_att_float(nc, var, name, NC_FLOAT, 1, &f), path, name);
    };

    int rad = 0, dqf = 0, xv = 0, yv = 0, proj = 0, band_id = 0;
    // MCMIP holds each band as CMI_Cnn / DQF_Cnn (one band written here) and has no band_id.
    const std::string band_suffix = fmt::format("_C{:02d}", s.band);
    const std::string variable = mcmip ? "CMI" + band_suffix : cmi ? "CMI" : "Rad";
    const std::string dqf_variable = mcmip ? "DQF" + band_suffix : "DQF";
    check(nc_def_var(nc, variable.c_str(), NC_SHORT, 2, dims, &rad), path, variable);
    check(nc_def_var_chunking(nc, rad, NC_CHUNKED, chunks), path, "chunking");
    check(nc_def_var_deflate(nc, rad, 0, 1, s.deflate_level), path, "deflate");
    const short fill = static_cast<short>(static_cast<std::uint16_t>(s.fill_value));
    check(nc_def_var_fill(nc, rad, 0, &fill), path, "_FillValue");
    float_att(rad, "scale_factor", s.scale_factor);
    float_att(rad, "add_offset", s.add_offset);
    text_att(rad, "_Unsigned", "true");
    text_att(rad, "units", cmi ? (s.band <= 6 ? "1" : "K") : "mW m-2 sr-1 (cm-1)-1");

    check(nc_def_var(nc, dqf_variable.c_str(), NC_BYTE, 2, dims, &dqf), path, dqf_variable);
    check(nc_def_var_chunking(nc, dqf, NC_CHUNKED, chunks), path, "DQF chunking");
    check(nc_def_var_deflate(nc, dqf, 0, 1, s.deflate_level), path, "DQF deflate");
    const signed char dqf_fill = -1;
    check(nc_def_var_fill(nc, dqf, 0, &dqf_fill), path, "DQF _FillValue");
    text_att(dqf, "_Unsigned", "true");

    // x/y as NOAA stores them: scaled shorts.
    check(nc_def_var(nc, "x", NC_SHORT, 1, &dx, &xv), path, "x");
    check(nc_def_var(nc, "y", NC_SHORT, 1, &dy, &yv), path, "y");
    const double x_offset = s.area.x0, y_offset = s.area.y0;
    float_att(xv, "scale_factor", s.area.dx);
    float_att(xv, "add_offset", x_offset);
    float_att(yv, "scale_factor", s.area.dy);
    float_att(yv, "add_offset", y_offset);

    check(nc_def_var(nc, "goes_imager_projection", NC_INT, 0, nullptr, &proj), path, "projection");
    auto double_att = [&](const char* name, double v) {
      check(nc_put_att_double(nc, proj, name, NC_DOUBLE, 1, &v), path, name);
    };
    double_att("perspective_point_height", 35786023.0);
    double_att("semi_major_axis", 6378137.0);
    double_att("semi_minor_axis", 6356752.31414);
    double_att("longitude_of_projection_origin", s.lon0_deg);
    text_att(proj, "sweep_angle_axis", "x");
    text_att(proj, "grid_mapping_name", "geostationary");

    if (!mcmip) check(nc_def_var(nc, "band_id", NC_BYTE, 1, &dband, &band_id), path, "band_id");
    const int scalar_count = cmi ? 0 : 5;  // CMIP carries no calibration variables
    const char* scalar_names[] = {"kappa0", "planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"};
    const bool reflective = s.band <= 6;
    const double scalar_values[] = {reflective ? s.kappa0 : -999.0, reflective ? -999.0 : s.planck_fk1,
                                    reflective ? -999.0 : s.planck_fk2, reflective ? -999.0 : s.planck_bc1,
                                    reflective ? -999.0 : s.planck_bc2};
    int scalar_ids[5];
    for (int i = 0; i < scalar_count; ++i) {
      check(nc_def_var(nc, scalar_names[i], NC_FLOAT, 0, nullptr, &scalar_ids[i]), path, scalar_names[i]);
      const float f = -999.0f;
      check(nc_def_var_fill(nc, scalar_ids[i], 0, &f), path, "_FillValue");
    }
    text_att(NC_GLOBAL, "platform_ID", s.platform);
    text_att(NC_GLOBAL, "scene_id", s.scene);
    text_att(NC_GLOBAL, "time_coverage_start", format_iso(s.start));
    text_att(NC_GLOBAL, "title",
             mcmip ? "ABI L2 Cloud and Moisture Imagery (multi-band)"
             : cmi ? "ABI L2 Cloud and Moisture Imagery"
                   : "ABI L1b Radiances");
    check(nc_enddef(nc), path, "nc_enddef");

    check(nc_put_var_short(nc, rad, reinterpret_cast<const short*>(s.packed.data())), path, "Rad data");
    std::vector<std::uint8_t> zeros;
    if (s.dqf.empty()) zeros.assign(w * h, 0);
    const auto& dqf_data = s.dqf.empty() ? zeros : s.dqf;
    check(nc_put_var_schar(nc, dqf, reinterpret_cast<const signed char*>(dqf_data.data())), path, "DQF data");
    std::vector<short> idx(std::max(w, h));
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<short>(i);
    check(nc_put_var_short(nc, xv, idx.data()), path, "x data");
    check(nc_put_var_short(nc, yv, idx.data()), path, "y data");
    if (!mcmip) {
      const signed char b = static_cast<signed char>(s.band);
      check(nc_put_var_schar(nc, band_id, &b), path, "band_id data");
    }
    for (int i = 0; i < scalar_count; ++i) {
      const float f = static_cast<float>(scalar_values[i]);
      check(nc_put_var_float(nc, scalar_ids[i], &f), path, scalar_names[i]);
    }
  }
  out.commit();
}

}  // namespace goesvfi
