// The one configuration of goesvfi: every key of every stage is declared once in config_schema.cpp (name,
// type, default, allowed values, help). Values come in layers — built-in default < encoding profile <
// config file < command line — and each value remembers where it came from (`config show`).
// Every value is validated when it is set; errors name the file, the key, the value and what is allowed —
// never a CLI flag: front ends map keys to their own controls (the CLI through `ConfigKey::flags`).
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
  ConfigType type = ConfigType::String;
  ConfigValue default_value;
  std::string help;
  // Allowed values for strings (empty = any); numeric range for Int/Float.
  std::vector<std::string> choices;
  double min = -1e300, max = 1e300;
  // Extra check returning an error text ("expected ...") or nullopt.
  std::function<std::optional<std::string>(const ConfigValue&)> check;

  // How front ends show the key. `flags`: the CLI flag names, CLI11 style ("-n,--intermediate"); empty = set
  // in the config file only. `group`: the flag group the key belongs to ("encode", "query", "backend", ...);
  // a command adds a whole group with one call and a GUI makes one form section of it.
  std::string flags;
  std::string group;
  // The choices come from a registry above core (interpolation backends, stores, colour tables) that
  // registers them with `register_config_choices(registry, ...)`. With `open_choices` other values are
  // allowed too and the choices are suggestions (fetch.source: a store kind or a folder).
  std::string choices_from;
  bool open_choices = false;
  // Bool keys: the flag takes no value and sets true (`--tta-spatial`); otherwise it takes true/false.
  bool switch_flag = false;
  bool switch_value = true;  // what the switch sets

  // Builders for the rows of config_schema.cpp.
  ConfigKey&& cli(std::string flag_names, std::string flag_group) && {
    flags = std::move(flag_names);
    group = std::move(flag_group);
    return std::move(*this);
  }
  ConfigKey&& switch_() && {
    switch_flag = true;
    return std::move(*this);
  }
  // A switch that turns a default-on Bool off (`--no-noise`).
  ConfigKey&& switch_off() && {
    switch_flag = true;
    switch_value = false;
    return std::move(*this);
  }
  ConfigKey&& checked(std::function<std::optional<std::string>(const ConfigValue&)> fn) && {
    check = std::move(fn);
    return std::move(*this);
  }
  ConfigKey&& registry(std::string name, bool open = false) && {
    choices_from = std::move(name);
    open_choices = open;
    return std::move(*this);
  }

  std::string section() const { return name.substr(0, name.find('.')); }
  // The first long flag ("--intermediate"), or empty.
  std::string long_flag() const;
};

// All keys, in the order `config init` writes them.
const std::vector<ConfigKey>& config_schema();
const ConfigKey* find_config_key(std::string_view name);
// The keys of one flag group, in schema order; the group names in order of first appearance.
std::vector<const ConfigKey*> config_group(std::string_view group);
std::vector<std::string> config_groups();

// Registries above core provide the choices of keys whose row names them (`choices_from`). Call once per
// registry, e.g. from a static initialiser next to the registry's table.
bool register_config_choices(std::string registry, std::function<std::vector<std::string>()> list);
// The allowed values of a key: its own choices or its registry's (empty = any value of its type).
std::vector<std::string> config_choices(const ConfigKey& key);
// What is allowed, in words: "one of a, b, c", "an integer from 0 to 10", "a string".
std::string describe_allowed(const ConfigKey& key);

struct EncodeProfileEntry {
  std::string key;  // e.g. "crf" (meaning encode.crf)
  ConfigValue value;
};

class Config {
 public:
  // Built-in defaults only.
  Config();
  // One shared Config holding the built-in defaults (for option structs whose defaults are the schema's).
  static const Config& defaults();

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
  // True when the value did not come from the built-in default (file, profile, flag, front end).
  bool is_set(std::string_view key) const;

  // "key = value  # source" lines for every key, then the profiles.
  std::string show() const;
  // A config file (TOML) holding every value that is not a built-in default, and the profiles that are not
  // built in; `Config::load` of it gives the same values. For front ends that save settings.
  std::string to_toml() const;
  // to_toml() written atomically to `file`.
  void save(const std::filesystem::path& file) const;

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
