#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

namespace {
std::atomic<unsigned> g_counter{0};
}

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(ErrorKind::Io, "cannot open {} to sync it: {}", path.string(), std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) fail(ErrorKind::Io, "cannot sync {}: {}", path.string(), std::strerror(err));
}

AtomicFile::AtomicFile(fs::path target) : m_target(std::move(target)) {
  fs::path dir = m_target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    fail(ErrorKind::NotFound, "output folder {} does not exist (for {})", dir.string(), m_target.string());
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    fail(ErrorKind::AccessDenied, "output folder {} is not writable (for {})", dir.string(),
         m_target.string());
  }
  m_temp = dir / ("." + m_target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                  std::to_string(g_counter.fetch_add(1)));
}

AtomicFile::~AtomicFile() {
  if (!m_done) discard();
}

void AtomicFile::discard() noexcept {
  std::error_code ec;
  fs::remove(m_temp, ec);
  m_done = true;
}

void AtomicFile::commit() {
  if (m_done) fail(ErrorKind::Internal, "{} committed twice", m_target.string());
  fsync_path(m_temp);
  std::error_code ec;
  fs::rename(m_temp, m_target, ec);
  if (ec) {
    discard();
    fail(ErrorKind::Io, "cannot rename {} to {}: {}", m_temp.string(), m_target.string(), ec.message());
  }
  m_done = true;
  fs::path dir = m_target.parent_path();
  fsync_path(dir.empty() ? fs::path(".") : dir);
}

void write_file_atomic(const fs::path& target, std::span<const std::byte> bytes) {
  AtomicFile file(target);
  const int fd = ::open(file.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(ErrorKind::Io, "cannot create {}: {}", file.temp_path().string(), std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail(ErrorKind::Io, "cannot write {}: {}", target.string(), std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail(ErrorKind::Io, "cannot write {}: {}", target.string(), std::strerror(errno));
  file.commit();
}

void write_file_atomic(const fs::path& target, std::string_view text) {
  write_file_atomic(target, std::as_bytes(std::span(text.data(), text.size())));
}

}  // namespace goesvfi
