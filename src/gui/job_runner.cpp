#include "gui/job_runner.hpp"

#include <QMetaObject>
#include <QPointer>
#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "gui/widgets.hpp"

namespace goesvfi::gui {

namespace {

// Longest side of the preview image handed to the GUI thread: the frame is scaled on the job's thread so the
// GUI never decodes or scales a full-size frame.
constexpr int kPreviewSide = 480;

ProgressEvent to_gui_event(const goesvfi::ProgressEvent& e) {
  ProgressEvent out;
  out.stage = QString::fromStdString(e.task);
  if (e.kind == ProgressEventKind::Note) {
    out.message = QString::fromStdString(e.message);
    return out;
  }
  out.unit = QString::fromStdString(e.unit);
  out.done = e.done;
  out.total = e.total;
  out.bytes = e.bytes;
  out.rate = e.rate;
  out.eta_s = e.eta_s;
  out.elapsed_s = e.elapsed_s;
  out.finished = e.kind == ProgressEventKind::Finish;
  return out;
}

}  // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() {
  m_cancel.cancel();
  if (m_thread.valid()) m_thread.wait();
}

void JobRunner::cancel() {
  if (m_busy) m_cancel.cancel();
}

bool JobRunner::start(const QString& title, JobFn fn) {
  if (m_busy) return false;
  if (m_thread.valid()) m_thread.wait();  // the previous job's thread has posted its end; let it exit
  m_busy = true;
  m_title = title;
  m_cancel = CancelToken();
  Q_EMIT started(title);
  QPointer<JobRunner> self(this);
  CancelToken cancel = m_cancel;
  m_thread = ThreadPool::global().start_stage("gui-job", [self, cancel, fn = std::move(fn)] {
    bool ok = false, cancelled = false;
    QString summary, output, error;
    try {
      // The library's progress events, subscribed directly: counters and notes become `progress` signals,
      // Frame events (throttled by the library to one per 250 ms per task) a scaled copy for `frame`.
      Progress progress;
      progress.subscribe(
          [self](const goesvfi::ProgressEvent& e) {
            if (e.kind == ProgressEventKind::Frame) {
              if (e.frame == nullptr) return;
              QImage image = to_qimage(*e.frame);
              if (std::max(image.width(), image.height()) > kPreviewSide)
                image =
                    image.scaled(kPreviewSide, kPreviewSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
              QMetaObject::invokeMethod(
                  self.data(),
                  [self, image = std::move(image), index = e.frame_index] {
                    if (self) Q_EMIT self->frame(image, index);
                  },
                  Qt::QueuedConnection);
              return;
            }
            QMetaObject::invokeMethod(
                self.data(),
                [self, event = to_gui_event(e)] {
                  if (self) Q_EMIT self->progress(event);
                },
                Qt::QueuedConnection);
          },
          /*wants_frames=*/true);
      const JobOutcome outcome = fn(progress, cancel);
      ok = true;
      summary = outcome.summary;
      output = QString::fromStdString(outcome.output.string());
    } catch (const Error& e) {
      cancelled = e.kind() == ErrorKind::Cancelled;
      error = QString::fromStdString(cancelled ? std::string("cancelled") : e.describe());
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, ok, cancelled, summary, output, error] {
          if (!self) return;
          self->m_busy = false;
          Q_EMIT self->finished(ok, cancelled, summary, output, error);
        },
        Qt::QueuedConnection);
  });
  return true;
}

}  // namespace goesvfi::gui
