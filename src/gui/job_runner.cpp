#include "gui/job_runner.hpp"

#include <QMetaObject>
#include <QPointer>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace goesvfi::gui {

namespace {

// The library's JSON progress events (ProgressMode::Json, one object per line) read from a FILE* whose writes
// land here, parsed into ProgressEvent and posted to the GUI thread.
struct EventStream {
  QPointer<JobRunner> runner;
  std::string pending;

  void post(const ProgressEvent& e) {
    QMetaObject::invokeMethod(
        runner.data(),
        [r = runner, e] {
          if (r) Q_EMIT r->progress(e);
        },
        Qt::QueuedConnection);
  }

  void line(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    ProgressEvent e;
    e.stage = QString::fromStdString(j.value("task", ""));
    const std::string kind = j.value("event", "");
    if (kind == "note") {
      e.message = QString::fromStdString(j.value("message", ""));
    } else {
      e.unit = QString::fromStdString(j.value("unit", ""));
      e.done = j.value("done", std::int64_t{0});
      e.total = j.value("total", std::int64_t{0});
      e.bytes = j.value("bytes", std::int64_t{0});
      e.rate = j.value("rate", 0.0);
      e.eta_s = j.value("eta_s", -1.0);
      e.elapsed_s = j.value("elapsed_s", 0.0);
      e.finished = kind == "finish";
    }
    post(e);
  }

  static ssize_t write(void* cookie, const char* data, size_t size) {
    auto* self = static_cast<EventStream*>(cookie);
    self->pending.append(data, size);
    std::size_t nl;
    while ((nl = self->pending.find('\n')) != std::string::npos) {
      self->line(self->pending.substr(0, nl));
      self->pending.erase(0, nl + 1);
    }
    return static_cast<ssize_t>(size);
  }
};

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
    {
      EventStream stream{self, {}};
      cookie_io_functions_t io{nullptr, &EventStream::write, nullptr, nullptr};
      std::FILE* out = fopencookie(&stream, "w", io);
      try {
        Progress progress(ProgressMode::Json, out);
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
      if (out != nullptr) std::fclose(out);
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
