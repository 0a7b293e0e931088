// Subcommand registration for the thin CLI. Each src/cli/<name>.cpp adds its flag groups, makes one library
// call, and registers itself with one line:
//   const bool registered = register_command({"render", "render ABI NetCDF files to images", setup});
// Flags of settings are never written here: every setting is a row of src/core/config_schema.cpp naming its
// flag and group, and `add_flag_group(app, globals, "encode")` adds the whole group. main.cpp builds the
// CLI11 app from the rows, parses, applies the flags over the config file, runs the chosen command, and turns
// an escaping goesvfi::Error into one message (setting names mapped to their flags) and an exit code.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/config.hpp"

namespace goesvfi::cli {

// State shared by all subcommands: the config file flag and the loaded config (file + flags).
struct GlobalOptions {
  std::string config_file;
  Config config;
};

// Returns the function to run once parsing succeeded; it returns the exit code. When it runs,
// `globals.config` holds the config file, the command-line flags and the encoding profile.
using CommandSetup = std::function<std::function<int()>(CLI::App& sub, GlobalOptions& globals)>;

struct CommandInfo {
  std::string name;
  std::string description;
  CommandSetup setup;
};

bool register_command(CommandInfo info);
std::vector<CommandInfo>& registered_commands();

// The flags of every key in the schema group `group` ("encode", "query", "backend", ...), each setting its
// key with the flag as its source. Help text, default and allowed values come from the row.
void add_flag_group(CLI::App& app, GlobalOptions& globals, std::string_view group);
// Applies the pending flags of the parsed command over the loaded config, then the encoding profile (which
// fills in only what neither the file nor a flag set). Called once by main before the command runs.
void apply_config_flags(GlobalOptions& globals);

// The commands (full names, "sort files") that show a key's flag, from the add_flag_group calls made so far.
std::vector<std::string> commands_showing(std::string_view key);
// An error message for the terminal: each setting it names gets its flag added ("encode.crf (--crf)").
std::string cli_message(std::string_view message);

}  // namespace goesvfi::cli
