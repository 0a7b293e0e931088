#include "cluster/slurm.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cluster/process.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "fetch/fetch.hpp"
#include "render/abi_reader.hpp"

namespace goesvfi::cluster {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// ---- running Slurm's tools ------------------------------------------------------------------------------

std::string hint_for(const std::string& program, std::string err) {
  std::transform(err.begin(), err.end(), err.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto has = [&](const char* s) { return err.find(s) != std::string::npos; };
  if (has("cannot run") || has("unable to contact") || has("connection refused") || has("zero bytes"))
    return "is Slurm installed and its controller reachable from here? `sinfo` must answer (set SLURM_CONF "
           "for a non-default configuration)";
  if (has("invalid partition")) return "list the partitions with `sinfo -s` and pass one with --partition";
  if (has("invalid account") || has("account")) return "pass an account you may charge with --account";
  if (has("requested node configuration is not available") || has("memory specification"))
    return "no node has that many CPUs or that much memory: lower --cpus-per-task or --mem";
  if (has("time limit")) return "lower --time to the partition's limit";
  if (has("qosmax") || has("assocmax")) return "a limit of your account or QOS: lower --max-parallel";
  return "the command was run as shown; see `man " + program + "`";
}

// Runs a Slurm tool; InvalidArgument with its stderr verbatim and a hint when it fails.
std::string slurm(const std::vector<std::string>& argv) {
  const ProgramResult r = run_program(argv);
  if (r.exit_code != 0) {
    std::string err = r.err.empty() ? r.out : r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    fail(ErrorKind::InvalidArgument, "{} failed (exit {}):\n  {}\n  $ {}\nhint: {}", argv[0], r.exit_code,
         err, format_command(argv), hint_for(argv[0], err));
  }
  return r.out;
}

std::string parse_job_id(const std::string& out) {
  std::string id = out.substr(0, out.find_first_of(";\n"));  // --parsable: "123" or "123;cluster"
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    fail(ErrorKind::Internal, "sbatch answered '{}' instead of a job id", out);
  return id;
}

// The cluster.* keys of `c` put into `o`, those for which `take(key)` holds.
template <class Take>
SlurmOptions read_keys(SlurmOptions o, const Config& c, Take take) {
  if (take("cluster.partition")) o.partition = c.get_string("cluster.partition");
  if (take("cluster.time")) o.time = c.get_string("cluster.time");
  if (take("cluster.account")) o.account = c.get_string("cluster.account");
  if (take("cluster.cpus_per_task")) o.cpus_per_task = static_cast<int>(c.get_int("cluster.cpus_per_task"));
  if (take("cluster.mem")) o.mem = c.get_string("cluster.mem");
  if (take("cluster.max_parallel")) o.max_parallel = static_cast<int>(c.get_int("cluster.max_parallel"));
  return o;
}

// ---- the state file ---------------------------------------------------------------------------------

fs::path state_file(const PlanFiles& files) {
  return files.parts / "slurm.json";
}
fs::path segments_script(const PlanFiles& files) {
  return files.plan.parent_path() / (files.plan.stem().string() + ".sbatch");
}
fs::path join_script(const PlanFiles& files) {
  return files.plan.parent_path() / (files.plan.stem().string() + ".join.sbatch");
}

struct State {
  std::string plan_hash;
  SlurmOptions options;
  std::string mem;
  struct Submission {
    std::string array;
    std::vector<std::size_t> segments;
  };
  std::vector<Submission> submissions;
  std::string join;
};

void save(const PlanFiles& files, const State& s) {
  json subs = json::array();
  for (const auto& sub : s.submissions) subs.push_back({{"array", sub.array}, {"segments", sub.segments}});
  const json j = {{"plan_hash", s.plan_hash},
                  {"partition", s.options.partition},
                  {"time", s.options.time},
                  {"account", s.options.account},
                  {"cpus_per_task", s.options.cpus_per_task},
                  {"mem", s.options.mem},
                  {"max_parallel", s.options.max_parallel},
                  {"requested_mem", s.mem},
                  {"submissions", subs},
                  {"join", s.join}};
  fs::create_directories(files.parts);
  write_file_atomic(state_file(files), j.dump(2) + "\n");
}

std::optional<State> load(const PlanFiles& files) {
  std::ifstream in(state_file(files));
  if (!in) return std::nullopt;
  try {
    const json j = json::parse(in);
    State s;
    j.at("plan_hash").get_to(s.plan_hash);
    j.at("partition").get_to(s.options.partition);
    j.at("time").get_to(s.options.time);
    j.at("account").get_to(s.options.account);
    j.at("cpus_per_task").get_to(s.options.cpus_per_task);
    j.at("mem").get_to(s.options.mem);
    j.at("max_parallel").get_to(s.options.max_parallel);
    j.at("requested_mem").get_to(s.mem);
    for (const auto& sub : j.at("submissions"))
      s.submissions.push_back(
          {sub.at("array").get<std::string>(), sub.at("segments").get<std::vector<std::size_t>>()});
    j.at("join").get_to(s.join);
    return s;
  } catch (const json::exception& e) {
    fail(ErrorKind::Corrupt, "{} is not a goesvfi Slurm state file: {}", state_file(files).string(),
         e.what());
  }
}

std::string job_name(const PlanFiles& files, const std::string& hash) {
  return fmt::format("goesvfi-{}-{}", files.plan.stem().string(), hash.substr(0, 8));
}

// ---- scripts ----------------------------------------------------------------------------------------

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void write_scripts(const PlanFiles& files, const TimelapsePlan& plan, const std::string& hash,
                   const SlurmOptions& o, const std::string& mem) {
  const std::string exe = self_executable().string();
  auto header = [&](const std::string& name, const std::string& log, int cpus, const std::string& m) {
    std::string h = "#!/bin/bash\n";
    h += fmt::format("#SBATCH --job-name={}\n#SBATCH --output={}\n", name, log);
    h += fmt::format("#SBATCH --cpus-per-task={}\n#SBATCH --mem={}\n", cpus, m);
    if (!o.time.empty()) h += fmt::format("#SBATCH --time={}\n", o.time);
    if (!o.partition.empty()) h += fmt::format("#SBATCH --partition={}\n", o.partition);
    if (!o.account.empty()) h += fmt::format("#SBATCH --account={}\n", o.account);
    return h;
  };
  const std::string name = job_name(files, hash);
  std::string seg = header(name, (files.parts / "logs" / "seg-%a.log").string(), o.cpus_per_task, mem);
  seg += fmt::format(
      "#\n# goesvfi: segment $SLURM_ARRAY_TASK_ID of the timelapse plan\n#   {}\n# (plan hash {}, {} "
      "segments, {} "
      "frames in all).\n# Submitted by `goesvfi cluster submit` as a job array (--array=0-{}); `goesvfi "
      "cluster "
      "status`\n# and `goesvfi cluster resume` follow and rerun it. Each task fetches only its own scans "
      "into\n"
      "#   {}\n# and writes {}/seg-<k>{} atomically; a segment already complete is skipped.\n",
      files.plan.string(), hash, plan.segment_count(), plan.output_frames(), plan.segment_count() - 1,
      plan.job.data_dir.string(), files.parts.string(), files.extension);
  seg += "set -euo pipefail\n";
  seg += fmt::format(
      "exec {} --threads \"${{SLURM_CPUS_PER_TASK:-0}}\" --progress plain timelapse --plan {} --segment "
      "\"$SLURM_ARRAY_TASK_ID\"\n",
      sh_quote(exe), sh_quote(files.plan.string()));
  std::string join = header(name + "-join", files.join_log().string(), 1, "1G");
  join += fmt::format(
      "#\n# goesvfi: joins the {} segments of\n#   {}\n# into {} by stream copy (no re-encode), after every "
      "segment succeeded.\n",
      plan.segment_count(), files.plan.string(), plan.job.output.string());
  join += "set -euo pipefail\n";
  join += fmt::format("exec {} --progress plain join {}\n", sh_quote(exe), sh_quote(files.plan.string()));
  fs::create_directories(files.parts / "logs");
  write_file_atomic(segments_script(files), seg);
  write_file_atomic(join_script(files), join);
  fs::permissions(segments_script(files), fs::perms::owner_exec | fs::perms::group_exec,
                  fs::perm_options::add);
  fs::permissions(join_script(files), fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

// "0-3", "1,4,7" (+ "%N").
std::string array_spec(const std::vector<std::size_t>& segments, std::size_t count, int max_parallel) {
  std::string spec;
  bool all = segments.size() == count;
  for (std::size_t i = 0; all && i < segments.size(); ++i) all = segments[i] == i;
  if (all) {
    spec = fmt::format("0-{}", count - 1);
  } else {
    for (auto k : segments) spec += (spec.empty() ? "" : ",") + std::to_string(k);
  }
  if (max_parallel > 0) spec += "%" + std::to_string(max_parallel);
  return spec;
}

std::string submit_array(const PlanFiles& files, const std::vector<std::size_t>& segments, std::size_t count,
                         int max_parallel) {
  return parse_job_id(slurm({"sbatch", "--parsable", "--array=" + array_spec(segments, count, max_parallel),
                             segments_script(files).string()}));
}

std::string submit_join(const PlanFiles& files, const std::string& dependency) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  if (!dependency.empty()) argv.push_back("--dependency=" + dependency);
  argv.push_back(join_script(files).string());
  return parse_job_id(slurm(argv));
}

// ---- memory -----------------------------------------------------------------------------------------

// Peak RSS of one timelapse process = base + bytes per output pixel x pixels, fitted to
// bench/cluster_memory.sh (13 scans, -n 3, false colour, x264 slow) at 1024 and 2048 px: blend 432/1238 MB,
// flow 423/1236 MB (docs/scaling.md). The encoder's lookahead dominates, so the backends differ little;
// minterpolate adds its own planes (+190 B/px in a 5-scan series); RIFE's engine is bounded by its tiling
// budget (1.5 GB, docs/benchmarks.md). The model is a first guess: submit asks 1.5x of it, and once segments
// of the plan have run, their measured peaks replace it.
struct MemoryModel {
  const char* backend;
  double base_mb;
  double bytes_per_pixel;
};
constexpr MemoryModel k_models[] = {
    {"none", 160, 260},         {"blend", 160, 260}, {"flow", 160, 260},
    {"minterpolate", 160, 450}, {"rife", 1700, 260},
};

// The frame size the plan will render: crop/resize when set, else the first scan's grid (read from its header
// when the file is at hand), else the sector's nominal 2 km grid.
std::pair<int, int> frame_size(const TimelapsePlan& plan) {
  if (plan.job.resize) return *plan.job.resize;
  if (plan.job.crop) return {plan.job.crop->width, plan.job.crop->height};
  int w = 0, h = 0;
  double km = 2.0;
  if (!plan.scans.empty()) {
    const auto& f = plan.scans.front().file;
    for (const fs::path& p :
         {fs::path(f.url), fetch::destination_path(f, plan.job.data_dir, fetch::Layout::Bucket)}) {
      std::error_code ec;
      if (!fs::is_regular_file(p, ec) || p.extension() != ".nc") continue;
      try {
        const AbiHeader hd = read_abi_header(p, plan.job.render.band);
        w = hd.width;
        h = hd.height;
        km = hd.resolution_km;
        break;
      } catch (const Error& e) {
        spdlog::debug("{}: {}", p.string(), e.message());
      }
    }
  }
  if (w == 0) {
    const std::string& product = plan.job.product;
    if (product.ends_with("C")) {
      w = 2500, h = 1500;
    } else if (product.ends_with("M") || product.ends_with("M1") || product.ends_with("M2")) {
      w = h = 500;
    } else {
      w = h = 5424;
    }
  }
  if (plan.job.render.resolution_km > km) {
    const double f = km / plan.job.render.resolution_km;
    w = static_cast<int>(std::ceil(w * f));
    h = static_cast<int>(std::ceil(h * f));
  }
  return {w, h};
}

}  // namespace

// ---- options -----------------------------------------------------------------------------------------

SlurmOptions::SlurmOptions() : SlurmOptions(from_config(Config::defaults())) {}

SlurmOptions SlurmOptions::from_config(const Config& config) {
  return read_keys(SlurmOptions(FromConfig{}), config, [](std::string_view) { return true; });
}

SlurmOptions SlurmOptions::overlay(SlurmOptions base, const Config& config) {
  return read_keys(std::move(base), config, [&](std::string_view key) { return config.is_set(key); });
}

std::string memory_request(const TimelapsePlan& plan, const PlanFiles& files, int cpus) {
  (void)cpus;
  const std::string hash = plan.hash();
  double measured = 0;
  for (std::size_t k = 0; k < plan.segment_count(); ++k) {
    const SegmentCheck c = check_segment(files, plan, hash, k);
    if (c.complete && c.report) measured = std::max(measured, c.report->peak_rss_mb);
  }
  double mb = 0;
  if (measured > 0) {
    mb = measured * 1.25;
  } else {
    const auto [w, h] = frame_size(plan);
    MemoryModel m = k_models[1];
    for (const auto& row : k_models) {
      if (plan.job.backend == row.backend) m = row;
    }
    mb = (m.base_mb + m.bytes_per_pixel * static_cast<double>(w) * h / 1e6) * 1.5;
  }
  return fmt::format("{}M", static_cast<std::int64_t>(std::ceil(std::max(256.0, mb) / 64.0) * 64));
}

std::string SubmitResult::describe() const {
  std::string segs;
  for (auto k : segments) segs += (segs.empty() ? "" : ",") + std::to_string(k);
  return fmt::format(
      "submitted segments {} as job array {} ({} per task), the join as job {} (after the array succeeds)\n"
      "  scripts: {}\n           {}\n  follow with: goesvfi cluster status PLAN\n",
      segs, array_job, mem, join_job, script.string(), join_script.string());
}

SubmitResult submit(const fs::path& plan_file, const SlurmOptions& options) {
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  if (options.cpus_per_task < 1) fail(ErrorKind::InvalidArgument, "--cpus-per-task must be at least 1");
  State state;
  state.plan_hash = hash;
  state.options = options;
  state.mem = options.mem.empty() ? memory_request(plan, files, options.cpus_per_task) : options.mem;
  write_scripts(files, plan, hash, options, state.mem);
  SubmitResult r;
  r.script = segments_script(files);
  r.join_script = join_script(files);
  r.mem = state.mem;
  for (std::size_t k = 0; k < plan.segment_count(); ++k) r.segments.push_back(k);
  r.array_job = submit_array(files, r.segments, plan.segment_count(), options.max_parallel);
  state.submissions.push_back({r.array_job, r.segments});
  save(files, state);  // before the join: a failed join submit leaves the array known to status/resume
  r.join_job = submit_join(files, "afterok:" + r.array_job);
  state.join = r.join_job;
  save(files, state);
  return r;
}

std::string_view to_string(SegmentState s) {
  switch (s) {
    case SegmentState::Done:
      return "done";
    case SegmentState::Pending:
      return "pending";
    case SegmentState::Running:
      return "running";
    case SegmentState::Failed:
      return "failed";
    case SegmentState::Missing:
      return "missing";
  }
  return "?";
}

std::size_t ClusterStatus::count(SegmentState state) const {
  return static_cast<std::size_t>(std::count_if(segments.begin(), segments.end(),
                                                [&](const SegmentStatus& s) { return s.state == state; }));
}

std::string ClusterStatus::describe() const {
  std::string out;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const auto& s = segments[k];
    out += fmt::format("segment {}: {}", k, to_string(s.state));
    if (!s.job.empty())
      out += fmt::format(" (job {}{})", s.job, s.slurm_state.empty() ? "" : ", " + s.slurm_state);
    if (!s.detail.empty()) out += ": " + s.detail;
    out += "\n";
  }
  out += fmt::format("join: {}\n", joined ? std::string("done")
                                   : join_job.empty()
                                       ? std::string("not submitted")
                                       : fmt::format("job {} {}", join_job,
                                                     join_state.empty() ? "(no record)" : join_state));
  const std::size_t done = count(SegmentState::Done);
  out += fmt::format(
      "progress: {}/{} segments done ({:.0f} %), {} running, {} pending, {} failed, {} missing\n", done,
      segments.size(), 100.0 * static_cast<double>(done) / static_cast<double>(segments.size()),
      count(SegmentState::Running), count(SegmentState::Pending), count(SegmentState::Failed),
      count(SegmentState::Missing));
  return out;
}

namespace {

// Calls fn(item) for each `sep`-separated item of `text` (a trailing separator gives no empty last item).
template <typename Fn>
void for_each_item(const std::string& text, char sep, Fn fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(sep, pos), text.size());
    fn(text.substr(pos, end - pos));
    pos = end + 1;
  }
}

// job id ("123_4", "124") -> state, from squeue (live and recently finished) and sacct (when kept).
std::map<std::string, std::string> slurm_states(const std::string& name) {
  std::map<std::string, std::string> states;
  auto parse = [&](const std::string& text, bool overwrite) {
    for_each_item(text, '\n', [&](const std::string& line) {
      const auto bar = line.find('|');
      if (bar == std::string::npos) return;
      std::string id = line.substr(0, bar);
      std::string state = line.substr(bar + 1);
      state = state.substr(0, state.find_first_of(" |"));  // "CANCELLED by 0" -> CANCELLED
      // A pending array not yet split: "123_[1-3,5%2]".
      if (const auto lb = id.find("_["); lb != std::string::npos) {
        const std::string base = id.substr(0, lb);
        std::string list = id.substr(lb + 2, id.find(']') - lb - 2);
        list = list.substr(0, list.find('%'));
        for_each_item(list, ',', [&](const std::string& item) {
          const auto dash = item.find('-');
          const long a = std::stol(item.substr(0, dash));
          const long b = dash == std::string::npos ? a : std::stol(item.substr(dash + 1));
          for (long i = a; i <= b; ++i) {
            const std::string key = base + "_" + std::to_string(i);
            if (overwrite || !states.count(key)) states[key] = state;
          }
        });
        return;
      }
      if (overwrite || !states.count(id)) states[id] = state;
    });
  };
  const std::string names = name + "," + name + "-join";
  const ProgramResult sq =
      run_program({"squeue", "--noheader", "--array", "--states=all", "--format=%i|%T", "--name=" + names});
  if (sq.exit_code != 0) {
    std::string err = sq.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    fail(ErrorKind::InvalidArgument, "squeue failed (exit {}):\n  {}\nhint: {}", sq.exit_code, err,
         hint_for("squeue", err));
  }
  parse(sq.out, true);
  // sacct knows jobs squeue has forgotten, where the cluster keeps accounting (quietly skipped where not).
  const ProgramResult sa = run_program(
      {"sacct", "--noheader", "--parsable2", "--allocations", "--format=JobID,State", "--name=" + names});
  if (sa.exit_code == 0) parse(sa.out, false);
  return states;
}

bool is_pending(const std::string& s) {
  return s == "PENDING" || s == "CONFIGURING" || s == "REQUEUED" || s == "REQUEUE_HOLD" ||
         s == "REQUEUE_FED" || s == "RESV_DEL_HOLD" || s == "SUSPENDED" || s == "STOPPED" || s == "RESIZING";
}
bool is_running(const std::string& s) {
  return s == "RUNNING" || s == "COMPLETING" || s == "SIGNALING" || s == "STAGE_OUT";
}

bool joined_output(const TimelapsePlan& plan, const std::string& hash) {
  if (!fs::exists(plan.job.output)) return false;
  // The join tags its output; the tag is enough (the join checked every segment before writing).
  return read_video_comment(plan.job.output).starts_with(fmt::format("goesvfi plan {} joined", hash));
}

}  // namespace

ClusterStatus status(const fs::path& plan_file) {
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  const auto state = load(files);
  if (state && state->plan_hash != hash)
    fail(ErrorKind::InvalidArgument, "{} belongs to another plan (hash {}); this plan has not been submitted",
         state_file(files).string(), state->plan_hash);
  ClusterStatus st;
  st.segments.resize(plan.segment_count());
  const auto states = state ? slurm_states(job_name(files, hash)) : std::map<std::string, std::string>{};
  for (std::size_t k = 0; k < plan.segment_count(); ++k) {
    SegmentStatus& s = st.segments[k];
    const SegmentCheck c = check_segment(files, plan, hash, k);
    // The latest submission of k decides.
    if (state) {
      for (auto it = state->submissions.rbegin(); it != state->submissions.rend(); ++it) {
        if (std::find(it->segments.begin(), it->segments.end(), k) == it->segments.end()) continue;
        s.job = fmt::format("{}_{}", it->array, k);
        break;
      }
    }
    if (auto it = states.find(s.job); it != states.end()) s.slurm_state = it->second;
    if (c.complete) {
      s.state = SegmentState::Done;
    } else if (is_running(s.slurm_state)) {
      s.state = SegmentState::Running;
    } else if (is_pending(s.slurm_state)) {
      s.state = SegmentState::Pending;
    } else if (!s.slurm_state.empty()) {
      s.state = SegmentState::Failed;
      s.detail = s.slurm_state == "COMPLETED" ? "ended without a complete video: " + c.problem
                                              : fmt::format("see {}", files.log(k).string());
    } else if (s.job.empty()) {
      s.state = SegmentState::Missing;
      s.detail = "not submitted";
    } else {
      // Submitted, no video, and Slurm keeps no record: cancelled before it started (a pending array task
      // leaves no record without accounting), or purged long ago.
      s.state = SegmentState::Failed;
      s.detail =
          "Slurm has no record of it (cancelled before it started, or purged) and its video is " + c.problem;
    }
  }
  if (state) {
    st.join_job = state->join;
    if (auto it = states.find(state->join); it != states.end()) st.join_state = it->second;
  }
  st.joined = joined_output(plan, hash);
  return st;
}

SubmitResult resume(const fs::path& plan_file, const Config* overrides) {
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  auto state = load(files);
  if (!state)
    fail(ErrorKind::InvalidArgument, "{} was never submitted: run `goesvfi cluster submit` first",
         files.plan.string());
  const ClusterStatus st = cluster::status(plan_file);
  if (overrides != nullptr) state->options = SlurmOptions::overlay(state->options, *overrides);
  SubmitResult r;
  r.script = segments_script(files);
  r.join_script = join_script(files);
  std::vector<std::string> waiting;  // arrays with tasks still pending or running
  for (std::size_t k = 0; k < st.segments.size(); ++k) {
    const auto& s = st.segments[k];
    if (s.state == SegmentState::Failed || s.state == SegmentState::Missing) r.segments.push_back(k);
    if (s.state == SegmentState::Pending || s.state == SegmentState::Running) {
      const std::string array = s.job.substr(0, s.job.find('_'));
      if (std::find(waiting.begin(), waiting.end(), array) == waiting.end()) waiting.push_back(array);
    }
  }
  if (r.segments.empty() && st.joined) {
    r.mem = state->mem;
    return r;  // nothing to do
  }
  // The old join waits on an array that will never succeed in full: replace it.
  if (!state->join.empty() && (is_pending(st.join_state))) {
    const ProgramResult c = run_program({"scancel", state->join});
    if (c.exit_code != 0) spdlog::warn("scancel {}: {}", state->join, c.err);
  }
  state->mem = state->options.mem.empty() ? memory_request(plan, files, state->options.cpus_per_task)
                                          : state->options.mem;
  write_scripts(files, plan, hash, state->options, state->mem);
  r.mem = state->mem;
  std::vector<std::string> deps;
  if (!r.segments.empty()) {
    r.array_job = submit_array(files, r.segments, plan.segment_count(), state->options.max_parallel);
    state->submissions.push_back({r.array_job, r.segments});
    save(files, *state);
    deps.push_back("afterok:" + r.array_job);
  }
  for (const auto& a : waiting) deps.push_back("afterany:" + a);  // the join itself checks every segment
  std::string dependency;
  for (const auto& d : deps) dependency += (dependency.empty() ? "" : ",") + d;
  r.join_job = submit_join(files, dependency);
  state->join = r.join_job;
  save(files, *state);
  return r;
}

}  // namespace goesvfi::cluster
