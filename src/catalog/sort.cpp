#include "catalog/sort.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace goesvfi::catalog {

namespace fs = std::filesystem;

namespace {

// Final names stay well below NAME_MAX (255) so AtomicFile's temporary `.<name>.tmp-<pid>-<n>` fits too.
constexpr std::size_t kMaxName = 200;

bool is_image(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::set<std::string> images{".png",  ".jpg",  ".jpeg", ".tif",
                                            ".tiff", ".webp", ".bmp",  ".gif"};
  return images.count(ext) > 0;
}

// Byte-for-byte equality of two files.
bool same_bytes(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  const auto sa = fs::file_size(a, ec1), sb = fs::file_size(b, ec2);
  if (ec1 || ec2 || sa != sb) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  std::vector<char> ba(1 << 20), bb(1 << 20);
  while (fa && fb) {
    fa.read(ba.data(), static_cast<std::streamsize>(ba.size()));
    fb.read(bb.data(), static_cast<std::streamsize>(bb.size()));
    if (fa.gcount() != fb.gcount()) return false;
    if (!std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
  }
  return fa.eof() && fb.eof();
}

void copy_into(const fs::path& from, const fs::path& temp) {
  std::ifstream in(from, std::ios::binary);
  if (!in) fail(ErrorKind::Io, "cannot read {}: {}", from.string(), std::strerror(errno));
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  if (!out) fail(ErrorKind::Io, "cannot create {}: {}", temp.string(), std::strerror(errno));
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    out.write(buf.data(), in.gcount());
  }
  if (in.bad()) fail(ErrorKind::Io, "read error in {}", from.string());
  out.flush();
  if (!out) fail(ErrorKind::Io, "cannot write {} (disk full?)", temp.string());
}

std::string fit_name(std::string_view stem, std::string_view suffix) {
  std::string base(stem);
  // A leading dot would hide the file (and our scans skip hidden files).
  base.erase(0, base.find_first_not_of('.'));
  if (base.empty()) base = "image";
  if (base.size() + suffix.size() > kMaxName) {
    std::size_t cut = kMaxName > suffix.size() ? kMaxName - suffix.size() : 1;
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
    base.resize(cut);
  }
  return base + std::string(suffix);
}

// `to` with "-1", "-2", ... before the extension, the first that does not exist.
fs::path free_name(const fs::path& to) {
  const std::string stem = to.stem().string(), ext = to.extension().string();
  for (int n = 1;; ++n) {
    const fs::path candidate = to.parent_path() / fit_name(stem, fmt::format("-{}{}", n, ext));
    if (!fs::exists(candidate)) return candidate;
  }
}

// Moves or copies one file so that nothing is lost: same-filesystem moves are one rename (no replace unless
// overwriting); otherwise copy to a temporary, fsync, rename, compare bytes, and only then remove the source.
SortOutcome transfer(const fs::path& from, const fs::path& to, TransferMode mode, bool overwrite) {
  if (mode == TransferMode::Move) {
    const int rc = overwrite ? ::rename(from.c_str(), to.c_str())
                             : ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
    if (rc == 0) {
      fsync_path(to.parent_path());
      fsync_path(from.parent_path());
      return SortOutcome::Moved;
    }
    if (errno == EEXIST) fail(ErrorKind::Io, "{} appeared while sorting; left in place", to.string());
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS) {
      fail(ErrorKind::Io, "cannot move {} to {}: {}", from.string(), to.string(), std::strerror(errno));
    }
  }
  {
    AtomicFile out(to);
    copy_into(from, out.temp_path());
    std::error_code ec;
    fs::last_write_time(out.temp_path(), fs::last_write_time(from, ec), ec);  // keep the capture's mtime
    if (!overwrite && fs::exists(to)) {
      fail(ErrorKind::Io, "{} appeared while sorting; left in place", to.string());
    }
    out.commit();
  }
  if (!same_bytes(from, to)) {
    fail(ErrorKind::Corrupt, "{} differs from {} after copying; the source is kept", to.string(),
         from.string());
  }
  if (mode == TransferMode::Move) {
    std::error_code ec;
    fs::remove(from, ec);
    if (ec)
      fail(ErrorKind::Io, "copied to {} but cannot remove {}: {}", to.string(), from.string(), ec.message());
    fsync_path(from.parent_path());
    return SortOutcome::Moved;
  }
  return SortOutcome::Copied;
}

// Resolves conflicts, transfers, and records the outcome.
void sort_one(const fs::path& from, fs::path to, TransferMode mode, OnConflict on_conflict, bool dry_run,
              SortReport& report) {
  SortAction action{from, to, SortOutcome::Planned, {}};
  try {
    bool renamed = false, overwrite = false;
    if (fs::exists(to)) {
      if (same_bytes(from, to)) {
        // An earlier (perhaps interrupted) run already put it there.
        if (mode == TransferMode::Move && !dry_run) {
          fs::remove(from);
          fsync_path(from.parent_path());
        }
        action.outcome = SortOutcome::AlreadyDone;
        ++report.skipped;
        report.actions.push_back(std::move(action));
        return;
      }
      if (on_conflict == OnConflict::Skip) {
        action.outcome = SortOutcome::Skipped;
        action.detail = "a different file of that name exists";
        ++report.skipped;
        report.actions.push_back(std::move(action));
        return;
      }
      if (on_conflict == OnConflict::Rename) {
        to = free_name(to);
        action.to = to;
        renamed = true;
      } else {
        overwrite = true;
      }
    }
    if (dry_run) {
      action.outcome = SortOutcome::Planned;
    } else {
      action.outcome = transfer(from, to, mode, overwrite);
      if (renamed) action.outcome = SortOutcome::Renamed;
      ++report.done;
    }
  } catch (const Error& e) {
    action.outcome = SortOutcome::Failed;
    action.detail = e.describe();
    ++report.failed;
  } catch (const std::exception& e) {
    action.outcome = SortOutcome::Failed;
    action.detail = e.what();
    ++report.failed;
  }
  report.actions.push_back(std::move(action));
}

void ensure_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder)) {
    fail(ErrorKind::AccessDenied, "cannot create the destination folder {}: {}", folder.string(),
         ec ? ec.message() : "not a folder");
  }
}

}  // namespace

OnConflict parse_on_conflict(std::string_view text) {
  if (text == "skip") return OnConflict::Skip;
  if (text == "overwrite") return OnConflict::Overwrite;
  if (text == "rename") return OnConflict::Rename;
  fail(ErrorKind::InvalidArgument, "catalog.on_conflict '{}': expected skip, overwrite or rename", text);
}

std::string_view to_string(SortOutcome outcome) {
  switch (outcome) {
    case SortOutcome::Copied:
      return "copied";
    case SortOutcome::Moved:
      return "moved";
    case SortOutcome::AlreadyDone:
      return "already done";
    case SortOutcome::Skipped:
      return "skipped";
    case SortOutcome::Renamed:
      return "renamed";
    case SortOutcome::Failed:
      return "FAILED";
    case SortOutcome::Planned:
      return "would sort";
  }
  return "?";
}

std::string SortReport::text() const {
  const auto planned = std::count_if(actions.begin(), actions.end(),
                                     [](const SortAction& a) { return a.outcome == SortOutcome::Planned; });
  std::string out = planned > 0 ? fmt::format("{} would be sorted (dry run), ", planned) : std::string();
  out += fmt::format("{} sorted, {} skipped, {} failed, {} ignored", done, skipped, failed, ignored);
  if (interval) {
    out += fmt::format("\ninterval {} s; {} missing interval(s)",
                       std::chrono::duration<double>(*interval).count(), missing_runs.size());
    for (const auto& run : missing_runs) out += "\n  " + describe_run(run);
  }
  return out;
}

std::optional<UtcTime> parse_capture_folder(std::string_view n) {
  // YYYY-MM-DD_HH-MM-SS
  if (n.size() != 19 || n[4] != '-' || n[7] != '-' || n[10] != '_' || n[13] != '-' || n[16] != '-') {
    return std::nullopt;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!std::isdigit(static_cast<unsigned char>(n[i]))) return std::nullopt;
  }
  auto num = [&](std::size_t at, std::size_t len) { return std::stoi(std::string(n.substr(at, len))); };
  return make_utc(num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2));
}

std::string sorted_file_name(std::string_view stem, UtcTime time, std::string_view extension) {
  return fit_name(stem, fmt::format("_{}{}", format_compact(time), extension));
}

SortReport sort_files(const SortFilesOptions& o, const CancelToken& cancel, Progress& progress) {
  std::error_code ec;
  if (!fs::is_directory(o.source, ec))
    fail(ErrorKind::NotFound, "source folder {} does not exist", o.source.string());
  if (!o.dry_run) ensure_folder(o.destination);
  const fs::path dest_canonical = fs::weakly_canonical(o.destination, ec);

  struct Job {
    fs::path from;
    UtcTime time;
  };
  std::vector<Job> jobs;
  SortReport report;
  fs::recursive_directory_iterator it(o.source, fs::directory_options::skip_permission_denied, ec);
  if (ec) fail(ErrorKind::AccessDenied, "cannot list {}: {}", o.source.string(), ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) fail(ErrorKind::Io, "listing {} failed: {}", o.source.string(), ec.message());
    if (!it->is_directory(ec)) continue;
    if (fs::weakly_canonical(it->path(), ec) == dest_canonical) {
      it.disable_recursion_pending();  // never re-sort our own output
      continue;
    }
    const auto time = parse_capture_folder(it->path().filename().string());
    if (!time) continue;
    std::vector<fs::path> files;
    for (const auto& entry :
         fs::directory_iterator(it->path(), fs::directory_options::skip_permission_denied, ec)) {
      if (entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (is_image(f) && f.filename().string()[0] != '.') {
        jobs.push_back({f, *time});
      } else {
        ++report.ignored;
      }
    }
  }
  auto task = progress.task("sort files", static_cast<std::int64_t>(jobs.size()), "files");
  for (const Job& job : jobs) {
    cancel.throw_if_cancelled();
    const fs::path to =
        o.destination / sorted_file_name(job.from.stem().string(), job.time, job.from.extension().string());
    sort_one(job.from, to, o.mode, o.on_conflict, o.dry_run, report);
    task.advance();
  }
  task.finish();
  return report;
}

SortReport sort_dates(const SortDatesOptions& o, const CancelToken& cancel, Progress& progress) {
  std::error_code ec;
  if (!fs::is_directory(o.folder, ec))
    fail(ErrorKind::NotFound, "folder {} does not exist", o.folder.string());
  SortReport report;
  std::vector<std::pair<fs::path, UtcTime>> jobs;
  for (const auto& entry : fs::directory_iterator(o.folder, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const auto scene = goes::parse_scene_name(name);
    if (!scene) {
      ++report.ignored;
      continue;
    }
    jobs.emplace_back(entry.path(), scene->start);
  }
  if (ec) fail(ErrorKind::AccessDenied, "cannot list {}: {}", o.folder.string(), ec.message());
  std::sort(jobs.begin(), jobs.end());
  auto task = progress.task("sort dates", static_cast<std::int64_t>(jobs.size()), "files");
  for (const auto& [from, time] : jobs) {
    cancel.throw_if_cancelled();
    const UtcFields f = utc_fields(time);
    fs::path folder = o.folder / fmt::format("{:04}-{:02}-{:02}", f.year, f.month, f.day);
    if (o.by_hour) folder /= fmt::format("{:02}", f.hour);
    if (!o.dry_run) {
      try {
        ensure_folder(folder);
      } catch (const Error& e) {
        report.actions.push_back({from, folder / from.filename(), SortOutcome::Failed, e.describe()});
        ++report.failed;
        task.advance();
        continue;
      }
    }
    sort_one(from, folder / from.filename(), TransferMode::Move, o.on_conflict, o.dry_run, report);
    task.advance();
  }
  task.finish();

  // Gaps in everything now sorted (and anything sorted before).
  std::set<UtcTime> times;
  for (auto it =
           fs::recursive_directory_iterator(o.folder, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (auto scene = goes::parse_scene_name(name)) times.insert(scene->start);
  }
  for (const auto& a : report.actions) {  // a dry run has moved nothing yet
    if (a.outcome == SortOutcome::Planned) {
      if (auto scene = goes::parse_scene_name(a.from.filename().string())) times.insert(scene->start);
    }
  }
  const std::vector<UtcTime> sorted(times.begin(), times.end());
  report.interval = o.interval ? o.interval : detect_interval(sorted);
  if (report.interval && !sorted.empty()) {
    const Cadence c = uniform_cadence(*report.interval, sorted.front());
    std::set<UtcTime> filled;
    for (UtcTime t : sorted) {
      if (auto slot = match_slot(c, t)) filled.insert(*slot);
    }
    std::vector<UtcTime> missing;
    for (UtcTime slot : expected_slots(c, sorted.front(), sorted.back() + Millis(1))) {
      if (!filled.count(slot)) missing.push_back(slot);
    }
    report.missing_runs = missing_runs(missing, *report.interval);
  }
  return report;
}

}  // namespace goesvfi::catalog
