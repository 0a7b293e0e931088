// The one error type of goesvfi: a kind (what went wrong, for exit codes and retry decisions) plus a message
// and a chain of context lines ("while reading frame 12", "file: x.png"), reported once at the top.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace goesvfi {

enum class ErrorKind {
  InvalidArgument,  // bad flag, config value, option combination
  NotFound,         // file, key, object or model that does not exist
  AccessDenied,     // permissions, HTTP 403
  Io,               // read/write failure, disk full
  Corrupt,          // truncated or malformed file
  Unsupported,      // valid input we cannot handle (codec, layer type, quantised weights)
  Network,          // connection reset, timeout, DNS
  Throttled,        // HTTP 429 / 503 SlowDown
  Cancelled,        // Ctrl-C or a cancelled token
  Internal,         // a bug
};

std::string_view to_string(ErrorKind kind);

// Process exit code for an error kind: 2 usage/invalid input, 3 not found, 4 I/O, 5 corrupt data,
// 6 unsupported, 7 network, 130 cancelled (as shells report SIGINT), 1 otherwise.
int exit_code_for(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message);

  ErrorKind kind() const noexcept { return m_kind; }
  const std::string& message() const noexcept { return m_message; }
  const std::vector<std::string>& context() const noexcept { return m_context; }

  // Adds an outer context line ("while decoding frame 12"); returns *this so it can be rethrown.
  Error& add_context(std::string line);

  // "message" followed by "\n  while ..." lines, innermost first.
  std::string describe() const;
  const char* what() const noexcept override;

 private:
  void rebuild_what();
  ErrorKind m_kind;
  std::string m_message;
  std::vector<std::string> m_context;
  std::string m_what;
};

template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

// Runs fn(); an Error escaping it gets `context` added and is rethrown. Other exceptions pass unchanged.
template <typename Fn>
decltype(auto) with_context(std::string_view context, Fn&& fn) {
  try {
    return fn();
  } catch (Error& e) {
    e.add_context(std::string(context));
    throw;
  }
}

}  // namespace goesvfi
