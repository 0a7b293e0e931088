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
#include "core/memory_policy.hpp"
#include "core/thread_pool.hpp"
#include "pipeline/version.hpp"

namespace goesvfi::cli {

std::vector<CommandInfo>& registered_commands() {
  static std::vector<CommandInfo> commands;
  return commands;
}

bool register_command(CommandInfo info) {
  registered_commands().push_back(std::move(info));
  return true;
}

}  // namespace goesvfi::cli

int main(int argc, char** argv) {
  using namespace goesvfi;
  using namespace goesvfi::cli;
  use_flat_memory_policy();
  CLI::App app{"goesvfi: GOES satellite imagery to smooth timelapse videos, in one process"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags (--threads, --progress, ...) may follow the subcommand
  app.set_version_flag(
      "--version", [] { return version_report(); }, "the version, commit and library versions");
  GlobalOptions globals;
  app.add_option("--config", globals.config_file,
                 "config file (default $XDG_CONFIG_HOME/goesvfi/config.toml)");
  add_flag_group(app, globals, "global");

  std::function<int()> run;
  for (auto& cmd : registered_commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    auto fn = cmd.setup(*sub, globals);
    sub->callback([&run, fn] { run = fn; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    const auto path =
        globals.config_file.empty() ? Config::default_path() : std::filesystem::path(globals.config_file);
    globals.config = Config::load(path, !globals.config_file.empty());
    apply_config_flags(globals);
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
    fmt::print(stderr, "goesvfi: error: {}\n", cli_message(e.describe()));
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    fmt::print(stderr, "goesvfi: internal error: {}\n", e.what());
    return 1;
  }
}
