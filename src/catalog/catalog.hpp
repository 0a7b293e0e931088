// The SQLite catalog of GOES files seen locally (folder scans) and remotely (store listings): what each file
// is (satellite, product, sector, band, mode, start/end time, parsed from its name), where it is, its size
// and mtime, and whether it passed the header check. WAL journal, a schema version with numbered migrations,
// an index for range queries. Folder scans are incremental: a file whose size and mtime are unchanged is not
// read again, so re-scanning 100k files takes seconds. Two processes may scan and query at once (writers wait
// on SQLite's lock for up to `busy_timeout`).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/verify.hpp"
#include "core/cancel.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "goes/names.hpp"

struct sqlite3;

namespace goesvfi::catalog {

struct CatalogEntry {
  std::string path;              // absolute local path, or the remote key
  std::string source = "local";  // "local", or the store that listed it ("s3:noaa-goes16", "cdn", ...)
  std::optional<goes::SceneName> scene;  // nullopt when the name carries no scan time
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // local files
  FileState state = FileState::Ok;
  std::string reason;  // why the state is not Ok
};

struct ScanStats {
  std::size_t files = 0;      // regular files under the folder
  std::size_t added = 0;      // new to the catalog
  std::size_t updated = 0;    // size or mtime changed: re-read
  std::size_t unchanged = 0;  // skipped by size/mtime
  std::size_t removed = 0;    // in the catalog but gone from disk
};

struct CatalogQuery {
  std::optional<std::filesystem::path> root;  // local files under this folder
  std::optional<std::string> source;
  std::optional<goes::Satellite> satellite;
  std::optional<goes::Sector> sector;
  std::optional<int> band;
  std::optional<UtcTime> start, end;  // scan start in [start, end)
};

// The numbered schema migrations: entry i takes a catalog from version i to i + 1 (PRAGMA user_version).
const std::vector<std::string>& catalog_migrations();
int catalog_schema_version();

class Catalog {
 public:
  // Opens or creates the catalog file (its folder is created) and migrates it to the current schema.
  // Unsupported when the file was written by a newer schema; Corrupt when it is not an SQLite database.
  explicit Catalog(const std::filesystem::path& file,
                   std::chrono::milliseconds busy_timeout = std::chrono::seconds(60));
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // $XDG_CACHE_HOME/goesvfi/catalog.sqlite (or ~/.cache/...): the default of config key catalog.path.
  static std::filesystem::path default_path();

  // Scans `folder` recursively (hidden files and AtomicFile temporaries are skipped), reading only files that
  // are new or whose size/mtime changed (name parse + header check, on the thread pool), and forgets files
  // that are gone. NotFound when the folder does not exist.
  ScanStats scan(const std::filesystem::path& folder, const CancelToken& cancel = CancelToken::process(),
                 Progress& progress = Progress::null());
  // Records a store listing (path = key); entries already known are updated.
  void record_remote(const std::vector<CatalogEntry>& entries);
  // Entries matching the query, ordered by scan start (entries without a time last, by path).
  std::vector<CatalogEntry> query(const CatalogQuery& query) const;
  std::size_t count() const;
  int schema_version() const;
  const std::filesystem::path& file() const { return m_file; }

 private:
  std::filesystem::path m_file;
  sqlite3* m_db = nullptr;
};

}  // namespace goesvfi::catalog
