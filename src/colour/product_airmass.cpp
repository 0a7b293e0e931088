// Product "airmass": the Air Mass RGB, the EUMETSAT recipe adopted for GOES-R ABI by NOAA/CIRA (CIRA's "Air
// Mass RGB Quick Guide"; WMO RGB recipes). It shows upper-level moisture and ozone, so a forecaster sees
// jet streaks, dry stratospheric intrusions (red-orange), cold polar air (blue/purple), warm tropical air
// (green) and thick high cloud (white). All four inputs are 2 km IR bands of one scan, in kelvin:
//   Red    BT(C08 6.2 um) - BT(C10 7.3 um)    -26.2 .. 0.6 K    gamma 1
//   Green  BT(C12 9.6 um) - BT(C13 10.3 um)   -43.2 .. 6.7 K    gamma 1
//   Blue   BT(C08 6.2 um), inverted           243.9 .. 208.5 K  gamma 1
// (The CIMSS satellite blog's "Creating a Tropical Air Mass RGB in Geo2grid" quotes the same red and green
// ranges in degrees Celsius, and blue as -29.25 .. -64.45 C, i.e. 243.9 .. 208.7 K; the quick guide's
// 208.5 K is used here.)
#include "colour/product.hpp"

namespace goesvfi {

namespace {

constexpr std::array<RgbBeam, 3> k_airmass_beams = {
    {{-26.2, 0.6, 1.0}, {-43.2, 6.7, 1.0}, {243.9, 208.5, 1.0}}};

// values: the bands in the row's order 8, 10, 12, 13.
std::array<double, 3> airmass_inputs(const float* v) {
  return {double(v[0]) - double(v[1]), double(v[2]) - double(v[3]), double(v[0])};
}

}  // namespace

Image airmass_rgb(const std::vector<Image>& fields) {
  return combine_rgb("airmass", fields, 4, k_airmass_beams, airmass_inputs);
}

}  // namespace goesvfi
