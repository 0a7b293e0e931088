// `goesvfi join PLAN.json`: the segments of a plan into its video, by stream copy.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cluster/segments.hpp"
#include "core/cancel.hpp"

namespace goesvfi::cli {
namespace {

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto plan = std::make_shared<std::string>();
  app.add_option("plan", *plan, "the plan file, PLAN.json")->required();
  return [plan, &g]() -> int {
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    const auto summary = cluster::join_segments(*plan, progress, CancelToken::process());
    fmt::print(stderr, "{}", summary.describe());
    fmt::print("{}\n", summary.output.string());
    return 0;
  };
}

const bool registered = register_command(
    {"join", "join the segments of a plan into one video (stream copy; checks plan hash, frames, parameters)",
     setup});

}  // namespace
}  // namespace goesvfi::cli
