#include "core/config_file.hpp"

#include <sstream>

#include <toml++/toml.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

void update_config_file(const fs::path& file, const std::vector<ConfigChange>& changes) {
  toml::table root;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    Config::load(file, true);  // the file as it is must be valid: its errors name the file and line
    root = toml::parse_file(file.string());
  }
  Config check;  // validates each value as the CLI does
  for (const auto& [key, value] : changes) {
    const auto dot = key.find('.');
    if (find_config_key(key) == nullptr || dot == std::string::npos) {
      fail(ErrorKind::InvalidArgument, "unknown configuration key '{}'", key);
    }
    const std::string section = key.substr(0, dot), name = key.substr(dot + 1);
    if (!value) {
      if (auto* table = root[section].as_table()) {
        table->erase(name);
        if (table->empty()) root.erase(section);
      }
      continue;
    }
    check.set(key, *value, key);
    if (root[section].as_table() == nullptr) root.insert_or_assign(section, toml::table{});
    toml::table& table = *root[section].as_table();
    std::visit([&](const auto& v) { table.insert_or_assign(name, v); }, *value);
  }
  std::ostringstream text;
  text << root << "\n";
  if (!file.parent_path().empty()) fs::create_directories(file.parent_path());
  write_file_atomic(file, text.str());
}

}  // namespace goesvfi
