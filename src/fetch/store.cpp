#include "fetch/store.hpp"

namespace goesvfi::fetch {

namespace fs = std::filesystem;

Layout parse_layout(std::string_view text) {
  if (text == "bucket") return Layout::Bucket;
  if (text == "flat") return Layout::Flat;
  fail(ErrorKind::InvalidArgument, "fetch.layout '{}': expected bucket or flat", text);
}

Layout detect_layout(const fs::path& folder) {
  std::error_code ec;
  bool any_file = false;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (it.depth() >= 4) return Layout::Bucket;
    any_file = true;
  }
  return any_file ? Layout::Flat : Layout::Bucket;
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

std::vector<ListQuery> split_by_satellite(const ListQuery& query) {
  if (!query.orbit) return {query};
  std::vector<ListQuery> parts;
  for (const goes::SatellitePeriod& p : goes::operational_periods(*query.orbit, query.start, query.end)) {
    ListQuery part = query;
    part.orbit.reset();
    part.satellite = p.satellite;
    part.start = p.start;
    part.end = p.end;
    parts.push_back(std::move(part));
  }
  return parts;
}

std::vector<RemoteFile> Store::list(const ListQuery& query, const CancelToken& cancel) {
  std::vector<RemoteFile> files;
  // The parts are consecutive in time and each is listed in time order, so the result is too.
  for (const ListQuery& part : split_by_satellite(query)) {
    for (RemoteFile& f : list_satellite(part, cancel)) files.push_back(std::move(f));
  }
  return files;
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
