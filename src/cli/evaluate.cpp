// `goesvfi evaluate INPUT... [--backend NAME] [--drop K] [--format table|json]`: drop K frames between kept
// frames, interpolate them back with a backend and score them against the originals (PSNR, SSIM).
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "interp/evaluate.hpp"
#include "pipeline/input.hpp"

namespace goesvfi::cli {
namespace {

struct EvaluateFlags {
  std::vector<std::string> inputs;
  int drop = 1;
  std::string format = "table";
};

// The options of the flow and minterpolate backends, as flags over their config keys.

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto flags = std::make_shared<EvaluateFlags>();
  app.add_option("inputs", flags->inputs, "frames: folders, files or globs (ordered by scan time or name)")
      ->required();
  app.add_option("--drop", flags->drop, "frames dropped and re-synthesised between kept frames (default 1)");
  app.add_option("--format", flags->format, "table or json (default table)");
  add_backend_flags(app, g);
  return [flags, &g]() -> int {
    apply_config_flags(g);
    if (flags->format != "table" && flags->format != "json") {
      fail(ErrorKind::InvalidArgument, "--format '{}' is not valid (expected table or json)", flags->format);
    }
    const auto paths = list_input_frames(flags->inputs);
    auto backend = make_interpolator(g.config.get_string("interpolate.backend"), g.config);
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    const auto result =
        evaluate_interpolator(std::span<const std::filesystem::path>(paths), *backend,
                              EvaluationOptions{flags->drop}, CancelToken::process(), progress);
    const std::string text =
        flags->format == "json" ? format_evaluation_json(result) : format_evaluation_table(result);
    std::fputs(text.c_str(), stdout);
    return 0;
  };
}

const bool registered = register_command(
    {"evaluate", "score a backend: drop frames, interpolate them back, PSNR/SSIM against the originals",
     setup});

}  // namespace
}  // namespace goesvfi::cli
