// The one window: a page list on the left (Alt+1..7 or the arrow keys), the page, and the job strip below.
// Window geometry and the last page persist through QSettings.
#pragma once

#include <QMainWindow>

#include "gui/context.hpp"

class QListWidget;
class QStackedWidget;

namespace goesvfi::gui {

class JobPanel;
class TimelapsePage;
class InterpolatePage;
class IntegrityPage;
class FetchPage;
class SortPage;
class ModelsPage;
class SettingsPage;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(GuiContext& context, QWidget* parent = nullptr);
  ~MainWindow() override;

  void show_page(int index);
  int page_count() const;
  QString page_name(int index) const;
  // Fills every page for the demo data `goesvfi demo --dir DIR` made (DIR/archive; DIR/frames if present),
  // so the app can be tried, and screenshots made, without typing.
  void open_demo(const QString& dir);
  // Clicks the button named `name` (plan, start, check, preview, list, ...) on the current page.
  bool press(const QString& name);

  TimelapsePage* timelapse = nullptr;
  InterpolatePage* interpolate = nullptr;
  IntegrityPage* integrity = nullptr;
  FetchPage* fetch = nullptr;
  SortPage* sort = nullptr;
  ModelsPage* models = nullptr;
  SettingsPage* settings = nullptr;
  JobPanel* job_panel = nullptr;

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  GuiContext& m_context;
  QListWidget* m_list;
  QStackedWidget* m_stack;
};

}  // namespace goesvfi::gui
