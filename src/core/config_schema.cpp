// Every configuration key of goesvfi, declared once. Sections follow the stages. Add a key here (one row) and
// it is validated on load, written by `config init`, shown by `config show` and settable from the CLI.
#include <algorithm>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "core/config.hpp"
#include "core/progress.hpp"

namespace goesvfi {

namespace {

ConfigKey make_key(std::string name, ConfigType type, ConfigValue def, std::string help) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  k.default_value = std::move(def);
  k.help = std::move(help);
  return k;
}
ConfigKey int_key(std::string name, std::int64_t def, double min, double max, std::string help) {
  ConfigKey k = make_key(std::move(name), ConfigType::Int, def, std::move(help));
  k.min = min;
  k.max = max;
  return k;
}
ConfigKey float_key(std::string name, double def, double min, double max, std::string help) {
  ConfigKey k = make_key(std::move(name), ConfigType::Float, def, std::move(help));
  k.min = min;
  k.max = max;
  return k;
}
ConfigKey bool_key(std::string name, bool def, std::string help) {
  return make_key(std::move(name), ConfigType::Bool, def, std::move(help));
}
ConfigKey string_key(std::string name, std::string def, std::string help,
                     std::vector<std::string> choices = {}) {
  ConfigKey k = make_key(std::move(name), ConfigType::String, std::move(def), std::move(help));
  k.choices = std::move(choices);
  return k;
}

std::optional<std::string> longitude_check(const ConfigValue& v) {
  const auto& text = std::get<std::string>(v);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double lon = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(lon >= -180.0 && lon <= 180.0))
    return "expected degrees east from -180 to 180, or empty";
  return std::nullopt;
}

std::optional<std::string> mode_check(const ConfigValue& v) {
  const auto mode = std::get<std::int64_t>(v);
  if (mode == 0 || mode == 3 || mode == 4 || mode == 6) return std::nullopt;
  return "expected 3, 4 or 6 (0 = the first file's)";
}

// Slurm's --time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes,
// days-hours:minutes:seconds.
std::optional<std::string> slurm_time_check(const ConfigValue& v) {
  static const std::regex format(R"(\d+(:\d+){0,2}|\d+-\d+(:\d+){0,2})");
  const auto& text = std::get<std::string>(v);
  if (text.empty() || std::regex_match(text, format)) return std::nullopt;
  return "expected a Slurm time limit: MINUTES, HH:MM:SS, DAYS-HH or DAYS-HH:MM:SS, or empty";
}

std::optional<std::string> slurm_mem_check(const ConfigValue& v) {
  static const std::regex format(R"(\d+[KMGT]?)");
  const auto& text = std::get<std::string>(v);
  if (text.empty() || std::regex_match(text, format)) return std::nullopt;
  return "expected a Slurm memory size such as 8G or 4000M, or empty";
}

std::vector<ConfigKey> make_schema() {
  return {
      // general (the global flags)
      int_key("general.threads", 0, 0, 1024, "worker threads of the process pool (0 = one per CPU core)")
          .cli("--threads", "global"),
      string_key("general.log_level", "info", "log verbosity",
                 {"trace", "debug", "info", "warn", "error", "off"})
          .cli("--log-level", "global"),
      string_key("general.progress", "auto",
                 "progress display: bar on a terminal, plain lines otherwise, json lines, none",
                 progress_mode_names())
          .cli("--progress", "global"),
      int_key("general.max_memory_mb", 0, 0, 1 << 20,
              "memory budget in MB for frame buffers and tiling (0 = automatic)")
          .cli("--max-memory", "backend"),

      // interpolate
      string_key("interpolate.backend", "flow", "interpolation backend")
          .registry("backends")
          .cli("--backend", "backend_name"),
      int_key("interpolate.intermediate", 1, 0, 255, "frames inserted between each pair of input frames")
          .cli("-n,--intermediate", "stream"),
      float_key("interpolate.fps", 30.0, 0.01, 1000.0, "frame rate of the finished video")
          .cli("--fps", "stream"),
      string_key("interpolate.gaps", "interpolate",
                 "missing scans (a longer step than the series' cadence, from the scan times in the names): "
                 "skip, hold the last frame, or interpolate (uniform motion across the gap)",
                 {"skip", "hold", "interpolate"})
          .cli("--gaps", "stream"),
      int_key("interpolate.prefetch", 4, 1, 64, "frames decoded ahead of use"),
      string_key("interpolate.space", "auto",
                 "what a pair is interpolated in: data (the physical values, coloured after: no in-between "
                 "colour that no temperature has), colour (the finished pictures), auto (data for NetCDF "
                 "input, colour for images)",
                 {"auto", "data", "colour"})
          .cli("--space", "stream"),

      // frame preparation (interpolate, timelapse)
      string_key("frame.crop", "", "crop X,Y,W,H applied to every frame (empty = none)")
          .cli("--crop", "frame"),
      string_key("frame.resize", "", "scale every frame to WxH first (empty = keep the size)")
          .cli("--resize", "frame"),

      // encode (an encoding profile overrides these as a group)
      string_key("encode.profile", "default",
                 "encoding profile applied before command-line flags: default, optimal, lossless or one from "
                 "the config file")
          .cli("--profile", "encode"),
      string_key("encode.codec", "libx264",
                 "video encoder: libx264, libx265, libsvtav1, libaom-av1, ffv1, prores_ks, ...")
          .cli("--codec", "encode"),
      int_key("encode.crf", 18, -1, 63, "constant rate factor (-1 = use bitrate or the codec default)")
          .cli("--crf", "encode"),
      string_key("encode.preset", "slow", "encoder preset (x264/x265: ultrafast ... veryslow; SVT-AV1: 0-13)")
          .cli("--preset", "encode"),
      string_key("encode.tune", "", "encoder tune (e.g. film, grain, animation; empty = none)")
          .cli("--tune", "encode"),
      string_key("encode.pix_fmt", "yuv420p", "output pixel format (yuv420p, yuv444p, yuv420p10le, ...)")
          .cli("--pix-fmt", "encode"),
      string_key("encode.bitrate", "", "target bitrate, e.g. 8M (empty = quality mode)")
          .cli("--bitrate", "encode"),
      string_key("encode.maxrate", "", "VBV maximum rate, e.g. 12M").cli("--maxrate", "encode"),
      string_key("encode.bufsize", "", "VBV buffer size, e.g. 24M").cli("--bufsize", "encode"),
      int_key("encode.gop", 0, 0, 10000, "keyframe interval in frames (0 = codec default)")
          .cli("--gop", "encode"),
      bool_key("encode.faststart", true, "move the MP4 index to the front for web playback"),
      string_key("encode.filters", "", "libavfilter graph applied before encoding, e.g. unsharp=5:5:1.0")
          .cli("--filters", "encode"),

      // flow backend
      string_key("flow.preset", "medium", "flow: optical-flow quality/speed preset",
                 {"fast", "medium", "quality"})
          .cli("--flow-preset", "backend"),
      float_key("flow.scale", 1.0, 0.0625, 1.0, "flow: estimate flow at this fraction of the frame size")
          .cli("--flow-scale", "backend"),
      float_key("flow.discontinuity_threshold", 0.25, 0.0, 1.0,
                "flow: mean absolute luma difference above which a pair is not interpolated")
          .cli("--flow-threshold", "backend"),
      string_key("flow.fallback", "blend", "flow: what to do with a discontinuous pair", {"blend", "hold"})
          .cli("--flow-fallback", "backend"),

      bool_key("flow.static_overlays", true,
               "flow: keep pixels identical in both frames in place; fill overlays before estimating motion")
          .cli("--flow-static", "backend"),
      bool_key("flow.confidence", true,
               "flow: blend toward the cross-fade where motion does not explain the change")
          .cli("--flow-confidence", "backend"),

      // minterpolate backend (FFmpeg filter options, GOES_VFI defaults)
      string_key("minterpolate.mi_mode", "mci", "minterpolate: interpolation mode", {"dup", "blend", "mci"})
          .cli("--mi-mode", "backend"),
      string_key("minterpolate.mc_mode", "obmc", "minterpolate: motion compensation mode", {"obmc", "aobmc"})
          .cli("--mc-mode", "backend"),
      string_key("minterpolate.me_mode", "bidir", "minterpolate: motion estimation mode", {"bidir", "bilat"})
          .cli("--me-mode", "backend"),
      string_key("minterpolate.me", "epzs", "minterpolate: motion estimation algorithm",
                 {"esa", "tss", "tdls", "ntss", "fss", "ds", "hexbs", "epzs", "umh"})
          .cli("--me", "backend"),
      int_key("minterpolate.mb_size", 16, 4, 64, "minterpolate: macroblock size").cli("--mb-size", "backend"),
      int_key("minterpolate.search_param", 32, 4, 512, "minterpolate: motion search range")
          .cli("--search-param", "backend"),
      bool_key("minterpolate.vsbmc", true, "minterpolate: variable-size block motion compensation")
          .cli("--vsbmc", "backend"),
      string_key("minterpolate.scd", "fdiff", "minterpolate: scene change detection", {"none", "fdiff"})
          .cli("--scd", "backend"),
      float_key("minterpolate.scd_threshold", 10.0, 0.0, 100.0, "minterpolate: scene change threshold")
          .cli("--scd-threshold", "backend"),

      // rife backend
      string_key("rife.model", "",
                 "RIFE: ncnn model folder (flownet.param + flownet.bin); empty = first in models_dir")
          .cli("--model", "backend"),
      string_key("rife.models_dir", "",
                 "folder of rife-* model folders (empty = $XDG_DATA_HOME/goesvfi/models)")
          .cli("--models-dir", "models"),
      bool_key("rife.tta_spatial", false, "RIFE: 8-orientation spatial test-time augmentation (8x slower)")
          .cli("--tta-spatial", "backend")
          .switch_(),
      bool_key("rife.tta_temporal", false, "RIFE: temporal test-time augmentation (2x slower)")
          .cli("--tta-temporal", "backend")
          .switch_(),
      int_key("rife.tile", 0, 0, 16384, "RIFE: tile size in pixels (0 = automatic from max_memory_mb)")
          .cli("--tile", "backend"),
      int_key("rife.tile_overlap", 64, 0, 1024, "RIFE: overlap between tiles in pixels")
          .cli("--tile-overlap", "backend"),
      float_key("rife.scale", 1.0, 0.5, 1.0, "RIFE: flow estimation scale (0.5 for UHD)")
          .cli("--rife-scale", "backend"),

      // query: what to list (fetch, timelapse; check takes what it is given and reads the rest from the
      // files)
      string_key("query.satellite", "east", "east, west (resolved by date), G16, G17, G18 or G19")
          .cli("--satellite", "query"),
      string_key("query.product", "ABI-L2-CMIPF",
                 "bucket product folder, e.g. ABI-L2-CMIPF, ABI-L1b-RadC, ABI-L2-MCMIPM")
          .cli("--product", "query"),
      int_key("query.band", 13, 0, 16,
              "ABI band 1-16 (0 = every band; ignored for band-less products such as MCMIP)")
          .cli("--band", "query"),
      string_key("query.sector", "", "M1 or M2 for mesoscale products (empty = M1)").cli("--sector", "query"),
      string_key("query.start", "", "first scan time, UTC, e.g. 2024-05-01T12:00Z").cli("--start", "query"),
      string_key("query.end", "", "end of the range, UTC, exclusive").cli("--end", "query"),

      // fetch
      string_key("fetch.source", "auto", "where data comes from: a store or a local archive folder")
          .registry("stores", true)
          .cli("--source", "fetch"),
      int_key("fetch.jobs", 8, 1, 64, "parallel transfers").cli("-j,--jobs", "fetch"),
      string_key(
          "fetch.endpoint", "",
          "S3-compatible endpoint URL, path-style (empty = AWS, or $AWS_ENDPOINT_URL_S3 / $AWS_ENDPOINT_URL)")
          .cli("--endpoint", "fetch"),
      string_key("fetch.region", "us-east-1", "S3 region").cli("--region", "fetch"),
      int_key("fetch.retries", 6, 0, 100, "retries per request on 5xx, throttling, resets and timeouts")
          .cli("--retries", "fetch"),
      float_key("fetch.connect_timeout_s", 10.0, 0.1, 600.0, "connect timeout"),
      float_key("fetch.low_speed_timeout_s", 30.0, 1.0, 3600.0,
                "abort a transfer slower than 1 kB/s for this long"),
      int_key("fetch.cdn_days", 7, 0, 365,
              "use the STAR CDN for data newer than this many days (source auto)"),
      int_key("fetch.breaker_failures", 8, 1, 1000,
              "consecutive failures that open an endpoint's circuit breaker"),
      string_key("fetch.bucket", "", "S3 bucket (empty = the satellite's NOAA bucket, noaa-goes16 ...)")
          .cli("--bucket", "fetch"),
      string_key("fetch.cdn_url", "https://cdn.star.nesdis.noaa.gov",
                 "base URL of the STAR CDN (or a mirror)"),
      string_key("fetch.cdn_size", "", "STAR CDN image size, e.g. 1808x1808 (empty = the largest listed)"),
      string_key(
          "fetch.layout", "auto",
          "downloaded files: bucket = <product>/<YYYY>/<DOY>/<HH>/<name>, flat = names only, auto = as "
          "the destination folder is laid out (bucket when it is empty)",
          {"auto", "bucket", "flat"})
          .cli("--layout", "layout"),

      // catalog
      string_key("catalog.path", "", "SQLite catalog file (empty = $XDG_CACHE_HOME/goesvfi/catalog.sqlite)")
          .cli("--catalog", "catalog"),

      int_key("catalog.mode", 0, 0, 6, "scan mode before the first file: 3, 4 or 6 (0 = the first file's)")
          .cli("--mode", "check")
          .checked(mode_check),
      float_key("catalog.interval_s", 0.0, 0.0, 86400.0,
                "seconds between frames of files without a sector (0 = detected)")
          .cli("--interval", "interval"),
      string_key("catalog.report_format", "table", "check report format", {"table", "json", "csv"})
          .cli("--format", "check"),
      string_key("catalog.on_conflict", "skip", "sort: what to do when the target file exists",
                 {"skip", "overwrite", "rename"})
          .cli("--on-conflict", "sort"),

      // evaluate
      int_key("evaluate.drop", 1, 1, 64, "frames dropped and re-synthesised between kept frames")
          .cli("--drop", "evaluate"),
      string_key("evaluate.format", "table", "evaluation report format", {"table", "json"})
          .cli("--format", "evaluate"),

      // render
      string_key("render.product", "",
                 "what to show (empty = the band's default: grey, water-vapour for bands 8-10)")
          .registry("products")
          .cli("--show", "product"),
      string_key(
          "render.range", "",
          "MIN:MAX mapped to the grey scale for every band (empty = each band's default, docs/products.md)")
          .cli("--range", "render"),
      string_key("render.resolution", "", "area-average to this resolution, e.g. 4km (empty = native)")
          .cli("--resolution", "render"),
      float_key("render.gamma", 1.0 / 2.2, 0.05, 5.0, "gamma applied to visible reflectance")
          .cli("--gamma", "render"),
      string_key("render.colormap", "",
                 "colour table (empty = greyscale; a built-in name or a gradient JSON file)")
          .registry("colour tables", true)
          .cli("--colormap", "render"),
      string_key("render.dqf_invalid", "2,3,4", "DQF values treated as invalid (comma-separated)")
          .cli("--dqf-invalid", "render"),
      string_key("render.background", "black", "fill and off-disk pixels", {"black", "transparent"})
          .cli("--background", "render"),
      int_key("render.band", 0, 0, 16,
              "ABI band to render (0 = the file's only band; needed for MCMIP files)")
          .cli("--band", "render_files"),
      string_key("render.format", "png", "image format of rendered frames", {"png", "jpg"})
          .cli("--format", "render_files"),
      int_key("render.jpeg_quality", 95, 1, 100, "JPEG quality").cli("--jpeg-quality", "render_files"),
      int_key("render.jobs", 0, 0, 1024, "files rendered at once (0 = one per worker thread)")
          .cli("--jobs", "render_files"),

      // colour (false colour like Sanchez; defaults = Sanchez's geostationary defaults, docs/false-colour.md)
      bool_key("colour.false_colour", false,
               "false colour as Sanchez makes it (IR tinted over an Earth map; see the colour flags)")
          .cli("--false-colour,--false-color", "colour")
          .switch_(),
      string_key("colour.underlay", "",
                 "equirectangular underlay map (empty = /usr/share/xplanet/images/earth.jpg when installed; "
                 "none = no map, gradient only)")
          .cli("--underlay", "colour"),
      string_key("colour.tint", "1b3f66",
                 "tint colour applied to the IR layer and the haze, hex rrggbb (Sanchez -t)")
          .cli("--tint", "colour"),
      float_key("colour.brightness", 1.0, 0.0, 4.0, "brightness of the composite (Sanchez -b)")
          .cli("--brightness", "colour"),
      float_key("colour.saturation", 0.7, 0.0, 4.0, "saturation of the composite (Sanchez -S)")
          .cli("--saturation", "colour"),
      bool_key("colour.equalise", true, "histogram-equalise the IR levels (Sanchez: on; -L turns it off)")
          .cli("--no-equalise,--no-equalize", "colour")
          .switch_off(),
      bool_key("colour.adaptive_levels", false,
               "adaptive (tile) equalisation before the global one (Sanchez -a)")
          .cli("--adaptive-levels", "colour")
          .switch_(),
      float_key("colour.haze", 0.6, 0.0, 1.0, "width of the tint haze towards the limb (Sanchez -h)")
          .cli("--haze", "colour"),
      float_key("colour.haze_opacity", 0.6, 0.0, 1.0,
                "opacity of the haze at the limb (Sanchez: haze opacity)")
          .cli("--haze-opacity", "colour"),
      bool_key("colour.noise", true, "light grain, fixed per pixel (Sanchez: on; -n turns it off)")
          .cli("--no-noise", "colour")
          .switch_off(),
      bool_key("colour.atmosphere", false, "add an atmosphere glow at the limb")
          .cli("--atmosphere", "colour")
          .switch_(),
      string_key("colour.gradient", "",
                 "gradient for false colour without an underlay (empty = built-in IR enhancement)")
          .registry("colour tables", true)
          .cli("--gradient", "colour"),
      int_key("colour.levels_frames", 3, 1, 1000,
              "video: frames whose pooled histogram sets the one levels mapping of the sequence"),
      string_key(
          "colour.longitude", "",
          "satellite longitude of false-coloured image frames, degrees east (empty = from the file names)")
          .cli("--longitude", "frame_colour")
          .checked(longitude_check),

      // timelapse
      string_key("timelapse.output", "timelapse.mp4", "output video (.mp4/.mkv/.mov/.webm)")
          .cli("-o,--output", "timelapse"),

      // demo
      string_key("demo.dir", "demo-output", "folder for the generated archive and demo.mp4")
          .cli("--dir", "demo"),
      int_key("demo.scans", 13, 3, 500, "10-minute scan slots to generate (one is left missing)")
          .cli("--scans", "demo"),
      int_key("demo.size", 1024, 64, 5424, "disk size in pixels of the generated files")
          .cli("--size", "demo"),

      // cluster: what `cluster submit` asks Slurm for per segment (`cluster resume` keeps the last submit's
      // values for every key that neither the config file nor a flag sets)
      string_key("cluster.partition", "", "Slurm partition (empty = the cluster's default)")
          .cli("--partition", "slurm"),
      string_key("cluster.time", "", "time limit per segment, e.g. 4:00:00 (empty = the partition's)")
          .cli("--time", "slurm")
          .checked(slurm_time_check),
      int_key("cluster.cpus_per_task", 2, 1, 1024, "cores per segment").cli("--cpus-per-task", "slurm"),
      string_key("cluster.mem", "",
                 "memory per segment, e.g. 8G (empty = measured by earlier segments, else the backend's "
                 "per-frame need at the plan's frame size)")
          .cli("--mem", "slurm")
          .checked(slurm_mem_check),
      int_key("cluster.max_parallel", 0, 0, 1000000, "segments running at once (0 = no limit)")
          .cli("--max-parallel", "slurm"),
      string_key("cluster.account", "", "account to charge (empty = your default)").cli("--account", "slurm"),
      int_key("cluster.jobs", 2, 1, 1024, "`cluster run`: segments at once as local processes")
          .cli("-j,--jobs", "cluster_run"),
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

std::vector<const ConfigKey*> config_group(std::string_view group) {
  std::vector<const ConfigKey*> keys;
  for (const auto& k : config_schema()) {
    if (k.group == group) keys.push_back(&k);
  }
  return keys;
}

std::vector<std::string> config_groups() {
  std::vector<std::string> groups;
  for (const auto& k : config_schema()) {
    if (!k.group.empty() && std::find(groups.begin(), groups.end(), k.group) == groups.end())
      groups.push_back(k.group);
  }
  return groups;
}

std::string ConfigKey::long_flag() const {
  std::string_view rest = flags;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view one = rest.substr(0, comma);
    if (one.starts_with("--")) return std::string(one);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return {};
}

}  // namespace goesvfi
