#include "fetch/retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace goesvfi::fetch {

ErrorKind classify_http(int curl_code, long status, std::string_view s3_code) {
  if (curl_code != CURLE_OK) {
    switch (static_cast<CURLcode>(curl_code)) {
      case CURLE_ABORTED_BY_CALLBACK:
        return ErrorKind::Cancelled;
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return ErrorKind::InvalidArgument;
      case CURLE_WRITE_ERROR:
        return ErrorKind::Io;
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CACERT_BADFILE:
        return ErrorKind::AccessDenied;
      default:
        return ErrorKind::Network;
    }
  }
  if (status == 404 || status == 410) return ErrorKind::NotFound;
  if (status == 401 || status == 403) return ErrorKind::AccessDenied;
  if (status == 429 || s3_code == "SlowDown" || s3_code == "ThrottlingException" || status == 503)
    return ErrorKind::Throttled;
  if (status >= 500 || status == 408) return ErrorKind::Network;
  if (status >= 400) return ErrorKind::InvalidArgument;
  return ErrorKind::Network;  // 1xx/3xx left over after redirects: the exchange did not deliver the object
}

bool is_retryable(int curl_code, long status, ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Throttled:
    case ErrorKind::Corrupt:
      return true;
    case ErrorKind::Network:
      if (curl_code == CURLE_OK) return status >= 500 || status == 408 || status < 200 || status >= 300;
      // Resolution failures are retried too: resolvers fail transiently; the attempt cap bounds the cost.
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, std::mt19937_64& rng,
                                        std::chrono::milliseconds retry_after) {
  const double exp = std::ldexp(static_cast<double>(base.count()), std::clamp(attempt - 1, 0, 40));
  const double ceiling = std::min(static_cast<double>(cap.count()), exp);
  std::uniform_real_distribution<double> uniform(0.0, ceiling);
  const auto jittered = std::chrono::milliseconds(static_cast<std::int64_t>(uniform(rng)));
  return std::min(cap, std::max(jittered, retry_after));
}

CircuitBreaker::CircuitBreaker(int threshold, std::chrono::milliseconds cooldown)
    : m_threshold(std::max(1, threshold)), m_cooldown(cooldown) {}

bool CircuitBreaker::allow(Clock::time_point now) {
  switch (m_state) {
    case State::Closed:
      return true;
    case State::Open:
      if (now < m_open_until) return false;
      m_state = State::HalfOpen;
      m_probe_in_flight = true;
      return true;
    case State::HalfOpen:
      if (m_probe_in_flight) return false;
      m_probe_in_flight = true;
      return true;
  }
  return false;
}

bool CircuitBreaker::record_failure(Clock::time_point now) {
  switch (m_state) {
    case State::Closed:
      if (++m_failures >= m_threshold) {
        m_state = State::Open;
        m_open_until = now + m_cooldown;
        return true;
      }
      return false;
    case State::HalfOpen:
      if (!m_probe_in_flight) return false;
      m_probe_in_flight = false;
      ++m_failed_probes;
      m_state = State::Open;
      m_open_until = now + m_cooldown;
      return true;
    case State::Open:
      return false;  // a request started before the breaker opened
  }
  return false;
}

void CircuitBreaker::record_success() {
  m_state = State::Closed;
  m_failures = 0;
  m_failed_probes = 0;
  m_probe_in_flight = false;
}

void CircuitBreaker::release_probe() {
  m_probe_in_flight = false;
}

std::chrono::milliseconds parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n'))
    value.remove_suffix(1);
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0)
    return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::min<std::int64_t>(seconds, 3600) * 1000);
}

}  // namespace goesvfi::fetch
