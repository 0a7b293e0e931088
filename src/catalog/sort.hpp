// The file and date sorters (GOES_VFI's File Sorter and Date Sorter as library calls). Nothing is lost on any
// error: every file is written through AtomicFile, checked byte for byte against its source, and only then is
// the source removed (same-filesystem moves are a single no-replace rename). Interrupted runs can be re-run:
// a destination already holding identical bytes counts as done. Per-file failures are collected, not thrown.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/check.hpp"
#include "core/cancel.hpp"
#include "core/progress.hpp"

namespace goesvfi::catalog {

enum class OnConflict { Skip, Overwrite, Rename };
OnConflict parse_on_conflict(std::string_view text);  // skip|overwrite|rename
enum class TransferMode { Copy, Move };

enum class SortOutcome { Copied, Moved, AlreadyDone, Skipped, Renamed, Failed, Planned };
std::string_view to_string(SortOutcome outcome);

struct SortAction {
  std::filesystem::path from, to;
  SortOutcome outcome = SortOutcome::Planned;
  std::string detail;  // the error, or why it was skipped
};

struct SortReport {
  std::vector<SortAction> actions;
  std::size_t done = 0;     // copied, moved or renamed
  std::size_t skipped = 0;  // conflicts skipped, already done
  std::size_t failed = 0;
  std::size_t ignored = 0;  // files the sorter does not handle (not images, no time)
  // sort dates: gaps between the sorted files
  std::optional<Millis> interval;
  std::vector<MissingRun> missing_runs;

  bool ok() const { return failed == 0; }
  std::string text() const;  // the human summary
};

// `goesvfi sort files SRC DST`: images in capture folders named `YYYY-MM-DD_HH-MM-SS/` (at any depth of SRC)
// become DST/<base>_YYYYMMDDTHHMMSSZ.<ext> (<base> is the image's stem, shortened to fit a 255-byte name).
struct SortFilesOptions {
  std::filesystem::path source, destination;
  TransferMode mode = TransferMode::Copy;
  OnConflict on_conflict = OnConflict::Skip;
  bool dry_run = false;
};
SortReport sort_files(const SortFilesOptions& options, const CancelToken& cancel = CancelToken::process(),
                      Progress& progress = Progress::null());

// `goesvfi sort dates DIR`: files directly in DIR whose names carry a scan time move into DIR/YYYY-MM-DD/
// (or DIR/YYYY-MM-DD/HH/ by hour); then the missing intervals of everything sorted (detected interval) are
// reported.
struct SortDatesOptions {
  std::filesystem::path folder;
  bool by_hour = false;
  OnConflict on_conflict = OnConflict::Skip;
  bool dry_run = false;
  std::optional<Millis> interval;  // default: detected
};
SortReport sort_dates(const SortDatesOptions& options, const CancelToken& cancel = CancelToken::process(),
                      Progress& progress = Progress::null());

// The capture-folder time of "2024-05-01_12-30-00"; nullopt for other names.
std::optional<UtcTime> parse_capture_folder(std::string_view name);
// "<stem>_<compact time><ext>", the stem cut at a UTF-8 boundary so the name fits in 255 bytes.
std::string sorted_file_name(std::string_view stem, UtcTime time, std::string_view extension);

}  // namespace goesvfi::catalog
