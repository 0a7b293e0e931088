#include "gui/settings_page.hpp"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <map>

#include "core/config_file.hpp"
#include "core/error.hpp"
#include "gui/widgets.hpp"

namespace goesvfi::gui {

SettingsPage::SettingsPage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  auto* inner = new QWidget;
  auto* columns = new QHBoxLayout(inner);
  std::vector<QVBoxLayout*> cols{new QVBoxLayout, new QVBoxLayout};
  for (auto* c : cols) columns->addLayout(c, 1);
  // Sections in declaration order, each a group of its keys.
  std::vector<std::pair<std::string, std::vector<std::string>>> sections;
  for (const ConfigKey& key : config_schema()) {
    const std::string section = key.name.substr(0, key.name.find('.'));
    if (sections.empty() || sections.back().first != section) sections.push_back({section, {}});
    sections.back().second.push_back(key.name);
  }
  std::size_t placed = 0, total = config_schema().size();
  for (const auto& [section, keys] : sections) {
    auto* box = new QGroupBox(QString::fromStdString(section));
    auto* form = new QFormLayout(box);
    auto rows = add_config_rows(form, keys, context.config(), this);
    fields.insert(fields.end(), rows.begin(), rows.end());
    (placed < total / 2 ? cols[0] : cols[1])->addWidget(box);
    placed += keys.size();
  }
  for (auto* c : cols) c->addStretch();

  auto* scroll = new QScrollArea;
  scroll->setWidget(inner);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  status = new QLabel;
  status->setObjectName("status");
  status->setWordWrap(true);
  status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  save_button = new QPushButton(tr("Sa&ve"));
  revert_button = new QPushButton(tr("Re&vert"));
  auto* bar = new QHBoxLayout;
  bar->addWidget(status, 1);
  bar->addWidget(revert_button);
  bar->addWidget(save_button);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll, 1);
  layout->addLayout(bar);

  auto show_file = [this] {
    status->setText(m_context.load_error().isEmpty()
                        ? tr("File: %1").arg(QString::fromStdString(m_context.config_path().string()))
                        : m_context.load_error());
  };
  show_file();
  connect(save_button, &QPushButton::clicked, this, &SettingsPage::save);
  connect(revert_button, &QPushButton::clicked, this, [this] { m_context.reload_config(); });
  connect(&context, &GuiContext::config_changed, this, [this, show_file] {
    load_fields(fields, m_context.config());
    show_file();
  });
}

ConfigField* SettingsPage::field(const std::string& key) const {
  for (ConfigField* f : fields)
    if (f->key().name == key) return f;
  return nullptr;
}

bool SettingsPage::save() {
  const Config& loaded = m_context.config();
  std::vector<ConfigChange> changes;
  bool valid = true;
  for (ConfigField* f : fields) {
    const auto value = f->value();
    if (!value) {
      valid = false;
      continue;
    }
    if (*value == loaded.get(f->key().name)) continue;
    // Back to the default: remove the key from the file rather than pinning the default there.
    changes.push_back(
        {f->key().name, *value == f->key().default_value && loaded.source(f->key().name) != "default"
                            ? std::optional<ConfigValue>()
                            : std::optional<ConfigValue>(*value)});
  }
  if (!valid) {
    status->setText(tr("Not saved: fix the fields marked in red."));
    return false;
  }
  if (changes.empty()) {
    status->setText(tr("Nothing changed."));
    return true;
  }
  try {
    update_config_file(m_context.config_path(), changes);
  } catch (const Error& e) {
    status->setText(QString::fromStdString(e.describe()));
    return false;
  }
  m_context.reload_config();
  status->setText(tr("Saved %1 change(s) to %2")
                      .arg(changes.size())
                      .arg(QString::fromStdString(m_context.config_path().string())));
  return true;
}

}  // namespace goesvfi::gui
