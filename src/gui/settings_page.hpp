// Page 7, Settings: one field per declared option (config_schema()), grouped by section, with the declared
// type, choices/range, default and help (tooltip). Save writes the changed keys into the CLI's TOML file;
// a value the library rejects is shown beside its field and nothing is written.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/context.hpp"

class QPushButton;
class QLabel;

namespace goesvfi::gui {

class ConfigField;

class SettingsPage : public QWidget {
  Q_OBJECT
 public:
  explicit SettingsPage(GuiContext& context, QWidget* parent = nullptr);
  ConfigField* field(const std::string& key) const;
  // Writes every field that differs from the file's value; false (errors beside the fields) if any is
  // invalid.
  bool save();

  std::vector<ConfigField*> fields;
  QPushButton *save_button, *revert_button;
  QLabel* status;

 private:
  GuiContext& m_context;
};

}  // namespace goesvfi::gui
