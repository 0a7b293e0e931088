#include "goes/fixed_grid.hpp"

#include <cmath>
#include <numbers>

namespace goesvfi {

namespace {
constexpr double k_deg = std::numbers::pi / 180.0;
// Half the full-disk extent in scan angle: 5424 pixels of 56 microradians.
constexpr double k_full_disk_half_extent = 0.151872;
}  // namespace

std::optional<GeoPoint> FixedGridProjection::to_geo(ScanAngle s) const {
  const double req2 = semi_major * semi_major, rpol2 = semi_minor * semi_minor, h = H();
  const double sin_x = std::sin(s.x), cos_x = std::cos(s.x), sin_y = std::sin(s.y), cos_y = std::cos(s.y);
  const double a = sin_x * sin_x + cos_x * cos_x * (cos_y * cos_y + req2 / rpol2 * sin_y * sin_y);
  const double b = -2.0 * h * cos_x * cos_y;
  const double c = h * h - req2;
  const double disc = b * b - 4.0 * a * c;
  if (disc < 0) return std::nullopt;
  const double rs = (-b - std::sqrt(disc)) / (2.0 * a);
  const double sx = rs * cos_x * cos_y, sy = -rs * sin_x, sz = rs * cos_x * sin_y;
  GeoPoint g;
  g.lat_deg = std::atan(req2 / rpol2 * sz / std::hypot(h - sx, sy)) / k_deg;
  g.lon_deg = lon0_deg - std::atan(sy / (h - sx)) / k_deg;
  if (g.lon_deg > 180) g.lon_deg -= 360;
  if (g.lon_deg < -180) g.lon_deg += 360;
  return g;
}

std::optional<ScanAngle> FixedGridProjection::to_scan(GeoPoint g) const {
  const double req2 = semi_major * semi_major, rpol2 = semi_minor * semi_minor, h = H();
  const double e2 = (req2 - rpol2) / req2;
  const double lat = g.lat_deg * k_deg, dlon = (g.lon_deg - lon0_deg) * k_deg;
  const double phi_c = std::atan(rpol2 / req2 * std::tan(lat));
  const double cos_c = std::cos(phi_c);
  const double rc = semi_minor / std::sqrt(1.0 - e2 * cos_c * cos_c);
  const double sx = h - rc * cos_c * std::cos(dlon);
  const double sy = -rc * cos_c * std::sin(dlon);
  const double sz = rc * std::sin(phi_c);
  if (h * (h - sx) < sy * sy + req2 / rpol2 * sz * sz) return std::nullopt;
  return ScanAngle{std::asin(-sy / std::sqrt(sx * sx + sy * sy + sz * sz)), std::atan(sz / sx)};
}

double FixedGridProjection::limb_angle_x() const {
  return std::asin(semi_major / H());
}

FixedGridArea FixedGridArea::full_disk(int size) {
  FixedGridArea a;
  a.width = a.height = size;
  a.dx = 2.0 * k_full_disk_half_extent / size;
  a.dy = -a.dx;
  a.x0 = -k_full_disk_half_extent + a.dx / 2;
  a.y0 = k_full_disk_half_extent + a.dy / 2;
  return a;
}

FixedGridArea FixedGridArea::downsampled(int factor) const {
  FixedGridArea a;
  a.width = width / factor;
  a.height = height / factor;
  a.dx = dx * factor;
  a.dy = dy * factor;
  // The new pixel centre is the mean of the old centres it covers.
  a.x0 = x0 + dx * (factor - 1) / 2.0;
  a.y0 = y0 + dy * (factor - 1) / 2.0;
  return a;
}

namespace {
constexpr double k_east_longitude_deg = -75.2;
}  // namespace

std::optional<double> nominal_satellite_longitude(int goes_number) {
  switch (goes_number) {
    case 16:
    case 19:
      return k_east_longitude_deg;
    case 17:
    case 18:
      return -137.2;
    default:
      return std::nullopt;
  }
}

double satellite_longitude_or_east(std::optional<int> goes_number) {
  if (goes_number) {
    if (auto nominal = nominal_satellite_longitude(*goes_number)) return *nominal;
  }
  return k_east_longitude_deg;
}

}  // namespace goesvfi
