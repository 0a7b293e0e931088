#include "fetch/commit_stage.hpp"

#include <exception>

#include <fmt/format.h>

#include "core/thread_pool.hpp"
#include "fetch/http_util.hpp"

namespace goesvfi::fetch {

void verify_and_commit(TransferJob& job) {
  job.result.md5 = file_md5(job.temp->temp_path());
  if (!job.expected_md5.empty() && job.result.md5 != job.expected_md5) {
    // Back to the transfer loop for another attempt; it drops this temporary.
    job.verify_failed = true;
    job.verify_message = fmt::format("MD5 {} does not match the ETag {}", job.result.md5, job.expected_md5);
    return;
  }
  job.temp->commit();
  job.result.ok = true;
  job.temp.reset();
}

CommitStage::CommitStage(std::size_t capacity, int threads, CommitFn commit)
    : m_commit(std::move(commit)), m_todo(capacity), m_done(capacity) {
  for (int i = 0; i < threads; ++i) {
    m_threads.push_back(ThreadPool::global().start_stage("fetch-commit", [this] { loop(); }));
  }
}

CommitStage::~CommitStage() {
  stop();
}

void CommitStage::push(TransferJob* job) {
  m_todo.push(job);
}

std::optional<TransferJob*> CommitStage::try_pop() {
  return m_done.try_pop();
}

void CommitStage::stop() noexcept {
  m_todo.close();
  for (auto& f : m_threads) f.wait();
  m_threads.clear();
}

void CommitStage::loop() {
  while (std::optional<TransferJob*> next = m_todo.pop()) {
    TransferJob& job = **next;
    auto failed = [&job](Error error) {
      job.result.ok = false;
      job.result.error = std::move(error);
      job.temp.reset();  // removes the temporary
    };
    try {
      m_commit(job);
    } catch (const Error& e) {
      failed(e);
    } catch (const std::exception& e) {
      failed(Error(ErrorKind::Internal,
                   fmt::format("committing {} failed: {}", job.request->target.string(), e.what())));
    } catch (...) {
      failed(Error(ErrorKind::Internal, fmt::format("committing {} failed with an unknown exception",
                                                    job.request->target.string())));
    }
    m_done.push(&job);
  }
}

}  // namespace goesvfi::fetch
