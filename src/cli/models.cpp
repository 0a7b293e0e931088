// `goesvfi models list|check`: the RIFE model folders the rife backend can use.
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "interp/rife/rife.hpp"

namespace goesvfi::cli {
namespace {

namespace fs = std::filesystem;

std::function<int()> setup(CLI::App& app, GlobalOptions& globals) {
  app.require_subcommand(1);
  auto* list =
      app.add_subcommand("list", "list the rife-* model folders with version, size and whether they load");
  config_flag(*list, globals, "--models-dir", "rife.models_dir", "folder holding rife-* model folders");
  auto* check = app.add_subcommand("check", "validate one model folder (files, sizes, layers, a test run)");
  auto dir = std::make_shared<std::string>();
  check->add_option("dir", *dir, "model folder with flownet.param and flownet.bin")->required();
  return [&globals, check, dir]() -> int {
    apply_config_flags(globals);
    if (check->parsed()) {
      const rife::ModelCheck c = rife::check_model(*dir);
      fmt::print(
          "{}: RIFE v{} ok\n  layers {}, IFBlock levels {}, parameters {}\n  flownet.bin {} bytes "
          "(fp16 layout expects {})\n  {:.1f} GMAC per 1920x1080 frame\n",
          *dir, c.info.version, c.info.layers, c.levels, c.info.parameters, c.info.bin_bytes,
          c.expected_bin_bytes, c.gmac_1080p);
      return 0;
    }
    const std::string& configured = globals.config.get_string("rife.models_dir");
    const fs::path base = configured.empty() ? rife::default_models_dir() : fs::path(configured);
    const auto dirs = rife::find_model_dirs(base);
    if (dirs.empty()) {
      fmt::print(
          "no rife-* model folders in {}\n(put e.g. rife-v4.6/flownet.param + flownet.bin there, or set "
          "rife.models_dir)\n",
          base.string());
      return 0;
    }
    fmt::print("{:<28} {:>8} {:>12}  {}\n", "model", "version", "bin bytes", "status");
    int broken = 0;
    for (const auto& d : dirs) {
      std::string status = "ok";
      rife::ModelInfo info;
      const std::string folder = d.filename().string();
      info.version = folder.rfind("rife-v", 0) == 0 ? folder.substr(6) : folder;
      try {
        info = rife::RifeModel::load(d)->info();
      } catch (const Error& e) {
        status = e.message();
        ++broken;
        std::error_code ec;
        const auto size = fs::file_size(d / "flownet.bin", ec);
        info.bin_bytes = ec ? 0 : size;
      }
      fmt::print("{:<28} {:>8} {:>12}  {}\n", d.filename().string(), info.version, info.bin_bytes, status);
    }
    return broken == 0 ? 0 : 1;
  };
}

const bool registered = register_command({"models", "list or check RIFE model folders", setup});

}  // namespace
}  // namespace goesvfi::cli
