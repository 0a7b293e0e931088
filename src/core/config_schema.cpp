// Every configuration key of goesvfi, declared once. Sections follow the stages. Add a key here (one row) and
// it is validated on load, written by `config init`, shown by `config show` and settable from the CLI.
#include <fmt/format.h>

#include "core/config.hpp"

namespace goesvfi {

namespace {

ConfigKey int_key(std::string name, std::int64_t def, double min, double max, std::string help) {
  return ConfigKey{std::move(name), ConfigType::Int, def, std::move(help), {}, min, max, {}};
}
ConfigKey float_key(std::string name, double def, double min, double max, std::string help) {
  return ConfigKey{std::move(name), ConfigType::Float, def, std::move(help), {}, min, max, {}};
}
ConfigKey bool_key(std::string name, bool def, std::string help) {
  return ConfigKey{std::move(name), ConfigType::Bool, def, std::move(help), {}, 0, 0, {}};
}
ConfigKey string_key(std::string name, std::string def, std::string help,
                     std::vector<std::string> choices = {}) {
  return ConfigKey{
      std::move(name), ConfigType::String, std::move(def), std::move(help), std::move(choices), 0, 0, {}};
}

std::vector<ConfigKey> make_schema() {
  return {
      // general
      int_key("general.threads", 0, 0, 1024, "worker threads of the process pool (0 = one per CPU core)"),
      string_key("general.log_level", "info", "log verbosity",
                 {"trace", "debug", "info", "warn", "error", "off"}),
      string_key("general.progress", "auto",
                 "progress display: bar on a terminal, plain lines otherwise, json, none",
                 {"auto", "bar", "plain", "json", "none"}),
      int_key("general.max_memory_mb", 0, 0, 1 << 20,
              "memory budget for frame buffers and tiling (0 = automatic)"),

      // interpolate
      string_key("interpolate.backend", "flow", "interpolation backend",
                 {"none", "blend", "flow", "minterpolate", "rife"}),
      int_key("interpolate.intermediate", 1, 0, 255, "frames inserted between each pair of input frames"),
      float_key("interpolate.fps", 30.0, 0.01, 1000.0, "frame rate of the finished video"),
      int_key("interpolate.prefetch", 4, 1, 64, "frames decoded ahead of use"),

      // encode (an encoding profile overrides these as a group)
      string_key("encode.profile", "default", "encoding profile applied before command-line flags"),
      string_key("encode.codec", "libx264",
                 "video encoder: libx264, libx265, libsvtav1, libaom-av1, ffv1, prores_ks, ..."),
      int_key("encode.crf", 18, -1, 63, "constant rate factor (-1 = use bitrate or the codec default)"),
      string_key("encode.preset", "slow",
                 "encoder preset (x264/x265: ultrafast ... veryslow; SVT-AV1: 0-13)"),
      string_key("encode.tune", "", "encoder tune (e.g. film, grain, animation; empty = none)"),
      string_key("encode.pix_fmt", "yuv420p", "output pixel format (yuv420p, yuv444p, yuv420p10le, ...)"),
      string_key("encode.bitrate", "", "target bitrate, e.g. 8M (empty = quality mode)"),
      string_key("encode.maxrate", "", "VBV maximum rate, e.g. 12M"),
      string_key("encode.bufsize", "", "VBV buffer size, e.g. 24M"),
      int_key("encode.gop", 0, 0, 10000, "keyframe interval in frames (0 = codec default)"),
      bool_key("encode.faststart", true, "move the MP4 index to the front for web playback"),
      string_key("encode.filters", "", "libavfilter graph applied before encoding, e.g. unsharp=5:5:1.0"),

      // flow backend
      string_key("flow.preset", "medium", "optical-flow quality/speed preset", {"fast", "medium", "quality"}),
      float_key("flow.scale", 1.0, 0.0625, 1.0, "estimate flow at this fraction of the frame size"),
      float_key("flow.discontinuity_threshold", 0.25, 0.0, 1.0,
                "mean absolute luma difference above which a pair is not interpolated"),
      string_key("flow.fallback", "blend", "what to do with a discontinuous pair", {"blend", "hold"}),
      bool_key("flow.static_overlays", true,
               "keep pixels identical in both frames in place; fill overlays before estimating motion"),
      bool_key("flow.confidence", true,
               "blend toward the cross-fade where motion does not explain the change"),

      // minterpolate backend (FFmpeg filter options, GOES_VFI defaults)
      string_key("minterpolate.mi_mode", "mci", "interpolation mode", {"dup", "blend", "mci"}),
      string_key("minterpolate.mc_mode", "obmc", "motion compensation mode", {"obmc", "aobmc"}),
      string_key("minterpolate.me_mode", "bidir", "motion estimation mode", {"bidir", "bilat"}),
      string_key("minterpolate.me", "epzs", "motion estimation algorithm",
                 {"esa", "tss", "tdls", "ntss", "fss", "ds", "hexbs", "epzs", "umh"}),
      int_key("minterpolate.mb_size", 16, 4, 64, "macroblock size"),
      int_key("minterpolate.search_param", 32, 4, 512, "motion search range"),
      bool_key("minterpolate.vsbmc", true, "variable-size block motion compensation"),
      string_key("minterpolate.scd", "fdiff", "scene change detection", {"none", "fdiff"}),
      float_key("minterpolate.scd_threshold", 10.0, 0.0, 100.0, "scene change threshold"),

      // rife backend
      string_key("rife.model", "",
                 "RIFE ncnn model folder (flownet.param + flownet.bin); empty = first in models_dir"),
      string_key("rife.models_dir", "",
                 "folder of rife-* model folders (empty = $XDG_DATA_HOME/goesvfi/models)"),
      bool_key("rife.tta_spatial", false, "8-orientation spatial test-time augmentation (8x slower)"),
      bool_key("rife.tta_temporal", false, "temporal test-time augmentation (2x slower)"),
      int_key("rife.tile", 0, 0, 16384, "tile size in pixels (0 = automatic from max_memory_mb)"),
      int_key("rife.tile_overlap", 64, 0, 1024, "overlap between tiles in pixels"),
      float_key("rife.scale", 1.0, 0.5, 1.0, "flow estimation scale (0.5 for UHD)"),

      // fetch
      string_key("fetch.source", "auto", "where data comes from: auto, s3, cdn or a local folder"),
      int_key("fetch.jobs", 8, 1, 64, "parallel transfers"),
      string_key("fetch.endpoint", "",
                 "S3 endpoint URL (empty = AWS, or $AWS_ENDPOINT_URL_S3 / $AWS_ENDPOINT_URL)"),
      string_key("fetch.region", "us-east-1", "S3 region"),
      int_key("fetch.retries", 6, 0, 100, "retries per request on 5xx, throttling, resets and timeouts"),
      float_key("fetch.connect_timeout_s", 10.0, 0.1, 600.0, "connect timeout"),
      float_key("fetch.low_speed_timeout_s", 30.0, 1.0, 3600.0,
                "abort a transfer slower than 1 kB/s for this long"),
      int_key("fetch.cdn_days", 7, 0, 365,
              "use the STAR CDN for data newer than this many days (source auto)"),
      int_key("fetch.breaker_failures", 8, 1, 1000,
              "consecutive failures that open an endpoint's circuit breaker"),
      string_key("fetch.bucket", "", "S3 bucket (empty = the satellite's NOAA bucket, noaa-goes16 ...)"),
      string_key("fetch.cdn_url", "https://cdn.star.nesdis.noaa.gov",
                 "base URL of the STAR CDN (or a mirror)"),
      string_key("fetch.cdn_size", "", "STAR CDN image size, e.g. 1808x1808 (empty = the largest listed)"),

      // catalog
      string_key("catalog.path", "", "SQLite catalog file (empty = $XDG_CACHE_HOME/goesvfi/catalog.sqlite)"),

      // render
      string_key("render.product", "",
                 "what to show: grey, water-vapour, noaa-ir, false-colour (empty = the band's default: grey, "
                 "water-vapour for bands 8-10)"),
      string_key(
          "render.range", "",
          "MIN:MAX mapped to the grey scale for every band (empty = each band's default, docs/products.md)"),
      float_key("render.gamma", 1.0 / 2.2, 0.05, 5.0, "gamma applied to visible reflectance"),
      string_key("render.colormap", "",
                 "colour table for render (empty = greyscale; built-in name or gradient JSON file)"),
      string_key("render.dqf_invalid", "2,3,4", "DQF values treated as invalid (comma-separated)"),
      string_key("render.background", "black", "fill and off-disk pixels", {"black", "transparent"}),

      // colour (false colour like Sanchez; defaults = Sanchez's geostationary defaults, docs/false-colour.md)
      string_key("colour.underlay", "",
                 "equirectangular underlay map (empty = /usr/share/xplanet/images/earth.jpg when installed; "
                 "none = no map, gradient only)"),
      string_key("colour.tint", "1b3f66",
                 "tint colour applied to the IR layer and the haze, hex rrggbb (Sanchez -t)"),
      float_key("colour.brightness", 1.0, 0.0, 4.0, "brightness of the composite (Sanchez -b)"),
      float_key("colour.saturation", 0.7, 0.0, 4.0, "saturation of the composite (Sanchez -S)"),
      bool_key("colour.equalise", true, "histogram-equalise the IR levels (Sanchez: on; -L turns it off)"),
      bool_key("colour.adaptive_levels", false,
               "adaptive (tile) equalisation before the global one (Sanchez -a)"),
      float_key("colour.haze", 0.6, 0.0, 1.0, "width of the tint haze towards the limb (Sanchez -h)"),
      float_key("colour.haze_opacity", 0.6, 0.0, 1.0,
                "opacity of the haze at the limb (Sanchez: haze opacity)"),
      bool_key("colour.noise", true, "light grain, fixed per pixel (Sanchez: on; -n turns it off)"),
      bool_key("colour.atmosphere", false, "add an atmosphere glow at the limb"),
      string_key("colour.gradient", "",
                 "gradient for gradient-only false colour (empty = built-in IR enhancement)"),
      int_key("colour.levels_frames", 3, 1, 1000,
              "video: frames whose pooled histogram sets the one levels mapping of the sequence"),
  };
}

}  // namespace

const std::vector<ConfigKey>& config_schema() {
  static const std::vector<ConfigKey> schema = make_schema();
  return schema;
}

const ConfigKey* find_config_key(std::string_view name) {
  for (const auto& k : config_schema()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

}  // namespace goesvfi
