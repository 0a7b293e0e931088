#include "catalog/check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace goesvfi::catalog {

namespace {

using goes::SceneName;

std::string series_label(const SceneName& s) {
  std::string out;
  if (s.satellite) out += goes::satellite_id(*s.satellite);
  auto add = [&](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (s.folder) {
    add(s.folder->name());
    if (s.sector == goes::Sector::Meso1 || s.sector == goes::Sector::Meso2) add(goes::sector_code(*s.sector));
  } else if (s.sector) {
    add(s.sector == goes::Sector::FullDisk ? "full disk"
        : s.sector == goes::Sector::Conus  ? "CONUS"
                                           : goes::sector_code(*s.sector));
  }
  if (s.band) add(fmt::format("band {}", *s.band));
  if (!s.folder && !s.product.empty()) add(s.product);
  if (s.family == goes::NameFamily::TimeOnly) add("frames");
  return out;
}

bool matches(const SceneName& s, const CheckOptions& o) {
  if (o.satellite && s.satellite != o.satellite) return false;
  if (o.sector && s.sector != o.sector) return false;
  if (o.band && s.band != o.band) return false;
  if (o.product) {
    const bool folder_match =
        s.folder && (s.folder->name() == *o.product || s.folder->product.name == *o.product);
    if (!folder_match && s.product != *o.product) return false;
  }
  return true;
}

std::string hhmm(UtcTime t) {
  const UtcFields f = utc_fields(t);
  if (f.second != 0 || f.millis != 0) return fmt::format("{:02}:{:02}:{:02}", f.hour, f.minute, f.second);
  return fmt::format("{:02}:{:02}", f.hour, f.minute);
}

std::string day(UtcTime t) {
  const UtcFields f = utc_fields(t);
  return fmt::format("{:04}-{:02}-{:02}", f.year, f.month, f.day);
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::vector<MissingRun> missing_runs(const std::vector<UtcTime>& missing, Millis interval) {
  std::vector<MissingRun> runs;
  for (UtcTime t : missing) {
    // Slots of one mode period are exactly `interval` apart; a larger step (a present scan, or a mode
    // change to a longer interval) starts a new run.
    if (!runs.empty() && t - runs.back().last <= interval) {
      runs.back().last = t;
      ++runs.back().count;
    } else {
      runs.push_back({t, t, 1});
    }
  }
  return runs;
}

std::string describe_run(const MissingRun& run) {
  const std::string scans = run.count == 1 ? "1 scan" : fmt::format("{} scans", run.count);
  if (run.count == 1) return fmt::format("{} {}, {}", day(run.first), hhmm(run.first), scans);
  if (day(run.first) == day(run.last)) {
    return fmt::format("{} {}\u2013{}, {}", day(run.first), hhmm(run.first), hhmm(run.last), scans);
  }
  return fmt::format("{} {}\u2013{} {}, {}", day(run.first), hhmm(run.first), day(run.last), hhmm(run.last),
                     scans);
}

std::string_view to_string(SlotState state) {
  switch (state) {
    case SlotState::Present:
      return "present";
    case SlotState::Missing:
      return "missing";
    case SlotState::Duplicate:
      return "duplicate";
    case SlotState::Unreadable:
      return "unreadable";
  }
  return "?";
}

CheckReport check_entries(const std::vector<CatalogEntry>& entries, const CheckOptions& o) {
  CheckReport report;
  // Group the files with a scan time into series.
  std::map<std::string, std::vector<const CatalogEntry*>> series;
  for (const CatalogEntry& e : entries) {
    if (!e.scene) {
      // Not part of any series (notes, lock files, foreign names): listed, never counted against
      // completeness.
      report.unrecognised.push_back(e.path);
      continue;
    }
    if (!matches(*e.scene, o)) continue;
    series[series_label(*e.scene)].push_back(&e);
  }
  if (series.size() > 1) {
    std::string list;
    for (const auto& [label, files] : series) list += fmt::format("\n  {} ({} files)", label, files.size());
    fail(ErrorKind::InvalidArgument,
         "{} holds several series; choose one with query.satellite, query.product, query.sector or "
         "query.band:{}",
         o.folder.string(), list);
  }
  std::vector<const CatalogEntry*> files =
      series.empty() ? std::vector<const CatalogEntry*>{} : series.begin()->second;
  std::stable_sort(files.begin(), files.end(), [](const CatalogEntry* a, const CatalogEntry* b) {
    return a->scene->start < b->scene->start;
  });
  std::optional<goes::Sector> sector = o.sector;
  if (!files.empty()) sector = files.front()->scene->sector;
  report.series = files.empty() ? std::string("(no files)") : series.begin()->first;
  if (!files.empty()) report.series_scene = files.front()->scene;

  std::vector<UtcTime> readable_times;
  for (const CatalogEntry* e : files) {
    if (e->state == FileState::Ok) readable_times.push_back(e->scene->start);
  }
  std::sort(readable_times.begin(), readable_times.end());

  // The cadence in force for each file and slot.
  std::vector<std::pair<UtcTime, int>> observations;
  for (const CatalogEntry* e : files) {
    if (e->scene->mode) observations.emplace_back(e->scene->start, *e->scene->mode);
  }
  if (files.empty() && !sector && !(o.interval && o.start && o.end)) {
    fail(ErrorKind::InvalidArgument,
         "{}: no files with a scan time in their names match{}; give query.satellite/query.sector/query.band "
         "with query.start and query.end to list what is expected",
         o.folder.string(), entries.empty() ? " (the folder is empty)" : "");
  }
  std::function<std::optional<Cadence>(UtcTime)> cadence_at;
  if (sector) {
    report.modes = mode_periods(observations, o.mode);
    cadence_at = [&](UtcTime t) { return abi_cadence(*sector, mode_at(report.modes, t)); };
  } else {
    std::optional<Millis> interval = o.interval;
    if (!interval) interval = detect_interval(readable_times);
    if (!interval) {
      fail(ErrorKind::InvalidArgument,
           "{}: cannot tell the scan interval from {} readable frame(s); give it with catalog.interval_s",
           o.folder.string(), readable_times.size());
    }
    const UtcTime anchor = !readable_times.empty() ? readable_times.front()
                           : !files.empty()        ? files.front()->scene->start
                                                   : o.start.value_or(UtcTime{});
    const Cadence uniform = uniform_cadence(*interval, anchor);
    cadence_at = [uniform](UtcTime) { return std::optional<Cadence>(uniform); };
  }

  // The range: as given, else from the first to the last file's slot.
  auto slot_of = [&](UtcTime t) -> std::optional<UtcTime> {
    const auto c = cadence_at(t);
    return c ? match_slot(*c, t) : std::nullopt;
  };
  if (o.start) {
    report.start = *o.start;
  } else if (!files.empty()) {
    report.start = slot_of(files.front()->scene->start)
                       .value_or(std::chrono::floor<std::chrono::minutes>(files.front()->scene->start));
  } else {
    fail(ErrorKind::InvalidArgument,
         "{}: no files with a scan time match; give query.start and query.end to list what is "
         "expected",
         o.folder.string());
  }
  if (o.end) {
    report.end = *o.end;
  } else if (!files.empty()) {
    // Half-open: one interval past the last file's slot.
    const UtcTime last = files.back()->scene->start;
    const auto last_slot = slot_of(last);
    const auto c = cadence_at(last);
    report.end = last_slot && c ? *last_slot + c->interval : last + Millis(1);
  } else {
    fail(ErrorKind::InvalidArgument, "{}: no query.end given and no files to infer it from",
         o.folder.string());
  }
  if (report.end < report.start) {
    fail(ErrorKind::InvalidArgument, "range {} to {}: the end is before the start", format_iso(report.start),
         format_iso(report.end));
  }

  std::vector<UtcTime> expected;
  if (sector) {
    for (const Slot& s : expected_abi_slots(*sector, report.modes, report.start, report.end)) {
      expected.push_back(s.time);
    }
    const auto last = abi_cadence(*sector, mode_at(report.modes, report.end - Millis(1)));
    report.interval = last ? last->interval : Millis(0);
  } else {
    report.interval = cadence_at(report.start)->interval;
    expected = expected_slots(*cadence_at(report.start), report.start, report.end);
  }
  const std::set<UtcTime> expected_set(expected.begin(), expected.end());

  std::map<UtcTime, std::vector<std::string>> filled, unreadable_in;
  for (const CatalogEntry* e : files) {
    const UtcTime t = e->scene->start;
    // A NOAA file carries its own mode: match it with that cadence.
    std::optional<Cadence> c =
        sector && e->scene->mode ? abi_cadence(*sector, *e->scene->mode) : cadence_at(t);
    const std::optional<UtcTime> slot = c ? match_slot(*c, t) : std::nullopt;
    if (slot && (*slot < report.start || *slot >= report.end)) continue;  // outside the range
    if (!slot && (t < report.start || t >= report.end)) continue;
    if (e->state != FileState::Ok) {
      report.unreadable.push_back({e->path, e->reason});
      if (slot && expected_set.count(*slot)) unreadable_in[*slot].push_back(e->path);
      continue;
    }
    if (!slot || !expected_set.count(*slot)) {
      report.off_schedule.push_back(e->path);
      continue;
    }
    filled[*slot].push_back(e->path);
  }
  report.expected = expected.size();
  for (UtcTime t : expected) {
    const auto f = filled.find(t);
    if (f == filled.end()) {
      report.missing.push_back(t);
      const auto bad = unreadable_in.find(t);
      if (bad == unreadable_in.end())
        report.slots.push_back({t, SlotState::Missing, {}});
      else
        report.slots.push_back({t, SlotState::Unreadable, bad->second});
      continue;
    }
    ++report.present;
    if (f->second.size() > 1) report.duplicates.push_back({t, f->second});
    report.slots.push_back({t, f->second.size() > 1 ? SlotState::Duplicate : SlotState::Present, f->second});
  }
  report.missing_runs = missing_runs(report.missing, report.interval);
  return report;
}

CheckReport check_folder(const CheckOptions& options, const CancelToken& cancel, Progress& progress) {
  Catalog catalog(options.catalog_file.empty() ? std::filesystem::path(":memory:") : options.catalog_file);
  catalog.scan(options.folder, cancel, progress);
  CatalogQuery q;
  q.root = options.folder;
  q.source = "local";
  return check_entries(catalog.query(q), options);
}

ReportFormat parse_report_format(std::string_view text) {
  if (text == "table") return ReportFormat::Table;
  if (text == "json") return ReportFormat::Json;
  if (text == "csv") return ReportFormat::Csv;
  fail(ErrorKind::InvalidArgument, "report format '{}': expected table, json or csv", text);
}

std::string format_check_report(const CheckReport& r, ReportFormat format) {
  if (format == ReportFormat::Json) {
    nlohmann::json j;
    j["series"] = r.series;
    j["start"] = format_iso(r.start);
    j["end"] = format_iso(r.end);
    j["interval_s"] = std::chrono::duration<double>(r.interval).count();
    j["expected"] = r.expected;
    j["present"] = r.present;
    j["missing"] = r.missing.size();
    j["missing_times"] = nlohmann::json::array();
    for (UtcTime t : r.missing) j["missing_times"].push_back(format_iso(t));
    j["missing_runs"] = nlohmann::json::array();
    for (const auto& run : r.missing_runs) {
      j["missing_runs"].push_back({{"start", format_iso(run.first)},
                                   {"end", format_iso(run.last)},
                                   {"count", run.count},
                                   {"text", describe_run(run)}});
    }
    j["duplicates"] = nlohmann::json::array();
    for (const auto& d : r.duplicates)
      j["duplicates"].push_back({{"slot", format_iso(d.slot)}, {"files", d.files}});
    j["unreadable"] = nlohmann::json::array();
    for (const auto& b : r.unreadable) j["unreadable"].push_back({{"file", b.file}, {"reason", b.reason}});
    j["off_schedule"] = r.off_schedule;
    j["unrecognised"] = r.unrecognised;
    j["modes"] = nlohmann::json::array();
    for (const auto& m : r.modes) {
      j["modes"].push_back({{"start", m.start == UtcTime::min() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(format_iso(m.start))},
                            {"mode", m.mode}});
    }
    j["complete"] = r.complete();
    return j.dump(2) + "\n";
  }
  if (format == ReportFormat::Csv) {
    std::string out = "kind,time,end,count,file,detail\n";
    out += fmt::format("expected,{},{},{},,\n", format_iso(r.start), format_iso(r.end), r.expected);
    out += fmt::format("present,,,{},,\n", r.present);
    for (UtcTime t : r.missing) out += fmt::format("missing,{},,1,,\n", format_iso(t));
    for (const auto& d : r.duplicates) {
      for (const auto& f : d.files) {
        out += fmt::format("duplicate,{},,{},{},\n", format_iso(d.slot), d.files.size(), csv_field(f));
      }
    }
    for (const auto& b : r.unreadable)
      out += fmt::format("unreadable,,,,{},{}\n", csv_field(b.file), csv_field(b.reason));
    for (const auto& f : r.off_schedule) out += fmt::format("off_schedule,,,,{},\n", csv_field(f));
    return out;
  }
  std::string out;
  out += fmt::format("series        {}\n", r.series);
  out += fmt::format("range         {} to {}\n", format_iso(r.start), format_iso(r.end));
  for (const auto& m : r.modes) {
    if (m.start == UtcTime::min()) {
      out += fmt::format("scan mode     {}\n", m.mode);
    } else {
      out += fmt::format("scan mode     {} from {}\n", m.mode, format_iso(m.start));
    }
  }
  out += fmt::format("expected      {}\n", r.expected);
  out += fmt::format("present       {}\n", r.present);
  out += fmt::format("missing       {}\n", r.missing.size());
  for (const auto& run : r.missing_runs) out += fmt::format("  {}\n", describe_run(run));
  out += fmt::format("duplicates    {}\n", r.duplicates.size());
  for (const auto& d : r.duplicates) {
    out += fmt::format("  {}: {}\n", format_iso(d.slot), fmt::join(d.files, ", "));
  }
  out += fmt::format("unreadable    {}\n", r.unreadable.size());
  for (const auto& b : r.unreadable) out += fmt::format("  {}: {}\n", b.file, b.reason);
  out += fmt::format("off schedule  {}\n", r.off_schedule.size());
  for (const auto& f : r.off_schedule) out += fmt::format("  {}\n", f);
  if (!r.unrecognised.empty())
    out += fmt::format("ignored       {} file(s) without a scan time in the name\n", r.unrecognised.size());
  out += r.complete() ? "complete\n" : "INCOMPLETE\n";
  return out;
}

}  // namespace goesvfi::catalog
