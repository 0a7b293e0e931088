// Page 3, Integrity: a folder + series checked against the ABI schedule (catalog::check_folder); a timeline
// of every expected slot coloured present / missing / duplicate / unreadable (zoom, hover), the missing
// runs, the report as the CLI prints it, and Fetch missing (pipeline::check_and_fix, as `goesvfi check
// --fix`) from the chosen source into the folder, then the same range checked again.
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
  void fetch_missing();
  const catalog::CheckReport& report() const { return m_report; }

  PathField* folder;
  QComboBox* satellite;
  QLineEdit* product;
  QSpinBox* band;
  QComboBox* source;  // fetch.source for Fetch missing: auto, s3, cdn or a local archive folder
  QPushButton *check_button, *fetch_button, *fit_button, *zoom_in, *zoom_out;
  QLabel* counts;
  TimelineWidget* timeline;
  QListWidget* missing_runs;
  QPlainTextEdit* report_text;

 private:
  // What a check or fix job hands back to the GUI thread.
  struct Result {
    catalog::CheckReport report;
    std::string fix_text;  // what the fix fetched or could not fetch; empty for a plain check
  };
  void show_report(const catalog::CheckReport& report);
  void update_buttons();
  GuiContext& m_context;
  catalog::CheckReport m_report;
  std::shared_ptr<Result> m_pending;
};

}  // namespace goesvfi::gui
