#include "core/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/user_dirs.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

namespace {

std::string type_name(ConfigType t) {
  switch (t) {
    case ConfigType::Int:
      return "an integer";
    case ConfigType::Float:
      return "a number";
    case ConfigType::Bool:
      return "true or false";
    case ConfigType::String:
      return "a string";
  }
  return "?";
}

using ChoiceLists = std::map<std::string, std::function<std::vector<std::string>()>, std::less<>>;
ChoiceLists& choice_lists() {
  static ChoiceLists lists;
  return lists;
}
std::mutex& choice_mutex() {
  static std::mutex m;
  return m;
}

// Validates and normalises (ints accepted for floats). Returns an error text or nullopt.
std::optional<std::string> validate(const ConfigKey& k, ConfigValue& v) {
  if (k.type == ConfigType::Float && std::holds_alternative<std::int64_t>(v)) {
    v = static_cast<double>(std::get<std::int64_t>(v));
  }
  const bool type_ok = (k.type == ConfigType::Int && std::holds_alternative<std::int64_t>(v)) ||
                       (k.type == ConfigType::Float && std::holds_alternative<double>(v)) ||
                       (k.type == ConfigType::Bool && std::holds_alternative<bool>(v)) ||
                       (k.type == ConfigType::String && std::holds_alternative<std::string>(v));
  if (!type_ok) return fmt::format("expected {}", describe_allowed(k));
  if (k.type == ConfigType::Int || k.type == ConfigType::Float) {
    const double d =
        k.type == ConfigType::Int ? static_cast<double>(std::get<std::int64_t>(v)) : std::get<double>(v);
    if (!(d >= k.min && d <= k.max)) return fmt::format("expected {}", describe_allowed(k));
  }
  // A key whose default is empty takes empty as "unset" besides its choices (render.product: the band's own).
  const bool unset = k.type == ConfigType::String && std::get<std::string>(v).empty() &&
                     std::get<std::string>(k.default_value).empty();
  if (k.type == ConfigType::String && !k.open_choices && !unset) {
    const auto choices = config_choices(k);
    const auto& s = std::get<std::string>(v);
    if (!choices.empty() && std::find(choices.begin(), choices.end(), s) == choices.end())
      return fmt::format("expected {}", describe_allowed(k));
  }
  if (k.check) return k.check(v);
  return std::nullopt;
}

std::optional<ConfigValue> parse_text(const ConfigKey& k, std::string_view text) {
  const std::string s(text);
  switch (k.type) {
    case ConfigType::Int: {
      char* end = nullptr;
      const long long v = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0') return std::nullopt;
      return static_cast<std::int64_t>(v);
    }
    case ConfigType::Float: {
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') return std::nullopt;
      return v;
    }
    case ConfigType::Bool:
      if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
      if (s == "false" || s == "0" || s == "no" || s == "off") return false;
      return std::nullopt;
    case ConfigType::String:
      return s;
  }
  return std::nullopt;
}

std::optional<ConfigValue> from_toml(const toml::node& node) {
  if (auto v = node.as_integer()) return static_cast<std::int64_t>(v->get());
  if (auto v = node.as_floating_point()) return v->get();
  if (auto v = node.as_boolean()) return v->get();
  if (auto v = node.as_string()) return v->get();
  return std::nullopt;
}

// Built-in encoding profiles. `default`: x264 CRF 18 slow (visually lossless for satellite loops, plays
// everywhere); `optimal`: x265 10-bit CRF 20 (half the size, slower); `lossless`: FFV1 (archival, use .mkv).
std::map<std::string, std::vector<EncodeProfileEntry>, std::less<>> builtin_profiles() {
  return {
      {"default",
       {{"codec", std::string("libx264")},
        {"crf", std::int64_t{18}},
        {"preset", std::string("slow")},
        {"pix_fmt", std::string("yuv420p")}}},
      {"optimal",
       {{"codec", std::string("libx265")},
        {"crf", std::int64_t{20}},
        {"preset", std::string("slow")},
        {"pix_fmt", std::string("yuv420p10le")}}},
      {"lossless",
       {{"codec", std::string("ffv1")},
        {"crf", std::int64_t{-1}},
        {"preset", std::string("")},
        {"pix_fmt", std::string("yuv444p")}}},
  };
}

}  // namespace

bool register_config_choices(std::string registry, std::function<std::vector<std::string>()> list) {
  std::lock_guard lock(choice_mutex());
  choice_lists()[std::move(registry)] = std::move(list);
  return true;
}

std::vector<std::string> config_choices(const ConfigKey& key) {
  if (key.choices_from.empty()) return key.choices;
  std::function<std::vector<std::string>()> list;
  {
    std::lock_guard lock(choice_mutex());
    auto it = choice_lists().find(key.choices_from);
    if (it == choice_lists().end()) return key.choices;  // the registry is not linked into this program
    list = it->second;
  }
  return list();
}

std::string describe_allowed(const ConfigKey& k) {
  const auto choices = config_choices(k);
  if (!choices.empty()) {
    return fmt::format("{}{}", k.open_choices ? "e.g. " : "one of ", fmt::join(choices, ", "));
  }
  if (k.type == ConfigType::Int || k.type == ConfigType::Float) {
    if (k.min > -1e299 && k.max < 1e299)
      return fmt::format("{} from {} to {}", type_name(k.type), k.min, k.max);
  }
  return type_name(k.type);
}

std::string format_config_value(const ConfigValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          std::ostringstream os;
          os << toml::value<std::string>(v);
          return os.str();
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          std::string s = fmt::format("{}", v);
          if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
          return s;
        } else {
          return fmt::format("{}", v);
        }
      },
      value);
}

Config::Config() : m_profiles(builtin_profiles()) {
  for (const auto& k : config_schema()) m_values[k.name] = Entry{k.default_value, "default"};
}

const Config& Config::defaults() {
  static const Config config;
  return config;
}

fs::path Config::default_path() {
  if (const char* p = std::getenv("GOESVFI_CONFIG"); p != nullptr && *p) return p;
  return user_dir(UserDir::Config) / "config.toml";
}

Config Config::load(const fs::path& file, bool must_exist) {
  Config cfg;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (must_exist) fail(ErrorKind::NotFound, "config file {} does not exist", file.string());
    return cfg;
  }
  cfg.m_file = file;
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    fail(ErrorKind::InvalidArgument, "{}:{}:{}: {}", file.string(), e.source().begin.line,
         e.source().begin.column, e.description());
  }
  const std::string source = "file " + file.string();
  for (const auto& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    const auto* table = section_node.as_table();
    if (table == nullptr) {
      fail(ErrorKind::InvalidArgument, "{}: '{}' must be a table like [{}]", file.string(), section, section);
    }
    if (section == "profile") {
      for (const auto& [name_key, profile_node] : *table) {
        const auto* ptable = profile_node.as_table();
        if (ptable == nullptr) {
          fail(ErrorKind::InvalidArgument, "{}: profile.{} must be a table", file.string(), name_key.str());
        }
        std::vector<EncodeProfileEntry> entries;
        for (const auto& [k, v] : *ptable) {
          const std::string full = "encode." + std::string(k.str());
          const ConfigKey* key = find_config_key(full);
          if (key == nullptr || full == "encode.profile") {
            std::vector<std::string> names;
            for (const auto& e : config_schema()) {
              if (e.section() == "encode" && e.name != "encode.profile") names.push_back(e.name.substr(7));
            }
            fail(ErrorKind::InvalidArgument,
                 "{}: profile.{}: unknown key '{}' (profiles hold encode keys: {})", file.string(),
                 name_key.str(), k.str(), fmt::join(names, ", "));
          }
          auto value = from_toml(v);
          std::optional<std::string> problem =
              value ? validate(*key, *value) : std::optional<std::string>("unsupported TOML type");
          if (problem) {
            fail(ErrorKind::InvalidArgument, "{}: profile.{}.{} = {}: {}", file.string(), name_key.str(),
                 k.str(), value ? format_config_value(*value) : "?", *problem);
          }
          entries.push_back({std::string(k.str()), *value});
        }
        cfg.m_profiles[std::string(name_key.str())] = std::move(entries);
      }
      continue;
    }
    for (const auto& [k, v] : *table) {
      const std::string full = section + "." + std::string(k.str());
      const ConfigKey* key = find_config_key(full);
      if (key == nullptr) {
        fail(ErrorKind::InvalidArgument, "{}: unknown key '{}' (see `goesvfi config init` for every key)",
             file.string(), full);
      }
      auto value = from_toml(v);
      if (!value)
        fail(ErrorKind::InvalidArgument, "{}: {}: expected {}", file.string(), full, describe_allowed(*key));
      if (auto problem = validate(*key, *value)) {
        fail(ErrorKind::InvalidArgument, "{}: {} = {}: {}", file.string(), full, format_config_value(*value),
             *problem);
      }
      cfg.m_values[full] = Entry{*value, source};
    }
  }
  return cfg;
}

void Config::set(std::string_view key, ConfigValue value, std::string source) {
  const ConfigKey* k = find_config_key(key);
  if (k == nullptr) fail(ErrorKind::InvalidArgument, "unknown configuration key '{}'", key);
  if (auto problem = validate(*k, value)) {
    fail(ErrorKind::InvalidArgument, "{} = {}: {}", key, format_config_value(value), *problem);
  }
  m_values[std::string(key)] = Entry{std::move(value), std::move(source)};
}

void Config::set_text(std::string_view key, std::string_view text, std::string source) {
  const ConfigKey* k = find_config_key(key);
  if (k == nullptr) fail(ErrorKind::InvalidArgument, "unknown configuration key '{}'", key);
  auto value = parse_text(*k, text);
  if (!value) fail(ErrorKind::InvalidArgument, "{} '{}': expected {}", key, text, describe_allowed(*k));
  if (auto problem = validate(*k, *value))
    fail(ErrorKind::InvalidArgument, "{} '{}': {}", key, text, *problem);
  m_values[std::string(key)] = Entry{std::move(*value), std::move(source)};
}

void Config::apply_profile(std::string_view name) {
  auto it = m_profiles.find(name);
  if (it == m_profiles.end()) {
    fail(ErrorKind::InvalidArgument, "unknown encoding profile '{}' (known: {})", name,
         fmt::join(profile_names(), ", "));
  }
  // A profile fills in defaults only: keys set in the config file or on the command line stay as they are.
  for (const auto& e : it->second) {
    auto& slot = m_values["encode." + e.key];
    if (slot.source == "default" || slot.source.starts_with("profile "))
      slot = Entry{e.value, "profile " + std::string(name)};
  }
  m_values["encode.profile"].value = std::string(name);
}

std::vector<std::string> Config::profile_names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : m_profiles) names.push_back(name);
  return names;
}

const Config::Entry& Config::entry(std::string_view key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) fail(ErrorKind::Internal, "configuration key '{}' is not declared", key);
  return it->second;
}

const ConfigValue& Config::get(std::string_view key) const {
  return entry(key).value;
}
std::int64_t Config::get_int(std::string_view key) const {
  return std::get<std::int64_t>(entry(key).value);
}
double Config::get_float(std::string_view key) const {
  return std::get<double>(entry(key).value);
}
bool Config::get_bool(std::string_view key) const {
  return std::get<bool>(entry(key).value);
}
const std::string& Config::get_string(std::string_view key) const {
  return std::get<std::string>(entry(key).value);
}
const std::string& Config::source(std::string_view key) const {
  return entry(key).source;
}
bool Config::is_set(std::string_view key) const {
  return entry(key).source != "default";
}

std::string Config::show() const {
  std::string out;
  std::string section;
  for (const auto& k : config_schema()) {
    const auto dot = k.name.find('.');
    const std::string sec = k.name.substr(0, dot);
    if (sec != section) {
      out += fmt::format("{}[{}]\n", section.empty() ? "" : "\n", sec);
      section = sec;
    }
    const auto& e = entry(k.name);
    out += fmt::format("{} = {}  # {}\n", k.name.substr(dot + 1), format_config_value(e.value), e.source);
  }
  for (const auto& [name, entries] : m_profiles) {
    out += fmt::format("\n[profile.{}]\n", name);
    for (const auto& e : entries) out += fmt::format("{} = {}\n", e.key, format_config_value(e.value));
  }
  return out;
}

std::string Config::to_toml() const {
  std::string out;
  std::string section;
  for (const auto& k : config_schema()) {
    const auto& e = entry(k.name);
    if (e.source == "default" || e.source.starts_with("profile ")) continue;
    if (k.section() != section) {
      section = k.section();
      out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", section);
    }
    out += fmt::format("{} = {}\n", k.name.substr(section.size() + 1), format_config_value(e.value));
  }
  const auto builtin = builtin_profiles();
  for (const auto& [name, entries] : m_profiles) {
    if (builtin.contains(name)) continue;
    out += fmt::format("{}[profile.{}]\n", out.empty() ? "" : "\n", name);
    for (const auto& e : entries) out += fmt::format("{} = {}\n", e.key, format_config_value(e.value));
  }
  return out;
}

void Config::save(const fs::path& file) const {
  write_file_atomic(file, to_toml());
}

std::string Config::commented_template() {
  std::string out =
      "# goesvfi configuration. Every key is shown with its default, commented out; uncomment to change.\n"
      "# Command-line flags override this file. `goesvfi config show` prints the effective values.\n";
  std::string section;
  for (const auto& k : config_schema()) {
    const auto dot = k.name.find('.');
    const std::string sec = k.name.substr(0, dot);
    if (sec != section) {
      out += fmt::format("\n[{}]\n", sec);
      section = sec;
    }
    out += fmt::format("# {} ({})\n# {} = {}\n", k.help, describe_allowed(k), k.name.substr(dot + 1),
                       format_config_value(k.default_value));
  }
  out +=
      "\n# Encoding profiles: [profile.NAME] tables of encode keys, chosen with --profile NAME or "
      "encode.profile.\n"
      "# Built in: default (libx264 crf 18), optimal (libx265 10-bit crf 20), lossless (ffv1).\n"
      "# [profile.web]\n# codec = \"libx264\"\n# crf = 23\n# preset = \"medium\"\n# pix_fmt = \"yuv420p\"\n";
  return out;
}

}  // namespace goesvfi
