// The options are declared once, in config_schema.cpp: every key is written by `config init`, every flag a
// key declares is in the `--help` of each command that adds its group, values given as flags land in the
// key (config show), and errors about a setting name its flag too.
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/config.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

struct KeyRow {
  std::string name, def, allowed, flags, group;
  std::vector<std::string> commands;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.emplace_back();
  return parts;
}

std::vector<KeyRow> key_rows() {
  const auto r = test::run_cli({"config", "keys"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<KeyRow> rows;
  for (const auto& line : split(r.out, '\n')) {
    if (line.empty()) continue;
    const auto f = split(line, '\t');
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() != 6) continue;
    rows.push_back(
        {f[0], f[1], f[2], f[3], f[4], f[5].empty() ? std::vector<std::string>{} : split(f[5], ',')});
  }
  return rows;
}

}  // namespace

TEST(ConfigCli, EveryKeyIsListedWrittenByInitAndShownInTheHelpOfItsCommands) {
  const auto rows = key_rows();
  ASSERT_EQ(rows.size(), config_schema().size());
  test::TempDir dir;
  auto r = test::run_cli({"config", "init", "--path", (dir / "c.toml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir / "c.toml");
  const std::string init((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::string, std::string> help;  // command -> --help text
  int flags_checked = 0;
  for (const auto& row : rows) {
    const ConfigKey* k = find_config_key(row.name);
    ASSERT_NE(k, nullptr) << row.name;
    EXPECT_EQ(row.def, format_config_value(k->default_value)) << row.name;
    const std::string short_name = row.name.substr(row.name.find('.') + 1);
    EXPECT_THAT(init, HasSubstr("# " + short_name + " = " + row.def + "\n")) << row.name;
    EXPECT_THAT(init, HasSubstr("[" + k->section() + "]")) << row.name;
    // A key with a flag is shown by at least one command, and each of them lists the flag with the key.
    if (row.flags != "-" && row.group != "global") {
      EXPECT_FALSE(row.commands.empty()) << row.name;
    }
    for (const auto& cmd : row.commands) {
      if (!help.contains(cmd)) {
        std::vector<std::string> args = split(cmd, ' ');
        args.push_back("--help");
        const auto h = test::run_cli(args);
        EXPECT_EQ(h.exit_code, 0) << cmd << h.err;
        help[cmd] = h.out;
      }
      EXPECT_THAT(help[cmd], HasSubstr(k->long_flag())) << row.name << " in " << cmd;
      EXPECT_THAT(help[cmd], HasSubstr("[config " + row.name)) << row.name << " in " << cmd;
      ++flags_checked;
    }
  }
  EXPECT_GT(flags_checked, 100);
  // Commands that encode share the one encode group: timelapse has --tune, --bitrate and --filters too.
  for (const std::string cmd : {"interpolate", "timelapse"}) {
    for (const std::string flag :
         {"--tune", "--bitrate", "--filters", "--crf", "--profile", "--false-colour"})
      EXPECT_THAT(help[cmd], HasSubstr(flag)) << cmd;
  }
}

TEST(ConfigCli, FlagsSetTheirKeysAndErrorsNameKeyAndFlag) {
  auto r = test::run_cli({"config", "show", "--threads", "3", "--progress", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("threads = 3  # --threads"));
  EXPECT_THAT(r.out, HasSubstr("progress = 'json'  # --progress"));
  r = test::run_cli({"interpolate", "x", "--crf", "99"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("encode.crf (--crf) '99': expected an integer from -1 to 63"));
  r = test::run_cli({"timelapse", "--start", "2024-05-01T12:00Z", "--dry-run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("query.end (--end) is not set"));
  r = test::run_cli({"interpolate", "x", "--backend", "magic"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("one of none, blend, flow, minterpolate, rife"));
}
