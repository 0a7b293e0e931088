#include "gui/context.hpp"

#include <QDir>
#include <QSettings>

#include "core/error.hpp"

namespace goesvfi::gui {

GuiContext::GuiContext(std::filesystem::path config_file, QObject* parent)
    : QObject(parent), m_config_path(config_file.empty() ? Config::default_path() : std::move(config_file)) {
  reload_config();
}

void GuiContext::reload_config() {
  try {
    m_config = Config::load(m_config_path);
    m_load_error.clear();
  } catch (const Error& e) {
    m_config = Config();
    m_load_error = QString::fromStdString(e.describe());
  }
  Q_EMIT config_changed();
}

QString GuiContext::last_folder(const QString& what) {
  return QSettings().value("folders/" + what, QDir::homePath()).toString();
}

void GuiContext::remember_folder(const QString& what, const QString& folder) {
  if (!folder.isEmpty()) QSettings().setValue("folders/" + what, folder);
}

}  // namespace goesvfi::gui
