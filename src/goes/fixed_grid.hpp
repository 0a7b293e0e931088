// GOES-R ABI fixed-grid navigation (GOES-R PUG vol. 3, 5.1.2.8): scan angles (x east-west, y north-south, in
// radians, sweep axis x) <-> geodetic latitude/longitude on the GRS80 ellipsoid, and the pixel grid of an
// image in scan-angle space. Used to reproject the false-colour underlay and to mask off-disk pixels.
#pragma once

#include <optional>

namespace goesvfi {

struct GeoPoint {
  double lat_deg = 0, lon_deg = 0;
};
struct ScanAngle {
  double x = 0, y = 0;  // radians
};

struct FixedGridProjection {
  double lon0_deg = -75.0;                 // sub-satellite longitude
  double semi_major = 6378137.0;           // GRS80 r_eq, metres
  double semi_minor = 6356752.31414;       // GRS80 r_pol
  double perspective_height = 35786023.0;  // above the equator; H = this + r_eq

  double H() const { return perspective_height + semi_major; }
  // nullopt when the line of sight misses the Earth (off the disk).
  std::optional<GeoPoint> to_geo(ScanAngle s) const;
  // nullopt when the point is on the far side of the Earth (not visible from the satellite).
  std::optional<ScanAngle> to_scan(GeoPoint g) const;
  // Largest scan angle that still hits the Earth along the x axis (the limb), radians.
  double limb_angle_x() const;
};

// The pixel grid of an image in scan-angle space: pixel centre (i, j) is at x0 + i*dx, y0 + j*dy.
struct FixedGridArea {
  int width = 0, height = 0;
  double x0 = 0, dx = 0, y0 = 0, dy = 0;

  ScanAngle scan_of(double col, double row) const { return {x0 + col * dx, y0 + row * dy}; }
  // Fractional pixel coordinates of a scan angle.
  double col_of(double x) const { return (x - x0) / dx; }
  double row_of(double y) const { return (y - y0) / dy; }
  // The ABI full disk (±0.151872 rad, 5424 pixels at 2 km) resampled to size x size pixels.
  static FixedGridArea full_disk(int size);
  // The same area averaged over factor x factor blocks (area-average downsampling).
  FixedGridArea downsampled(int factor) const;
};

// Nominal sub-satellite longitude of a GOES-R satellite's operational slot, for image inputs that carry no
// navigation: GOES-16/19 (East, 75.2 W), GOES-17/18 (West, 137.2 W). nullopt for other numbers.
std::optional<double> nominal_satellite_longitude(int goes_number);
// The longitude assumed for an image without navigation: its satellite's nominal slot when that is known
// (nominal_satellite_longitude), else GOES-East's (-75.2). The one place that fallback is decided.
double satellite_longitude_or_east(std::optional<int> goes_number);

}  // namespace goesvfi
