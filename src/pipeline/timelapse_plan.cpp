#include "pipeline/timelapse_plan.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "catalog/check.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "fetch/fetch.hpp"
#include "fetch/s3.hpp"
#include "goes/names.hpp"
#include "goes/scan_files.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---- frames -------------------------------------------------------------------------------------------

std::int64_t TimelapsePlan::pair_frames(std::size_t i) const {
  return pair_output_frames(job.intermediate, std::max(1, scans.at(i).slots_to_next), job.gaps, synthesises);
}

std::vector<double> TimelapsePlan::pair_timesteps(std::size_t i) const {
  return goesvfi::pair_timesteps(job.intermediate, std::max(1, scans.at(i).slots_to_next), job.gaps,
                                 synthesises);
}

std::int64_t TimelapsePlan::slice_frames(std::size_t first, std::size_t last, bool encodes_last) const {
  std::int64_t frames = encodes_last ? 1 : 0;
  for (std::size_t i = first; i < last; ++i) frames += pair_frames(i);
  return frames;
}

std::int64_t TimelapsePlan::output_frames() const {
  return scans.empty() ? 0 : slice_frames(0, scans.size() - 1, true);
}

std::int64_t TimelapsePlan::segment_frames(std::size_t k) const {
  const PlanSegment s = segment(k);
  return slice_frames(s.first_scan, s.last_scan, s.encodes_last);
}

double TimelapsePlan::video_seconds() const {
  return static_cast<double>(output_frames()) / job.encode.fps;
}

PlanSegment TimelapsePlan::segment(std::size_t k) const {
  if (segments.empty()) {
    if (k != 0) fail(ErrorKind::InvalidArgument, "segment {} of a plan that is not split (use 0)", k);
    return {0, scans.empty() ? 0 : scans.size() - 1, true};
  }
  if (k >= segments.size())
    fail(ErrorKind::InvalidArgument, "segment {} does not exist: the plan has segments 0 to {}", k,
         segments.size() - 1);
  return segments[k];
}

std::string TimelapsePlan::segment_file_name(std::size_t k) const {
  return fmt::format("seg-{}{}", k, job.output.extension().string());
}

// ---- planning -----------------------------------------------------------------------------------------

const Product* job_recipe(const TimelapseJob& job) {
  if (job.render.product.empty()) return nullptr;
  const Product& p = product_for(job.render.product);
  return p.kind == ProductKind::Recipe ? &p : nullptr;
}

std::vector<fetch::RemoteFile> scan_files(const PlannedScan& scan) {
  std::vector<fetch::RemoteFile> files{scan.file};
  files.insert(files.end(), scan.more.begin(), scan.more.end());
  return files;
}

TimelapsePlan plan_timelapse(const TimelapseJob& job, const Config& config, std::string store,
                             const std::vector<fetch::RemoteFile>& listed, bool synthesises) {
  TimelapsePlan plan;
  plan.job = job;
  plan.job.dry_run = false;
  plan.synthesises = synthesises;
  plan.store = std::move(store);
  for (const auto& key : config_schema()) {
    if (!key.name.starts_with("general.")) plan.config[key.name] = config.get(key.name);
  }
  const fetch::ListQuery query =
      fetch::make_query(job.satellite, job.product, job.band, job.sector, job.start, job.end);

  std::vector<std::pair<UtcTime, int>> observations;
  for (const auto& f : listed) {
    if (auto n = goes::try_parse_noaa_name(f.name)) observations.emplace_back(n->start, n->mode);
  }
  const auto periods = observations.empty() ? std::vector<catalog::ModePeriod>{{job.start, 6}}
                                            : catalog::mode_periods(observations);
  const goes::Sector sector = job.sector.empty() ? query.folder.sector : goes::parse_sector(job.sector);
  plan.slots = catalog::expected_abi_slots(sector, periods, job.start, job.end);

  // The candidates: each file, or for a recipe each complete scan (its first band's file, then the others).
  std::vector<PlannedScan> candidates;
  if (const Product* recipe = job_recipe(job)) {
    if (job.space == InterpSpace::Data) {
      fail(ErrorKind::InvalidArgument,
           "interpolate.space data interpolates one band's values; product '{}' combines bands {} into a "
           "colour "
           "picture: use interpolate.space auto or colour",
           recipe->name, fmt::join(recipe->bands, ", "));
    }
    if (!goes::product_has_band(query.folder.product)) {
      fail(ErrorKind::Unsupported,
           "a timelapse of product '{}' reads one file per band: use {} files (ABI-L2-CMIP or ABI-L1b-Rad), "
           "not {}",
           recipe->name, fmt::join(recipe->bands, ", "), query.folder.name());
    }
    if (job.false_colour) {
      fail(ErrorKind::InvalidArgument,
           "colour.false_colour tints one IR band; product '{}' is already a colour picture: turn one off",
           recipe->name);
    }
    std::vector<std::string> names;
    for (const auto& f : listed) names.push_back(f.name);
    for (const auto& scan : goes::group_by_scan(names, recipe->bands)) {
      if (!scan.complete()) {
        plan.incomplete.push_back(scan.describe_missing());
        continue;
      }
      PlannedScan c;
      c.file = listed[*scan.files[0]];
      for (std::size_t k = 1; k < scan.files.size(); ++k) c.more.push_back(listed[*scan.files[k]]);
      candidates.push_back(std::move(c));
    }
  } else {
    for (const auto& f : listed) candidates.push_back({f, {}, 0, 1});
  }

  // Match scans to slots; a later listing of the same slot (a reprocessed file) replaces an earlier one.
  std::map<std::size_t, PlannedScan> by_slot;
  for (auto& c : candidates) {
    const fetch::RemoteFile& f = c.file;
    const int mode = catalog::mode_at(periods, f.time);
    const auto cadence = catalog::abi_cadence(sector, mode);
    if (!cadence) continue;
    const auto slot = catalog::match_slot(*cadence, f.time);
    if (!slot) {
      spdlog::info("{} starts off the scan schedule; not used", f.name);
      continue;
    }
    auto it = std::lower_bound(plan.slots.begin(), plan.slots.end(), *slot,
                               [](const catalog::Slot& s, UtcTime t) { return s.time < t; });
    if (it == plan.slots.end() || it->time != *slot) continue;
    c.slot_index = static_cast<std::size_t>(it - plan.slots.begin());
    by_slot[c.slot_index] = std::move(c);
  }
  for (auto& [index, scan] : by_slot) plan.scans.push_back(std::move(scan));
  for (std::size_t i = 0; i + 1 < plan.scans.size(); ++i) {
    plan.scans[i].slots_to_next = static_cast<int>(plan.scans[i + 1].slot_index - plan.scans[i].slot_index);
  }
  for (std::size_t i = 0; i < plan.slots.size(); ++i) {
    if (!by_slot.count(i)) plan.missing.push_back(plan.slots[i].time);
  }
  if (!plan.missing.empty()) {
    const auto cadence = catalog::abi_cadence(sector, catalog::mode_at(periods, plan.missing.front()));
    for (const auto& run :
         catalog::missing_runs(plan.missing, cadence ? cadence->interval : catalog::Millis(600000))) {
      plan.missing_runs.push_back(catalog::describe_run(run));
    }
  }
  if (plan.scans.empty()) {
    fail(ErrorKind::NotFound, "{} has no {} {} files between {} and {}{}", plan.store,
         goes::satellite_id(query.satellite), query.folder.name(), format_iso(job.start), format_iso(job.end),
         plan.incomplete.empty() ? ""
                                 : fmt::format(" with every band of product '{}' ({})", job.render.product,
                                               fmt::join(plan.incomplete, "; ")));
  }
  if (plan.scans.size() < 2 && synthesises && job.intermediate > 0) {
    fail(ErrorKind::InvalidArgument, "only one scan found between {} and {}; a timelapse needs at least two",
         format_iso(job.start), format_iso(job.end));
  }
  return plan;
}

// ---- splitting ----------------------------------------------------------------------------------------

namespace {

// Segments from boundary scan indices b0 = 0 < b1 < ... < bK = last; each must hold a pair.
void set_segments(TimelapsePlan& plan, const std::vector<std::size_t>& bounds) {
  plan.segments.clear();
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    if (bounds[k + 1] <= bounds[k]) {
      const UtcTime from = plan.scans[bounds[k]].file.time;
      fail(
          ErrorKind::InvalidArgument,
          "segment {} of {} would hold no pair of scans (the scans after {} are missing up to the next cut); "
          "use fewer or longer segments",
          k, bounds.size() - 1, format_iso(from));
    }
    plan.segments.push_back({bounds[k], bounds[k + 1], k + 2 == bounds.size()});
  }
}

void check_pairs(const TimelapsePlan& plan, std::size_t count) {
  if (count == 0) fail(ErrorKind::InvalidArgument, "the number of segments must be at least 1");
  const std::size_t pairs = plan.scans.empty() ? 0 : plan.scans.size() - 1;
  if (count > pairs) {
    fail(ErrorKind::InvalidArgument,
         "{} segments need at least {} scans (each segment one pair or more, neighbours sharing their "
         "boundary "
         "scan); the range has {} scan{}",
         count, count + 1, plan.scans.size(), plan.scans.size() == 1 ? "" : "s");
  }
}

}  // namespace

void split_plan(TimelapsePlan& plan, std::size_t count) {
  check_pairs(plan, count);
  const double s0 = static_cast<double>(plan.scans.front().slot_index);
  const double s1 = static_cast<double>(plan.scans.back().slot_index);
  std::vector<std::size_t> bounds = {0};
  for (std::size_t k = 1; k < count; ++k) {
    const double ideal = s0 + (s1 - s0) * static_cast<double>(k) / static_cast<double>(count);
    std::size_t best = 0;
    for (std::size_t i = 1; i < plan.scans.size(); ++i) {
      if (std::abs(static_cast<double>(plan.scans[i].slot_index) - ideal) <
          std::abs(static_cast<double>(plan.scans[best].slot_index) - ideal))
        best = i;
    }
    bounds.push_back(best);
  }
  bounds.push_back(plan.scans.size() - 1);
  set_segments(plan, bounds);
}

void split_plan_by_length(TimelapsePlan& plan, std::chrono::milliseconds length) {
  if (length.count() <= 0) fail(ErrorKind::InvalidArgument, "the segment length must be positive");
  check_pairs(plan, 1);
  std::vector<std::size_t> bounds = {0};
  const UtcTime last = plan.scans.back().file.time;
  for (UtcTime cut = plan.job.start + length; cut < last; cut += length) {
    // The first scan at or after the cut.
    std::size_t i = 0;
    while (i < plan.scans.size() && plan.scans[i].file.time < cut) ++i;
    if (i + 1 >= plan.scans.size()) break;  // the rest is the last segment
    bounds.push_back(i);
  }
  bounds.push_back(plan.scans.size() - 1);
  set_segments(plan, bounds);
}

std::chrono::milliseconds parse_segment_length(std::string_view text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(std::string(text), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit(text.substr(used));
  const std::map<std::string, double> seconds = {{"s", 1},    {"min", 60},  {"m", 60},
                                                 {"h", 3600}, {"d", 86400}, {"w", 604800}};
  const auto it = seconds.find(unit);
  if (used == 0 || it == seconds.end() || !(value > 0))
    fail(ErrorKind::InvalidArgument,
         "segment length '{}' is not a duration (expected e.g. 1d, 6h, 90min, 3600s)", text);
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * it->second * 1000.0));
}

// ---- printing -----------------------------------------------------------------------------------------

std::string TimelapsePlan::describe() const {
  std::int64_t gaps = 0;
  for (std::size_t i = 0; i + 1 < scans.size(); ++i) gaps += scans[i].slots_to_next > 1 ? 1 : 0;
  std::string out = fmt::format("{}: {} scans expected, {} found, {} missing\n", store, slots.size(),
                                scans.size(), missing.size());
  for (const auto& run : missing_runs) out += fmt::format("missing: {}\n", run);
  for (const auto& scan : incomplete) out += fmt::format("incomplete: {}\n", scan);
  const char* policy = job.gaps == GapMode::Skip   ? "skip"
                       : job.gaps == GapMode::Hold ? "hold"
                                                   : "interpolate";
  out += fmt::format("frames: {} ({} in between each pair, gaps: {} across {} gap{}), {:.2f} s at {:g} fps\n",
                     output_frames(), synthesises ? job.intermediate : 0, policy, gaps, gaps == 1 ? "" : "s",
                     video_seconds(), job.encode.fps);
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const PlanSegment& s = segments[k];
    out += fmt::format("segment {}: scans {}-{} ({} to {}), {} frames -> {}\n", k, s.first_scan, s.last_scan,
                       format_iso(scans[s.first_scan].file.time), format_iso(scans[s.last_scan].file.time),
                       segment_frames(k), segment_file_name(k));
  }
  return out;
}

// ---- JSON ---------------------------------------------------------------------------------------------

// The encode settings of a plan: one key per field, named as the field (closed_gop and metadata are a
// segment run's, not the plan's).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(EncodeOptions, codec, crf, preset, tune, pix_fmt, bitrate, maxrate,
                                   bufsize, gop, faststart, filters, fps, threads)

namespace {

std::int64_t millis(UtcTime t) {
  return t.time_since_epoch().count();
}
UtcTime from_millis(std::int64_t ms) {
  return UtcTime(std::chrono::milliseconds(ms));
}

json config_value_json(const ConfigValue& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

ConfigValue config_value_from(const json& j, const ConfigKey& key) {
  switch (key.type) {
    case ConfigType::Int:
      return j.get<std::int64_t>();
    case ConfigType::Float:
      return j.get<double>();
    case ConfigType::Bool:
      return j.get<bool>();
    case ConfigType::String:
      return j.get<std::string>();
  }
  return ConfigValue{};
}

json encode_json(const EncodeOptions& e) {
  return e;
}
EncodeOptions encode_from(const json& j) {
  return j.get<EncodeOptions>();
}

json optional_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}
std::optional<double> optional_from(const json& j) {
  return j.is_null() ? std::nullopt : std::optional<double>(j.get<double>());
}

json render_json(const RenderOptions& r) {
  return {{"band", r.band},
          {"range_min", optional_json(r.range_min)},
          {"range_max", optional_json(r.range_max)},
          {"gamma", r.gamma},
          {"colormap", r.colormap},
          {"dqf_invalid", r.dqf_invalid},
          {"background", r.background == Background::Transparent ? "transparent" : "black"},
          {"resolution_km", r.resolution_km},
          {"product", r.product}};
}
RenderOptions render_from(const json& j) {
  RenderOptions r;
  j.at("band").get_to(r.band);
  r.range_min = optional_from(j.at("range_min"));
  r.range_max = optional_from(j.at("range_max"));
  j.at("gamma").get_to(r.gamma);
  j.at("colormap").get_to(r.colormap);
  j.at("dqf_invalid").get_to(r.dqf_invalid);
  r.background =
      j.at("background").get<std::string>() == "transparent" ? Background::Transparent : Background::Black;
  j.at("resolution_km").get_to(r.resolution_km);
  j.at("product").get_to(r.product);
  return r;
}

json colour_json(const FalseColourOptions& c) {
  return {{"underlay", c.underlay.string()},
          {"tint", {c.tint.r, c.tint.g, c.tint.b}},
          {"brightness", c.brightness},
          {"saturation", c.saturation},
          {"equalise", c.equalise},
          {"adaptive_levels", c.adaptive_levels},
          {"haze", c.haze},
          {"haze_opacity", c.haze_opacity},
          {"noise", c.noise},
          {"atmosphere", c.atmosphere},
          {"gradient", c.gradient},
          {"levels_frames", c.levels_frames}};
}
FalseColourOptions colour_from(const json& j) {
  FalseColourOptions c;
  c.underlay = j.at("underlay").get<std::string>();
  const auto& t = j.at("tint");
  c.tint = Rgb8{t.at(0).get<std::uint8_t>(), t.at(1).get<std::uint8_t>(), t.at(2).get<std::uint8_t>()};
  j.at("brightness").get_to(c.brightness);
  j.at("saturation").get_to(c.saturation);
  j.at("equalise").get_to(c.equalise);
  j.at("adaptive_levels").get_to(c.adaptive_levels);
  j.at("haze").get_to(c.haze);
  j.at("haze_opacity").get_to(c.haze_opacity);
  j.at("noise").get_to(c.noise);
  j.at("atmosphere").get_to(c.atmosphere);
  j.at("gradient").get_to(c.gradient);
  j.at("levels_frames").get_to(c.levels_frames);
  return c;
}

const char* gap_name(GapMode g) {
  return g == GapMode::Skip ? "skip" : g == GapMode::Hold ? "hold" : "interpolate";
}

json job_json(const TimelapseJob& job) {
  json j = {{"satellite", job.satellite},
            {"product", job.product},
            {"sector", job.sector},
            {"band", job.band ? json(*job.band) : json(nullptr)},
            {"start_ms", millis(job.start)},
            {"end_ms", millis(job.end)},
            {"start", format_iso(job.start)},
            {"end", format_iso(job.end)},
            {"source", job.source},
            {"data_dir", job.data_dir.string()},
            {"catalog_file", job.catalog_file.string()},
            {"render", render_json(job.render)},
            {"false_colour", job.false_colour},
            {"colour", colour_json(job.colour)},
            {"crop",
             job.crop ? json({job.crop->x, job.crop->y, job.crop->width, job.crop->height}) : json(nullptr)},
            {"resize", job.resize ? json({job.resize->first, job.resize->second}) : json(nullptr)},
            {"backend", job.backend},
            {"intermediate", job.intermediate},
            {"gaps", gap_name(job.gaps)},
            {"space", interp_space_name(job.space)},
            {"encode", encode_json(job.encode)},
            {"output", job.output.string()},
            {"render_ahead", job.render_ahead}};
  return j;
}

TimelapseJob job_from(const json& j) {
  TimelapseJob job;
  j.at("satellite").get_to(job.satellite);
  j.at("product").get_to(job.product);
  j.at("sector").get_to(job.sector);
  if (j.at("band").is_null())
    job.band.reset();
  else
    job.band = j.at("band").get<int>();
  job.start = from_millis(j.at("start_ms").get<std::int64_t>());
  job.end = from_millis(j.at("end_ms").get<std::int64_t>());
  j.at("source").get_to(job.source);
  job.data_dir = j.at("data_dir").get<std::string>();
  job.catalog_file = j.at("catalog_file").get<std::string>();
  job.render = render_from(j.at("render"));
  j.at("false_colour").get_to(job.false_colour);
  job.colour = colour_from(j.at("colour"));
  if (const auto& c = j.at("crop"); !c.is_null())
    job.crop = Rect{c.at(0).get<int>(), c.at(1).get<int>(), c.at(2).get<int>(), c.at(3).get<int>()};
  if (const auto& r = j.at("resize"); !r.is_null()) job.resize = {r.at(0).get<int>(), r.at(1).get<int>()};
  j.at("backend").get_to(job.backend);
  j.at("intermediate").get_to(job.intermediate);
  job.gaps = parse_gap_mode(j.at("gaps").get<std::string>());
  job.space = parse_interp_space(j.at("space").get<std::string>());
  job.encode = encode_from(j.at("encode"));
  job.output = j.at("output").get<std::string>();
  j.at("render_ahead").get_to(job.render_ahead);
  return job;
}

json remote_file_json(const fetch::RemoteFile& f) {
  return {{"key", f.key},      {"name", f.name}, {"url", f.url},
          {"size", f.size},    {"etag", f.etag}, {"time_ms", millis(f.time)},
          {"origin", f.origin}};
}

fetch::RemoteFile remote_file_from(const json& s) {
  fetch::RemoteFile f;
  s.at("key").get_to(f.key);
  s.at("name").get_to(f.name);
  s.at("url").get_to(f.url);
  s.at("size").get_to(f.size);
  s.at("etag").get_to(f.etag);
  f.time = from_millis(s.at("time_ms").get<std::int64_t>());
  s.at("origin").get_to(f.origin);
  return f;
}

json content_json(const TimelapsePlan& plan) {
  json config = json::object();
  for (const auto& [k, v] : plan.config) config[k] = config_value_json(v);
  json slots = json::array();
  for (const auto& s : plan.slots) slots.push_back({millis(s.time), s.mode});
  json scans = json::array();
  for (const auto& s : plan.scans) {
    json scan = remote_file_json(s.file);
    scan["slot"] = s.slot_index;
    scan["slots_to_next"] = s.slots_to_next;
    if (!s.more.empty()) {  // a recipe's other bands (absent for one band: plans of one band read as before)
      scan["more"] = json::array();
      for (const auto& f : s.more) scan["more"].push_back(remote_file_json(f));
    }
    scans.push_back(std::move(scan));
  }
  json missing = json::array();
  for (auto t : plan.missing) missing.push_back(millis(t));
  json segments = json::array();
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    const auto& s = plan.segments[k];
    segments.push_back({{"first_scan", s.first_scan},
                        {"last_scan", s.last_scan},
                        {"encodes_last", s.encodes_last},
                        {"frames", plan.segment_frames(k)},
                        {"file", plan.segment_file_name(k)}});
  }
  return {{"version", TimelapsePlan::kVersion},
          {"job", job_json(plan.job)},
          {"config", config},
          {"synthesises", plan.synthesises},
          {"store", plan.store},
          {"slots", slots},
          {"scans", scans},
          {"missing", missing},
          {"missing_runs", plan.missing_runs},
          {"incomplete", plan.incomplete},
          {"frames", plan.output_frames()},
          {"segments", segments}};
}

}  // namespace

std::string TimelapsePlan::hash() const {
  return fetch::sha256_hex(content_json(*this).dump());
}

Config TimelapsePlan::make_config(const Config& base) const {
  Config c = base;
  for (const auto& [k, v] : config) c.set(k, v, "plan");
  return c;
}

json plan_to_json(const TimelapsePlan& plan) {
  json j = content_json(plan);
  j["hash"] = fetch::sha256_hex(j.dump());
  return j;
}

TimelapsePlan plan_from_json(const json& j) {
  if (!j.is_object() || !j.contains("version"))
    fail(ErrorKind::InvalidArgument, "not a goesvfi timelapse plan (no version)");
  if (j.at("version") != TimelapsePlan::kVersion)
    fail(ErrorKind::InvalidArgument, "plan version {} is not supported (this goesvfi reads version {})",
         j.at("version").dump(), TimelapsePlan::kVersion);
  TimelapsePlan plan;
  try {
    plan.job = job_from(j.at("job"));
    for (const auto& [k, v] : j.at("config").items()) {
      const ConfigKey* key = find_config_key(k);
      if (key == nullptr) fail(ErrorKind::InvalidArgument, "plan sets unknown config key '{}'", k);
      plan.config[k] = config_value_from(v, *key);
    }
    j.at("synthesises").get_to(plan.synthesises);
    j.at("store").get_to(plan.store);
    for (const auto& s : j.at("slots"))
      plan.slots.push_back({from_millis(s.at(0).get<std::int64_t>()), s.at(1).get<int>()});
    for (const auto& s : j.at("scans")) {
      PlannedScan p;
      p.file = remote_file_from(s);
      if (s.contains("more")) {
        for (const auto& f : s.at("more")) p.more.push_back(remote_file_from(f));
      }
      s.at("slot").get_to(p.slot_index);
      s.at("slots_to_next").get_to(p.slots_to_next);
      plan.scans.push_back(std::move(p));
    }
    for (const auto& t : j.at("missing")) plan.missing.push_back(from_millis(t.get<std::int64_t>()));
    j.at("missing_runs").get_to(plan.missing_runs);
    j.at("incomplete").get_to(plan.incomplete);
    for (const auto& s : j.at("segments")) {
      plan.segments.push_back({s.at("first_scan").get<std::size_t>(), s.at("last_scan").get<std::size_t>(),
                               s.at("encodes_last").get<bool>()});
    }
  } catch (const json::exception& e) {
    fail(ErrorKind::InvalidArgument, "malformed timelapse plan: {}", e.what());
  }
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    const auto& s = plan.segments[k];
    if (s.last_scan >= plan.scans.size() || s.first_scan >= s.last_scan)
      fail(ErrorKind::InvalidArgument, "malformed timelapse plan: segment {} has scans {}-{} of {}", k,
           s.first_scan, s.last_scan, plan.scans.size());
  }
  if (j.contains("hash") && j.at("hash") != plan.hash())
    fail(ErrorKind::Corrupt,
         "the plan was changed after it was written (its hash does not match its content)");
  return plan;
}

void write_plan(const fs::path& path, const TimelapsePlan& plan) {
  write_file_atomic(path, plan_to_json(plan).dump(2) + "\n");
}

TimelapsePlan read_plan(const fs::path& path) {
  std::ifstream in(path);
  if (!in) fail(ErrorKind::NotFound, "cannot open the plan {}", path.string());
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    fail(ErrorKind::InvalidArgument, "{} is not a timelapse plan: {}", path.string(), e.what());
  }
  return with_context(fmt::format("while reading the plan {}", path.string()),
                      [&] { return plan_from_json(j); });
}

}  // namespace goesvfi
