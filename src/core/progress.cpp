#include "core/progress.hpp"

#include <unistd.h>

#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi {

using Clock = std::chrono::steady_clock;

struct Progress::TaskState {
  std::string name, unit;
  std::int64_t total = 0, done = 0, bytes = 0;
  Clock::time_point start = Clock::now(), last_render{};
  bool finished = false;
};

struct ProgressTasks {
  std::vector<Progress::TaskState> tasks;
};

ProgressMode parse_progress_mode(std::string_view text) {
  if (text == "auto") return ProgressMode::Auto;
  if (text == "bar") return ProgressMode::Bar;
  if (text == "plain") return ProgressMode::Plain;
  if (text == "json") return ProgressMode::Json;
  if (text == "none") return ProgressMode::None;
  fail(ErrorKind::InvalidArgument, "progress mode '{}' is not one of auto, bar, plain, json, none", text);
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000.0 && u < 4) {
    bytes /= 1000.0;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} {}", bytes, units[u]) : fmt::format("{:.1f} {}", bytes, units[u]);
}

std::string format_duration(std::chrono::duration<double> d) {
  auto s = static_cast<long long>(d.count() + 0.5);
  if (s < 0) s = 0;
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

Progress::Progress(ProgressMode mode, std::FILE* out)
    : m_mode(mode), m_tasks(std::make_unique<ProgressTasks>()) {
  if (m_mode == ProgressMode::Auto)
    m_mode = ::isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::Plain;
  m_out = out != nullptr ? out : (m_mode == ProgressMode::Json ? stdout : stderr);
}

Progress::~Progress() = default;

Progress& Progress::null() {
  static Progress p(ProgressMode::None);
  return p;
}

ProgressTask Progress::task(std::string name, std::int64_t total, std::string unit) {
  std::lock_guard lock(m_mutex);
  TaskState t;
  t.name = std::move(name);
  t.unit = std::move(unit);
  t.total = total;
  m_tasks->tasks.push_back(std::move(t));
  return ProgressTask(this, static_cast<int>(m_tasks->tasks.size()) - 1);
}

void Progress::update(int id, std::int64_t delta_done, std::int64_t delta_bytes, bool finished,
                      std::int64_t new_total) {
  std::lock_guard lock(m_mutex);
  auto& t = m_tasks->tasks[static_cast<std::size_t>(id)];
  if (t.finished) return;
  t.done += delta_done;
  t.bytes += delta_bytes;
  if (new_total >= 0) t.total = new_total;
  t.finished = finished;
  render(t, finished);
}

void Progress::note(int id, std::string_view message) {
  std::lock_guard lock(m_mutex);
  const auto& t = m_tasks->tasks[static_cast<std::size_t>(id)];
  switch (m_mode) {
    case ProgressMode::None:
      return;
    case ProgressMode::Json: {
      std::string escaped;
      for (char c : message) {
        if (c == '"' || c == '\\') escaped += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
      }
      fmt::print(m_out, "{{\"event\":\"note\",\"task\":\"{}\",\"message\":\"{}\"}}\n", t.name, escaped);
      break;
    }
    case ProgressMode::Bar:
      fmt::print(m_out, "\r\033[K{}: {}\n", t.name, message);
      break;
    default:
      fmt::print(m_out, "{}: {}\n", t.name, message);
      break;
  }
  std::fflush(m_out);
}

void Progress::render(TaskState& t, bool force) {
  if (m_mode == ProgressMode::None) return;
  const auto now = Clock::now();
  const auto min_gap =
      m_mode == ProgressMode::Plain ? std::chrono::milliseconds(5000) : std::chrono::milliseconds(100);
  if (!force && t.last_render != Clock::time_point{} && now - t.last_render < min_gap) return;
  t.last_render = now;
  const double elapsed = std::chrono::duration<double>(now - t.start).count();
  const double rate = elapsed > 0 ? static_cast<double>(t.done) / elapsed : 0.0;
  const double eta = (rate > 0 && t.total > 0) ? static_cast<double>(t.total - t.done) / rate : -1.0;
  const double fraction =
      t.total > 0 ? std::min(1.0, static_cast<double>(t.done) / static_cast<double>(t.total)) : 0.0;
  switch (m_mode) {
    case ProgressMode::Json:
      fmt::print(m_out,
                 "{{\"event\":\"{}\",\"task\":\"{}\",\"done\":{},\"total\":{},\"unit\":\"{}\",\"bytes\":{},"
                 "\"rate\":{:.3f},\"eta_s\":{:.1f},\"elapsed_s\":{:.1f}}}\n",
                 t.finished ? "finish" : "progress", t.name, t.done, t.total, t.unit, t.bytes, rate, eta,
                 elapsed);
      break;
    case ProgressMode::Bar: {
      constexpr int k_width = 30;
      const int filled = static_cast<int>(fraction * k_width);
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(k_width, '-');
      std::string bytes = t.bytes > 0 ? fmt::format(" {} ({}/s)", format_bytes(static_cast<double>(t.bytes)),
                                                    format_bytes(elapsed > 0 ? t.bytes / elapsed : 0))
                                      : "";
      fmt::print(m_out, "\r\033[K{} [{}] {}/{} {} {:.1f} {}/s{} ETA {}{}", t.name, bar, t.done, t.total,
                 t.unit, rate, t.unit, bytes,
                 eta >= 0 ? format_duration(std::chrono::duration<double>(eta)) : "--:--",
                 t.finished ? "\n" : "");
      break;
    }
    case ProgressMode::Plain:
      fmt::print(m_out, "{}: {}/{} {} ({:.0f}%), {:.1f} {}/s, {} {}\n", t.name, t.done, t.total, t.unit,
                 fraction * 100.0, rate, t.unit, t.finished ? "took" : "ETA",
                 t.finished ? format_duration(std::chrono::duration<double>(elapsed))
                            : (eta >= 0 ? format_duration(std::chrono::duration<double>(eta)) : "unknown"));
      break;
    default:
      break;
  }
  std::fflush(m_out);
}

ProgressTask::ProgressTask(ProgressTask&& o) noexcept : m_owner(o.m_owner), m_id(o.m_id) {
  o.m_owner = nullptr;
}
ProgressTask& ProgressTask::operator=(ProgressTask&& o) noexcept {
  if (this != &o) {
    m_owner = o.m_owner;
    m_id = o.m_id;
    o.m_owner = nullptr;
  }
  return *this;
}
ProgressTask::~ProgressTask() = default;

void ProgressTask::advance(std::int64_t n) {
  if (m_owner) m_owner->update(m_id, n, 0, false);
}
void ProgressTask::set_total(std::int64_t total) {
  if (m_owner) m_owner->update(m_id, 0, 0, false, total);
}
void ProgressTask::add_bytes(std::int64_t bytes) {
  if (m_owner) m_owner->update(m_id, 0, bytes, false);
}
void ProgressTask::note(std::string_view message) {
  if (m_owner) m_owner->note(m_id, message);
}
void ProgressTask::finish() {
  if (m_owner) m_owner->update(m_id, 0, 0, true);
}
std::int64_t ProgressTask::done() const {
  if (!m_owner) return 0;
  std::lock_guard lock(m_owner->m_mutex);
  return m_owner->m_tasks->tasks[static_cast<std::size_t>(m_id)].done;
}

}  // namespace goesvfi
