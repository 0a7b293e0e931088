// Page 1, the main job: satellite + product + band + UTC range to a finished video. Plan shows what the dry
// run finds (expected scans, on disk, to fetch, missing runs, video length) before anything is fetched;
// Start runs the whole timelapse on the job runner.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/context.hpp"
#include "pipeline/timelapse.hpp"

class QComboBox;
class QSpinBox;
class QDateTimeEdit;
class QCheckBox;
class QPlainTextEdit;
class QPushButton;
class QLineEdit;

namespace goesvfi::gui {

class PathField;
class QueryForm;
class ConfigField;

class TimelapsePage : public QWidget {
  Q_OBJECT
 public:
  explicit TimelapsePage(GuiContext& context, QWidget* parent = nullptr);

  // The job the fields describe, with `config` (a copy of the app's) updated from the config-backed fields.
  // Throws the library's InvalidArgument for a field that does not parse.
  TimelapseJob job(Config& config) const;
  void plan();
  void start();

  QueryForm* query;
  QComboBox* gaps;
  PathField *data_dir, *output;
  QCheckBox* false_colour;
  QLineEdit* range;
  std::vector<ConfigField*> fields;  // interpolation, colour and encoding keys from the declarations
  QPushButton *plan_button, *start_button;
  QPlainTextEdit* plan_text;

 private:
  void run(bool dry_run);
  GuiContext& m_context;
  bool m_planning = false;
};

}  // namespace goesvfi::gui
