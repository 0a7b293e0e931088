// The one configuration of goesvfi: every key of every stage is declared once in config_schema.cpp (name,
// type, default, allowed values, help). Values come in layers — built-in default < encoding profile <
// config file < command line — and each value remembers where it came from (`config show`).
// Every value is validated when it is set; errors name the file, the key, the value and what is allowed.
//
// Encoding profiles are TOML tables `[profile.NAME]` holding `encode.*` keys without the prefix
// (codec, crf, preset, ...). `default`, `optimal` and `lossless` are built in; users add their own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace goesvfi {

using ConfigValue = std::variant<std::int64_t, double, bool, std::string>;
enum class ConfigType { Int, Float, Bool, String };

struct ConfigKey {
  std::string name;  // "section.key"
  ConfigType type;
  ConfigValue default_value;
  std::string help;
  // Allowed values for strings (empty = any); numeric range for Int/Float.
  std::vector<std::string> choices;
  double min = -1e300, max = 1e300;
  // Extra check returning an error text ("expected ...") or nullopt.
  std::function<std::optional<std::string>(const ConfigValue&)> check;
};

// All keys, in the order `config init` writes them.
const std::vector<ConfigKey>& config_schema();
const ConfigKey* find_config_key(std::string_view name);

struct EncodeProfileEntry {
  std::string key;  // e.g. "crf" (meaning encode.crf)
  ConfigValue value;
};

class Config {
 public:
  // Built-in defaults only.
  Config();

  // $GOESVFI_CONFIG, else $XDG_CONFIG_HOME/goesvfi/config.toml, else ~/.config/goesvfi/config.toml.
  static std::filesystem::path default_path();
  // Defaults overlaid with `file` (a missing file is fine when `must_exist` is false).
  static Config load(const std::filesystem::path& file, bool must_exist = false);
  // The TOML text `config init` writes: every key commented out with its help, default and allowed values.
  static std::string commented_template();

  // Sets a key from text (as typed on the command line), validated; source e.g. "--crf".
  void set_text(std::string_view key, std::string_view text, std::string source);
  void set(std::string_view key, ConfigValue value, std::string source);
  // Applies the encoding profile `name` (built-in or from the file) over the encode.* keys.
  void apply_profile(std::string_view name);
  std::vector<std::string> profile_names() const;

  std::int64_t get_int(std::string_view key) const;
  double get_float(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  const std::string& get_string(std::string_view key) const;
  const ConfigValue& get(std::string_view key) const;
  const std::string& source(
      std::string_view key) const;  // "default", "file <path>", "profile NAME", "--flag"

  // "key = value  # source" lines for every key, then the profiles.
  std::string show() const;

 private:
  struct Entry {
    ConfigValue value;
    std::string source;
  };
  const Entry& entry(std::string_view key) const;
  std::map<std::string, Entry, std::less<>> m_values;
  std::map<std::string, std::vector<EncodeProfileEntry>, std::less<>> m_profiles;
  std::filesystem::path m_file;
};

std::string format_config_value(const ConfigValue& value);

}  // namespace goesvfi
