// `goesvfi cluster run PLAN -j N`: the same segments as a Slurm array, as local processes.
#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <list>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cluster/process.hpp"
#include "cluster/segments.hpp"
#include "core/error.hpp"

namespace goesvfi::cluster {

namespace fs = std::filesystem;

namespace {

// The last lines of a log, for an error message.
std::string tail_of(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "\n    " + l;
  return out;
}

}  // namespace

JoinSummary run_local(const fs::path& plan_file, int jobs, Progress& progress, const CancelToken& cancel) {
  if (jobs < 1) fail(ErrorKind::InvalidArgument, "-j must be at least 1, got {}", jobs);
  const TimelapsePlan plan = read_plan(plan_file);
  const std::string hash = plan.hash();
  const PlanFiles files = plan_files(plan_file, plan);
  std::deque<std::size_t> todo;
  for (std::size_t k = 0; k < plan.segment_count(); ++k) {
    if (!check_segment(files, plan, hash, k).complete) todo.push_back(k);
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads =
      std::max(1, cores / std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(1, todo.size()))));
  const std::string exe = self_executable().string();
  ProgressTask task = progress.task("segments", static_cast<std::int64_t>(todo.size()), "segments");
  struct Running {
    std::size_t segment;
    ChildProcess child;
  };
  std::list<Running> running;  // ChildProcess does not move-assign
  std::vector<std::string> failures;
  while (!todo.empty() || !running.empty()) {
    if (cancel.cancelled()) {
      running.clear();  // terminates and reaps the children
      cancel.throw_if_cancelled();
    }
    while (!todo.empty() && static_cast<int>(running.size()) < jobs) {
      const std::size_t k = todo.front();
      todo.pop_front();
      fs::create_directories(files.log(k).parent_path());
      std::ofstream(files.log(k), std::ios::trunc).flush();
      running.push_back(
          {k, ChildProcess({exe, "--threads", std::to_string(threads), "--progress", "plain", "timelapse",
                            "--plan", files.plan.string(), "--segment", std::to_string(k)},
                           files.log(k))});
    }
    bool any = false;
    for (auto it = running.begin(); it != running.end();) {
      const auto code = it->child.try_wait();
      if (!code) {
        ++it;
        continue;
      }
      any = true;
      if (*code != 0) {
        failures.push_back(fmt::format("segment {} failed (exit {}); log {}:{}", it->segment, *code,
                                       files.log(it->segment).string(), tail_of(files.log(it->segment), 5)));
      }
      task.advance();
      it = running.erase(it);
    }
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  task.finish();
  if (!failures.empty()) {
    std::string text;
    for (const auto& f : failures) text += "\n  " + f;
    fail(ErrorKind::Io,
         "{} of {} segments failed:{}\nrerun with the same command: complete segments are skipped",
         failures.size(), plan.segment_count(), text);
  }
  return join_segments(plan_file, progress, cancel);
}

}  // namespace goesvfi::cluster
