// Download statistics in fixed memory however long a fetch runs: lifetime totals plus a rolling window of
// one-second slots (attempts, completed transfers, errors, bytes) for the recent rate and error ratio.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace goesvfi::fetch {

struct TransferTotals {
  std::int64_t attempts = 0;  // requests started
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;   // transfers given up
  std::int64_t retries = 0;  // attempts after the first of a transfer
  std::int64_t bytes = 0;    // body bytes received (all attempts)
  std::int64_t not_found = 0, access_denied = 0, throttled = 0, network = 0, corrupt = 0;  // failed attempts
  std::int64_t breaker_opened = 0;
};

class TransferStats {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kWindowSeconds = 60;

  explicit TransferStats(Clock::time_point start = Clock::now());

  void attempt(Clock::time_point now, bool is_retry);
  void bytes(Clock::time_point now, std::int64_t n);
  void success(Clock::time_point now);
  // A failed attempt of kind `kind`; `final` when the transfer is given up.
  void failure(Clock::time_point now, ErrorKind kind, bool final);
  void breaker_opened();

  TransferTotals totals() const;
  // Over the last kWindowSeconds (or since start when shorter): bytes per second and failed attempts /
  // attempts.
  double recent_rate(Clock::time_point now) const;
  double recent_error_ratio(Clock::time_point now) const;
  double mean_rate(Clock::time_point now) const;
  // "412 files ok, 0 failed, 1.2 GB at 96.1 MB/s (last 60 s: 101.3 MB/s, 2% errors), 17 retries (...)".
  std::string summary(Clock::time_point now) const;

 private:
  struct Slot {
    std::int64_t second = -1;
    std::int64_t attempts = 0, errors = 0, bytes = 0;
  };
  Slot& slot(Clock::time_point now);
  std::int64_t second_of(Clock::time_point now) const;

  mutable std::mutex m_mutex;
  Clock::time_point m_start;
  TransferTotals m_totals;
  std::array<Slot, kWindowSeconds> m_slots{};
};

}  // namespace goesvfi::fetch
