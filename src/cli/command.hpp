// Subcommand registration for the thin CLI. Each src/cli/<name>.cpp maps flags to an options struct, makes
// one library call, and registers itself with one line:
//   static const bool registered = register_command({"render", "Render ABI NetCDF files to images",
//   setup_render});
// main.cpp builds the CLI11 app from these rows, parses, runs the chosen command, and turns an escaping
// goesvfi::Error into one message and an exit code.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "colour/product.hpp"
#include "core/config.hpp"

namespace goesvfi::cli {

// State shared by all subcommands: the loaded config (file + global flags) and global flags.
struct GlobalOptions {
  std::string config_file;
  std::string log_level;
  std::string progress;
  int threads = -1;
  Config config;
};

// Returns the function to run once parsing succeeded; it returns the exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& sub, GlobalOptions& globals)>;

struct CommandInfo {
  std::string name;
  std::string description;
  CommandSetup setup;
};

bool register_command(CommandInfo info);
std::vector<CommandInfo>& registered_commands();

// Helpers for flags that set config keys: the flag's value goes to `key` with the flag name as its source.
// Applied after the config file is loaded, in the order given.
void config_flag(CLI::App& app, GlobalOptions& globals, const std::string& flag, const std::string& key,
                 const std::string& help);
// A switch: sets the boolean `key` to `value` (true for --x, false for a --no-x that turns a default off).
void config_bool_flag(CLI::App& app, GlobalOptions& globals, const std::string& flag, const std::string& key,
                      const std::string& help, bool value = true);
// --backend and every backend option (flow.*, minterpolate.*, rife.*), for commands that interpolate
// (`backend_flag` false: the options only, for a command with a --backend of its own).
void add_backend_flags(CLI::App& app, GlobalOptions& globals, bool backend_flag = true);
// The false-colour settings (colour.*), for commands that colour IR frames (render, interpolate, timelapse).
void add_colour_flags(CLI::App& app, GlobalOptions& globals);
// The product chosen with --show / render.product (nullptr: the band's default); InvalidArgument if unknown.
const Product* shown_product(const Config& config);
// --false-colour, or --show false-colour.
bool shows_false_colour(const Config& config, bool false_colour_flag);
// Applies the pending config flags of the command (call first in the run function).
void apply_config_flags(GlobalOptions& globals);

}  // namespace goesvfi::cli
