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
#include "colour/product.hpp"
#include "core/bounded_queue.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "core/user_dirs.hpp"
#include "fetch/fetch.hpp"
#include "goes/names.hpp"
#include "pipeline/input.hpp"
#include "render/render.hpp"
#include "render/scan_reader.hpp"

namespace goesvfi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool is_netcdf(const fs::path& p) {
  return goes::is_netcdf_name(p.filename().string());
}

}  // namespace

FrameColour frame_colouring(std::shared_ptr<const DataPalette> palette,
                            const std::optional<FalseColourOptions>& false_colour_options, double lon,
                            const std::optional<FixedGridArea>& area) {
  if (!palette && !false_colour_options) return {};
  return [palette = std::move(palette), tint = false_colour_options, lon, area](const Image& frame) {
    Image out = palette ? palette->colour(frame) : frame;
    return tint ? false_colour(out, lon, *tint, area) : out;
  };
}

fs::path default_data_dir() {
  return user_dir(UserDir::Cache) / "data";
}

TimelapseJob timelapse_job_from(const Config& config) {
  for (const char* key : {"query.start", "query.end"}) {
    if (config.get_string(key).empty())
      fail(ErrorKind::InvalidArgument, "{} is not set: a timelapse needs a time range (UTC)", key);
  }
  return TimelapseJob::from_config(config);
}

TimelapseJob::TimelapseJob() : TimelapseJob(from_config(Config::defaults())) {}

TimelapseJob TimelapseJob::from_config(const Config& config) {
  TimelapseJob job(FromConfig{});
  job.satellite = config.get_string("query.satellite");
  job.product = config.get_string("query.product");
  job.sector = config.get_string("query.sector");
  const int band = static_cast<int>(config.get_int("query.band"));
  job.band = band > 0 && goes::product_has_band(goes::parse_product_folder(job.product).product)
                 ? std::optional<int>(band)
                 : std::nullopt;
  if (const auto& start = config.get_string("query.start"); !start.empty())
    job.start = with_context("in query.start", [&] { return parse_utc(start); });
  if (const auto& end = config.get_string("query.end"); !end.empty())
    job.end = with_context("in query.end", [&] { return parse_utc(end); });
  job.source = config.get_string("fetch.source");
  job.render = RenderOptions::from_config(config);
  job.false_colour = shows_false_colour(config);
  job.colour = FalseColourOptions::from_config(config);
  const FramePrep prep = frame_prep_from(config);
  job.crop = prep.crop;
  job.resize = prep.resize;
  job.backend = config.get_string("interpolate.backend");
  job.intermediate = static_cast<int>(config.get_int("interpolate.intermediate"));
  job.gaps = parse_gap_mode(config.get_string("interpolate.gaps"));
  job.space = parse_interp_space(config.get_string("interpolate.space"));
  job.encode = EncodeOptions::from_config(config);
  job.output = config.get_string("timelapse.output");
  return job;
}

std::string TimelapseSummary::describe(double fps) const {
  std::string out = fmt::format(
      "wrote {}\n"
      "  source: {}\n"
      "  scans: {} expected, {} found ({} file(s) already on disk, {} fetched, {}), {} missing{}\n"
      "  frames: {} rendered -> {} video frames ({} synthesised{}), {}x{}, {:.2f} s at {:g} fps\n",
      output.string(), store, expected_slots, listed, already_local, fetched,
      format_bytes(static_cast<double>(bytes_fetched)), missing_slots,
      fetch_failed > 0 ? fmt::format(" ({} failed)", fetch_failed) : "", stream.input_frames,
      stream.output_frames, stream.synthesised_frames,
      stream.held_frames > 0 ? fmt::format(", {} held", stream.held_frames) : "", stream.width, stream.height,
      static_cast<double>(stream.output_frames) / fps, fps);
  for (const auto& run : missing_runs) out += "  missing: " + run + "\n";
  for (const auto& scan : incomplete) out += "  incomplete: " + scan + "\n";
  if (stream.gaps > 0) out += fmt::format("  gaps across missing scans: {}\n", stream.gaps);
  for (const auto& f : failures) out += "  failed: " + f + "\n";
  for (const auto& f : stream.fallbacks) out += "  not motion-interpolated: " + f + "\n";
  out += fmt::format(
      "  time: fetch {:.1f} s, render+colour {:.1f} s, interpolate {:.1f} s, encode {:.1f} s, total {:.1f} "
      "s\n",
      seconds_fetch, seconds_render, stream.seconds_interpolate, stream.seconds_encode, seconds_total);
  return out;
}

std::string describe_dry_run(const TimelapsePlan& plan, const TimelapseSummary& inventory) {
  return plan.describe() +
         fmt::format("on disk: {}, to fetch: {}\n", inventory.already_local, inventory.fetched);
}

// ---- 1. plan: list the source, then plan (pure) --------------------------------------------------------

TimelapsePlan plan_from_source(const TimelapseJob& job, const Config& config, const CancelToken& cancel) {
  validate_encode_options(job.encode, job.output);
  const auto interpolator = make_interpolator(job.backend, config);
  const fetch::ListQuery query =
      fetch::make_query(job.satellite, job.product, job.band, job.sector, job.start, job.end);
  auto store = fetch::make_store(config, job.source);
  const Product* recipe = job_recipe(job);  // a recipe lists every band it needs
  const std::vector<fetch::RemoteFile> listed =
      recipe ? fetch::list_bands(*store, query, recipe->bands, cancel) : store->list(query, cancel);
  return plan_timelapse(job, config, store->describe(), listed, interpolator->synthesises_frames());
}

PlanRun whole_plan(const TimelapsePlan& plan) {
  PlanRun run;
  run.slice = {0, plan.scans.empty() ? 0 : plan.scans.size() - 1, true};
  run.output = plan.job.output;
  run.encode = plan.job.encode;
  return run;
}

namespace {

// ---- 2. inventory: what is on disk already ------------------------------------------------------------

struct Inventory {
  fs::path data_dir;
  std::vector<std::vector<fs::path>>
      local_paths;                               // per scan of the plan, per file (set for the slice's scans)
  std::vector<bool> needs_fetch;                 // per scan of the plan: a file of it is not on disk
  std::int64_t already_local = 0, to_fetch = 0;  // files
};

// Local archives are read in place; fetched files live in the data folder, which the catalog scans
// incrementally. Without the catalog (segments on a shared file system), each planned file is stat'ed.
Inventory take_inventory(const TimelapsePlan& plan, const PlanRun& run, const Config& config,
                         const CancelToken& cancel) {
  const TimelapseJob& job = plan.job;
  Inventory inv;
  inv.data_dir = job.data_dir.empty() ? default_data_dir() : job.data_dir;
  inv.local_paths.resize(plan.scans.size());
  inv.needs_fetch.assign(plan.scans.size(), false);
  const bool in_place = fs::is_directory(job.source);
  std::set<std::string> complete_local;
  const bool use_catalog = run.use_catalog && !in_place && !run.dry_run;
  if (!in_place && !run.dry_run) fs::create_directories(inv.data_dir);
  if (use_catalog) {
    const fs::path catalog_file = !job.catalog_file.empty() ? job.catalog_file
                                  : !config.get_string("catalog.path").empty()
                                      ? fs::path(config.get_string("catalog.path"))
                                      : catalog::Catalog::default_path();
    catalog::Catalog cat(catalog_file);
    cat.scan(inv.data_dir, cancel);
    catalog::CatalogQuery q;
    q.root = inv.data_dir;
    const fetch::ListQuery query =
        fetch::make_query(job.satellite, job.product, job.band, job.sector, job.start, job.end);
    if (!query.orbit) q.satellite = query.satellite;  // east/west ranges may span two satellites
    q.start = job.start;
    q.end = job.end;
    for (const auto& e : cat.query(q)) {
      if (e.state == catalog::FileState::Ok)
        complete_local.insert(fs::path(e.path).lexically_normal().string());
    }
  }
  for (std::size_t i = run.slice.first_scan; i <= run.slice.last_scan; ++i) {
    for (const fetch::RemoteFile& file : scan_files(plan.scans[i])) {
      if (in_place) {
        inv.local_paths[i].push_back(file.url);
        ++inv.already_local;
        continue;
      }
      const fs::path path = fetch::destination_path(file, inv.data_dir, fetch::Layout::Bucket);
      inv.local_paths[i].push_back(path);
      const bool known =
          !use_catalog || complete_local.count(fs::absolute(path).lexically_normal().string()) > 0;
      if (known && fetch::already_complete(file, path)) {
        ++inv.already_local;
      } else {
        inv.needs_fetch[i] = true;
        ++inv.to_fetch;
      }
    }
  }
  return inv;
}

// ---- 3. fetch stage: downloads what is missing in batches, in time order, announcing each file ---------

// A scan ready to render: where its file (a recipe: its files) is on disk, or why it is not.
struct ReadyFile {
  std::size_t scan_index = 0;
  std::vector<fs::path> paths;
  std::optional<std::string> failure;
};

struct FetchCounts {
  std::int64_t fetched = 0, bytes = 0;
  double seconds = 0;
};

std::shared_future<void> start_fetch_stage(const TimelapsePlan& plan, const PlanSegment& slice,
                                           const Inventory& inv, fetch::Store& store, std::size_t batch,
                                           BoundedQueue<ReadyFile>& ready, FetchCounts& counts,
                                           ProgressTask& task, const CancelToken& cancel) {
  return ThreadPool::global()
      .start_stage("fetch",
                   [&plan, slice, &inv, &store, batch, &ready, &counts, &task, &cancel] {
                     try {
                       std::size_t i = slice.first_scan;
                       while (i <= slice.last_scan) {
                         cancel.throw_if_cancelled();
                         // Announce files already on disk at once; fetch the next batch of missing ones.
                         if (!inv.needs_fetch[i]) {
                           ready.push({i, inv.local_paths[i], std::nullopt});
                           ++i;
                           continue;
                         }
                         // The next scans that need fetching, all files of each (a recipe: every band).
                         std::vector<std::size_t> indices;
                         std::vector<fetch::RemoteFile> files;
                         for (std::size_t j = i; j <= slice.last_scan && files.size() < batch; ++j) {
                           if (!inv.needs_fetch[j]) break;
                           indices.push_back(j);
                           for (auto& f : scan_files(plan.scans[j])) files.push_back(std::move(f));
                         }
                         const auto start = Clock::now();
                         auto results = store.fetch(files, inv.data_dir, fetch::Layout::Bucket, task, cancel);
                         counts.seconds += seconds_since(start);
                         std::size_t k = 0;
                         for (const std::size_t scan : indices) {
                           ReadyFile item{scan, {}, std::nullopt};
                           for (std::size_t n = 0; n < inv.local_paths[scan].size(); ++n, ++k) {
                             const auto& r = results[k];
                             if (r.status == fetch::FetchStatus::Failed) {
                               if (!item.failure)
                                 item.failure = r.error ? r.error->describe() : std::string("fetch failed");
                               continue;
                             }
                             if (r.status == fetch::FetchStatus::Downloaded) {
                               ++counts.fetched;
                               counts.bytes += r.bytes;
                             }
                             item.paths.push_back(r.path);
                           }
                           ready.push(std::move(item));
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
}

// ---- 4. render source: render (+ colour, crop) a few files ahead on the pool; failures become gaps -------

class RenderSource {
 public:
  RenderSource(const TimelapsePlan& plan, const PlanSegment& slice, BoundedQueue<ReadyFile>& ready,
               TimelapseSummary& summary)
      : m_plan(plan), m_slice(slice), m_ready(ready), m_summary(summary) {
    m_prep.crop = plan.job.crop;
    m_prep.resize = plan.job.resize;
    m_render = plan.job.render;
    if (plan.job.false_colour && m_render.product.empty()) m_render.product = "false-colour";  // fixed range
    m_colour = plan.job.colour;
    m_prep.even_size = pix_fmt_needs_even_size(plan.job.encode.pix_fmt);
    m_lon_fallback = satellite_longitude_or_east(
        goes::satellite_number(fetch::make_query(plan.job.satellite, plan.job.product, plan.job.band,
                                                 plan.job.sector, plan.job.start, plan.job.end)
                                   .satellite));
  }

  // The stream asks each frame for its distance to the next one when the next arrives; failed scans must
  // lengthen the previous frame's gap. So frames are handed out one behind, with their gap fixed up.
  std::optional<StreamFrame> next() {
    if (!m_lookahead && !m_done) {
      m_lookahead = next_rendered();
      if (!m_lookahead) m_done = true;
      m_carried_slots = 0;
    }
    if (!m_lookahead) return std::nullopt;
    std::optional<StreamFrame> following = m_done ? std::nullopt : next_rendered();
    if (!following) m_done = true;
    StreamFrame out = std::move(*m_lookahead);
    out.slots_to_next += static_cast<int>(m_carried_slots);
    m_carried_slots = 0;
    m_lookahead = std::move(following);
    return out;
  }

  // Waits for the renders in flight (after an error, before the queue and plan go away).
  void drain() {
    for (auto& f : m_pending) {
      if (f.valid()) f.wait();
    }
  }

  double seconds() const { return static_cast<double>(m_micros.load()) / 1e6; }

 private:
  struct Rendered {
    std::size_t scan_index;
    std::optional<Image> image;
    std::string failure;
    FrameColour colour;  // data space: what makes the picture after interpolation
  };

  struct Decoded {
    Image image;  // a data frame (NetCDF) or the decoded picture
    double lon = 0;
    std::optional<FixedGridArea> area;
    std::shared_ptr<const DataPalette> palette;  // set for a data frame: its levels and colour table
  };

  Decoded decode(const std::vector<std::filesystem::path>& paths) const {
    Decoded d;
    const std::filesystem::path& path = paths.front();
    if (job_recipe(m_plan.job)) {  // a colour picture of several bands (interpolated as a picture)
      auto frame = render_scan(paths, m_render);
      d.lon = frame.header.projection.lon0_deg;
      d.area = frame.header.area;
      d.image = std::move(frame.image);
    } else if (is_netcdf(path)) {
      auto frame = render_abi_data(path, m_render);
      d.lon = frame.header.projection.lon0_deg;
      d.area = frame.header.area;
      d.palette = std::make_shared<const DataPalette>(frame.header.quantity, frame.options);
      d.image = std::move(frame.data);
    } else {
      d.image = read_image(path);
      d.lon = m_lon_fallback;
    }
    return d;
  }

  // interpolate.space: auto interpolates NetCDF scans of one band as data, images and recipes (a colour
  // picture of several bands; plan_timelapse refuses data for them) as pictures.
  bool in_data_space(const std::filesystem::path& path) const {
    if (job_recipe(m_plan.job)) return false;
    return m_plan.job.space == InterpSpace::Data ||
           (m_plan.job.space == InterpSpace::Auto && is_netcdf(path));
  }

  FrameColour frame_colour(const Decoded& d, const FalseColourOptions& colour,
                           const std::optional<FixedGridArea>& area) const {
    return frame_colouring(d.palette, m_plan.job.false_colour ? std::optional(colour) : std::nullopt, d.lon,
                           area);
  }

  // False colour: one levels mapping for the whole video (docs/false-colour.md), set before the first render
  // is submitted. NetCDF is rendered through the false-colour product's fixed brightness-temperature range,
  // so its levels stay as rendered (the same in every segment of a split plan); images take the first
  // frame's (a segment's own first frame).
  void set_levels(const ReadyFile& item) {
    if (!m_plan.job.false_colour || m_colour.levels || item.failure) return;
    if (is_netcdf(item.paths.front())) {
      m_colour.levels = std::make_shared<const LevelsMap>(LevelsMap::identity());
      return;
    }
    try {
      const auto first = decode(item.paths);
      m_colour.levels = false_colour_levels({first.image}, first.lon, m_colour, first.area);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Cancelled) throw;  // else this file fails in render(), the next sets them
    }
  }

  // Colour space: decode -> colour -> crop. Data space: decode -> crop, and the colouring travels with the
  // frame to run after interpolation (over the cropped geometry).
  Rendered render(const ReadyFile& item, const FalseColourOptions& colour) {
    if (item.failure) return {item.scan_index, std::nullopt, *item.failure, {}};
    try {
      const auto start = Clock::now();
      const std::filesystem::path& path = item.paths.front();
      Decoded d = decode(item.paths);
      Rendered r{item.scan_index, std::nullopt, {}, {}};
      if (in_data_space(path)) {
        const int w = d.image.width(), h = d.image.height();
        r.image = prepare_frame(std::move(d.image), path, m_prep);
        r.colour =
            frame_colour(d, colour, m_plan.job.false_colour ? prepared_area(d.area, w, h, m_prep) : d.area);
      } else {
        const FrameColour c = frame_colour(d, colour, d.area);
        r.image = prepare_frame(c ? c(d.image) : std::move(d.image), path, m_prep);
      }
      m_micros += static_cast<std::int64_t>(seconds_since(start) * 1e6);
      return r;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Cancelled) throw;
      return {item.scan_index, std::nullopt, item.paths.front().filename().string() + ": " + e.message(), {}};
    }
  }

  std::optional<StreamFrame> next_rendered() {
    for (;;) {
      while (m_pending.size() < static_cast<std::size_t>(std::max(1, m_plan.job.render_ahead))) {
        auto item = m_pending.empty() ? m_ready.pop() : m_ready.try_pop();
        if (!item) break;
        set_levels(*item);
        m_pending.push_back(ThreadPool::global().submit(
            [this, item = std::move(*item), colour = m_colour] { return render(item, colour); }));
      }
      if (m_pending.empty()) return std::nullopt;
      Rendered r = ThreadPool::global().wait(m_pending.front());
      m_pending.pop_front();
      const PlannedScan& scan = m_plan.scans[r.scan_index];
      if (!r.image) {
        // A scan shared with a neighbouring segment was used there: a gap here would break the join.
        if ((r.scan_index == m_slice.first_scan && m_slice.first_scan > 0) ||
            (r.scan_index == m_slice.last_scan && !m_slice.encodes_last)) {
          fail(ErrorKind::Io,
               "{}: the scan at the boundary of this segment cannot be read; run the segment again",
               r.failure);
        }
        m_summary.failures.push_back(r.failure);
        ++m_summary.fetch_failed;
        spdlog::warn("{}: treated as a missing scan", r.failure);
        m_carried_slots += static_cast<std::size_t>(scan.slots_to_next);
        continue;
      }
      return StreamFrame{std::move(*r.image), format_iso(scan.file.time), scan.slots_to_next,
                         std::move(r.colour)};
    }
  }

  const TimelapsePlan& m_plan;
  PlanSegment m_slice;
  BoundedQueue<ReadyFile>& m_ready;
  TimelapseSummary& m_summary;
  FramePrep m_prep;
  RenderOptions m_render;       // the job's, with the false-colour product when colouring
  FalseColourOptions m_colour;  // the job's, with the video's levels once the first frame is seen
  double m_lon_fallback = 0;  // for image inputs: the queried satellite's slot (satellite_longitude_or_east)
  std::deque<std::future<Rendered>> m_pending;
  std::atomic<std::int64_t> m_micros{0};
  std::size_t m_carried_slots = 0;  // slots of scans that failed, folded into the previous frame's gap
  std::optional<StreamFrame> m_lookahead;
  bool m_done = false;
};

// The plan's counts over a slice: the slots from its first scan up to its last (inclusive only where the
// slice encodes its last scan), so that the counts of consecutive segments add up to the whole plan's.
void count_slots(const TimelapsePlan& plan, const PlanSegment& slice, TimelapseSummary& summary) {
  const bool whole = slice.first_scan == 0 && slice.last_scan + 1 == plan.scans.size() && slice.encodes_last;
  if (whole) {
    summary.expected_slots = static_cast<std::int64_t>(plan.slots.size());
    summary.listed = static_cast<std::int64_t>(plan.scans.size());
    summary.missing_slots = static_cast<std::int64_t>(plan.missing.size());
    summary.missing_runs = plan.missing_runs;
    summary.incomplete = plan.incomplete;
    return;
  }
  const std::size_t s0 = slice.first_scan == 0 ? 0 : plan.scans[slice.first_scan].slot_index;
  const std::size_t s1 =
      slice.encodes_last ? plan.slots.size() : plan.scans[slice.last_scan].slot_index;  // exclusive
  summary.expected_slots = static_cast<std::int64_t>(s1 - s0);
  summary.listed =
      static_cast<std::int64_t>(slice.last_scan - slice.first_scan + (slice.encodes_last ? 1 : 0));
  summary.missing_slots = summary.expected_slots - summary.listed;
  const UtcTime t0 = plan.slots[s0].time;
  const UtcTime t1 = s1 < plan.slots.size() ? plan.slots[s1].time : UtcTime::max();
  std::vector<UtcTime> missing;
  for (auto t : plan.missing) {
    if (t >= t0 && t < t1) missing.push_back(t);
  }
  const auto interval =
      plan.slots.size() > 1 ? plan.slots[1].time - plan.slots[0].time : catalog::Millis(600000);
  for (const auto& r : catalog::missing_runs(missing, interval))
    summary.missing_runs.push_back(catalog::describe_run(r));
}

}  // namespace

// ---- 5. stream: the stages joined ---------------------------------------------------------------------

TimelapseSummary run_timelapse_plan(const TimelapsePlan& plan, const PlanRun& run, const Config& config,
                                    Progress& progress, const CancelToken& outer_cancel) {
  const auto t_start = Clock::now();
  // Our own token: an error in one stage cancels the others without touching the caller's.
  const CancelToken cancel = CancelToken::child_of(outer_cancel);
  const PlanSegment& slice = run.slice;
  if (plan.scans.empty() || slice.last_scan >= plan.scans.size() || slice.first_scan > slice.last_scan)
    fail(ErrorKind::InvalidArgument, "scans {}-{} are not a slice of a plan of {} scans", slice.first_scan,
         slice.last_scan, plan.scans.size());
  TimelapseSummary summary;
  summary.store = plan.store;
  summary.output = run.output;
  count_slots(plan, slice, summary);
  validate_encode_options(run.encode, run.output);
  auto interpolator = make_interpolator(plan.job.backend, config);

  const Inventory inv = take_inventory(plan, run, config, cancel);
  summary.already_local = inv.already_local;
  if (run.dry_run) {
    summary.fetched = inv.to_fetch;  // would be fetched
    summary.seconds_total = seconds_since(t_start);
    return summary;
  }

  auto store = fetch::make_store(config, plan.job.source);
  BoundedQueue<ReadyFile> ready(slice.last_scan - slice.first_scan + 2);
  ProgressTask fetch_task =
      inv.to_fetch == 0 ? ProgressTask() : progress.task("fetch", inv.to_fetch, "files");
  FetchCounts fetch_counts;
  const std::size_t batch = static_cast<std::size_t>(std::max<std::int64_t>(1, config.get_int("fetch.jobs")));
  std::shared_future<void> fetch_done =
      start_fetch_stage(plan, slice, inv, *store, batch, ready, fetch_counts, fetch_task, cancel);

  RenderSource source(plan, slice, ready, summary);
  StreamOptions options;
  options.interpolator = interpolator.get();
  options.intermediate = plan.job.intermediate;
  options.gaps = plan.job.gaps;
  options.output = run.output;
  options.encode = run.encode;
  options.emit_last = slice.encodes_last;
  options.expected_inputs = static_cast<std::int64_t>(slice.last_scan - slice.first_scan + 1);
  options.expected_outputs = plan.slice_frames(slice.first_scan, slice.last_scan, slice.encodes_last);
  try {
    summary.stream = run_stream([&] { return source.next(); }, options, progress, cancel);
  } catch (...) {
    cancel.cancel();
    ready.abort();
    source.drain();
    try {
      fetch_done.get();
    } catch (...) {
    }
    throw;
  }
  fetch_done.get();
  fetch_task.finish();
  summary.fetched = fetch_counts.fetched;
  summary.bytes_fetched = fetch_counts.bytes;
  summary.seconds_fetch = fetch_counts.seconds;
  summary.seconds_render = source.seconds();
  summary.seconds_total = seconds_since(t_start);
  return summary;
}

TimelapseSummary run_timelapse(const TimelapseJob& job, const Config& config, Progress& progress,
                               const CancelToken& cancel) {
  const auto t_start = Clock::now();
  const TimelapsePlan plan = plan_from_source(job, config, cancel);
  PlanRun run = whole_plan(plan);
  run.dry_run = job.dry_run;
  TimelapseSummary summary = run_timelapse_plan(plan, run, config, progress, cancel);
  summary.seconds_total = seconds_since(t_start);
  return summary;
}

}  // namespace goesvfi
