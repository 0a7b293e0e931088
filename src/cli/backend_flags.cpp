// The flags of the interpolation backends, declared once for every command that interpolates
// (interpolate, timelapse, evaluate, demo).
#include "cli/command.hpp"

namespace goesvfi::cli {

void add_backend_flags(CLI::App& app, GlobalOptions& g, bool backend_flag) {
  if (backend_flag) {
    config_flag(app, g, "--backend", "interpolate.backend",
                "interpolation backend: none, blend, flow, minterpolate, rife");
  }
  config_flag(app, g, "--flow-preset", "flow.preset", "flow: fast, medium or quality");
  config_flag(app, g, "--flow-scale", "flow.scale", "flow: estimate at this fraction of the size (0.0625-1)");
  config_flag(app, g, "--flow-threshold", "flow.discontinuity_threshold",
              "flow: discontinuity score (0-1) above which a pair is not interpolated");
  config_flag(app, g, "--flow-fallback", "flow.fallback", "flow: blend or hold for a discontinuous pair");
  config_flag(app, g, "--flow-static", "flow.static_overlays",
              "flow: keep pixels identical in both frames, fill overlays before the motion (true/false)");
  config_flag(app, g, "--flow-confidence", "flow.confidence",
              "flow: blend toward the cross-fade where motion does not explain the change (true/false)");
  config_flag(app, g, "--mi-mode", "minterpolate.mi_mode", "minterpolate: dup, blend or mci");
  config_flag(app, g, "--mc-mode", "minterpolate.mc_mode", "minterpolate: obmc or aobmc");
  config_flag(app, g, "--me-mode", "minterpolate.me_mode", "minterpolate: bidir or bilat");
  config_flag(app, g, "--me", "minterpolate.me",
              "minterpolate: esa, tss, tdls, ntss, fss, ds, hexbs, epzs or umh");
  config_flag(app, g, "--mb-size", "minterpolate.mb_size", "minterpolate: macroblock size (4-64)");
  config_flag(app, g, "--search-param", "minterpolate.search_param", "minterpolate: search range (4-512)");
  config_flag(app, g, "--vsbmc", "minterpolate.vsbmc", "minterpolate: variable-size blocks (true/false)");
  config_flag(app, g, "--scd", "minterpolate.scd", "minterpolate: scene change detection, none or fdiff");
  config_flag(app, g, "--scd-threshold", "minterpolate.scd_threshold",
              "minterpolate: scene change threshold (0-100)");
  config_flag(app, g, "--model", "rife.model", "RIFE: model folder (flownet.param + flownet.bin)");
  config_bool_flag(app, g, "--tta-spatial", "rife.tta_spatial",
                   "RIFE: 8-orientation spatial TTA (8x slower)");
  config_bool_flag(app, g, "--tta-temporal", "rife.tta_temporal", "RIFE: temporal TTA (2x slower)");
  config_flag(app, g, "--tile", "rife.tile", "RIFE: tile size in pixels (0 = from --max-memory)");
  config_flag(app, g, "--tile-overlap", "rife.tile_overlap", "RIFE: overlap between tiles in pixels");
  config_flag(app, g, "--rife-scale", "rife.scale", "RIFE: flow estimation scale, 0.5 or 1");
  config_flag(app, g, "--max-memory", "general.max_memory_mb", "memory budget in MB for tiling");
}

}  // namespace goesvfi::cli
