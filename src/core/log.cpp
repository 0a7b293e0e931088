#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include "core/error.hpp"

namespace goesvfi {

void init_logging(std::string_view level) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    fail(ErrorKind::InvalidArgument, "log level '{}' is not one of trace, debug, info, warn, error, off",
         level);
  }
  static auto logger = [] {
    auto l = spdlog::stderr_color_mt("goesvfi");
    l->set_pattern("%^[%l]%$ %v");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_level(lvl);
}

}  // namespace goesvfi
