// Small widgets the pages share: a path field with a Browse button that remembers its folder, a field
// generated from one config key's declaration (editor by type and choices, default, help as tooltip, the
// library's validation message beside it), and Image -> QImage for display.
#pragma once

#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QWidget>
#include <optional>

#include "core/config.hpp"
#include "core/image.hpp"

class QComboBox;
class QCheckBox;
class QPushButton;

namespace goesvfi::gui {

class PathField : public QWidget {
  Q_OBJECT
 public:
  enum class Kind { Folder, OpenFile, SaveFile };
  // `memory` names the remembered folder (QSettings "folders/<memory>").
  PathField(Kind kind, QString memory, QString filter = {}, QWidget* parent = nullptr);
  QString text() const { return m_edit->text(); }
  void set_text(const QString& text) { m_edit->setText(text); }
  QLineEdit* edit() const { return m_edit; }
  QPushButton* browse_button() const { return m_browse; }

 Q_SIGNALS:
  void changed(const QString& text);

 private:
  void browse();
  Kind m_kind;
  QString m_memory, m_filter;
  QLineEdit* m_edit;
  QPushButton* m_browse;
};

// An editor for one config key: a combo box for choices, a check box for booleans, a line edit otherwise
// (numbers are typed, so the library's own range message can be shown). value() is nullopt while the text
// does not validate; error() then holds the library's message, also shown in the field's error label.
class ConfigField : public QWidget {
  Q_OBJECT
 public:
  ConfigField(const ConfigKey& key, QWidget* parent = nullptr);
  const ConfigKey& key() const { return m_key; }
  void set_value(const ConfigValue& value);
  std::optional<ConfigValue> value() const;
  QString error() const { return m_error->text(); }
  QLabel* error_label() const { return m_error; }
  QWidget* editor() const { return m_editor; }
  // Shows an error from elsewhere (e.g. the file could not be written) beside the field.
  void show_error(const QString& text);

 Q_SIGNALS:
  void edited();

 private:
  void validate();
  ConfigKey m_key;
  QWidget* m_editor = nullptr;
  QComboBox* m_combo = nullptr;
  QCheckBox* m_check = nullptr;
  QLineEdit* m_line = nullptr;
  QLabel* m_error;
};

// A deep copy of an 8-bit grey/RGB/RGBA Image (other sample types are converted) as a QImage.
QImage to_qimage(const Image& image);

}  // namespace goesvfi::gui

class QFormLayout;

namespace goesvfi::gui {

// Adds one ConfigField row per key to `form` (labelled with the key's name after the section), loaded with
// `config`'s values.
std::vector<ConfigField*> add_config_rows(QFormLayout* form, const std::vector<std::string>& keys,
                                          const Config& config, QWidget* parent);
void load_fields(const std::vector<ConfigField*>& fields, const Config& config);
// Sets in `target` (source "gui") every field whose value differs from `loaded` (what the fields were loaded
// from), so untouched fields leave profiles and the file in charge. Throws the first invalid field's error.
void apply_fields(const std::vector<ConfigField*>& fields, const Config& loaded, Config& target);

}  // namespace goesvfi::gui
