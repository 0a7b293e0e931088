#include "gui/job_panel.hpp"

#include <QDesktopServices>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <chrono>

#include "core/progress.hpp"

namespace goesvfi::gui {

JobPanel::JobPanel(JobRunner& runner, QWidget* parent) : QWidget(parent), m_runner(runner) {
  auto* grid = new QGridLayout(this);
  m_title = new QLabel(tr("No job running"), this);
  m_title->setStyleSheet("font-weight: bold;");
  m_stage = new QLabel(this);
  m_stage->setObjectName("stage");
  m_bar = new QProgressBar(this);
  m_bar->setRange(0, 1000);
  m_bar->setValue(0);
  m_bar->setTextVisible(true);
  m_cancel = new QPushButton(tr("&Cancel"), this);
  m_cancel->setEnabled(false);
  m_error = new QLabel(this);
  m_error->setObjectName("error");
  m_error->setStyleSheet("color: #c0392b;");
  m_error->setWordWrap(true);
  m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_error->hide();
  m_summary = new QPlainTextEdit(this);
  m_summary->setReadOnly(true);
  m_summary->setMaximumHeight(110);
  m_summary->setPlaceholderText(tr("The summary of the last job appears here."));
  m_open = new QPushButton(tr("&Open video"), this);
  m_folder = new QPushButton(tr("Show in &folder"), this);
  m_open->setEnabled(false);
  m_folder->setEnabled(false);
  m_preview = new QLabel(this);
  m_preview->setFixedSize(192, 108);
  m_preview->setAlignment(Qt::AlignCenter);
  m_preview->setStyleSheet("background: #202020; color: #808080;");
  m_preview->setText(tr("latest frame"));
  grid->addWidget(m_title, 0, 0, 1, 3);
  grid->addWidget(m_bar, 1, 0, 1, 2);
  grid->addWidget(m_cancel, 1, 2);
  grid->addWidget(m_stage, 2, 0, 1, 3);
  grid->addWidget(m_error, 3, 0, 1, 3);
  grid->addWidget(m_summary, 4, 0, 1, 2);
  auto* buttons = new QVBoxLayout;
  buttons->addWidget(m_open);
  buttons->addWidget(m_folder);
  buttons->addStretch();
  grid->addLayout(buttons, 4, 2);
  grid->addWidget(m_preview, 0, 3, 5, 1);
  grid->setColumnStretch(0, 1);

  connect(m_cancel, &QPushButton::clicked, &m_runner, &JobRunner::cancel);
  connect(&m_runner, &JobRunner::started, this, &JobPanel::on_started);
  connect(&m_runner, &JobRunner::progress, this, &JobPanel::on_progress);
  connect(&m_runner, &JobRunner::frame, this, [this](const QImage& image, qint64) { show_frame(image); });
  connect(&m_runner, &JobRunner::finished, this, &JobPanel::on_finished);
  connect(m_open, &QPushButton::clicked, this,
          [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_output)); });
  connect(m_folder, &QPushButton::clicked, this, [this] {
    const QFileInfo info(m_output);
    QDesktopServices::openUrl(QUrl::fromLocalFile(info.isDir() ? m_output : info.absolutePath()));
  });
}

void JobPanel::show_frame(const QImage& image) {
  m_preview->setPixmap(QPixmap::fromImage(
      image.scaled(m_preview->size() * devicePixelRatioF(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void JobPanel::on_started(const QString& title) {
  m_title->setText(title);
  m_stage->setText(tr("starting…"));
  m_bar->setValue(0);
  m_bar->setFormat("%p%");
  m_cancel->setEnabled(true);
  m_error->hide();
  m_summary->clear();
  m_open->setEnabled(false);
  m_folder->setEnabled(false);
  m_output.clear();
}

void JobPanel::on_progress(const ProgressEvent& e) {
  if (!e.message.isEmpty()) {
    m_summary->appendPlainText(e.stage + ": " + e.message);
    return;
  }
  if (e.total > 0) m_bar->setValue(static_cast<int>(std::min<qint64>(1000, e.done * 1000 / e.total)));
  QString text = QString("%1: %2/%3 %4, %5 %4/s")
                     .arg(e.stage)
                     .arg(e.done)
                     .arg(e.total)
                     .arg(e.unit)
                     .arg(e.rate, 0, 'f', 1);
  if (e.bytes > 0) text += ", " + QString::fromStdString(format_bytes(static_cast<double>(e.bytes)));
  if (e.finished) {
    text += ", took " + QString::fromStdString(format_duration(std::chrono::duration<double>(e.elapsed_s)));
  } else if (e.eta_s >= 0) {
    text += ", ETA " + QString::fromStdString(format_duration(std::chrono::duration<double>(e.eta_s)));
  }
  m_stage->setText(text);
}

void JobPanel::on_finished(bool ok, bool cancelled, const QString& summary, const QString& output,
                           const QString& error) {
  m_cancel->setEnabled(false);
  if (m_stage->text() == tr("starting…")) m_stage->clear();
  if (ok) {
    m_bar->setValue(1000);
    m_title->setText(m_runner.title() + tr(" — done"));
    m_summary->setPlainText(summary);
    m_output = output;
    const bool has_output = !output.isEmpty() && QFileInfo::exists(output);
    m_open->setEnabled(has_output && QFileInfo(output).isFile());
    m_folder->setEnabled(has_output);
  } else {
    m_title->setText(m_runner.title() + (cancelled ? tr(" — cancelled") : tr(" — failed")));
    m_error->setText(cancelled ? tr("Cancelled: nothing was written.") : error);
    m_error->show();
  }
}

}  // namespace goesvfi::gui
