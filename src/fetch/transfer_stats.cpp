#include "fetch/transfer_stats.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/progress.hpp"

namespace goesvfi::fetch {

TransferStats::TransferStats(Clock::time_point start) : m_start(start) {}

std::int64_t TransferStats::second_of(Clock::time_point now) const {
  return std::chrono::duration_cast<std::chrono::seconds>(now - m_start).count();
}

TransferStats::Slot& TransferStats::slot(Clock::time_point now) {
  const std::int64_t second = std::max<std::int64_t>(0, second_of(now));
  Slot& s = m_slots[static_cast<std::size_t>(second % kWindowSeconds)];
  if (s.second != second) s = Slot{second, 0, 0, 0};  // reuse the slot of a second that left the window
  return s;
}

void TransferStats::attempt(Clock::time_point now, bool is_retry) {
  std::lock_guard lock(m_mutex);
  ++m_totals.attempts;
  if (is_retry) ++m_totals.retries;
  ++slot(now).attempts;
}

void TransferStats::bytes(Clock::time_point now, std::int64_t n) {
  std::lock_guard lock(m_mutex);
  m_totals.bytes += n;
  slot(now).bytes += n;
}

void TransferStats::success(Clock::time_point) {
  std::lock_guard lock(m_mutex);
  ++m_totals.succeeded;
}

void TransferStats::failure(Clock::time_point now, ErrorKind kind, bool final) {
  std::lock_guard lock(m_mutex);
  switch (kind) {
    case ErrorKind::NotFound:
      ++m_totals.not_found;
      break;
    case ErrorKind::AccessDenied:
      ++m_totals.access_denied;
      break;
    case ErrorKind::Throttled:
      ++m_totals.throttled;
      break;
    case ErrorKind::Corrupt:
      ++m_totals.corrupt;
      break;
    default:
      ++m_totals.network;
      break;
  }
  if (final) ++m_totals.failed;
  ++slot(now).errors;
}

void TransferStats::breaker_opened() {
  std::lock_guard lock(m_mutex);
  ++m_totals.breaker_opened;
}

TransferTotals TransferStats::totals() const {
  std::lock_guard lock(m_mutex);
  return m_totals;
}

double TransferStats::recent_rate(Clock::time_point now) const {
  std::lock_guard lock(m_mutex);
  const std::int64_t current = second_of(now);
  std::int64_t bytes = 0;
  for (const Slot& s : m_slots) {
    if (s.second >= 0 && s.second > current - kWindowSeconds && s.second <= current) bytes += s.bytes;
  }
  const double elapsed = std::chrono::duration<double>(now - m_start).count();
  const double window = std::clamp(elapsed, 1e-3, static_cast<double>(kWindowSeconds));
  return static_cast<double>(bytes) / window;
}

double TransferStats::recent_error_ratio(Clock::time_point now) const {
  std::lock_guard lock(m_mutex);
  const std::int64_t current = second_of(now);
  std::int64_t attempts = 0, errors = 0;
  for (const Slot& s : m_slots) {
    if (s.second >= 0 && s.second > current - kWindowSeconds && s.second <= current) {
      attempts += s.attempts;
      errors += s.errors;
    }
  }
  return attempts == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(attempts);
}

double TransferStats::mean_rate(Clock::time_point now) const {
  std::lock_guard lock(m_mutex);
  const double elapsed = std::max(1e-3, std::chrono::duration<double>(now - m_start).count());
  return static_cast<double>(m_totals.bytes) / elapsed;
}

std::string TransferStats::summary(Clock::time_point now) const {
  const TransferTotals t = totals();
  std::string text = fmt::format(
      "{} transfers ok, {} failed, {} received at {}/s (last {} s: {}/s, {:.0f}% errors)", t.succeeded,
      t.failed, format_bytes(static_cast<double>(t.bytes)), format_bytes(mean_rate(now)), kWindowSeconds,
      format_bytes(recent_rate(now)), 100.0 * recent_error_ratio(now));
  text += fmt::format(", {} retries", t.retries);
  if (t.throttled + t.network + t.corrupt + t.not_found + t.access_denied > 0) {
    text += fmt::format(" (failed attempts: {} throttled, {} network, {} corrupt, {} not found, {} denied)",
                        t.throttled, t.network, t.corrupt, t.not_found, t.access_denied);
  }
  if (t.breaker_opened > 0) text += fmt::format(", circuit breaker opened {} times", t.breaker_opened);
  return text;
}

}  // namespace goesvfi::fetch
