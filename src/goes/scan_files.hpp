// The files of one ABI scan: a multi-band product (colour/product.hpp, a recipe) needs several bands of the
// same scan. Files are matched by their NOAA names alone (no I/O): one scan is one satellite, product level
// and name (Rad, CMIP), sector, scan mode and start time (NOAA names every band of a scan with the same
// start). A band-less MCMIP file holds every band of its scan.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "goes/domain.hpp"

namespace goesvfi::goes {

struct ScanFiles {
  Satellite satellite = Satellite::G16;
  Product product;
  Sector sector = Sector::FullDisk;
  int mode = 6;
  UtcTime start{};
  std::vector<int> bands;                         // the bands asked for, in the caller's order
  std::vector<std::optional<std::size_t>> files;  // per band: index into the names grouped (nullopt: none)
  std::vector<int> missing;                       // the bands without a file

  bool complete() const { return missing.empty(); }
  // "G16 ABI-L1b-RadC scan of 2024-05-01T12:01:17.200Z"
  std::string describe() const;
  // What an incomplete scan lacks: "G16 ABI-L1b-RadC scan of 2024-05-01T12:01:17.200Z: no file of band 12".
  std::string describe_missing() const;
};

// Groups `names` (NOAA file names; another name: InvalidArgument naming it) into scans, in time order, each
// with the file of every band in `bands` (a name of another band is not used; a second file of one band of
// one scan, e.g. a reprocessed copy, replaces the first). Scans with none of `bands` do not appear.
std::vector<ScanFiles> group_by_scan(const std::vector<std::string>& names, const std::vector<int>& bands);

// NotFound naming the scan and its missing band(s) unless `scan` is complete; `what` names the product.
void require_complete(const ScanFiles& scan, std::string_view what);

}  // namespace goesvfi::goes
