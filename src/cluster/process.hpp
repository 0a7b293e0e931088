// Running other programs: Slurm's own tools (sbatch, squeue, sacct, scancel) and local segment processes.
// Arguments are passed as a vector (no shell), the program is found on PATH.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace goesvfi::cluster {

struct ProgramResult {
  int exit_code = -1;  // 127: the program could not be started; 128+N: killed by signal N
  std::string out, err;
};

// Runs `argv` to completion, capturing stdout and stderr.
ProgramResult run_program(const std::vector<std::string>& argv);

// A child process whose stdout and stderr go to `log` (appended, created if missing).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();  // terminates a child still running (SIGTERM) and reaps it

  int pid() const { return m_pid; }
  // Waits for the child; its exit code as in ProgramResult.
  int wait();
  // The exit code when the child has exited, without blocking.
  std::optional<int> try_wait();

 private:
  int m_pid = -1;
};

// The running program's own executable (/proc/self/exe), so children run the same binary.
std::filesystem::path self_executable();

// "sbatch --parsable --array=0-3%2 /x/plan.sbatch": for messages.
std::string format_command(const std::vector<std::string>& argv);

}  // namespace goesvfi::cluster
