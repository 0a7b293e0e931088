// Product "water-vapour": the enhancement for the ABI water-vapour bands 8 (6.2 um), 9 (6.9 um) and 10
// (7.3 um), in the style of the NWS/AWIPS water-vapour tables forecasters know: warm, dry mid/upper
// troposphere in browns and orange, moist air in greys to white, cold high cloud in green then blue.
// Positions are on the band's default range (band_defaults in product.cpp), 0 = the warm end.
#include "colour/product.hpp"

namespace goesvfi {

std::vector<GradientStop> water_vapour_table() {
  return {{0.0, parse_hex_colour("2b1607")},  {0.2, parse_hex_colour("a55a1e")},
          {0.32, parse_hex_colour("e3bd7a")}, {0.42, parse_hex_colour("d2d2d2")},
          {0.58, parse_hex_colour("ffffff")}, {0.72, parse_hex_colour("3cb44b")},
          {0.86, parse_hex_colour("1e46ff")}, {1.0, parse_hex_colour("0a0a64")}};
}

}  // namespace goesvfi
