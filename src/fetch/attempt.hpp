// The attempt policy of the HTTP engine: what a finished attempt means (done, retry, hand to the committers,
// give up), the circuit breaker per endpoint, and full-jitter exponential backoff (Retry-After honoured).
#pragma once

#include <curl/curl.h>

#include <map>
#include <random>
#include <string>

#include "fetch/http.hpp"
#include "fetch/retry.hpp"
#include "fetch/transfer.hpp"

namespace goesvfi::fetch {

enum class Outcome {
  Finished,    // ok or given up: report the result
  Retry,       // scheduled again at job.not_before
  Committing,  // a complete file body: hand it to the commit stage
};

class AttemptPolicy {
 public:
  AttemptPolicy(const HttpOptions& options, TransferStats& stats) : m_options(options), m_stats(stats) {}

  CircuitBreaker& breaker(const std::string& endpoint);

  // Classifies the attempt that just ended with `code` (the easy handle still attached to the job, already
  // out of its multi handle); frees the handle.
  Outcome finish(TransferJob& job, CURLcode code, Clock::time_point now);
  // After a failed attempt: schedules the next one or gives up.
  Outcome retry_or_give_up(TransferJob& job, ErrorKind kind, bool retryable, const std::string& what,
                           Clock::time_point now);
  // Ends the job as failed: the temporary is removed and the error names the URL, the attempts and a hint.
  void give_up(TransferJob& job, ErrorKind kind, const std::string& what);

 private:
  Outcome succeed(TransferJob& job, Clock::time_point now);

  const HttpOptions& m_options;
  TransferStats& m_stats;
  std::map<std::string, CircuitBreaker> m_breakers;
  std::mt19937_64 m_rng{std::random_device{}()};
};

}  // namespace goesvfi::fetch
