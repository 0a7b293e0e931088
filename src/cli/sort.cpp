// `goesvfi sort files SRC DST` and `goesvfi sort dates DIR`: GOES_VFI's file and date sorters.
#include <fmt/format.h>

#include "catalog/sort.hpp"
#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"

namespace goesvfi::cli {
namespace {

struct Flags {
  std::string source, destination, folder;
  bool dry_run, copy, move, by_hour;
};

void print_actions(const catalog::SortReport& report, bool dry_run) {
  for (const auto& a : report.actions) {
    const bool show = dry_run || a.outcome == catalog::SortOutcome::Failed ||
                      a.outcome == catalog::SortOutcome::Renamed ||
                      a.outcome == catalog::SortOutcome::Skipped;
    if (!show) continue;
    fmt::print("{}: {} -> {}{}\n", catalog::to_string(a.outcome), a.from.string(), a.to.string(),
               a.detail.empty() ? "" : " (" + a.detail + ")");
  }
  fmt::print("{}\n", report.text());
}

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto f = std::make_shared<Flags>(Flags{{}, {}, {}, false, false, false, false});
  app.require_subcommand(1);
  auto* files = app.add_subcommand(
      "files", "capture folders YYYY-MM-DD_HH-MM-SS/ become flat <name>_YYYYMMDDTHHMMSSZ.<ext> files");
  files->add_option("source", f->source, "folder holding capture folders")->required();
  files->add_option("destination", f->destination, "output folder (created)")->required();
  files->add_flag("--copy", f->copy, "copy (the default)");
  files->add_flag("--move", f->move, "move: copy, verify, then delete the source");
  add_flag_group(*files, g, "sort");
  files->add_flag("--dry-run", f->dry_run, "print what would be done");
  auto* dates =
      app.add_subcommand("dates", "move files into YYYY-MM-DD/ folders and report missing intervals");
  dates->add_option("folder", f->folder, "folder of files named with scan times")->required();
  dates->add_flag("--by-hour", f->by_hour, "YYYY-MM-DD/HH/ folders");
  add_flag_group(*dates, g, "sort");
  add_flag_group(*dates, g, "interval");
  dates->add_flag("--dry-run", f->dry_run, "print what would be done");

  return [f, files, &g]() -> int {
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    const auto on_conflict = catalog::parse_on_conflict(g.config.get_string("catalog.on_conflict"));
    catalog::SortReport report;
    if (files->parsed()) {
      if (f->copy && f->move) fail(ErrorKind::InvalidArgument, "--copy and --move exclude each other");
      catalog::SortFilesOptions o;
      o.source = f->source;
      o.destination = f->destination;
      o.mode = f->move ? catalog::TransferMode::Move : catalog::TransferMode::Copy;
      o.on_conflict = on_conflict;
      o.dry_run = f->dry_run;
      report = catalog::sort_files(o, CancelToken::process(), progress);
    } else {
      catalog::SortDatesOptions o;
      o.folder = f->folder;
      o.by_hour = f->by_hour;
      o.on_conflict = on_conflict;
      o.dry_run = f->dry_run;
      if (const double s = g.config.get_float("catalog.interval_s"); s > 0)
        o.interval = catalog::Millis(static_cast<std::int64_t>(s * 1000));
      report = catalog::sort_dates(o, CancelToken::process(), progress);
    }
    print_actions(report, f->dry_run);
    return report.ok() ? 0 : 1;
  };
}

const bool registered = register_command(
    {"sort", "sort capture folders into timestamped files, or files into date folders", setup});

}  // namespace
}  // namespace goesvfi::cli
