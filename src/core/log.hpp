// Logging through spdlog to stderr. Levels: trace, debug, info, warn, error, off. Messages never go to
// stdout, which belongs to results (tables, JSON) and the progress display when asked.
#pragma once

#include <string_view>

#include <spdlog/spdlog.h>

namespace goesvfi {

// Sets the level ("info" etc.; InvalidArgument for others) and the stderr sink; safe to call again.
void init_logging(std::string_view level);

}  // namespace goesvfi
