// The per-user folders of goesvfi, after the XDG base directory specification: $XDG_CONFIG_HOME/goesvfi,
// $XDG_CACHE_HOME/goesvfi and $XDG_DATA_HOME/goesvfi when those variables are set (and not empty), else
// ~/.config/goesvfi, ~/.cache/goesvfi and ~/.local/share/goesvfi; ./.config/goesvfi (etc.) without $HOME.
#pragma once

#include <filesystem>

namespace goesvfi {

enum class UserDir {
  Config,  // config.toml
  Cache,   // fetched data, the catalog
  Data,    // RIFE models
};

std::filesystem::path user_dir(UserDir kind);

}  // namespace goesvfi
