// `goesvfi man DIR` and `goesvfi completion bash|zsh`: man pages and shell completions generated from the
// CLI11 declarations that `--help` prints, walked at run time, so the three can never disagree. The build
// runs them to make the files the package installs.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "pipeline/version.hpp"

namespace goesvfi::cli {
namespace {

// The commands a user sees: named, not hidden (an empty group hides a subcommand from --help).
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : const_cast<CLI::App&>(app).get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty() && !sub->get_group().empty()) out.push_back(sub);
  }
  return out;
}

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
}

bool takes_value(const CLI::Option& o) {
  return o.get_items_expected_max() > 0 || o.get_positional();
}

// "-o, --output" (the names as --help shows them, short first).
std::vector<std::string> option_names(const CLI::Option& o) {
  std::vector<std::string> names;
  for (const auto& s : o.get_snames()) names.push_back("-" + s);
  for (const auto& l : o.get_lnames()) names.push_back("--" + l);
  return names;
}

// Text for roff: backslashes escaped, hyphens as minus signs (so man pages can be searched and pasted), and a
// line never starting with a control character.
std::string roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void roff_options(std::string& page, const CLI::App& app) {
  for (const CLI::Option* o : visible_options(app)) {
    if (o->get_positional()) continue;
    std::string names;
    for (const auto& n : option_names(*o))
      names += (names.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", roff(n));
    if (takes_value(*o)) {
      std::string type = o->get_type_name();
      names += fmt::format(" \\fI{}\\fR", roff(type.empty() ? "VALUE" : type));
    }
    page += ".TP\n" + names + "\n" + roff(o->get_description()) + "\n";
  }
}

std::string synopsis(const CLI::App& app, const std::string& path) {
  std::string text = fmt::format(".B {}\n", roff(path));
  if (!visible_subcommands(app).empty()) text += "\\fICOMMAND\\fR ";
  text += "[\\fIOPTIONS\\fR]";
  for (const CLI::Option* o : visible_options(app)) {
    if (o->get_positional()) text += fmt::format(" \\fI{}\\fR", roff(o->get_name(true)));
  }
  return text + "\n";
}

std::string man_page(const CLI::App& root, const CLI::App& app, const std::string& path) {
  std::string title = path;
  std::replace(title.begin(), title.end(), ' ', '-');
  std::string upper = title;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string page =
      fmt::format(".TH {} 1 \"\" \"goesvfi {}\" \"goesvfi manual\"\n", upper, program_version());
  page += fmt::format(".SH NAME\n{} \\- {}\n", roff(title), roff(app.get_description()));
  page += ".SH SYNOPSIS\n" + synopsis(app, path);
  const bool is_root = &app == &root;
  const auto subs = visible_subcommands(app);
  if (!subs.empty()) {
    page += ".SH COMMANDS\n";
    for (const CLI::App* sub : subs) {
      page += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(sub->get_name()), roff(sub->get_description()));
    }
  }
  page += ".SH OPTIONS\n";
  roff_options(page, app);
  // Nested commands (`models list`) are documented on their parent's page.
  for (const CLI::App* sub : subs) {
    if (is_root) break;
    page += fmt::format(".SS {} {}\n", roff(path), roff(sub->get_name()));
    page += roff(sub->get_description()) + "\n";
    roff_options(page, *sub);
  }
  if (!is_root) {
    page += ".SH GLOBAL OPTIONS\n";
    roff_options(page, root);
  }
  page += ".SH SEE ALSO\n";
  if (is_root) {
    std::string refs;
    for (const CLI::App* sub : subs)
      refs += (refs.empty() ? "" : ",\n") + fmt::format(".BR goesvfi\\-{} (1)", roff(sub->get_name()));
    page += refs + "\n";
  } else {
    page += ".BR goesvfi (1)\n";
  }
  return page;
}

void write_man_pages(const CLI::App& root, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail(ErrorKind::Io, "cannot create the folder {}: {}", dir.string(), ec.message());
  write_file_atomic(dir / "goesvfi.1", man_page(root, root, "goesvfi"));
  for (const CLI::App* sub : visible_subcommands(root)) {
    write_file_atomic(dir / fmt::format("goesvfi-{}.1", sub->get_name()),
                      man_page(root, *sub, "goesvfi " + sub->get_name()));
  }
}

// Every option name of a command, its nested commands' and the global ones: what completion offers.
std::string words_of(const CLI::App& root, const CLI::App& app) {
  std::vector<std::string> words;
  auto add = [&](const CLI::App& a) {
    for (const CLI::Option* o : visible_options(a)) {
      for (const auto& n : option_names(*o)) words.push_back(n);
    }
  };
  add(app);
  if (&app != &root) add(root);
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string bash_completion(const CLI::App& root) {
  std::string cases, names;
  for (const CLI::App* sub : visible_subcommands(root)) {
    names += (names.empty() ? "" : " ") + sub->get_name();
    std::string nested;
    for (const CLI::App* n : visible_subcommands(*sub)) nested += (nested.empty() ? "" : " ") + n->get_name();
    cases +=
        fmt::format("    {}) sub=\"{}\"; opts=\"{}\" ;;\n", sub->get_name(), nested, words_of(root, *sub));
  }
  return fmt::format(
      "# bash completion for goesvfi (generated by `goesvfi completion bash`)\n"
      "_goesvfi() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} cmd=\"\" sub=\"\" opts=\"{}\" i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${{COMP_WORDS[i]}} in -*) ;; *) cmd=${{COMP_WORDS[i]}}; break ;; esac\n"
      "  done\n"
      "  case $cmd in\n"
      "{}"
      "    \"\") COMPREPLY=($(compgen -W \"{} $opts\" -- \"$cur\")); return ;;\n"
      "  esac\n"
      "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"));\n"
      "  else COMPREPLY=($(compgen -W \"$sub\" -- \"$cur\") $(compgen -f -- \"$cur\")); fi\n"
      "}}\n"
      "complete -o filenames -F _goesvfi goesvfi\n",
      words_of(root, root), cases, names);
}

// zsh `_arguments` specs: '(-o --output)'{-o,--output}'[help]:value:_files'.
std::string zsh_quote(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '[' || c == ']' || c == ':') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string zsh_specs(const CLI::App& app) {
  std::string out;
  for (const CLI::Option* o : visible_options(app)) {
    if (o->get_positional()) continue;
    const auto names = option_names(*o);
    std::string help = o->get_description();
    help = help.substr(0, help.find('\n'));
    const std::string value = takes_value(*o) ? ":value:_files" : "";
    for (const auto& n : names) out += fmt::format("    '{}[{}]{}'\n", n, zsh_quote(help), value);
  }
  return out;
}

std::string zsh_completion(const CLI::App& root) {
  std::string commands, cases;
  for (const CLI::App* sub : visible_subcommands(root)) {
    commands += fmt::format("    '{}:{}'\n", sub->get_name(), zsh_quote(sub->get_description()));
    std::string nested;
    for (const CLI::App* n : visible_subcommands(*sub)) nested += (nested.empty() ? "" : " ") + n->get_name();
    std::string specs = zsh_specs(*sub);
    for (const CLI::App* n : visible_subcommands(*sub)) specs += zsh_specs(*n);
    cases += fmt::format("    {})\n      _arguments -s \\\n{}    '*:argument:{}' ;;\n", sub->get_name(),
                         specs, nested.empty() ? std::string("_files") : fmt::format("({})", nested));
  }
  return fmt::format(
      "#compdef goesvfi\n"
      "# zsh completion for goesvfi (generated by `goesvfi completion zsh`)\n"
      "_goesvfi() {{\n"
      "  local -a commands=(\n{}  )\n"
      "  if (( CURRENT == 2 )); then _describe 'command' commands; return; fi\n"
      "  case ${{words[2]}} in\n{}  esac\n"
      "}}\n"
      "_goesvfi \"$@\"\n",
      commands, cases);
}

std::function<int()> setup_man(CLI::App& app, GlobalOptions&) {
  auto dir = std::make_shared<std::string>("man1");
  app.add_option("DIR", *dir, "folder for goesvfi.1 and goesvfi-<command>.1 (default ./man1)");
  return [dir, &app]() -> int {
    write_man_pages(*app.get_parent(), *dir);
    fmt::print(stderr, "man pages written to {} (read one with: man -l {}/goesvfi-timelapse.1)\n", *dir,
               *dir);
    return 0;
  };
}

std::function<int()> setup_completion(CLI::App& app, GlobalOptions&) {
  auto shell = std::make_shared<std::string>();
  app.add_option("SHELL", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  app.footer(
      "bash: source <(goesvfi completion bash), or save it as "
      "~/.local/share/bash-completion/completions/goesvfi\n"
      "zsh: goesvfi completion zsh > ~/.zfunc/_goesvfi (with ~/.zfunc in fpath)");
  return [shell, &app]() -> int {
    const CLI::App& root = *app.get_parent();
    fmt::print("{}", *shell == "bash" ? bash_completion(root) : zsh_completion(root));
    return 0;
  };
}

const bool registered_man = register_command(
    {"man",
     "write the man pages (goesvfi.1, goesvfi-<command>.1), generated from the same declarations as --help",
     setup_man});
const bool registered_completion =
    register_command({"completion", "print a bash or zsh completion script for goesvfi", setup_completion});

}  // namespace
}  // namespace goesvfi::cli
