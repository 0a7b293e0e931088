// The completeness check of a folder of GOES files (NOAA .nc, STAR CDN .jpg, goesproc/Sanchez names, our
// rendered frames): expected scan slots from the real ABI schedule (following mode changes read from the
// names) or, for frames without a sector, from the detected interval; present, missing (as runs), duplicates,
// unreadable/truncated files and files off the schedule. Reports as a table, JSON or CSV.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/schedule.hpp"

namespace goesvfi::catalog {

struct CheckOptions {
  std::filesystem::path folder;
  // The series to check; inferred from the files when not given (an error lists the series when several).
  std::optional<goes::Satellite> satellite;
  std::optional<std::string> product;  // "ABI-L1b-RadF", "ABI-L2-CMIPC", or a band-less image product ("FC")
  std::optional<goes::Sector> sector;
  std::optional<int> band;
  // Range [start, end); default: from the first to the last file's slot.
  std::optional<UtcTime> start, end;
  std::optional<int> mode;         // mode before the first file (default: the first file's, else 6)
  std::optional<Millis> interval;  // frames without a sector (default: detected)
  // Catalog file (empty = a private in-memory catalog, so nothing is cached between runs).
  std::filesystem::path catalog_file;
};

struct MissingRun {
  UtcTime first, last;  // first and last missing slot
  std::size_t count = 0;
};
struct Duplicate {
  UtcTime slot;
  std::vector<std::string> files;
};
struct BadFile {
  std::string file;
  std::string reason;
};

// What a timeline shows for one expected slot: a readable file, none, several, or only unreadable ones.
enum class SlotState { Present, Missing, Duplicate, Unreadable };
std::string_view to_string(SlotState state);  // present|missing|duplicate|unreadable
struct SlotStatus {
  UtcTime time;
  SlotState state = SlotState::Missing;
  std::vector<std::string> files;  // the files filling the slot (for unreadable: the bad ones)
};

struct CheckReport {
  std::string series;  // "G16 ABI-L1b-RadF band 13", "frames"
  std::optional<goes::SceneName>
      series_scene;  // the first file's name fields (satellite, product, band, ...)
  UtcTime start{}, end{};
  Millis interval{0};             // nominal spacing (of the last mode period for ABI series)
  std::vector<ModePeriod> modes;  // empty for frames without a sector
  std::size_t expected = 0, present = 0;
  std::vector<UtcTime> missing;
  std::vector<MissingRun> missing_runs;
  std::vector<Duplicate> duplicates;
  std::vector<BadFile> unreadable;
  std::vector<std::string> off_schedule;
  std::vector<std::string> unrecognised;  // names without a scan time, readable or not (not counted)
  std::vector<SlotStatus> slots;          // every expected slot in time order (missing ones included)

  bool complete() const { return missing.empty() && unreadable.empty(); }
};

// Scans the folder into the catalog (incrementally) and checks it.
CheckReport check_folder(const CheckOptions& options, const CancelToken& cancel = CancelToken::process(),
                         Progress& progress = Progress::null());
// The check itself over catalog entries (what check_folder does after the scan).
CheckReport check_entries(const std::vector<CatalogEntry>& entries, const CheckOptions& options);

// Consecutive missing slots grouped: slots `interval` apart form one run.
std::vector<MissingRun> missing_runs(const std::vector<UtcTime>& missing, Millis interval);
// "2024-05-01 12:10–12:40, 4 scans"
std::string describe_run(const MissingRun& run);

enum class ReportFormat { Table, Json, Csv };
ReportFormat parse_report_format(std::string_view text);  // table|json|csv
// JSON: {"series", "start", "end", "interval_s", "expected", "present", "missing", "missing_times": [ISO...],
// "missing_runs": [{"start","end","count","text"}], "duplicates": [{"slot","files"}], "unreadable":
// [{"file","reason"}], "off_schedule": [...], "unrecognised": [...], "modes": [{"start","mode"}],
// "complete"}. CSV: kind,time,end,count,file,detail — one row per summary value, missing slot, duplicate, bad
// file.
std::string format_check_report(const CheckReport& report, ReportFormat format);

}  // namespace goesvfi::catalog
