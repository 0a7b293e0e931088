#include "pipeline/timelapse.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <future>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "catalog/catalog.hpp"
#include "catalog/check.hpp"
#include "catalog/schedule.hpp"
#include "core/bounded_queue.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "fetch/fetch.hpp"
#include "goes/names.hpp"
#include "pipeline/input.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// One scan of the series, in time order, with how many schedule slots lie between it and the next one.
struct PlannedScan {
  fetch::RemoteFile file;
  std::size_t slot_index = 0;
  int slots_to_next = 1;
};

// A file ready to render: where it is on disk, or why it is not.
struct ReadyFile {
  std::size_t scan_index = 0;
  fs::path path;
  std::optional<std::string> failure;
};

bool is_netcdf(const fs::path& p) {
  return p.extension() == ".nc" || p.extension() == ".NC";
}

}  // namespace

fs::path default_data_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x)
    return fs::path(x) / "goesvfi" / "data";
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : ".") / ".cache" / "goesvfi" / "data";
}

std::string TimelapseSummary::describe(double fps) const {
  std::string out = fmt::format(
      "wrote {}\n"
      "  source: {}\n"
      "  scans: {} expected, {} found ({} already on disk, {} fetched, {}), {} missing{}\n"
      "  frames: {} rendered -> {} video frames ({} synthesised{}), {}x{}, {:.2f} s at {:g} fps\n",
      output.string(), store, expected_slots, listed, already_local, fetched,
      format_bytes(static_cast<double>(bytes_fetched)), missing_slots,
      fetch_failed > 0 ? fmt::format(" ({} failed)", fetch_failed) : "", stream.input_frames,
      stream.output_frames, stream.synthesised_frames,
      stream.held_frames > 0 ? fmt::format(", {} held", stream.held_frames) : "", stream.width, stream.height,
      static_cast<double>(stream.output_frames) / fps, fps);
  for (const auto& run : missing_runs) out += "  missing: " + run + "\n";
  if (stream.gaps > 0) out += fmt::format("  gaps across missing scans: {}\n", stream.gaps);
  for (const auto& f : failures) out += "  failed: " + f + "\n";
  for (const auto& f : stream.fallbacks) out += "  not motion-interpolated: " + f + "\n";
  out += fmt::format(
      "  time: fetch {:.1f} s, render+colour {:.1f} s, interpolate {:.1f} s, encode {:.1f} s, total {:.1f} "
      "s\n",
      seconds_fetch, seconds_render, stream.seconds_interpolate, stream.seconds_encode, seconds_total);
  return out;
}

TimelapseSummary run_timelapse(const TimelapseJob& job, const Config& config, Progress& progress,
                               const CancelToken& outer_cancel) {
  const auto t_start = Clock::now();
  // Our own token: an error in one stage cancels the others without touching the caller's.
  const CancelToken cancel = CancelToken::child_of(outer_cancel);
  TimelapseSummary summary;
  summary.output = job.output;
  validate_encode_options(job.encode, job.output);
  auto interpolator = make_interpolator(job.backend, config);

  // 1. What the source has, and what the schedule expects.
  const fetch::ListQuery query =
      fetch::make_query(job.satellite, job.product, job.band, job.sector, job.start, job.end);
  auto store = fetch::make_store(config, job.source);
  summary.store = store->describe();
  std::vector<fetch::RemoteFile> listed = store->list(query, cancel);

  std::vector<std::pair<UtcTime, int>> observations;
  for (const auto& f : listed) {
    if (auto n = goes::try_parse_noaa_name(f.name)) observations.emplace_back(n->start, n->mode);
  }
  const auto periods = observations.empty() ? std::vector<catalog::ModePeriod>{{job.start, 6}}
                                            : catalog::mode_periods(observations);
  const goes::Sector sector = job.sector.empty() ? query.folder.sector : goes::parse_sector(job.sector);
  const auto slots = catalog::expected_abi_slots(sector, periods, job.start, job.end);
  summary.expected_slots = static_cast<std::int64_t>(slots.size());

  // Match files to slots; a later listing of the same slot (a reprocessed file) replaces an earlier one.
  std::map<std::size_t, fetch::RemoteFile> by_slot;
  for (const auto& f : listed) {
    const int mode = catalog::mode_at(periods, f.time);
    const auto cadence = catalog::abi_cadence(sector, mode);
    if (!cadence) continue;
    const auto slot = catalog::match_slot(*cadence, f.time);
    if (!slot) {
      spdlog::info("{} starts off the scan schedule; not used", f.name);
      continue;
    }
    auto it = std::lower_bound(slots.begin(), slots.end(), *slot,
                               [](const catalog::Slot& s, UtcTime t) { return s.time < t; });
    if (it == slots.end() || it->time != *slot) continue;
    by_slot[static_cast<std::size_t>(it - slots.begin())] = f;
  }
  std::vector<PlannedScan> scans;
  for (auto& [index, file] : by_slot) scans.push_back({file, index, 1});
  for (std::size_t i = 0; i + 1 < scans.size(); ++i) {
    scans[i].slots_to_next = static_cast<int>(scans[i + 1].slot_index - scans[i].slot_index);
  }
  summary.listed = static_cast<std::int64_t>(scans.size());
  std::vector<UtcTime> missing;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (!by_slot.count(i)) missing.push_back(slots[i].time);
  }
  summary.missing_slots = static_cast<std::int64_t>(missing.size());
  if (!missing.empty()) {
    const auto cadence = catalog::abi_cadence(sector, catalog::mode_at(periods, missing.front()));
    for (const auto& run :
         catalog::missing_runs(missing, cadence ? cadence->interval : catalog::Millis(600000))) {
      summary.missing_runs.push_back(catalog::describe_run(run));
    }
  }
  if (scans.empty()) {
    fail(ErrorKind::NotFound, "{} has no {} {} files between {} and {}", summary.store,
         goes::satellite_id(query.satellite), query.folder.name(), format_iso(job.start),
         format_iso(job.end));
  }
  if (scans.size() < 2 && interpolator->synthesises_frames() && job.intermediate > 0) {
    fail(ErrorKind::InvalidArgument, "only one scan found between {} and {}; a timelapse needs at least two",
         format_iso(job.start), format_iso(job.end));
  }

  // 2. What is already on disk: local archives are read in place; fetched files live in the data folder,
  //    which the catalog scans incrementally.
  const fs::path data_dir = job.data_dir.empty() ? default_data_dir() : job.data_dir;
  std::set<std::string> complete_local;
  std::vector<std::size_t> to_fetch;
  std::vector<fs::path> local_path(scans.size());
  const bool in_place = fs::is_directory(job.source);
  if (!in_place && !job.dry_run) {
    fs::create_directories(data_dir);
    const fs::path catalog_file = !job.catalog_file.empty() ? job.catalog_file
                                  : !config.get_string("catalog.path").empty()
                                      ? fs::path(config.get_string("catalog.path"))
                                      : catalog::Catalog::default_path();
    catalog::Catalog cat(catalog_file);
    cat.scan(data_dir, cancel);
    catalog::CatalogQuery q;
    q.root = data_dir;
    if (!query.orbit) q.satellite = query.satellite;  // east/west ranges may span two satellites
    q.start = job.start;
    q.end = job.end;
    for (const auto& e : cat.query(q)) {
      if (e.state == catalog::FileState::Ok)
        complete_local.insert(fs::path(e.path).lexically_normal().string());
    }
  }
  for (std::size_t i = 0; i < scans.size(); ++i) {
    if (in_place) {
      local_path[i] = scans[i].file.url;
      ++summary.already_local;
      continue;
    }
    local_path[i] = fetch::destination_path(scans[i].file, data_dir, fetch::Layout::Bucket);
    if (complete_local.count(fs::absolute(local_path[i]).lexically_normal().string()) &&
        fetch::already_complete(scans[i].file, local_path[i])) {
      ++summary.already_local;
    } else {
      to_fetch.push_back(i);
    }
  }
  if (job.dry_run) {
    summary.fetched = static_cast<std::int64_t>(to_fetch.size());  // would be fetched
    summary.seconds_total = seconds_since(t_start);
    return summary;
  }

  // 3. Fetch stage: downloads what is missing in batches, in time order, announcing each file when ready.
  BoundedQueue<ReadyFile> ready(scans.size() + 1);
  std::vector<bool> needs_fetch(scans.size(), false);
  for (auto i : to_fetch) needs_fetch[i] = true;
  ProgressTask fetch_task = to_fetch.empty()
                                ? ProgressTask()
                                : progress.task("fetch", static_cast<std::int64_t>(to_fetch.size()), "files");
  double fetch_seconds = 0;
  const std::size_t batch = static_cast<std::size_t>(std::max<std::int64_t>(1, config.get_int("fetch.jobs")));
  std::shared_future<void> fetch_done =
      ThreadPool::global()
          .start_stage(
              "fetch",
              [&] {
                try {
                  std::size_t i = 0;
                  while (i < scans.size()) {
                    cancel.throw_if_cancelled();
                    // Announce files already on disk at once; fetch the next batch of missing ones together.
                    if (!needs_fetch[i]) {
                      ready.push({i, local_path[i], std::nullopt});
                      ++i;
                      continue;
                    }
                    std::vector<std::size_t> indices;
                    std::vector<fetch::RemoteFile> files;
                    for (std::size_t j = i; j < scans.size() && files.size() < batch; ++j) {
                      if (!needs_fetch[j]) break;
                      indices.push_back(j);
                      files.push_back(scans[j].file);
                    }
                    const auto start = Clock::now();
                    auto results = store->fetch(files, data_dir, fetch::Layout::Bucket, fetch_task, cancel);
                    fetch_seconds += seconds_since(start);
                    for (std::size_t k = 0; k < results.size(); ++k) {
                      const auto& r = results[k];
                      if (r.status == fetch::FetchStatus::Failed) {
                        ready.push(
                            {indices[k], {}, r.error ? r.error->describe() : std::string("fetch failed")});
                      } else {
                        if (r.status == fetch::FetchStatus::Downloaded) {
                          ++summary.fetched;
                          summary.bytes_fetched += r.bytes;
                        }
                        ready.push({indices[k], r.path, std::nullopt});
                      }
                    }
                    i = indices.back() + 1;
                  }
                  ready.close();
                } catch (...) {
                  ready.close(std::current_exception());
                  throw;
                }
              })
          .share();

  // 4. Render (+ colour, crop) a few files ahead on the pool; failures become gaps.
  FramePrep prep;
  prep.crop = job.crop;
  prep.resize = job.resize;
  prep.even_size = pix_fmt_needs_even_size(job.encode.pix_fmt);
  struct Rendered {
    std::size_t scan_index;
    std::optional<Image> image;
    std::string failure;
  };
  std::deque<std::future<Rendered>> pending;
  std::atomic<std::int64_t> render_micros{0};
  auto submit = [&](ReadyFile item) {
    pending.push_back(ThreadPool::global().submit([&, item]() -> Rendered {
      if (item.failure) return {item.scan_index, std::nullopt, *item.failure};
      try {
        const auto start = Clock::now();
        Image img;
        double lon = -75.2;
        std::optional<FixedGridArea> area;
        if (is_netcdf(item.path)) {
          auto frame = render_abi_file(item.path, job.render);
          lon = frame.header.projection.lon0_deg;
          area = frame.header.area;
          img = std::move(frame.image);
        } else {
          img = read_image(item.path);
          if (auto n = nominal_satellite_longitude(goes::satellite_number(query.satellite))) lon = *n;
        }
        if (job.false_colour) img = false_colour(img, lon, job.colour, area);
        img = prepare_frame(std::move(img), item.path, prep);
        render_micros += static_cast<std::int64_t>(seconds_since(start) * 1e6);
        return {item.scan_index, std::move(img), {}};
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        return {item.scan_index, std::nullopt, item.path.filename().string() + ": " + e.message()};
      }
    }));
  };
  std::size_t carried_slots = 0;  // slots of scans that failed, folded into the previous frame's gap
  FrameSource source = [&]() -> std::optional<StreamFrame> {
    for (;;) {
      while (pending.size() < static_cast<std::size_t>(std::max(1, job.render_ahead))) {
        auto item = pending.empty() ? ready.pop() : ready.try_pop();
        if (!item) break;
        submit(std::move(*item));
      }
      if (pending.empty()) return std::nullopt;
      Rendered r = ThreadPool::global().wait(pending.front());
      pending.pop_front();
      const PlannedScan& scan = scans[r.scan_index];
      if (!r.image) {
        summary.failures.push_back(r.failure);
        ++summary.fetch_failed;
        spdlog::warn("{}: treated as a missing scan", r.failure);
        carried_slots += static_cast<std::size_t>(scan.slots_to_next);
        continue;
      }
      return StreamFrame{std::move(*r.image), format_iso(scan.file.time), scan.slots_to_next};
    }
  };
  // The stream asks each frame for its distance to the next one when the next arrives; failed scans must
  // lengthen the previous frame's gap. Wrap the source to delay each frame by one and fix up its gap.
  std::optional<StreamFrame> lookahead;
  bool source_done = false;
  FrameSource delayed = [&]() -> std::optional<StreamFrame> {
    if (!lookahead && !source_done) {
      lookahead = source();
      if (!lookahead) source_done = true;
      carried_slots = 0;
    }
    if (!lookahead) return std::nullopt;
    std::optional<StreamFrame> next = source_done ? std::nullopt : source();
    if (!next) source_done = true;
    StreamFrame out = std::move(*lookahead);
    out.slots_to_next += static_cast<int>(carried_slots);
    carried_slots = 0;
    lookahead = std::move(next);
    return out;
  };

  StreamOptions options;
  options.interpolator = interpolator.get();
  options.intermediate = job.intermediate;
  options.gaps = job.gaps;
  options.output = job.output;
  options.encode = job.encode;
  options.expected_inputs = static_cast<std::int64_t>(scans.size());
  // Every slot from the first to the last scan found becomes N+1 frames, unless gaps are skipped.
  options.expected_outputs =
      job.gaps == GapMode::Skip
          ? planned_output_frames(options.expected_inputs, job.intermediate)
          : static_cast<std::int64_t>(scans.back().slot_index - scans.front().slot_index) *
                    (job.intermediate + 1) +
                1;
  try {
    summary.stream = run_stream(delayed, options, progress, cancel);
  } catch (...) {
    cancel.cancel();
    ready.abort();
    for (auto& f : pending) {
      if (f.valid()) f.wait();
    }
    try {
      fetch_done.get();
    } catch (...) {
    }
    throw;
  }
  fetch_done.get();
  fetch_task.finish();
  summary.seconds_fetch = fetch_seconds;
  summary.seconds_render = static_cast<double>(render_micros.load()) / 1e6;
  summary.seconds_total = seconds_since(t_start);
  return summary;
}

}  // namespace goesvfi
