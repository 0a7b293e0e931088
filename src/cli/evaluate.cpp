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
void add_backend_flags(CLI::App& app, GlobalOptions& g) {
  config_flag(app, g, "--backend", "interpolate.backend",
              "backend to score: blend, flow, minterpolate, rife");
  config_flag(app, g, "--flow-preset", "flow.preset", "flow: fast, medium or quality");
  config_flag(app, g, "--flow-scale", "flow.scale", "flow: estimate at this fraction of the size (0.0625-1)");
  config_flag(app, g, "--flow-threshold", "flow.discontinuity_threshold",
              "flow: discontinuity score (0-1) above which a pair is not interpolated");
  config_flag(app, g, "--flow-fallback", "flow.fallback", "flow: blend or hold for a discontinuous pair");
  config_flag(app, g, "--mi-mode", "minterpolate.mi_mode", "minterpolate: dup, blend or mci");
  config_flag(app, g, "--mc-mode", "minterpolate.mc_mode", "minterpolate: obmc or aobmc");
  config_flag(app, g, "--me-mode", "minterpolate.me_mode", "minterpolate: bidir or bilat");
  config_flag(app, g, "--me", "minterpolate.me",
              "minterpolate: esa, tss, tdls, ntss, fss, ds, hexbs, epzs or umh");
  config_flag(app, g, "--mb-size", "minterpolate.mb_size", "minterpolate: macroblock size (4-64)");
  config_flag(app, g, "--search-param", "minterpolate.search_param", "minterpolate: search range (4-512)");
  config_flag(app, g, "--vsbmc", "minterpolate.vsbmc", "minterpolate: variable-size blocks (true/false)");
  config_flag(app, g, "--scd", "minterpolate.scd", "minterpolate: scene change detection, none or fdiff");
  config_flag(app, g, "--scd-threshold", "minterpolate.scd_threshold",
              "minterpolate: scene change threshold (0-100)");
}

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
