#include "gui/main_window.hpp"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "catalog/check.hpp"
#include "core/error.hpp"
#include "gui/integrity_page.hpp"
#include "gui/query_form.hpp"
#include "gui/widgets.hpp"

#include "gui/integrity_page.hpp"
#include "gui/interpolate_page.hpp"
#include "gui/job_panel.hpp"
#include "gui/settings_page.hpp"
#include "gui/timelapse_page.hpp"
#include "gui/tool_pages.hpp"

namespace goesvfi::gui {

namespace fs = std::filesystem;

MainWindow::MainWindow(GuiContext& context, QWidget* parent) : QMainWindow(parent), m_context(context) {
  setWindowTitle("goesvfi");
  m_list = new QListWidget;
  m_list->setObjectName("pages");
  m_list->setFixedWidth(170);
  m_stack = new QStackedWidget;
  auto add = [this](QWidget* page, const QString& name) {
    page->setObjectName(name);
    m_stack->addWidget(page);
    m_list->addItem(name);
    const int index = m_stack->count() - 1;
    auto* shortcut = new QShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + index)), this);
    connect(shortcut, &QShortcut::activated, this, [this, index] { show_page(index); });
  };
  timelapse = new TimelapsePage(context);
  add(timelapse, tr("Timelapse"));
  interpolate = new InterpolatePage(context);
  add(interpolate, tr("Interpolate a folder"));
  integrity = new IntegrityPage(context);
  add(integrity, tr("Integrity"));
  fetch = new FetchPage(context);
  add(fetch, tr("Fetch"));
  sort = new SortPage(context);
  add(sort, tr("Sort"));
  models = new ModelsPage(context);
  add(models, tr("Models"));
  settings = new SettingsPage(context);
  add(settings, tr("Settings"));
  job_panel = new JobPanel(context.runner());

  auto* central = new QWidget;
  auto* top = new QHBoxLayout;
  top->addWidget(m_list);
  top->addWidget(m_stack, 1);
  auto* layout = new QVBoxLayout(central);
  layout->addLayout(top, 1);
  layout->addWidget(job_panel);
  setCentralWidget(central);
  connect(m_list, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

  QSettings settings_store;
  if (!restoreGeometry(settings_store.value("window/geometry").toByteArray())) resize(1280, 860);
  show_page(settings_store.value("window/page", 0).toInt());
}

MainWindow::~MainWindow() = default;

void MainWindow::show_page(int index) {
  if (index < 0 || index >= m_stack->count()) index = 0;
  m_list->setCurrentRow(index);
  m_stack->setCurrentIndex(index);
}

int MainWindow::page_count() const {
  return m_stack->count();
}

QString MainWindow::page_name(int index) const {
  return m_list->item(index)->text();
}

void MainWindow::open_demo(const QString& dir) {
  const fs::path root = dir.toStdString();
  const fs::path archive = root / "archive";
  catalog::CheckOptions o;
  o.folder = archive;
  UtcTime start{}, end{};
  try {
    const catalog::CheckReport r = catalog::check_folder(o);
    start = r.start;
    end = r.end;
  } catch (const Error& e) {
    job_panel->error_label()->setText(QString::fromStdString(e.describe()));
    job_panel->error_label()->show();
    return;
  }
  const QString archive_text = QString::fromStdString(archive.string());
  timelapse->query->satellite->setCurrentText("G16");
  timelapse->query->set_range(start, end);
  timelapse->query->source->setCurrentText(archive_text);
  timelapse->data_dir->set_text(QString::fromStdString((root / "data").string()));
  timelapse->output->set_text(QString::fromStdString((root / "gui-demo.mp4").string()));
  timelapse->false_colour->setChecked(true);
  fetch->query->satellite->setCurrentText("G16");
  fetch->query->set_range(start, end);
  fetch->query->source->setCurrentText(archive_text);
  fetch->output->set_text(QString::fromStdString((root / "fetched").string()));
  integrity->folder->set_text(archive_text);
  if (fs::is_directory(root / "frames")) {
    interpolate->input->set_text(QString::fromStdString((root / "frames").string()));
    interpolate->output->set_text(QString::fromStdString((root / "frames.mp4").string()));
    sort->kind->setCurrentIndex(1);
    sort->source->set_text(QString::fromStdString((root / "frames").string()));
  }
}

bool MainWindow::press(const QString& name) {
  auto* button = m_stack->currentWidget()->findChild<QPushButton*>(name);
  if (button == nullptr || !button->isEnabled()) return false;
  button->click();
  return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (m_context.runner().busy()) {
    const auto answer = QMessageBox::question(
        this, tr("A job is running"), tr("Cancel the running job and quit? Nothing partial is kept."));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    m_context.runner().cancel();
  }
  QSettings settings_store;
  settings_store.setValue("window/geometry", saveGeometry());
  settings_store.setValue("window/page", m_stack->currentIndex());
  event->accept();
}

}  // namespace goesvfi::gui
