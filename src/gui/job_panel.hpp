// The job strip under every page: the running job's stage, a progress bar with rate and ETA, Cancel, the
// latest output frame (at most 4 updates a second), and at the end the summary with Open video / Show in
// folder, or the library's error message.
#pragma once

#include <QWidget>

#include "gui/job_runner.hpp"

class QLabel;
class QProgressBar;
class QPushButton;
class QPlainTextEdit;

namespace goesvfi::gui {

class JobPanel : public QWidget {
  Q_OBJECT
 public:
  explicit JobPanel(JobRunner& runner, QWidget* parent = nullptr);

  QProgressBar* bar() const { return m_bar; }
  QLabel* stage_label() const { return m_stage; }
  QPushButton* cancel_button() const { return m_cancel; }
  QPlainTextEdit* summary() const { return m_summary; }
  QLabel* error_label() const { return m_error; }
  QPushButton* open_button() const { return m_open; }
  QPushButton* folder_button() const { return m_folder; }
  QLabel* preview() const { return m_preview; }
  // Shows `image` as the latest output frame unless one was shown less than 250 ms ago.
  void show_frame(const QImage& image);

 private:
  void on_started(const QString& title);
  void on_progress(const ProgressEvent& e);
  void on_finished(bool ok, bool cancelled, const QString& summary, const QString& output,
                   const QString& error);
  JobRunner& m_runner;
  QLabel *m_title, *m_stage, *m_error, *m_preview;
  QProgressBar* m_bar;
  QPushButton *m_cancel, *m_open, *m_folder;
  QPlainTextEdit* m_summary;
  QString m_output;
};

}  // namespace goesvfi::gui
