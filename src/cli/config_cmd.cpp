// `goesvfi config init|show|path`
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace goesvfi::cli {
namespace {

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  app.require_subcommand(1);
  auto* init = app.add_subcommand("init", "write a config file with every key commented out");
  auto force = std::make_shared<bool>(false);
  auto path = std::make_shared<std::string>();
  init->add_flag("--force", *force, "overwrite an existing file");
  init->add_option("--path", *path, "where to write (default: the config path)");
  app.add_subcommand("show", "print the effective values and where each came from");
  app.add_subcommand("path", "print the config file path");
  app.add_subcommand(
      "keys", "list every key: name, type, default, allowed values, flags and the commands showing them");
  return [&app, &globals, force, path, init]() -> int {
    if (init->parsed()) {
      const std::filesystem::path target = !path->empty() ? std::filesystem::path(*path)
                                           : !globals.config_file.empty()
                                               ? std::filesystem::path(globals.config_file)
                                               : Config::default_path();
      if (std::filesystem::exists(target) && !*force) {
        fail(ErrorKind::InvalidArgument, "{} already exists (use --force to overwrite)", target.string());
      }
      std::filesystem::create_directories(target.parent_path().empty() ? "." : target.parent_path());
      write_file_atomic(target, Config::commented_template());
      fmt::print("wrote {}\n", target.string());
      return 0;
    }
    if (app.got_subcommand("keys")) {
      for (const auto& k : config_schema()) {
        fmt::print("{}\t{}\t{}\t{}\t{}\t{}\n", k.name, format_config_value(k.default_value),
                   describe_allowed(k), k.flags.empty() ? "-" : k.flags, k.group.empty() ? "-" : k.group,
                   fmt::join(commands_showing(k.name), ","));
      }
      return 0;
    }
    if (app.got_subcommand("path")) {
      fmt::print("{}\n", globals.config_file.empty() ? Config::default_path().string() : globals.config_file);
      return 0;
    }
    fmt::print("{}", globals.config.show());
    return 0;
  };
}

const bool registered = register_command({"config", "write, show or locate the configuration", setup});

}  // namespace
}  // namespace goesvfi::cli
