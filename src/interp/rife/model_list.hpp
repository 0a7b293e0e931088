// `goesvfi models list|check` as library calls, for the CLI and the desktop app's Models page: every model
// folder with whether it loads, and the text of one folder's check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "interp/rife/rife.hpp"

namespace goesvfi::rife {

struct ModelListing {
  std::filesystem::path dir;
  std::string version;          // from the model, else from the folder name (rife-v4.6 -> 4.6)
  std::uint64_t bin_bytes = 0;  // flownet.bin's size (0 when missing)
  bool ok = false;
  std::string status;  // "ok", or why the folder does not load
};

// The folders find_model_dirs() finds in `models_dir`, each loaded to tell whether it works.
std::vector<ModelListing> list_models(const std::filesystem::path& models_dir);
// "DIR: RIFE v4.6 ok\n  layers ..., IFBlock levels ..., parameters ...\n  flownet.bin ... bytes ..." (no
// final newline).
std::string describe_check(const std::filesystem::path& dir, const ModelCheck& check);

}  // namespace goesvfi::rife
