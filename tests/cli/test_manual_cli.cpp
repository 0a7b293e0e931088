// `goesvfi man`, `goesvfi completion` and `--version`: the man page of every command lists exactly the
// options its --help lists (both come from the same declarations), completions offer them, and --version
// names the libraries in use.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

namespace {

// Long option names in a text: "--crf" in --help, "\-\-crf" in roff.
std::set<std::string> long_options(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\\-)"), "-");
  text = std::regex_replace(text, std::regex(R"(\\f[BIR])"), " ");
  std::set<std::string> names;
  const std::regex re(R"((^|[\s,\[(])(--[a-z0-9][a-z0-9-]*))");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) names.insert((*it)[2]);
  return names;
}

// The commands that `goesvfi --help` lists.
std::vector<std::string> commands_in_help() {
  const auto r = test::run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto subs = r.out.find("Subcommands:");
  EXPECT_NE(subs, std::string::npos) << r.out;
  std::vector<std::string> names;
  const std::regex re(R"(\n  ([a-z][a-z-]*)\s)");
  const std::string tail = r.out.substr(subs);
  for (std::sregex_iterator it(tail.begin(), tail.end(), re), end; it != end; ++it) names.push_back((*it)[1]);
  return names;
}

}  // namespace

TEST(ManualCli, EveryManPageListsTheOptionsOfItsHelp) {
  test::TempDir dir;
  const auto r = test::run_cli({"man", (dir / "man1").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto commands = commands_in_help();
  ASSERT_GE(commands.size(), 8u);  // timelapse, interpolate, render, fetch, check, sort, models, config, ...
  const auto global = long_options(test::read_file(dir / "man1" / "goesvfi.1"));
  EXPECT_TRUE(global.count("--version") && global.count("--threads") && global.count("--config"));
  for (const auto& cmd : commands) {
    SCOPED_TRACE(cmd);
    const std::string page = test::read_file(dir / "man1" / ("goesvfi-" + cmd + ".1"));
    ASSERT_FALSE(page.empty()) << "no man page for " << cmd;
    EXPECT_NE(page.find(".TH GOESVFI-" + std::string(1, static_cast<char>(std::toupper(cmd[0])))),
              std::string::npos);
    auto in_help = long_options(test::run_cli({cmd, "--help"}).out);
    // --help of a command with nested commands (models, sort, config) shows those by name; the man page
    // documents their options too.
    auto in_man = long_options(page);
    for (const auto& name : in_help)
      EXPECT_TRUE(in_man.count(name)) << name << " is in --help, not in the man page";
    // Options of nested commands (a ".SS goesvfi models list" section) come from that command's --help.
    const std::regex nested_re(R"(\n\.SS goesvfi \S+ (\S+)\n)");
    for (std::sregex_iterator it(page.begin(), page.end(), nested_re), end; it != end; ++it) {
      const auto nested = long_options(test::run_cli({cmd, (*it)[1], "--help"}).out);
      in_help.insert(nested.begin(), nested.end());
    }
    for (const auto& name : in_man) {
      EXPECT_TRUE(global.count(name) || in_help.count(name))
          << name << " is in the man page of " << cmd << " but in no --help";
    }
  }
}

TEST(ManualCli, CompletionsOfferEveryCommandAndItsOptions) {
  const auto bash = test::run_cli({"completion", "bash"});
  ASSERT_EQ(bash.exit_code, 0) << bash.err;
  EXPECT_NE(bash.out.find("complete -o filenames -F _goesvfi goesvfi"), std::string::npos);
  const auto zsh = test::run_cli({"completion", "zsh"});
  ASSERT_EQ(zsh.exit_code, 0) << zsh.err;
  EXPECT_EQ(zsh.out.rfind("#compdef goesvfi", 0), 0u);
  for (const auto& cmd : commands_in_help()) {
    SCOPED_TRACE(cmd);
    EXPECT_NE(bash.out.find("    " + cmd + ") sub="), std::string::npos);
    EXPECT_NE(zsh.out.find("    " + cmd + ")\n"), std::string::npos);
    for (const auto& name : long_options(test::run_cli({cmd, "--help"}).out)) {
      EXPECT_NE(bash.out.find(" " + name), std::string::npos) << name;
      EXPECT_NE(zsh.out.find("'" + name + "["), std::string::npos) << name;
    }
  }
  // The script is valid bash and, once sourced, completes a command's options.
  test::TempDir dir;
  const auto script = dir / "goesvfi.bash";
  {
    std::FILE* f = std::fopen(script.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fwrite(bash.out.data(), 1, bash.out.size(), f);
    std::fclose(f);
  }
  const std::string probe = "bash -c 'source " + script.string() +
                            " && COMP_WORDS=(goesvfi timelapse --cr) && COMP_CWORD=2 && _goesvfi && "
                            "printf \"%s\\n\" \"${COMPREPLY[@]}\"' > " +
                            (dir / "reply").string();
  ASSERT_EQ(std::system(probe.c_str()), 0);
  EXPECT_NE(test::read_file(dir / "reply").find("--crf"), std::string::npos)
      << test::read_file(dir / "reply");
}

TEST(ManualCli, VersionNamesTheCommitAndTheLibraries) {
  const auto r = test::run_cli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^goesvfi \d+\.\d+\.\d+ \(commit [0-9a-z-]+\))")))
      << r.out;
  for (const auto* lib : {"libavcodec ", "libavformat ", "OpenCV ", "libcurl ", "libnetcdf ", "oneDNN "}) {
    EXPECT_NE(r.out.find(lib), std::string::npos) << lib << " missing in\n" << r.out;
  }
  // Versions are numbers read from the libraries, not placeholders.
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(libavcodec \d+\.\d+\.\d+)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(libnetcdf \d+\.\d+\.\d+)"))) << r.out;
}
