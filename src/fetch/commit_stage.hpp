// The commit stage of the HTTP engine: complete file bodies are verified (MD5 against the listing or ETag)
// and committed (fsync, rename) on stage threads, off the transfer thread. Every job pushed comes back
// through try_pop(), whatever its commit threw: an Error is kept as the job's error, any other exception
// becomes an Internal one, so the scheduler always learns how each file ended.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "core/bounded_queue.hpp"
#include "fetch/transfer.hpp"

namespace goesvfi::fetch {

// Verifies and commits one complete file: sets result.md5, then either result.ok (the target is in place) or
// verify_failed + verify_message (the body is not the object that was listed; the scheduler retries). Throws
// on I/O failures.
using CommitFn = std::function<void(TransferJob&)>;
void verify_and_commit(TransferJob& job);

class CommitStage {
 public:
  // `threads` committers (none when 0) for up to `capacity` jobs in flight.
  CommitStage(std::size_t capacity, int threads, CommitFn commit);
  ~CommitStage();  // stop()
  CommitStage(const CommitStage&) = delete;
  CommitStage& operator=(const CommitStage&) = delete;

  void push(TransferJob* job);
  // A job whose commit ended (ok, verify_failed, or failed with result.error set); nullopt when none is
  // ready.
  std::optional<TransferJob*> try_pop();
  // Closes the input and waits for the committers (jobs not yet taken stay where they are).
  void stop() noexcept;

 private:
  void loop();

  CommitFn m_commit;
  BoundedQueue<TransferJob*> m_todo, m_done;
  std::vector<std::future<void>> m_threads;
};

}  // namespace goesvfi::fetch
