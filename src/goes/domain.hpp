// The GOES-R series domain: satellites and their buckets, the East/West operational roles by date, ABI
// products (Level 1b radiances and Level 2 products), scan sectors, bands and scan modes. No I/O.
//
// Operational switch times used to resolve the `east` / `west` aliases:
//   East: GOES-16 until GOES-19 took over on 2025-04-04 15:10 UTC, the GOES-East data switch in NOAA's
//         transition plan ("operational at 11:10 a.m. EDT on Friday, April 4, 2025"; GOES-16 X/S-band
//         downlinks off that day). NOAA announced GOES-19 as operational GOES-East on 2025-04-07, after the
//         data swap.
//   West: GOES-17 until GOES-18 took over on 2023-01-04 (NESDIS news "GOES-18 is now GOES West", 2023-01-04,
//         www.nesdis.noaa.gov; goes-r.gov "GOES-18 went into operational service as GOES-West on Jan. 4,
//         2023"). No time of day is published; 00:00 UTC is used.
// Earlier dates resolve to GOES-16 / GOES-17, whose buckets hold their pre-operational data too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace goesvfi::goes {

enum class Satellite { G16 = 16, G17 = 17, G18 = 18, G19 = 19 };
enum class Orbit { East, West };

int satellite_number(Satellite sat);             // 16
std::string satellite_id(Satellite sat);         // "G16" (NOAA file names)
std::string satellite_goes_name(Satellite sat);  // "GOES16" (CDN and goesproc names)
std::string bucket_name(Satellite sat);          // "noaa-goes16"
std::optional<Satellite> satellite_from_number(int number);
// The satellite serving `orbit` at time `at` (see the switch times above).
Satellite operational_satellite(Orbit orbit, UtcTime at);
UtcTime east_switch_to_g19();
UtcTime west_switch_to_g18();
// Parses "G16", "g16", "GOES16", "GOES-16", "goes_16", "16", "noaa-goes16", or the aliases "east"/"west"
// (which need `at`, the time the data is wanted for). InvalidArgument naming the text otherwise.
Satellite parse_satellite(std::string_view text, std::optional<UtcTime> at = std::nullopt);
// The orbit of an alias ("east", "goes-east", "west", "goes-west", any case); nullopt for anything else.
std::optional<Orbit> parse_orbit(std::string_view text);

struct SatellitePeriod {
  Satellite satellite;
  UtcTime start, end;  // [start, end)
};
// The satellites serving `orbit` over [start, end), in time order, each with its part of the range: one
// period, or two when the range crosses the operational switch. Empty when end <= start.
std::vector<SatellitePeriod> operational_periods(Orbit orbit, UtcTime start, UtcTime end);

// ABI scan sectors. Mesoscale sectors share one bucket folder (`...M`) but have their own file names.
enum class Sector { FullDisk, Conus, Meso1, Meso2 };
std::string sector_code(Sector sector);         // "F", "C", "M1", "M2" (as in NOAA file names)
std::string sector_folder_code(Sector sector);  // "F", "C", "M", "M" (as in bucket folders)
// Parses "F"/"FD"/"full", "C"/"CONUS"/"PACUS", "M1", "M2" (case-insensitive).
Sector parse_sector(std::string_view text);

enum class Level { L1b, L2 };
std::string level_code(Level level);  // "L1b", "L2"

// An ABI product without its sector: L1b "Rad", or an L2 product name such as "CMIP", "MCMIP", "ACHA", "FDC".
struct Product {
  Level level = Level::L1b;
  std::string name = "Rad";
  bool operator==(const Product&) const = default;
};
// Band-less products (MCMIP, ACHA, FDC, ...) carry no `C<band>` in their names; Rad and CMIP always do.
bool product_has_band(const Product& product);

// A bucket product folder: "ABI-L1b-RadF", "ABI-L2-CMIPM".
struct ProductFolder {
  Product product;
  // The folder's sector letter: Meso1 and Meso2 both print as "M".
  Sector sector = Sector::FullDisk;
  std::string name() const;
};
// Parses "ABI-L1b-RadF", "ABI-L2-MCMIPC", "ABI-L2-CMIPM" (M reads as Meso1). InvalidArgument naming the
// field that is wrong otherwise.
ProductFolder parse_product_folder(std::string_view text);

// Bands 1-16 (ABI channels); InvalidArgument naming the value otherwise.
int check_band(int band);
// Scan modes 3, 4 and 6 (the ABI timelines in use since 2017).
int check_mode(int mode);

}  // namespace goesvfi::goes
