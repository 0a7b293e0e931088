// goesvfi: the command-line front end. Thin by design: every behaviour lives in the library.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/cancel.hpp"
#include "core/cv_pool.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/thread_pool.hpp"
#include "pipeline/version.hpp"

namespace goesvfi::cli {

namespace {
struct PendingFlag {
  std::string flag, key;
  std::shared_ptr<std::string> value;
  std::shared_ptr<bool> is_set;
  bool set_to = true;
};
std::vector<PendingFlag>& pending_flags() {
  static std::vector<PendingFlag> flags;
  return flags;
}
}  // namespace

std::vector<CommandInfo>& registered_commands() {
  static std::vector<CommandInfo> commands;
  return commands;
}

bool register_command(CommandInfo info) {
  registered_commands().push_back(std::move(info));
  return true;
}

void config_flag(CLI::App& app, GlobalOptions&, const std::string& flag, const std::string& key,
                 const std::string& help) {
  auto value = std::make_shared<std::string>();
  const ConfigKey* k = find_config_key(key);
  std::string text = help;
  if (k != nullptr) text += fmt::format(" [config {} = {}]", key, format_config_value(k->default_value));
  app.add_option(flag, *value, text);
  pending_flags().push_back({flag.substr(0, flag.find(',')), key, value, nullptr});
}

void config_bool_flag(CLI::App& app, GlobalOptions&, const std::string& flag, const std::string& key,
                      const std::string& help, bool value) {
  auto is_set = std::make_shared<bool>(false);
  app.add_flag(flag, *is_set, help + fmt::format(" [config {} = {}]", key, value));
  pending_flags().push_back({flag.substr(0, flag.find(',')), key, nullptr, is_set, value});
}

void apply_config_flags(GlobalOptions& globals) {
  for (const auto& f : pending_flags()) {
    if (f.value && !f.value->empty()) globals.config.set_text(f.key, *f.value, f.flag);
    if (f.is_set && *f.is_set) globals.config.set(f.key, f.set_to, f.flag);
  }
}

}  // namespace goesvfi::cli

int main(int argc, char** argv) {
  using namespace goesvfi;
  using namespace goesvfi::cli;
  CLI::App app{"goesvfi: GOES satellite imagery to smooth timelapse videos, in one process"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags (--threads, --progress, ...) may follow the subcommand
  app.set_version_flag(
      "--version", [] { return version_report(); }, "the version, commit and library versions");
  GlobalOptions globals;
  app.add_option("--config", globals.config_file,
                 "config file (default $XDG_CONFIG_HOME/goesvfi/config.toml)");
  app.add_option("--log-level", globals.log_level,
                 "trace, debug, info, warn, error, off [config general.log_level]");
  app.add_option("--progress", globals.progress, "auto, bar, plain, json, none [config general.progress]");
  app.add_option("--threads", globals.threads, "worker threads (0 = all cores) [config general.threads]");

  std::function<int()> run;
  for (auto& cmd : registered_commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    auto fn = cmd.setup(*sub, globals);
    sub->callback([&run, fn] { run = fn; });
  }

  try {
    // Load the config before parsing so that subcommand callbacks see it; flags are applied on top later.
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    const auto path =
        globals.config_file.empty() ? Config::default_path() : std::filesystem::path(globals.config_file);
    globals.config = Config::load(path, !globals.config_file.empty());
    if (!globals.log_level.empty())
      globals.config.set_text("general.log_level", globals.log_level, "--log-level");
    if (!globals.progress.empty())
      globals.config.set_text("general.progress", globals.progress, "--progress");
    if (globals.threads >= 0)
      globals.config.set("general.threads", std::int64_t{globals.threads}, "--threads");
    init_logging(globals.config.get_string("general.log_level"));
    ThreadPool::configure_global(static_cast<int>(globals.config.get_int("general.threads")));
    use_global_pool_for_opencv();  // OpenCV's own parallel loops run on our pool (switch once, before any
                                   // use)
    CancelToken::install_signal_handlers();
    // A file-size limit (ulimit -f) should fail a write with EFBIG, cleaned up like a full disk, not kill us.
    std::signal(SIGXFSZ, SIG_IGN);
    return run ? run() : 0;
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "goesvfi: error: {}\n", e.describe());
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    fmt::print(stderr, "goesvfi: internal error: {}\n", e.what());
    return 1;
  }
}
