#include "core/cancel.hpp"

#include <unistd.h>
#include <csignal>

#include "core/error.hpp"

namespace goesvfi {

namespace {
// The process token's flag, reachable from the signal handler (a lock-free atomic store is signal-safe).
std::atomic<bool>* g_process_flag = nullptr;
std::atomic<int> g_signal_count{0};

void on_signal(int) {
  if (g_signal_count.fetch_add(1) >= 1) _exit(130);  // a second Ctrl-C: the user means it
  if (g_process_flag != nullptr) g_process_flag->store(true);
}
}  // namespace

CancelToken::CancelToken(std::nullptr_t) : m_state(std::make_shared<State>()) {}

// Every token is a child of the process token, so Ctrl-C reaches all work without extra wiring.
CancelToken::CancelToken() : m_state(std::make_shared<State>()) {
  m_state->parent = process().m_state;
}

CancelToken CancelToken::child_of(const CancelToken& parent) {
  CancelToken t;
  t.m_state->parent = parent.m_state;
  return t;
}

void CancelToken::cancel() const {
  m_state->flag.store(true, std::memory_order_relaxed);
}

bool CancelToken::cancelled() const {
  for (const State* s = m_state.get(); s != nullptr; s = s->parent.get()) {
    if (s->flag.load(std::memory_order_relaxed)) return true;
  }
  return false;
}

void CancelToken::throw_if_cancelled() const {
  if (cancelled()) throw Error(ErrorKind::Cancelled, "cancelled");
}

const CancelToken& CancelToken::process() {
  static const CancelToken token = [] {
    CancelToken t(nullptr);
    g_process_flag = &t.m_state->flag;
    return t;
  }();
  return token;
}

void CancelToken::install_signal_handlers() {
  (void)process();
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace goesvfi
