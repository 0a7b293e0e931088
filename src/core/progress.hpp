// Progress of long work, for people and for machines. One Progress object per command; work reports through
// tasks: `auto task = progress.task("encode", total, "frames"); task.advance(); ... task.finish();`.
// Renderers: a bar with rate and ETA on a TTY, plain lines otherwise (about every 5 s and at the end),
// JSON lines (`--progress json`, one object per update on stdout, for GUIs and scripts), or none.
// Thread-safe; rendering is rate-limited so advancing per frame is cheap.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace goesvfi {

enum class ProgressMode { Auto, Bar, Plain, Json, None };
ProgressMode parse_progress_mode(
    std::string_view text);  // auto|bar|plain|json|none, InvalidArgument otherwise

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
  // `out` is where the display goes (stderr for bar/plain, stdout for json by default).
  explicit Progress(ProgressMode mode, std::FILE* out = nullptr);
  ~Progress();

  ProgressTask task(std::string name, std::int64_t total, std::string unit);
  ProgressMode mode() const { return m_mode; }

  // A silent progress object for library calls made without one.
  static Progress& null();

  struct TaskState;

 private:
  friend class ProgressTask;
  void update(int id, std::int64_t delta_done, std::int64_t delta_bytes, bool finished,
              std::int64_t new_total = -1);
  void note(int id, std::string_view message);
  void render(TaskState& t, bool force);

  ProgressMode m_mode;
  std::FILE* m_out;
  std::mutex m_mutex;
  std::unique_ptr<struct ProgressTasks> m_tasks;
};

// "1.2 MB", "3.4 GB": for summaries.
std::string format_bytes(double bytes);
// "1:02:03" or "4:05"
std::string format_duration(std::chrono::duration<double> d);

}  // namespace goesvfi
