// Retry decisions for HTTP transfers: which failures are worth another attempt, how long to wait (exponential
// backoff with full jitter, so parallel clients do not retry in lockstep), and a circuit breaker per endpoint
// that stops hammering a host that keeps failing.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace goesvfi::fetch {

using Clock = std::chrono::steady_clock;

// The error kind of a finished HTTP exchange: `curl_code` is a CURLcode (0 = the exchange completed),
// `status` the HTTP status, `s3_code` the <Code> of an S3 error body ("SlowDown") if any.
ErrorKind classify_http(int curl_code, long status, std::string_view s3_code);
// Whether a failure of this kind may succeed when tried again: throttling, network errors, 5xx and truncated
// or mismatching bodies; never 403/404 or bad requests.
bool is_retryable(int curl_code, long status, ErrorKind kind);

// Full-jitter backoff: uniform in [0, min(cap, base * 2^(attempt-1))] for attempt >= 1, at least
// `retry_after` (a server's Retry-After) but never above cap.
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, std::mt19937_64& rng,
                                        std::chrono::milliseconds retry_after = std::chrono::milliseconds(0));

// Closed: requests flow. After `threshold` consecutive failures: Open (requests wait) until `cooldown` has
// passed, then HalfOpen: one probe request; its success closes the breaker, its failure opens it again.
class CircuitBreaker {
 public:
  enum class State { Closed, Open, HalfOpen };
  CircuitBreaker(int threshold, std::chrono::milliseconds cooldown);

  // Whether a request may start now (in HalfOpen, only the single probe).
  bool allow(Clock::time_point now);
  // Returns true when this failure opened the breaker.
  bool record_failure(Clock::time_point now);
  void record_success();
  // A started request that ended without a verdict on the endpoint (cancelled): frees the probe slot.
  void release_probe();

  State state() const { return m_state; }
  int consecutive_failures() const { return m_failures; }
  // Probes that failed in a row since the breaker first opened (0 once closed).
  int failed_probes() const { return m_failed_probes; }
  Clock::time_point reopens_at() const { return m_open_until; }

 private:
  int m_threshold;
  std::chrono::milliseconds m_cooldown;
  State m_state = State::Closed;
  int m_failures = 0;
  int m_failed_probes = 0;
  bool m_probe_in_flight = false;
  Clock::time_point m_open_until{};
};

// Parses a Retry-After header value in seconds ("3"); HTTP dates and junk give 0.
std::chrono::milliseconds parse_retry_after(std::string_view value);

}  // namespace goesvfi::fetch
