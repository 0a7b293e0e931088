#include "fetch/local_store.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "goes/keys.hpp"
#include "goes/names.hpp"

namespace goesvfi::fetch {

namespace fs = std::filesystem;

namespace {

bool noaa_matches(const goes::NoaaName& name, const ListQuery& query) {
  return name.satellite == query.satellite && name.product == query.folder.product &&
         name.sector == query.folder.sector && (!query.band || name.band == query.band) &&
         name.start >= query.start && name.start < query.end;
}

// CDN and goesproc images carry no product level: they match on satellite, sector, band and time.
bool scene_matches(const goes::SceneName& scene, const ListQuery& query) {
  if (scene.family == goes::NameFamily::TimeOnly) return false;
  if (scene.satellite && *scene.satellite != query.satellite) return false;
  if (scene.sector != query.folder.sector) return false;
  if (query.band && scene.band != query.band) return false;
  return scene.start >= query.start && scene.start < query.end;
}

void copy_atomically(const fs::path& from, const fs::path& to, ProgressTask& progress,
                     const CancelToken& cancel) {
  std::ifstream in(from, std::ios::binary);
  if (!in) fail(ErrorKind::Io, "cannot open {}: {}", from.string(), std::strerror(errno));
  AtomicFile out(to);
  std::ofstream os(out.temp_path(), std::ios::binary | std::ios::trunc);
  if (!os) fail(ErrorKind::Io, "cannot create {}", out.temp_path().string());
  std::vector<char> buffer(1 << 20);
  while (in) {
    cancel.throw_if_cancelled();
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    os.write(buffer.data(), n);
    if (!os) fail(ErrorKind::Io, "cannot write {} (disk full?)", out.temp_path().string());
    progress.add_bytes(n);
  }
  if (in.bad()) fail(ErrorKind::Io, "cannot read {}", from.string());
  os.close();
  if (!os) fail(ErrorKind::Io, "cannot write {}", out.temp_path().string());
  out.commit();
}

}  // namespace

LocalStore::LocalStore(fs::path root) : m_root(std::move(root)) {
  std::error_code ec;
  if (!fs::is_directory(m_root, ec)) {
    fail(ErrorKind::NotFound,
         "local source {} is not a folder (expected a bucket mirror or a folder of images)", m_root.string());
  }
}

std::string LocalStore::describe() const {
  return "local " + m_root.string();
}

std::optional<ObjectInfo> LocalStore::stat(const RemoteFile& file, const CancelToken& cancel) {
  cancel.throw_if_cancelled();
  std::vector<fs::path> candidates;
  if (file.origin == describe() && !file.url.empty()) candidates.emplace_back(file.url);
  if (!file.key.empty()) {
    candidates.push_back(m_root / file.key);
    if (const auto name = goes::try_parse_noaa_name(file.name))
      candidates.push_back(m_root / goes::bucket_name(name->satellite) / file.key);
  }
  candidates.push_back(m_root / file.name);
  for (const fs::path& path : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    const auto size = fs::file_size(path, ec);
    if (ec) fail(ErrorKind::Io, "cannot read the size of {}: {}", path.string(), ec.message());
    const auto mtime = fs::last_write_time(path, ec);
    if (ec) fail(ErrorKind::Io, "cannot read the modification time of {}: {}", path.string(), ec.message());
    ObjectInfo info;
    info.size = static_cast<std::int64_t>(size);
    info.modified =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::file_clock::to_sys(mtime));
    return info;
  }
  return std::nullopt;
}

std::vector<RemoteFile> LocalStore::list_satellite(const ListQuery& query, const CancelToken& cancel) {
  std::vector<RemoteFile> files;
  std::set<std::string> seen;
  auto add = [&](const fs::path& path, std::string key, UtcTime time) {
    std::string name = path.filename().string();
    if (!seen.insert(name).second) return;
    std::error_code ec;
    RemoteFile file;
    file.key = std::move(key);
    file.name = std::move(name);
    file.url = path.string();
    file.size = static_cast<std::int64_t>(fs::file_size(path, ec));
    if (ec) return;
    file.time = time;
    file.origin = describe();
    files.push_back(std::move(file));
  };

  // Bucket mirror: only the hour folders the range touches.
  const std::vector<std::string> prefixes = goes::hour_prefixes(query.folder, query.start, query.end);
  for (const fs::path& base : {m_root, m_root / goes::bucket_name(query.satellite)}) {
    for (const std::string& prefix : prefixes) {
      cancel.throw_if_cancelled();
      std::error_code ec;
      for (fs::directory_iterator it(base / prefix, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const auto name = goes::try_parse_noaa_name(it->path().filename().string());
        if (name && noaa_matches(*name, query))
          add(it->path(), prefix + it->path().filename().string(), name->start);
      }
    }
  }
  // Flat folder of NOAA, CDN or goesproc names.
  std::error_code ec;
  for (fs::directory_iterator it(m_root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string filename = it->path().filename().string();
    if (filename.starts_with(".")) continue;  // temporaries of interrupted writes
    if (const auto noaa = goes::try_parse_noaa_name(filename)) {
      if (noaa_matches(*noaa, query)) add(it->path(), goes::bucket_key(*noaa), noaa->start);
      continue;
    }
    const auto scene = goes::parse_scene_name(filename);
    if (scene && scene_matches(*scene, query)) add(it->path(), filename, scene->start);
  }
  if (ec) fail(ErrorKind::Io, "cannot read folder {}: {}", m_root.string(), ec.message());
  std::sort(files.begin(), files.end(), [](const RemoteFile& a, const RemoteFile& b) {
    return std::tie(a.time, a.key) < std::tie(b.time, b.key);
  });
  return files;
}

std::vector<FetchResult> LocalStore::fetch(const std::vector<RemoteFile>& files, const fs::path& dest,
                                           Layout layout, ProgressTask& progress, const CancelToken& cancel) {
  std::vector<FetchResult> results;
  results.reserve(files.size());
  for (const RemoteFile& file : files) {
    cancel.throw_if_cancelled();
    FetchResult r;
    r.file = file;
    try {
      r.path = destination_path(file, dest, layout);
      std::error_code ec;
      if (already_complete(file, r.path) || fs::equivalent(file.url, r.path, ec)) {
        r.status = FetchStatus::Skipped;
      } else {
        fs::create_directories(r.path.parent_path(), ec);
        if (ec)
          fail(ErrorKind::Io, "cannot create folder {}: {}", r.path.parent_path().string(), ec.message());
        copy_atomically(file.url, r.path, progress, cancel);
        r.status = FetchStatus::Downloaded;
        r.attempts = 1;
      }
      r.bytes = static_cast<std::int64_t>(fs::file_size(r.path, ec));
    } catch (Error& e) {
      if (e.kind() == ErrorKind::Cancelled) throw;
      r.status = FetchStatus::Failed;
      r.error = e;
    }
    progress.advance();
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace goesvfi::fetch
