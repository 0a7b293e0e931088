#include "core/progress.hpp"

#include <unistd.h>

#include <map>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi {

using Clock = std::chrono::steady_clock;

namespace {
constexpr auto k_update_gap = std::chrono::milliseconds(100);
constexpr auto k_frame_gap = std::chrono::milliseconds(250);
constexpr auto k_plain_gap = std::chrono::milliseconds(5000);
}  // namespace

struct Progress::TaskState {
  std::string name, unit;
  std::int64_t total = 0, done = 0, bytes = 0;
  Clock::time_point start = Clock::now(), last_update{}, last_frame{};
  bool finished = false;
};

struct ProgressTasks {
  std::vector<Progress::TaskState> tasks;
};

const std::vector<std::string>& progress_mode_names() {
  static const std::vector<std::string> names = {"auto", "bar", "plain", "json", "none"};
  return names;
}

ProgressMode parse_progress_mode(std::string_view text) {
  static constexpr ProgressMode modes[] = {ProgressMode::Auto, ProgressMode::Bar, ProgressMode::Plain,
                                           ProgressMode::Json, ProgressMode::None};
  const auto& names = progress_mode_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i]) return modes[i];
  }
  fail(ErrorKind::InvalidArgument, "progress mode '{}' is not one of {}", text, fmt::join(names, ", "));
}

std::string_view progress_event_name(ProgressEventKind kind) {
  switch (kind) {
    case ProgressEventKind::Start:
      return "start";
    case ProgressEventKind::Update:
      return "progress";
    case ProgressEventKind::Finish:
      return "finish";
    case ProgressEventKind::Note:
      return "note";
    case ProgressEventKind::Frame:
      return "frame";
  }
  return "?";
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

// ---- The CLI's renderers
// ------------------------------------------------------------------------------------

namespace {

std::string json_escape(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return escaped;
}

class TextRenderer final : public ProgressSink {
 public:
  TextRenderer(ProgressMode mode, std::FILE* out) : m_mode(mode), m_out(out) {}

  void on_event(const ProgressEvent& e) override {
    switch (e.kind) {
      case ProgressEventKind::Start:
      case ProgressEventKind::Frame:
        return;
      case ProgressEventKind::Note:
        note(e);
        break;
      case ProgressEventKind::Update:
      case ProgressEventKind::Finish:
        if (!due(e)) return;
        if (m_mode == ProgressMode::Json)
          json(e);
        else if (m_mode == ProgressMode::Bar)
          bar(e);
        else
          plain(e);
        break;
    }
    std::fflush(m_out);
  }

 private:
  // Plain lines come about every 5 s per task (the first one at once); the other views take every update.
  bool due(const ProgressEvent& e) {
    if (m_mode != ProgressMode::Plain || e.kind == ProgressEventKind::Finish) return true;
    const auto now = Clock::now();
    auto [it, first] = m_last.try_emplace(e.task_id, now);
    if (!first && now - it->second < k_plain_gap) return false;
    it->second = now;
    return true;
  }

  void note(const ProgressEvent& e) {
    if (m_mode == ProgressMode::Json)
      fmt::print(m_out, "{{\"event\":\"note\",\"task\":\"{}\",\"message\":\"{}\"}}\n", e.task,
                 json_escape(e.message));
    else if (m_mode == ProgressMode::Bar)
      fmt::print(m_out, "\r\033[K{}: {}\n", e.task, e.message);
    else
      fmt::print(m_out, "{}: {}\n", e.task, e.message);
  }

  void json(const ProgressEvent& e) {
    fmt::print(m_out,
               "{{\"event\":\"{}\",\"task\":\"{}\",\"done\":{},\"total\":{},\"unit\":\"{}\",\"bytes\":{},"
               "\"rate\":{:.3f},\"eta_s\":{:.1f},\"elapsed_s\":{:.1f}}}\n",
               progress_event_name(e.kind), e.task, e.done, e.total, e.unit, e.bytes, e.rate, e.eta_s,
               e.elapsed_s);
  }

  void bar(const ProgressEvent& e) {
    constexpr int k_width = 30;
    const int filled = static_cast<int>(e.fraction() * k_width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(k_width, '-');
    std::string bytes = e.bytes > 0 ? fmt::format(" {} ({}/s)", format_bytes(static_cast<double>(e.bytes)),
                                                  format_bytes(e.bytes_rate))
                                    : "";
    const bool finished = e.kind == ProgressEventKind::Finish;
    fmt::print(m_out, "\r\033[K{} [{}] {}/{} {} {:.1f} {}/s{} ETA {}{}", e.task, bar, e.done, e.total, e.unit,
               e.rate, e.unit, bytes,
               e.eta_s >= 0 ? format_duration(std::chrono::duration<double>(e.eta_s)) : "--:--",
               finished ? "\n" : "");
  }

  void plain(const ProgressEvent& e) {
    const bool finished = e.kind == ProgressEventKind::Finish;
    fmt::print(m_out, "{}: {}/{} {} ({:.0f}%), {:.1f} {}/s, {} {}\n", e.task, e.done, e.total, e.unit,
               e.fraction() * 100.0, e.rate, e.unit, finished ? "took" : "ETA",
               finished
                   ? format_duration(std::chrono::duration<double>(e.elapsed_s))
                   : (e.eta_s >= 0 ? format_duration(std::chrono::duration<double>(e.eta_s)) : "unknown"));
  }

  ProgressMode m_mode;
  std::FILE* m_out;
  std::map<int, Clock::time_point> m_last;
};

class CallbackSink final : public ProgressSink {
 public:
  CallbackSink(std::function<void(const ProgressEvent&)> fn, bool frames)
      : m_fn(std::move(fn)), m_frames(frames) {}
  void on_event(const ProgressEvent& e) override { m_fn(e); }
  bool wants_frames() const override { return m_frames; }

 private:
  std::function<void(const ProgressEvent&)> m_fn;
  bool m_frames;
};

}  // namespace

std::shared_ptr<ProgressSink> make_progress_renderer(ProgressMode mode, std::FILE* out) {
  if (mode == ProgressMode::Auto) mode = ::isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::Plain;
  if (mode == ProgressMode::None) return nullptr;
  return std::make_shared<TextRenderer>(
      mode, out != nullptr ? out : (mode == ProgressMode::Json ? stdout : stderr));
}

// ---- The producer
// -------------------------------------------------------------------------------------------

Progress::Progress() : m_tasks(std::make_unique<ProgressTasks>()) {}

Progress::Progress(ProgressMode mode, std::FILE* out) : Progress() {
  if (auto sink = make_progress_renderer(mode, out)) subscribe(std::move(sink));
}

Progress::~Progress() = default;

Progress& Progress::null() {
  static Progress p;
  return p;
}

void Progress::subscribe(std::shared_ptr<ProgressSink> sink) {
  if (!sink) return;
  std::lock_guard lock(m_mutex);
  if (sink->wants_frames()) m_wants_frames = true;
  m_sinks.push_back(std::move(sink));
}

void Progress::subscribe(std::function<void(const ProgressEvent&)> callback, bool wants_frames) {
  subscribe(std::make_shared<CallbackSink>(std::move(callback), wants_frames));
}

ProgressEvent Progress::make_event(const TaskState& t, int id, ProgressEventKind kind) const {
  ProgressEvent e;
  e.kind = kind;
  e.task_id = id;
  e.task = t.name;
  e.unit = t.unit;
  e.done = t.done;
  e.total = t.total;
  e.bytes = t.bytes;
  e.elapsed_s = std::chrono::duration<double>(Clock::now() - t.start).count();
  e.rate = e.elapsed_s > 0 ? static_cast<double>(t.done) / e.elapsed_s : 0.0;
  e.bytes_rate = e.elapsed_s > 0 ? static_cast<double>(t.bytes) / e.elapsed_s : 0.0;
  e.eta_s = (e.rate > 0 && t.total > 0) ? static_cast<double>(t.total - t.done) / e.rate : -1.0;
  return e;
}

void Progress::emit(const ProgressEvent& event) {
  for (const auto& sink : m_sinks) sink->on_event(event);
}

ProgressTask Progress::task(std::string name, std::int64_t total, std::string unit) {
  std::lock_guard lock(m_mutex);
  TaskState t;
  t.name = std::move(name);
  t.unit = std::move(unit);
  t.total = total;
  m_tasks->tasks.push_back(std::move(t));
  const int id = static_cast<int>(m_tasks->tasks.size()) - 1;
  if (!m_sinks.empty()) emit(make_event(m_tasks->tasks.back(), id, ProgressEventKind::Start));
  return ProgressTask(this, id);
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
  if (m_sinks.empty()) return;
  const auto now = Clock::now();
  if (!finished && t.last_update != Clock::time_point{} && now - t.last_update < k_update_gap) return;
  t.last_update = now;
  emit(make_event(t, id, finished ? ProgressEventKind::Finish : ProgressEventKind::Update));
}

void Progress::note(int id, std::string_view message) {
  std::lock_guard lock(m_mutex);
  if (m_sinks.empty()) return;
  auto e = make_event(m_tasks->tasks[static_cast<std::size_t>(id)], id, ProgressEventKind::Note);
  e.message = std::string(message);
  emit(e);
}

void Progress::frame(int id, const Image& image, std::int64_t index) {
  if (!m_wants_frames) return;
  std::lock_guard lock(m_mutex);
  auto& t = m_tasks->tasks[static_cast<std::size_t>(id)];
  const auto now = Clock::now();
  if (t.last_frame != Clock::time_point{} && now - t.last_frame < k_frame_gap) return;
  t.last_frame = now;
  auto e = make_event(t, id, ProgressEventKind::Frame);
  e.frame = &image;
  e.frame_index = index;
  for (const auto& sink : m_sinks) {
    if (sink->wants_frames()) sink->on_event(e);
  }
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
void ProgressTask::frame(const Image& image, std::int64_t index) {
  if (m_owner) m_owner->frame(m_id, image, index);
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
