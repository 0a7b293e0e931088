// Editing the TOML config file from a program (the desktop app's Settings page): the same file the CLI reads
// (Config::load), changed key by key.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"

namespace goesvfi {

// One change: the key ("encode.crf") and its new value, or nullopt to remove it (back to the default).
using ConfigChange = std::pair<std::string, std::optional<ConfigValue>>;

// Writes `changes` into `file` (created, with its folder, when missing). The file must load as it is, and
// every value is validated as Config::set validates it (InvalidArgument naming the key, the value and what
// is allowed) before anything is written, so a failed update leaves the file as it was. Other keys, sections
// and [profile.*] tables are kept (comments are not); the file is replaced atomically.
void update_config_file(const std::filesystem::path& file, const std::vector<ConfigChange>& changes);

}  // namespace goesvfi
