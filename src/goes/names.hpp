// File names of the three GOES image families, parsed and formatted (round trip: format(parse(n)) == n):
//   NOAA   OR_ABI-L1b-RadF-M6C13_G16_s20241221800217_e20241221809525_c20241221809583.nc
//          (OR_ operational / OT_ test; start, end and creation as YYYYDDDHHMMSS + tenths of a second)
//   CDN    20241221800_GOES16-ABI-FD-13-5424x5424.jpg   (NOAA STAR CDN: YYYYDDDHHMM of the scan)
//   goesproc/Sanchez  GOES16_FD_CH13_20241221T180021Z.jpg  (goestools; also what our renderer writes)
// Bad names fail with InvalidArgument naming the field that is wrong; try_* variants return nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "goes/domain.hpp"

namespace goesvfi::goes {

struct NoaaName {
  std::string system = "OR";  // "OR" operational, "OT" test
  Product product;
  Sector sector = Sector::FullDisk;
  int mode = 6;
  std::optional<int> band;  // absent for band-less products (MCMIP, ACHA, FDC, ...)
  Satellite satellite = Satellite::G16;
  UtcTime start, end, created;  // tenths of a second
  std::string extension = ".nc";

  ProductFolder folder() const { return {product, sector}; }
};
NoaaName parse_noaa_name(std::string_view filename);
// True for the extensions of NetCDF files (.nc, .nc4, .netcdf; any case): what renders as ABI data.
bool is_netcdf_name(std::string_view filename);
std::optional<NoaaName> try_parse_noaa_name(std::string_view filename);
std::string format_noaa_name(const NoaaName& name);

// STAR CDN sector codes: FD, CONUS (PACUS on the CDN is also "CONUS"), MESO, or a regional code
// (e.g. "ne", "car", "taw"). Full-disk sizes are 339, 678, 1808, 5424 and 10848 pixels square; CONUS sizes
// are 416x250, 625x375, 1250x750, 2500x1500 and 5000x3000. Mesoscale images (in the folders
// GOESnn/ABI/MESO/M1/<band>/ and .../M2/...) carry seconds and the sector centre, which moves with the
// weather: 2025126143026_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg.
struct CdnName {
  UtcTime time;  // to the minute (mesoscale: to the second)
  Satellite satellite = Satellite::G16;
  std::string sector_code = "FD";
  std::optional<int> band;  // "13" -> 13
  std::string product;      // band-less imagery ("GEOCOLOR", "AirMass", ...); empty when band is set
  int width = 0, height = 0;
  std::string extension = ".jpg";
  std::string location;  // mesoscale sector centre, "22N-93W"; empty otherwise

  // The ABI sector for FD/CONUS/M1/M2; nullopt for regional sectors and for MESO names (M1 or M2 is known
  // only from the folder).
  std::optional<Sector> sector() const;
};
CdnName parse_cdn_name(std::string_view filename);
std::optional<CdnName> try_parse_cdn_name(std::string_view filename);
std::string format_cdn_name(const CdnName& name);

// goesproc (goestools) / Sanchez names: GOES16_FD_CH13_20241221T180021Z.jpg, GOES17_M1_CH02_...png,
// GOES16_FD_FC_...jpg (band-less products such as false colour).
struct GoesprocName {
  Satellite satellite = Satellite::G16;
  std::string sector_code = "FD";  // FD, M1, M2, CONUS
  std::optional<int> band;         // CH13 -> 13
  std::string product;             // band-less ("FC"); empty when band is set
  UtcTime time;                    // to the second
  std::string extension = ".jpg";

  std::optional<Sector> sector() const;
};
GoesprocName parse_goesproc_name(std::string_view filename);
std::optional<GoesprocName> try_parse_goesproc_name(std::string_view filename);
std::string format_goesproc_name(const GoesprocName& name);

// Any of the three families, reduced to what schedules and catalogs need.
enum class NameFamily { Noaa, Cdn, Goesproc, TimeOnly };
struct SceneName {
  NameFamily family = NameFamily::TimeOnly;
  std::optional<Satellite> satellite;
  std::optional<ProductFolder> folder;  // NOAA only (CDN and goesproc images carry no product level)
  std::optional<Sector> sector;
  std::optional<int> band;
  std::string product;      // band-less product name of CDN/goesproc names ("GEOCOLOR", "FC"); NOAA L2 name
  std::optional<int> mode;  // NOAA only
  UtcTime start;
  std::optional<UtcTime> end;  // NOAA only
};
// Tries NOAA, CDN, then goesproc; then, as TimeOnly, any name holding one compact UTC stamp
// `YYYYMMDDTHHMMSSZ` (our sorter's `<base>_20240501T120000Z.png`, renamed frames) and the names of NOAA's
// GOES-13/15 image server (`HUIR17250HHMM.png`: sector, channel, YY, day of year, HHMM). nullopt when no time
// can be read.
std::optional<SceneName> parse_scene_name(std::string_view filename);

// The first `YYYYMMDDTHHMMSSZ` stamp in `text` that is a valid time and not part of a longer digit run.
std::optional<UtcTime> find_compact_time(std::string_view text);

}  // namespace goesvfi::goes
