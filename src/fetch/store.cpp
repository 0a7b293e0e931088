#include "fetch/store.hpp"

namespace goesvfi::fetch {

namespace fs = std::filesystem;

Layout parse_layout(std::string_view text) {
  if (text == "bucket") return Layout::Bucket;
  if (text == "flat") return Layout::Flat;
  fail(ErrorKind::InvalidArgument, "layout '{}': expected bucket or flat", text);
}

fs::path destination_path(const RemoteFile& file, const fs::path& dest, Layout layout) {
  if (layout == Layout::Flat || file.key.empty()) return dest / file.name;
  const fs::path key = fs::path(file.key).lexically_normal();
  // Keys come from servers: never let one escape the destination folder.
  if (key.is_absolute() || key.empty() || *key.begin() == "..") {
    fail(ErrorKind::Corrupt, "key '{}' would be written outside {}", file.key, dest.string());
  }
  return dest / key;
}

bool already_complete(const RemoteFile& file, const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::is_regular_file(status)) return false;
  if (file.size < 0) return true;
  const auto size = fs::file_size(path, ec);
  return !ec && static_cast<std::int64_t>(size) == file.size;
}

}  // namespace goesvfi::fetch
