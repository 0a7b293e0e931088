// The false-colour flags, declared once for every command that colours IR frames (render, interpolate,
// timelapse). Each is a colour.* config key; docs/false-colour.md lists them beside Sanchez's flags.
#include "cli/command.hpp"
#include "colour/product.hpp"

namespace goesvfi::cli {

void add_colour_flags(CLI::App& app, GlobalOptions& g) {
  config_flag(app, g, "--show", "render.product",
              "product to show: grey, water-vapour, noaa-ir, false-colour (default: the band's own, "
              "docs/products.md)");
  config_flag(app, g, "--underlay", "colour.underlay",
              "equirectangular underlay map (default: xplanet's earth.jpg when installed; none = no map)");
  config_flag(app, g, "--tint", "colour.tint", "tint of the IR layer, rrggbb (Sanchez -t)");
  config_flag(app, g, "--brightness", "colour.brightness", "brightness of the composite (Sanchez -b)");
  config_flag(app, g, "--saturation", "colour.saturation", "saturation of the composite (Sanchez -S)");
  config_bool_flag(app, g, "--no-equalise,--no-equalize", "colour.equalise",
                   "keep the IR levels as they are (Sanchez -L)", false);
  config_bool_flag(app, g, "--adaptive-levels", "colour.adaptive_levels",
                   "adaptive tile equalisation first (Sanchez -a)");
  config_flag(app, g, "--haze", "colour.haze", "width of the tint haze towards the limb, 0-1 (Sanchez -h)");
  config_flag(app, g, "--haze-opacity", "colour.haze_opacity",
              "opacity of the haze at the limb, 0-1 (Sanchez: haze opacity)");
  config_bool_flag(app, g, "--no-noise", "colour.noise", "no grain (Sanchez -n)", false);
  config_bool_flag(app, g, "--atmosphere", "colour.atmosphere", "atmosphere glow at the limb");
  config_flag(app, g, "--gradient", "colour.gradient", "gradient for false colour without an underlay");
}

const Product* shown_product(const Config& config) {
  const auto name = config.get_string("render.product");
  return name.empty() ? nullptr : &product_for(name);
}

bool shows_false_colour(const Config& config, bool false_colour_flag) {
  const Product* p = shown_product(config);
  return false_colour_flag || (p && p->kind == ProductKind::FalseColour);
}

}  // namespace goesvfi::cli
