// Runs the app's jobs one at a time on a pool-owned stage thread (ThreadPool::start_stage), never on the GUI
// thread. The job reports through a Progress object subscribed to here; its structured events (and scaled
// copies of the latest output frame) arrive on the GUI thread as signals; Cancel trips the job's CancelToken
// (the library then removes any partial output). Errors arrive as the library words them.
#pragma once

#include <QImage>
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>

#include "core/cancel.hpp"
#include "core/progress.hpp"

namespace goesvfi::gui {

// One progress update of a job's task (the fields of the library's progress events).
struct ProgressEvent {
  QString stage;  // the task: "fetch", "render", "interpolate", "encode", ...
  QString unit;   // "frames", "files", ...
  qint64 done = 0, total = 0, bytes = 0;
  double rate = 0;    // units per second
  double eta_s = -1;  // -1: unknown
  double elapsed_s = 0;
  bool finished = false;
  QString message;  // a note ("gap at 12:10 bridged"), empty for counters
};

// What a finished job hands back: the summary text (the facts the CLI prints) and what it made.
struct JobOutcome {
  QString summary;
  std::filesystem::path output;  // the video or folder made; empty when nothing was written
};

using JobFn = std::function<JobOutcome(Progress& progress, const CancelToken& cancel)>;

class JobRunner : public QObject {
  Q_OBJECT
 public:
  explicit JobRunner(QObject* parent = nullptr);
  ~JobRunner() override;  // cancels a running job and waits for it

  // Starts `fn` unless a job is running (then returns false and does nothing).
  bool start(const QString& title, JobFn fn);
  void cancel();
  bool busy() const { return m_busy; }
  QString title() const { return m_title; }

 Q_SIGNALS:
  void started(const QString& title);
  void progress(const goesvfi::gui::ProgressEvent& event);
  // The latest output frame (scaled to at most 480 px a side), at most every 250 ms per task.
  void frame(const QImage& image, qint64 index);
  // ok: finished normally; cancelled: stopped by cancel(); error: the library's message otherwise.
  void finished(bool ok, bool cancelled, const QString& summary, const QString& output, const QString& error);

 private:
  bool m_busy = false;
  QString m_title;
  CancelToken m_cancel;
  std::future<void> m_thread;
};

}  // namespace goesvfi::gui
