// What every page of the app shares: the one Config (the CLI's TOML file, reloaded after Settings saves it),
// the job runner, and the remembered folders and window geometry (QSettings).
#pragma once

#include <QObject>
#include <QString>
#include <filesystem>

#include "core/config.hpp"
#include "gui/job_runner.hpp"

namespace goesvfi::gui {

class GuiContext : public QObject {
  Q_OBJECT
 public:
  // Loads `config_file` (Config::default_path() when empty); a file that does not load leaves the defaults
  // and its error in load_error().
  explicit GuiContext(std::filesystem::path config_file = {}, QObject* parent = nullptr);

  const std::filesystem::path& config_path() const { return m_config_path; }
  const Config& config() const { return m_config; }
  const QString& load_error() const { return m_load_error; }
  void reload_config();
  JobRunner& runner() { return m_runner; }

  // The last folder used for `what` ("timelapse.output", ...), or the home folder.
  static QString last_folder(const QString& what);
  static void remember_folder(const QString& what, const QString& folder);

 Q_SIGNALS:
  void config_changed();

 private:
  std::filesystem::path m_config_path;
  Config m_config;
  QString m_load_error;
  JobRunner m_runner;
};

}  // namespace goesvfi::gui
