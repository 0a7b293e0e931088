// Cooperative cancellation. Every long loop calls token.throw_if_cancelled() (cheap: one relaxed load).
// The process token is set by SIGINT/SIGTERM (install_signal_handlers) so Ctrl-C stops every stage cleanly;
// a pipeline may make a child token that also trips when its parent does.
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace goesvfi {

class CancelToken {
 public:
  CancelToken();
  // A token that is cancelled when `parent` is, or when cancel() is called on it.
  static CancelToken child_of(const CancelToken& parent);

  void cancel() const;
  bool cancelled() const;
  // Throws Error(Cancelled) when cancelled.
  void throw_if_cancelled() const;

  // The process-wide token tripped by SIGINT/SIGTERM.
  static const CancelToken& process();
  // Installs SIGINT/SIGTERM handlers that cancel process(); a second Ctrl-C exits at once (code 130).
  static void install_signal_handlers();

 private:
  explicit CancelToken(std::nullptr_t);  // the process token: no parent
  struct State {
    std::atomic<bool> flag{false};
    std::shared_ptr<State> parent;
  };
  std::shared_ptr<State> m_state;
};

}  // namespace goesvfi
