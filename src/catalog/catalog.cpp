#include "catalog/catalog.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "core/user_dirs.hpp"

namespace goesvfi::catalog {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void sql_fail(sqlite3* db, int rc, std::string_view what, const fs::path& file) {
  const ErrorKind kind = rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ? ErrorKind::Corrupt
                         : rc == SQLITE_BUSY || rc == SQLITE_LOCKED  ? ErrorKind::Io
                         : rc == SQLITE_READONLY || rc == SQLITE_PERM || rc == SQLITE_CANTOPEN
                             ? ErrorKind::AccessDenied
                             : ErrorKind::Io;
  fail(kind, "catalog {}: {} failed: {}", file.string(), what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql, const fs::path& file) : m_db(db), m_file(file) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) sql_fail(db, rc, "preparing a query", file);
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int i) { sqlite3_bind_null(m_stmt, i); }
  template <typename T>
  void bind_opt(int i, const std::optional<T>& v) {
    if (v) {
      bind(i, static_cast<std::int64_t>(*v));
    } else {
      bind_null(i);
    }
  }
  // true while rows come; throws on errors.
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sql_fail(m_db, rc, "a query", m_file);
  }
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
  bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(m_stmt, col))
             : std::string();
  }

 private:
  sqlite3* m_db;
  const fs::path& m_file;
  sqlite3_stmt* m_stmt = nullptr;
};

void exec(sqlite3* db, const char* sql, const fs::path& file) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    const ErrorKind kind = rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ? ErrorKind::Corrupt : ErrorKind::Io;
    fail(kind, "catalog {}: {}", file.string(), msg);
  }
}

// A write transaction taken with BEGIN IMMEDIATE (so two writers queue on the lock instead of deadlocking),
// rolled back unless committed.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, const fs::path& file) : m_db(db), m_file(file) {
    exec(db, "BEGIN IMMEDIATE", file);
  }
  ~WriteTransaction() {
    if (!m_done) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    exec(m_db, "COMMIT", m_file);
    m_done = true;
  }

 private:
  sqlite3* m_db;
  const fs::path& m_file;
  bool m_done = false;
};

constexpr const char* kColumns =
    "path, source, family, satellite, level, product, sector, band, mode, start_ms, end_ms, size, mtime_ns, "
    "state, "
    "reason";

std::int64_t to_ms(UtcTime t) {
  return t.time_since_epoch().count();
}
UtcTime from_ms(std::int64_t ms) {
  return UtcTime(std::chrono::milliseconds(ms));
}

void bind_entry(Statement& st, const CatalogEntry& e) {
  st.bind(1, e.path);
  st.bind(2, e.source);
  if (e.scene) {
    const auto& s = *e.scene;
    st.bind(3, static_cast<std::int64_t>(s.family));
    st.bind_opt(4, s.satellite ? std::optional<int>(goes::satellite_number(*s.satellite)) : std::nullopt);
    if (s.folder) {
      st.bind(5, static_cast<std::int64_t>(s.folder->product.level));
      st.bind(6, s.folder->product.name);
    } else {
      st.bind_null(5);
      st.bind(6, s.product);
    }
    st.bind_opt(7, s.sector ? std::optional<int>(static_cast<int>(*s.sector)) : std::nullopt);
    st.bind_opt(8, s.band);
    st.bind_opt(9, s.mode);
    st.bind(10, to_ms(s.start));
    st.bind_opt(11, s.end ? std::optional<std::int64_t>(to_ms(*s.end)) : std::nullopt);
  } else {
    for (int i = 3; i <= 11; ++i) st.bind_null(i);
  }
  st.bind(12, static_cast<std::int64_t>(e.size));
  st.bind(13, e.mtime_ns);
  st.bind(14, static_cast<std::int64_t>(e.state));
  st.bind(15, e.reason);
}

CatalogEntry read_entry(const Statement& st) {
  CatalogEntry e;
  e.path = st.text(0);
  e.source = st.text(1);
  if (!st.is_null(9)) {
    goes::SceneName s;
    s.family = static_cast<goes::NameFamily>(st.int64(2));
    if (!st.is_null(3)) s.satellite = goes::satellite_from_number(static_cast<int>(st.int64(3)));
    if (!st.is_null(6)) s.sector = static_cast<goes::Sector>(st.int64(6));
    if (!st.is_null(7)) s.band = static_cast<int>(st.int64(7));
    if (!st.is_null(8)) s.mode = static_cast<int>(st.int64(8));
    const std::string product = st.text(5);
    if (!st.is_null(4)) {
      s.folder = goes::ProductFolder{goes::Product{static_cast<goes::Level>(st.int64(4)), product},
                                     s.sector.value_or(goes::Sector::FullDisk)};
      if (!s.band) s.product = product;
    } else {
      s.product = product;
    }
    s.start = from_ms(st.int64(9));
    if (!st.is_null(10)) s.end = from_ms(st.int64(10));
    e.scene = s;
  }
  e.size = static_cast<std::uint64_t>(st.int64(11));
  e.mtime_ns = st.int64(12);
  e.state = static_cast<FileState>(st.int64(13));
  e.reason = st.text(14);
  return e;
}

// The [lower, upper) bounds of paths below `root` ('0' follows '/').
std::pair<std::string, std::string> prefix_bounds(const fs::path& root) {
  std::string lower = root.string();
  if (lower.empty() || lower.back() != '/') lower += '/';
  std::string upper = lower;
  upper.back() = '0';
  return {lower, upper};
}

CatalogEntry describe_local(const fs::path& path, std::uint64_t size, std::int64_t mtime_ns) {
  CatalogEntry e;
  e.path = path.string();
  e.size = size;
  e.mtime_ns = mtime_ns;
  e.scene = goes::parse_scene_name(path.filename().string());
  Verification v = verify_file(path);
  e.state = v.state;
  e.reason = std::move(v.reason);
  return e;
}

}  // namespace

const std::vector<std::string>& catalog_migrations() {
  static const std::vector<std::string> migrations{
      // 1: the files table.
      "CREATE TABLE files ("
      " id INTEGER PRIMARY KEY,"
      " path TEXT NOT NULL UNIQUE,"
      " source TEXT NOT NULL,"
      " family INTEGER, satellite INTEGER, level INTEGER, product TEXT, sector INTEGER, band INTEGER,"
      " mode INTEGER, start_ms INTEGER, end_ms INTEGER,"
      " size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
      " state INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '');",
      // 2: range queries by series and time.
      "CREATE INDEX files_series_time ON files (satellite, sector, band, start_ms);"
      "CREATE INDEX files_time ON files (start_ms);",
  };
  return migrations;
}

int catalog_schema_version() {
  return static_cast<int>(catalog_migrations().size());
}

fs::path Catalog::default_path() {
  return user_dir(UserDir::Cache) / "catalog.sqlite";
}

Catalog::Catalog(const fs::path& file, std::chrono::milliseconds busy_timeout) : m_file(file) {
  if (m_file.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(m_file.parent_path(), ec);
    if (ec) {
      fail(ErrorKind::AccessDenied, "catalog {}: cannot create its folder: {}", m_file.string(),
           ec.message());
    }
  }
  const int rc = sqlite3_open_v2(m_file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    sqlite3_close(m_db);
    m_db = nullptr;
    fail(ErrorKind::AccessDenied, "catalog {}: cannot open: {}", m_file.string(), msg);
  }
  try {
    sqlite3_busy_timeout(m_db, static_cast<int>(busy_timeout.count()));
    exec(m_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", m_file);
    const int latest = catalog_schema_version();
    if (schema_version() < latest) {
      WriteTransaction tx(m_db, m_file);
      // Re-read under the lock: another process may have migrated meanwhile.
      for (int v = schema_version(); v < latest; ++v) {
        exec(m_db, catalog_migrations()[static_cast<std::size_t>(v)].c_str(), m_file);
        exec(m_db, fmt::format("PRAGMA user_version={}", v + 1).c_str(), m_file);
      }
      tx.commit();
    }
    if (const int v = schema_version(); v > latest) {
      fail(ErrorKind::Unsupported,
           "catalog {}: schema version {} was written by a newer goesvfi (this one knows up to {}); use "
           "another "
           "catalog.path",
           m_file.string(), v, latest);
    }
  } catch (...) {
    sqlite3_close(m_db);
    m_db = nullptr;
    throw;
  }
}

Catalog::~Catalog() {
  sqlite3_close(m_db);
}

int Catalog::schema_version() const {
  Statement st(m_db, "PRAGMA user_version", m_file);
  return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

std::size_t Catalog::count() const {
  Statement st(m_db, "SELECT COUNT(*) FROM files", m_file);
  return st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
}

ScanStats Catalog::scan(const fs::path& folder, const CancelToken& cancel, Progress& progress) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  if (ec || !fs::is_directory(root)) fail(ErrorKind::NotFound, "folder {} does not exist", folder.string());

  struct Seen {
    fs::path path;
    std::uint64_t size;
    std::int64_t mtime_ns;
  };
  std::vector<Seen> seen;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) fail(ErrorKind::AccessDenied, "folder {}: cannot list: {}", root.string(), ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) fail(ErrorKind::Io, "folder {}: listing failed: {}", root.string(), ec.message());
    if ((seen.size() & 1023) == 0) cancel.throw_if_cancelled();
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {  // hidden files, AtomicFile temporaries, .git and the like
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    seen.push_back({it->path(), static_cast<std::uint64_t>(st.st_size),
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
  }

  std::unordered_map<std::string, std::pair<std::uint64_t, std::int64_t>> known;
  {
    const auto [lower, upper] = prefix_bounds(root);
    Statement st(m_db,
                 "SELECT path, size, mtime_ns FROM files WHERE source='local' AND path >= ? AND path < ?",
                 m_file);
    st.bind(1, lower);
    st.bind(2, upper);
    while (st.step()) {
      known.emplace(st.text(0), std::pair{static_cast<std::uint64_t>(st.int64(1)), st.int64(2)});
    }
  }

  ScanStats stats;
  stats.files = seen.size();
  std::vector<std::size_t> changed;
  std::unordered_set<std::string> present;
  present.reserve(seen.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const std::string p = seen[i].path.string();
    const auto k = known.find(p);
    if (k == known.end()) {
      ++stats.added;
      changed.push_back(i);
    } else if (k->second != std::pair{seen[i].size, seen[i].mtime_ns}) {
      ++stats.updated;
      changed.push_back(i);
    } else {
      ++stats.unchanged;
    }
    present.insert(p);
  }

  // Name parsing and header checks are independent per file: spread them over the pool.
  std::vector<CatalogEntry> fresh(changed.size());
  auto read_task = progress.task("check headers", static_cast<std::int64_t>(changed.size()), "files");
  ThreadPool::global().parallel_for(
      0, static_cast<std::ptrdiff_t>(changed.size()),
      [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        for (std::ptrdiff_t i = begin; i < end; ++i) {
          cancel.throw_if_cancelled();
          const Seen& s = seen[changed[static_cast<std::size_t>(i)]];
          fresh[static_cast<std::size_t>(i)] = describe_local(s.path, s.size, s.mtime_ns);
        }
        read_task.advance(end - begin);
      },
      256);
  read_task.finish();

  WriteTransaction tx(m_db, m_file);
  {
    Statement upsert(
        m_db,
        fmt::format("INSERT INTO files ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(path) DO "
                    "UPDATE SET source=excluded.source, family=excluded.family, "
                    "satellite=excluded.satellite, level=excluded.level, product=excluded.product, "
                    "sector=excluded.sector, band=excluded.band, mode=excluded.mode, "
                    "start_ms=excluded.start_ms, end_ms=excluded.end_ms, size=excluded.size, "
                    "mtime_ns=excluded.mtime_ns, state=excluded.state, reason=excluded.reason",
                    kColumns),
        m_file);
    for (const CatalogEntry& e : fresh) {
      bind_entry(upsert, e);
      upsert.step();
      upsert.reset();
    }
    Statement remove(m_db, "DELETE FROM files WHERE path = ? AND source='local'", m_file);
    for (const auto& [path, unused] : known) {
      if (present.count(path)) continue;
      remove.bind(1, path);
      remove.step();
      remove.reset();
      ++stats.removed;
    }
  }
  tx.commit();
  return stats;
}

void Catalog::record_remote(const std::vector<CatalogEntry>& entries) {
  WriteTransaction tx(m_db, m_file);
  Statement upsert(
      m_db, fmt::format("INSERT OR REPLACE INTO files ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", kColumns),
      m_file);
  for (const CatalogEntry& e : entries) {
    bind_entry(upsert, e);
    upsert.step();
    upsert.reset();
  }
  tx.commit();
}

std::vector<CatalogEntry> Catalog::query(const CatalogQuery& q) const {
  std::string sql = fmt::format("SELECT {} FROM files WHERE 1", kColumns);
  std::vector<std::function<void(Statement&, int)>> binds;
  std::string lower, upper;
  if (q.root) {
    std::error_code ec;
    std::tie(lower, upper) = prefix_bounds(fs::weakly_canonical(fs::absolute(*q.root, ec), ec));
    sql += " AND path >= ? AND path < ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, lower); });
    binds.push_back([&](Statement& st, int i) { st.bind(i, upper); });
  }
  if (q.source) {
    sql += " AND source = ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, *q.source); });
  }
  if (q.satellite) {
    sql += " AND satellite = ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, goes::satellite_number(*q.satellite)); });
  }
  if (q.sector) {
    sql += " AND sector = ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, static_cast<std::int64_t>(*q.sector)); });
  }
  if (q.band) {
    sql += " AND band = ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, *q.band); });
  }
  if (q.start) {
    sql += " AND start_ms >= ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, to_ms(*q.start)); });
  }
  if (q.end) {
    sql += " AND start_ms < ?";
    binds.push_back([&](Statement& st, int i) { st.bind(i, to_ms(*q.end)); });
  }
  sql += " ORDER BY start_ms IS NULL, start_ms, path";
  Statement st(m_db, sql, m_file);
  for (std::size_t i = 0; i < binds.size(); ++i) binds[i](st, static_cast<int>(i + 1));
  std::vector<CatalogEntry> out;
  while (st.step()) out.push_back(read_entry(st));
  return out;
}

}  // namespace goesvfi::catalog
