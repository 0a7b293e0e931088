// Nothing half-written, ever: output goes to a hidden temporary name in the target folder, is fsynced, then
// renamed over the final name (atomic on POSIX). Destroying an uncommitted AtomicFile removes the temporary.
#pragma once

#include <filesystem>
#include <span>
#include <string>

namespace goesvfi {

class AtomicFile {
 public:
  // Checks that the target folder exists and is writable (NotFound/AccessDenied naming it) and picks a
  // unique temporary name `.<name>.tmp-<pid>-<n>` beside `target`.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& temp_path() const { return m_temp; }
  const std::filesystem::path& target() const { return m_target; }

  // fsyncs the temporary, renames it to the target and fsyncs the folder. Io error on failure.
  void commit();
  // Removes the temporary (also done by the destructor when not committed).
  void discard() noexcept;

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  bool m_done = false;
};

// Writes `bytes` to `target` atomically.
void write_file_atomic(const std::filesystem::path& target, std::span<const std::byte> bytes);
void write_file_atomic(const std::filesystem::path& target, std::string_view text);
// fsync a path (file or folder); throws Io naming it.
void fsync_path(const std::filesystem::path& path);

}  // namespace goesvfi
