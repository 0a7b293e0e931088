#include "gui/widgets.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "gui/context.hpp"

namespace goesvfi::gui {

PathField::PathField(Kind kind, QString memory, QString filter, QWidget* parent)
    : QWidget(parent), m_kind(kind), m_memory(std::move(memory)), m_filter(std::move(filter)) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  m_edit = new QLineEdit(this);
  m_browse = new QPushButton(tr("Browse…"), this);
  row->addWidget(m_edit, 1);
  row->addWidget(m_browse);
  setFocusProxy(m_edit);
  connect(m_browse, &QPushButton::clicked, this, &PathField::browse);
  connect(m_edit, &QLineEdit::textChanged, this, &PathField::changed);
}

void PathField::browse() {
  const QString start = m_edit->text().isEmpty() ? GuiContext::last_folder(m_memory) : m_edit->text();
  QString chosen;
  switch (m_kind) {
    case Kind::Folder:
      chosen = QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start);
      break;
    case Kind::OpenFile:
      chosen = QFileDialog::getOpenFileName(this, tr("Choose a file"), start, m_filter);
      break;
    case Kind::SaveFile:
      chosen = QFileDialog::getSaveFileName(this, tr("Save as"), start, m_filter);
      break;
  }
  if (chosen.isEmpty()) return;
  m_edit->setText(chosen);
  GuiContext::remember_folder(m_memory, m_kind == Kind::Folder ? chosen : QFileInfo(chosen).absolutePath());
}

ConfigField::ConfigField(const ConfigKey& key, QWidget* parent) : QWidget(parent), m_key(key) {
  auto* col = new QVBoxLayout(this);
  col->setContentsMargins(0, 0, 0, 0);
  col->setSpacing(2);
  // Closed choice lists (the row's own or its registry's: backends, products) become a combo box.
  if (const auto choices = config_choices(key); !choices.empty() && !key.open_choices) {
    m_combo = new QComboBox(this);
    // A default outside the list (render.product's "" = the band's own) stays selectable, so an untouched
    // form saves nothing.
    if (const auto* def = std::get_if<std::string>(&key.default_value);
        def != nullptr && std::find(choices.begin(), choices.end(), *def) == choices.end()) {
      m_combo->addItem(QString::fromStdString(*def));
    }
    for (const auto& c : choices) m_combo->addItem(QString::fromStdString(c));
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
      validate();
      Q_EMIT edited();
    });
    m_editor = m_combo;
  } else if (key.type == ConfigType::Bool) {
    m_check = new QCheckBox(this);
    connect(m_check, &QCheckBox::toggled, this, [this] {
      validate();
      Q_EMIT edited();
    });
    m_editor = m_check;
  } else {
    m_line = new QLineEdit(this);
    connect(m_line, &QLineEdit::textEdited, this, [this] {
      validate();
      Q_EMIT edited();
    });
    m_editor = m_line;
  }
  const QString tip = QString::fromStdString(key.help + "\n[" + key.name + ", default " +
                                             format_config_value(key.default_value) + "]");
  m_editor->setToolTip(tip);
  m_editor->setAccessibleName(QString::fromStdString(key.name));
  setFocusProxy(m_editor);
  m_error = new QLabel(this);
  m_error->setObjectName("error");
  m_error->setStyleSheet("color: #c0392b;");
  m_error->setWordWrap(true);
  m_error->hide();
  col->addWidget(m_editor);
  col->addWidget(m_error);
  set_value(key.default_value);
}

void ConfigField::set_value(const ConfigValue& value) {
  // Strings without their TOML quotes; numbers as the CLI would type them.
  const QString text = std::holds_alternative<std::string>(value)
                           ? QString::fromStdString(std::get<std::string>(value))
                           : QString::fromStdString(format_config_value(value));
  if (m_combo) {
    m_combo->setCurrentText(text);
  } else if (m_check) {
    m_check->setChecked(std::holds_alternative<bool>(value) && std::get<bool>(value));
  } else {
    m_line->setText(text);
  }
  validate();
}

std::optional<ConfigValue> ConfigField::value() const {
  Config scratch;
  try {
    if (m_check) {
      scratch.set(m_key.name, m_check->isChecked(), m_key.name);
    } else {
      const QString text = m_combo ? m_combo->currentText() : m_line->text();
      scratch.set_text(m_key.name, text.toStdString(), m_key.name);
    }
    return scratch.get(m_key.name);
  } catch (const Error&) {
    return std::nullopt;
  }
}

void ConfigField::validate() {
  Config scratch;
  try {
    if (m_check) return show_error({});
    const QString text = m_combo ? m_combo->currentText() : m_line->text();
    scratch.set_text(m_key.name, text.toStdString(), m_key.name);
    show_error({});
  } catch (const Error& e) {
    show_error(QString::fromStdString(e.describe()));
  }
}

void ConfigField::show_error(const QString& text) {
  m_error->setText(text);
  m_error->setVisible(!text.isEmpty());
}

QImage to_qimage(const Image& image) {
  if (image.empty()) return {};
  Image src = image.type() == SampleType::U8 ? image : convert_type(image, SampleType::U8);
  QImage::Format format = QImage::Format_Grayscale8;
  if (src.channels() == 3) format = QImage::Format_RGB888;
  if (src.channels() == 4) format = QImage::Format_RGBA8888;
  if (src.channels() == 2) src = convert_channels(src, 3), format = QImage::Format_RGB888;
  QImage out(src.width(), src.height(), format);
  for (int y = 0; y < src.height(); ++y) std::memcpy(out.scanLine(y), src.row_ptr(y), src.row_bytes());
  return out;
}

}  // namespace goesvfi::gui

#include <QFormLayout>

namespace goesvfi::gui {

std::vector<ConfigField*> add_config_rows(QFormLayout* form, const std::vector<std::string>& keys,
                                          const Config& config, QWidget* parent) {
  std::vector<ConfigField*> fields;
  for (const std::string& name : keys) {
    const ConfigKey* key = find_config_key(name);
    if (key == nullptr) fail(ErrorKind::InvalidArgument, "unknown configuration key '{}'", name);
    auto* field = new ConfigField(*key, parent);
    field->setObjectName(QString::fromStdString(name));
    field->set_value(config.get(name));
    // "crf", or "flow preset" where another section has a key of the same name (encode.preset).
    const std::string suffix = name.substr(name.find('.') + 1);
    const bool shared =
        std::count_if(config_schema().begin(), config_schema().end(),
                      [&](const ConfigKey& k) { return k.name.substr(k.name.find('.') + 1) == suffix; }) > 1;
    QString label = QString::fromStdString(shared ? name : suffix).replace('_', ' ').replace('.', ' ');
    label[0] = label[0].toUpper();
    form->addRow(label + ":", field);
    fields.push_back(field);
  }
  return fields;
}

void load_fields(const std::vector<ConfigField*>& fields, const Config& config) {
  for (ConfigField* f : fields) f->set_value(config.get(f->key().name));
}

void apply_fields(const std::vector<ConfigField*>& fields, const Config& loaded, Config& target) {
  for (ConfigField* f : fields) {
    const auto value = f->value();
    if (!value) fail(ErrorKind::InvalidArgument, "{}", f->error().toStdString());
    if (*value != loaded.get(f->key().name)) target.set(f->key().name, *value, "gui");
  }
}

}  // namespace goesvfi::gui
