// The CLI's flags, generated from the rows of config_schema.cpp.
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "cli/command.hpp"

namespace goesvfi::cli {

namespace {

struct PendingFlag {
  const ConfigKey* key;
  std::string flag;  // the name the user sees as the value's source
  std::shared_ptr<std::string> value;
  std::shared_ptr<bool> is_set;
};
std::vector<PendingFlag>& pending_flags() {
  static std::vector<PendingFlag> flags;
  return flags;
}
std::map<std::string, std::vector<std::string>, std::less<>>& shown_by() {
  static std::map<std::string, std::vector<std::string>, std::less<>> m;
  return m;
}

std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* p = app.get_parent(); p != nullptr && p->get_parent() != nullptr; p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

std::string flag_help(const ConfigKey& k) {
  if (k.type == ConfigType::Bool && k.switch_flag) return fmt::format("{} [config {}]", k.help, k.name);
  const bool free_text = k.type == ConfigType::String && config_choices(k).empty();
  return fmt::format("{}{} [config {} = {}]", k.help, free_text ? "" : "; " + describe_allowed(k), k.name,
                     format_config_value(k.default_value));
}

const char* type_label(ConfigType t) {
  switch (t) {
    case ConfigType::Int:
      return "INT";
    case ConfigType::Float:
      return "NUMBER";
    case ConfigType::Bool:
      return "BOOL";
    case ConfigType::String:
      break;
  }
  return "TEXT";
}

bool is_key_char(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') return true;
  // A dot continues a key only when a name follows ("encode.crf"), not at the end of a sentence.
  return c == '.' && i + 1 < text.size() && std::isalnum(static_cast<unsigned char>(text[i + 1]));
}

}  // namespace

void add_flag_group(CLI::App& app, GlobalOptions&, std::string_view group) {
  const auto keys = config_group(group);
  if (keys.empty()) throw std::logic_error(fmt::format("no config keys in flag group '{}'", group));
  for (const ConfigKey* k : keys) {
    if (k->flags.empty()) continue;
    PendingFlag p{k, k->long_flag(), nullptr, nullptr};
    if (k->type == ConfigType::Bool && k->switch_flag) {
      p.is_set = std::make_shared<bool>(false);
      app.add_flag(k->flags, *p.is_set, flag_help(*k));
    } else {
      p.value = std::make_shared<std::string>();
      app.add_option(k->flags, *p.value, flag_help(*k))->type_name(type_label(k->type));
    }
    pending_flags().push_back(std::move(p));
    shown_by()[k->name].push_back(command_path(app));
  }
}

void apply_config_flags(GlobalOptions& globals) {
  for (const auto& f : pending_flags()) {
    if (f.value && !f.value->empty()) globals.config.set_text(f.key->name, *f.value, f.flag);
    if (f.is_set && *f.is_set) globals.config.set(f.key->name, f.key->switch_value, f.flag);
  }
  globals.config.apply_profile(globals.config.get_string("encode.profile"));
}

std::vector<std::string> commands_showing(std::string_view key) {
  auto it = shown_by().find(key);
  return it == shown_by().end() ? std::vector<std::string>{} : it->second;
}

std::string cli_message(std::string_view message) {
  std::string out(message);
  for (const auto& k : config_schema()) {
    const std::string flag = k.long_flag();
    if (flag.empty()) continue;
    for (std::size_t pos = out.find(k.name); pos != std::string::npos; pos = out.find(k.name, pos)) {
      const std::size_t end = pos + k.name.size();
      const bool whole =
          (pos == 0 || !is_key_char(out, pos - 1)) && (end == out.size() || !is_key_char(out, end));
      if (!whole || out.compare(end, flag.size() + 2, " (" + flag) == 0) {
        pos = end;
        continue;
      }
      const std::string note = fmt::format(" ({})", flag);
      out.insert(end, note);
      pos = end + note.size();
    }
  }
  return out;
}

}  // namespace goesvfi::cli
