// `goesvfi models list|check`: the RIFE model folders the rife backend can use.
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "interp/rife/model_list.hpp"

namespace goesvfi::cli {
namespace {

namespace fs = std::filesystem;

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  app.require_subcommand(1);
  auto* list =
      app.add_subcommand("list", "list the rife-* model folders with version, size and whether they load");
  add_flag_group(*list, globals, "models");
  auto* check = app.add_subcommand("check", "validate one model folder (files, sizes, layers, a test run)");
  auto dir = std::make_shared<std::string>();
  check->add_option("dir", *dir, "model folder with flownet.param and flownet.bin")->required();
  return [&globals, check, dir]() -> int {
    if (check->parsed()) {
      fmt::print("{}\n", rife::describe_check(*dir, rife::check_model(*dir)));
      return 0;
    }
    const std::string& configured = globals.config.get_string("rife.models_dir");
    const fs::path base = configured.empty() ? rife::default_models_dir() : fs::path(configured);
    const auto models = rife::list_models(base);
    if (models.empty()) {
      fmt::print(
          "no rife-* model folders in {}\n(put e.g. rife-v4.6/flownet.param + flownet.bin there, or set "
          "rife.models_dir)\n",
          base.string());
      return 0;
    }
    fmt::print("{:<28} {:>8} {:>12}  {}\n", "model", "version", "bin bytes", "status");
    int broken = 0;
    for (const auto& m : models) {
      if (!m.ok) ++broken;
      fmt::print("{:<28} {:>8} {:>12}  {}\n", m.dir.filename().string(), m.version, m.bin_bytes, m.status);
    }
    return broken == 0 ? 0 : 1;
  };
}

const bool registered = register_command({"models", "list or check RIFE model folders", setup});

}  // namespace
}  // namespace goesvfi::cli
