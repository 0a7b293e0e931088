#include "core/error.hpp"

namespace goesvfi {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument:
      return "invalid argument";
    case ErrorKind::NotFound:
      return "not found";
    case ErrorKind::AccessDenied:
      return "access denied";
    case ErrorKind::Io:
      return "I/O error";
    case ErrorKind::Corrupt:
      return "corrupt data";
    case ErrorKind::Unsupported:
      return "unsupported";
    case ErrorKind::Network:
      return "network error";
    case ErrorKind::Throttled:
      return "throttled";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Internal:
      return "internal error";
  }
  return "error";
}

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument:
      return 2;
    case ErrorKind::NotFound:
      return 3;
    case ErrorKind::AccessDenied:
    case ErrorKind::Io:
      return 4;
    case ErrorKind::Corrupt:
      return 5;
    case ErrorKind::Unsupported:
      return 6;
    case ErrorKind::Network:
    case ErrorKind::Throttled:
      return 7;
    case ErrorKind::Cancelled:
      return 130;
    case ErrorKind::Internal:
      return 1;
  }
  return 1;
}

Error::Error(ErrorKind kind, std::string message)
    : std::runtime_error(message), m_kind(kind), m_message(std::move(message)) {
  rebuild_what();
}

Error& Error::add_context(std::string line) {
  m_context.push_back(std::move(line));
  rebuild_what();
  return *this;
}

std::string Error::describe() const {
  return m_what;
}

const char* Error::what() const noexcept {
  return m_what.c_str();
}

void Error::rebuild_what() {
  m_what = m_message;
  for (const auto& line : m_context) m_what += "\n  " + line;
}

}  // namespace goesvfi
