#include "fetch/scheduler.hpp"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "fetch/http_util.hpp"

namespace goesvfi::fetch {

TransferScheduler::TransferScheduler(const HttpOptions& options, const RequestSigner& signer,
                                     TransferStats& stats, CommitFn commit)
    : m_options(options),
      m_signer(signer),
      m_stats(stats),
      m_commit(std::move(commit)),
      m_policy(options, stats) {
  ensure_curl_initialised();
  m_multi.reset(curl_multi_init());
  if (!m_multi) fail(ErrorKind::Internal, "libcurl could not create a multi handle");
  const long jobs = std::max(1, options.jobs);
  CURLM* multi = m_multi.get();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, jobs);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, jobs);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, jobs * 2);
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
}

std::vector<DownloadResult> TransferScheduler::download(const std::vector<DownloadRequest>& requests,
                                                        const CancelToken& cancel, const OnDone& on_done,
                                                        const OnBytes& on_bytes) {
  std::vector<TransferJob> jobs(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    jobs[i].index = i;
    jobs[i].url = requests[i].url;
    jobs[i].request = &requests[i];
  }
  run(jobs, cancel, on_done, &on_bytes);
  std::vector<DownloadResult> results;
  results.reserve(jobs.size());
  for (TransferJob& job : jobs) results.push_back(std::move(job.result));
  return results;
}

void TransferScheduler::abort_all(std::vector<TransferJob>& jobs) {
  for (TransferJob& job : jobs) {
    if (job.easy) curl_multi_remove_handle(m_multi.get(), job.easy.get());
    job.end_attempt();
    job.close_file();
    job.temp.reset();
  }
}

void TransferScheduler::run(std::vector<TransferJob>& jobs, const CancelToken& cancel, const OnDone& on_done,
                            const OnBytes* on_bytes) {
  CURLM* multi = m_multi.get();
  std::deque<TransferJob*> pending;
  for (TransferJob& job : jobs) {
    job.observer = ByteObserver{&m_stats, on_bytes};
    job.endpoint = endpoint_of(job.url);
    pending.push_back(&job);
  }
  std::size_t remaining = jobs.size();
  int active = 0, committing = 0;
  const int max_active = std::max(1, m_options.jobs);
  const auto file_jobs =
      std::count_if(jobs.begin(), jobs.end(), [](const TransferJob& j) { return j.request != nullptr; });
  // The committers hold pointers into `jobs`: the stage is stopped (its destructor) before they go.
  CommitStage commits(jobs.size(), static_cast<int>(std::min<std::ptrdiff_t>(max_active, file_jobs)),
                      m_commit);
  auto report = [&](TransferJob& job) {
    if (on_done) on_done(job.index, job.result);
    --remaining;
  };
  try {
    while (remaining > 0) {
      cancel.throw_if_cancelled();
      auto now = Clock::now();
      Clock::time_point next_wake = now + std::chrono::milliseconds(100);
      for (auto it = pending.begin(); it != pending.end() && active < max_active;) {
        TransferJob& job = **it;
        if (job.not_before > now) {
          next_wake = std::min(next_wake, job.not_before);
          ++it;
          continue;
        }
        CircuitBreaker& br = m_policy.breaker(job.endpoint);
        if (br.state() != CircuitBreaker::State::Closed &&
            br.failed_probes() >= m_options.breaker_max_probes) {
          m_stats.failure(now, ErrorKind::Network, true);
          m_policy.give_up(
              job, ErrorKind::Network,
              fmt::format("{} failed {} probes in a row after {} consecutive failures (circuit open)",
                          job.endpoint, br.failed_probes(), m_options.breaker_failures));
          report(job);
          it = pending.erase(it);
          continue;
        }
        if (!br.allow(now)) {
          next_wake = std::min(next_wake, std::max(now + std::chrono::milliseconds(1), br.reopens_at()));
          ++it;
          continue;
        }
        try {
          job.begin_attempt(m_options, m_signer);
        } catch (Error& e) {
          job.end_attempt();
          br.release_probe();
          job.result.error = e;
          job.result.attempts = job.attempts;
          m_stats.failure(now, e.kind(), true);
          report(job);
          it = pending.erase(it);
          continue;
        }
        m_stats.attempt(now, job.attempts > 0);
        ++job.attempts;
        curl_multi_add_handle(multi, job.easy.get());
        ++active;
        it = pending.erase(it);
      }

      int running = 0;
      curl_multi_perform(multi, &running);
      int left = 0;
      bool finished_any = false;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        TransferJob* job = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&job));
        const CURLcode code = msg->data.result;
        curl_multi_remove_handle(multi, job->easy.get());
        --active;
        finished_any = true;
        switch (m_policy.finish(*job, code, Clock::now())) {
          case Outcome::Finished:
            report(*job);
            break;
          case Outcome::Retry:
            pending.push_back(job);
            break;
          case Outcome::Committing:
            commits.push(job);
            ++committing;
            break;
        }
      }
      while (std::optional<TransferJob*> done = commits.try_pop()) {
        TransferJob& job = **done;
        --committing;
        finished_any = true;
        if (job.verify_failed) {
          job.verify_failed = false;
          job.temp.reset();  // the next attempt starts a new temporary from byte 0
          job.written = 0;
          job.buffer.clear();
          if (m_policy.retry_or_give_up(job, ErrorKind::Corrupt, true, job.verify_message, Clock::now()) ==
              Outcome::Retry) {
            pending.push_back(&job);
          } else {
            report(job);
          }
          continue;
        }
        if (job.result.ok)
          m_stats.success(Clock::now());
        else
          m_stats.failure(Clock::now(), job.result.error ? job.result.error->kind() : ErrorKind::Io, true);
        report(job);
      }
      if (remaining == 0) break;
      if (finished_any) continue;  // start the next transfers at once instead of sleeping
      now = Clock::now();
      // Commits finish off this thread: look for them often while any are under way.
      const auto wait_ms = std::clamp<std::int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(next_wake - now).count(), 0,
          committing > 0 ? 2 : 100);
      // Sleeps until socket activity, the next scheduled retry, or 100 ms (to notice cancellation).
      if (active > 0 || wait_ms > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
    }
  } catch (...) {
    commits.stop();  // the committers hold pointers into `jobs`
    abort_all(jobs);
    throw;
  }
}

}  // namespace goesvfi::fetch
