// goesvfi-gui: the desktop app. `goesvfi-gui [--config FILE]`; the same TOML file as the CLI.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include "core/config.hpp"
#include "core/log.hpp"
#include "core/memory_policy.hpp"
#include "core/thread_pool.hpp"
#include "gui/context.hpp"
#include "gui/main_window.hpp"
#include "pipeline/version.hpp"

int main(int argc, char** argv) {
  goesvfi::use_flat_memory_policy();
  QApplication app(argc, argv);
  QApplication::setApplicationName("goesvfi-gui");
  QApplication::setOrganizationName("goesvfi");
  QApplication::setApplicationVersion(QString::fromStdString(goesvfi::program_version()));
  QApplication::setWindowIcon(QIcon::fromTheme("goesvfi"));
  QApplication::setDesktopFileName("goesvfi-gui");
  QCommandLineParser parser;
  parser.setApplicationDescription("GOES satellite imagery to smooth timelapse videos");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption config_option({"c", "config"}, "configuration file (default: the CLI's)", "file");
  QCommandLineOption page_option("page", "page to open first (0-6)", "index");
  QCommandLineOption demo_option("demo", "fill the pages for the data of `goesvfi demo --dir DIR`", "DIR");
  QCommandLineOption press_option("press", "click a button of the first page once shown (plan, check, ...)",
                                  "name");
  parser.addOption(demo_option);
  parser.addOption(press_option);
  parser.addOption(config_option);
  parser.addOption(page_option);
  parser.process(app);

  goesvfi::gui::GuiContext context(parser.value(config_option).toStdString());
  goesvfi::init_logging(context.config().get_string("general.log_level"));
  goesvfi::ThreadPool::configure_global(static_cast<int>(context.config().get_int("general.threads")));
  goesvfi::gui::MainWindow window(context);
  if (parser.isSet(page_option)) window.show_page(parser.value(page_option).toInt());
  if (parser.isSet(demo_option)) window.open_demo(parser.value(demo_option));
  window.show();
  if (parser.isSet(press_option)) {
    QTimer::singleShot(0, &window, [&window, name = parser.value(press_option)] { window.press(name); });
  }
  if (!context.load_error().isEmpty()) {
    QMessageBox::warning(
        &window, "goesvfi-gui",
        "The configuration file could not be loaded; using the defaults.\n\n" + context.load_error());
  }
  return QApplication::exec();
}
