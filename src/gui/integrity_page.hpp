// Page 3, Integrity: a folder + series checked against the ABI schedule (catalog::check_folder); a timeline
// of every expected slot coloured present / missing / duplicate / unreadable (zoom, hover), the missing
// runs, and the report as the CLI prints it.
#pragma once

#include <QWidget>

#include "catalog/check.hpp"
#include "gui/context.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace goesvfi::gui {

class PathField;
class TimelineWidget;

class IntegrityPage : public QWidget {
  Q_OBJECT
 public:
  explicit IntegrityPage(GuiContext& context, QWidget* parent = nullptr);
  catalog::CheckOptions options() const;
  void check();
  const catalog::CheckReport& report() const { return m_report; }

  PathField* folder;
  QComboBox* satellite;
  QLineEdit* product;
  QSpinBox* band;
  QPushButton *check_button, *fit_button, *zoom_in, *zoom_out;
  QLabel* counts;
  TimelineWidget* timeline;
  QListWidget* missing_runs;
  QPlainTextEdit* report_text;

 private:
  void show_report(const catalog::CheckReport& report);
  GuiContext& m_context;
  catalog::CheckReport m_report;
  std::shared_ptr<catalog::CheckReport> m_pending;
};

}  // namespace goesvfi::gui
