// Progress of long work, for people and for machines: one producer, several views.
//
// Producers (library stages) report through tasks:
//   auto task = progress.task("encode", total, "frames"); task.advance(); ... task.finish();
// Every report becomes a structured `ProgressEvent` (task, done, total, bytes, rate, ETA, message, latest
// frame) handed to each subscribed `ProgressSink`. The CLI subscribes one renderer (`make_progress_renderer`:
// a bar with rate and ETA on a TTY, plain lines about every 5 s, JSON lines for scripts); a GUI subscribes
// its own sink or callback (`Progress::subscribe`) and turns events into widgets. A Progress with no sink is
// silent.
//
// Threads: tasks may be advanced from any thread. Events are delivered to the sinks one at a time (under the
// Progress's lock) on the thread that produced them, so a sink needs no lock of its own for its state but
// must return quickly and must not call back into the same Progress; a GUI sink typically copies the event
// into a queue and wakes its UI thread. `Update` events are rate-limited per task (at most every 100 ms, plus
// the first one); `Start`, `Finish` and `Note` always arrive. `Frame` events (latest output frame available,
// for a preview) are produced only when a sink asks for them (`wants_frames`), at most every 250 ms per task.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace goesvfi {

class Image;

enum class ProgressMode { Auto, Bar, Plain, Json, None };
ProgressMode parse_progress_mode(
    std::string_view text);  // auto|bar|plain|json|none, InvalidArgument otherwise
// The names parse_progress_mode accepts, in order (the schema's choices for general.progress).
const std::vector<std::string>& progress_mode_names();

enum class ProgressEventKind {
  Start,   // a task was created (total may be 0 = unknown)
  Update,  // done/total/bytes changed
  Finish,  // the task is complete (the last event of the task)
  Note,    // a one-off message of the task (`message`)
  Frame,   // a new output frame is available (`frame`, `frame_index`)
};
std::string_view progress_event_name(
    ProgressEventKind kind);  // "start", "progress", "finish", "note", "frame"

struct ProgressEvent {
  ProgressEventKind kind = ProgressEventKind::Update;
  int task_id = 0;   // unique within one Progress, in creation order
  std::string task;  // the stage/task name: "fetch", "render", "frames", "check headers", ...
  std::string unit;  // what done/total count: "frames", "files", "pairs"
  std::int64_t done = 0;
  std::int64_t total = 0;  // 0 = unknown
  std::int64_t bytes = 0;  // second counter (downloads), 0 when unused
  double rate = 0;         // units per second since the task started
  double bytes_rate = 0;   // bytes per second since the task started
  double eta_s = -1;       // seconds left, -1 = unknown
  double elapsed_s = 0;
  std::string message;            // Note
  std::int64_t frame_index = -1;  // Frame: index of the frame in the output
  // Frame: the frame itself, valid only during the call. Its buffer may be reused afterwards: a sink that
  // keeps it must `clone()` it.
  const Image* frame = nullptr;

  double fraction() const { return total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 0.0; }
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void on_event(const ProgressEvent& event) = 0;
  virtual bool wants_frames() const { return false; }
};

// The CLI's views: Bar (TTY), Plain (lines about every 5 s and at the end), Json (one object per event and
// line: `{"event":"progress","task":"frames","done":3,...}`), None (nullptr). Auto picks Bar on a TTY
// (stderr) and Plain otherwise. `out` defaults to stdout for Json and stderr otherwise.
std::shared_ptr<ProgressSink> make_progress_renderer(ProgressMode mode, std::FILE* out = nullptr);

class Progress;

class ProgressTask {
 public:
  ProgressTask() = default;
  ProgressTask(ProgressTask&&) noexcept;
  ProgressTask& operator=(ProgressTask&&) noexcept;
  ~ProgressTask();

  void advance(std::int64_t n = 1);
  void set_total(std::int64_t total);
  void add_bytes(std::int64_t bytes);   // optional second counter (downloads)
  void note(std::string_view message);  // a one-off line (e.g. "gap at 12:10 bridged")
  // The latest output frame is available (for previews). Cheap when no sink wants frames.
  void frame(const Image& image, std::int64_t index);
  void finish();
  std::int64_t done() const;

 private:
  friend class Progress;
  ProgressTask(Progress* owner, int id) : m_owner(owner), m_id(id) {}
  Progress* m_owner = nullptr;
  int m_id = -1;
};

class Progress {
 public:
  // No sink: silent until one subscribes.
  Progress();
  // One renderer sink (make_progress_renderer(mode, out)).
  explicit Progress(ProgressMode mode, std::FILE* out = nullptr);
  ~Progress();

  // Subscribe before the work starts (subscribing later is allowed; the sink sees later events only).
  void subscribe(std::shared_ptr<ProgressSink> sink);
  void subscribe(std::function<void(const ProgressEvent&)> callback, bool wants_frames = false);

  ProgressTask task(std::string name, std::int64_t total, std::string unit);

  // A silent progress object for library calls made without one.
  static Progress& null();

  struct TaskState;

 private:
  friend class ProgressTask;
  void update(int id, std::int64_t delta_done, std::int64_t delta_bytes, bool finished,
              std::int64_t new_total = -1);
  void note(int id, std::string_view message);
  void frame(int id, const Image& image, std::int64_t index);
  ProgressEvent make_event(const TaskState& t, int id, ProgressEventKind kind) const;
  void emit(const ProgressEvent& event);

  std::mutex m_mutex;
  std::vector<std::shared_ptr<ProgressSink>> m_sinks;
  std::atomic<bool> m_wants_frames{false};
  std::unique_ptr<struct ProgressTasks> m_tasks;
};

// "1.2 MB", "3.4 GB": for summaries.
std::string format_bytes(double bytes);
// "1:02:03" or "4:05"
std::string format_duration(std::chrono::duration<double> d);

}  // namespace goesvfi
