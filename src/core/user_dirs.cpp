#include "core/user_dirs.hpp"

#include <cstdlib>

namespace goesvfi {

std::filesystem::path user_dir(UserDir kind) {
  const char* variable = "XDG_CONFIG_HOME";
  const char* fallback = ".config";
  switch (kind) {
    case UserDir::Config:
      break;
    case UserDir::Cache:
      variable = "XDG_CACHE_HOME";
      fallback = ".cache";
      break;
    case UserDir::Data:
      variable = "XDG_DATA_HOME";
      fallback = ".local/share";
      break;
  }
  if (const char* xdg = std::getenv(variable); xdg != nullptr && *xdg != '\0')
    return std::filesystem::path(xdg) / "goesvfi";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr && *home != '\0' ? home : ".") / fallback / "goesvfi";
}

}  // namespace goesvfi
