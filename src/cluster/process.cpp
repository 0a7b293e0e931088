#include "cluster/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"

extern char** environ;

namespace goesvfi::cluster {

namespace fs = std::filesystem;

namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

struct Actions {
  posix_spawn_file_actions_t a;
  Actions() { posix_spawn_file_actions_init(&a); }
  ~Actions() { posix_spawn_file_actions_destroy(&a); }
  Actions(const Actions&) = delete;
  Actions& operator=(const Actions&) = delete;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

}  // namespace

std::string format_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool quote = a.empty() || a.find_first_of(" \t'\"$;&|<>()") != std::string::npos;
    out += quote ? "'" + a + "'" : a;
  }
  return out;
}

ProgramResult run_program(const std::vector<std::string>& argv) {
  if (argv.empty()) fail(ErrorKind::Internal, "run_program without a program");
  std::array<Fd, 2> out_pipe, err_pipe;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) fail(ErrorKind::Io, "pipe: {}", std::strerror(errno));
  out_pipe[0].fd = p[0];
  out_pipe[1].fd = p[1];
  if (pipe2(p, O_CLOEXEC) != 0) fail(ErrorKind::Io, "pipe: {}", std::strerror(errno));
  err_pipe[0].fd = p[0];
  err_pipe[1].fd = p[1];
  Actions actions;
  posix_spawn_file_actions_adddup2(&actions.a, out_pipe[1].fd, 1);
  posix_spawn_file_actions_adddup2(&actions.a, err_pipe[1].fd, 2);
  posix_spawn_file_actions_addopen(&actions.a, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  auto args = c_argv(argv);
  const int rc = posix_spawnp(&pid, args[0], &actions.a, nullptr, args.data(), environ);
  out_pipe[1].close();
  err_pipe[1].close();
  ProgramResult result;
  if (rc != 0) {
    result.exit_code = 127;
    result.err = fmt::format("cannot run {}: {}", argv[0], std::strerror(rc));
    return result;
  }
  std::array<pollfd, 2> fds = {pollfd{out_pipe[0].fd, POLLIN, 0}, pollfd{err_pipe[0].fd, POLLIN, 0}};
  std::array<std::string*, 2> sinks = {&result.out, &result.err};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_status(status);
  if (result.exit_code == 127 && result.err.empty()) result.err = fmt::format("cannot run {}", argv[0]);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& log) {
  if (argv.empty()) fail(ErrorKind::Internal, "ChildProcess without a program");
  fs::create_directories(log.parent_path());
  Actions actions;
  posix_spawn_file_actions_addopen(&actions.a, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions.a, 1, 2);
  posix_spawn_file_actions_addopen(&actions.a, 0, "/dev/null", O_RDONLY, 0);
  auto args = c_argv(argv);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions.a, nullptr, args.data(), environ);
  if (rc != 0) fail(ErrorKind::Io, "cannot run {}: {}", argv[0], std::strerror(rc));
  m_pid = pid;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : m_pid(other.m_pid) {
  other.m_pid = -1;
}

ChildProcess::~ChildProcess() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

int ChildProcess::wait() {
  if (m_pid <= 0) fail(ErrorKind::Internal, "wait on a child that was already reaped");
  int status = 0;
  while (waitpid(m_pid, &status, 0) < 0) {
    if (errno != EINTR) fail(ErrorKind::Internal, "waitpid: {}", std::strerror(errno));
  }
  m_pid = -1;
  return decode_status(status);
}

std::optional<int> ChildProcess::try_wait() {
  if (m_pid <= 0) fail(ErrorKind::Internal, "wait on a child that was already reaped");
  int status = 0;
  const pid_t r = waitpid(m_pid, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) return std::nullopt;
  if (r < 0) fail(ErrorKind::Internal, "waitpid: {}", std::strerror(errno));
  m_pid = -1;
  return decode_status(status);
}

fs::path self_executable() {
  return fs::read_symlink("/proc/self/exe");
}

}  // namespace goesvfi::cluster
