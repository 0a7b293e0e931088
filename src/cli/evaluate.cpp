// `goesvfi evaluate INPUT... [--backend NAME[:PRESET],...] [--drop K] [--mask X,Y,W,H|auto]...
// [--format table|json] [--means-only]`: drop K frames between kept frames, interpolate them back with each
// backend and score them against the originals (PSNR, SSIM). Each folder is a sequence of its own; files and
// globs make one sequence together.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "interp/evaluate.hpp"
#include "pipeline/evaluation_input.hpp"
#include "pipeline/input.hpp"

namespace goesvfi::cli {
namespace {

struct EvaluateFlags {
  std::vector<std::string> inputs;
  std::vector<std::string> backends;
  std::vector<std::string> masks;
  bool means_only = false;
};

std::function<int()> setup(CLI::App& app, GlobalOptions& g) {
  auto flags = std::make_shared<EvaluateFlags>();
  app.add_option("inputs", flags->inputs,
                 "frames: folders (a sequence each), files or globs (one sequence; ordered by scan time or "
                 "name)")
      ->required();
  app.add_option(
         "--backend", flags->backends,
         "backends to compare, comma-separated: none, blend, flow, minterpolate, rife, or NAME:PRESET "
         "(e.g. flow:quality); default: interpolate.backend")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option(
         "--mask", flags->masks,
         "leave X,Y,W,H out of the score (repeatable), or 'auto': the pixels identical in every frame "
         "of a sequence (captions, outlines)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_flag_group(app, g, "evaluate");
  app.add_flag("--means-only", flags->means_only, "table: only the means per sequence and backend");
  add_flag_group(app, g, "backend");
  return [flags, &g]() -> int {
    EvaluationOptions options;
    options.drop = static_cast<int>(g.config.get_int("evaluate.drop"));
    for (const auto& m : flags->masks) {
      if (m == "auto") {
        options.mask_static = true;
      } else {
        options.masks.push_back(with_context("--mask", [&] { return parse_crop(m); }));
      }
    }
    if (flags->backends.empty()) flags->backends.push_back(g.config.get_string("interpolate.backend"));
    std::vector<std::unique_ptr<Interpolator>> owned;
    std::vector<EvaluationBackend> backends;
    for (const auto& spec : flags->backends) {
      owned.push_back(make_interpolator_spec(spec, g.config));
      backends.push_back({spec, owned.back().get()});
    }
    const auto sequences = evaluation_sequences(flags->inputs);
    Progress progress(parse_progress_mode(g.config.get_string("general.progress")));
    const auto report = evaluate_sequences(sequences, backends, options, CancelToken::process(), progress);
    const std::string text = g.config.get_string("evaluate.format") == "json"
                                 ? format_evaluation_json(report)
                                 : format_evaluation_table(report, !flags->means_only);
    std::fputs(text.c_str(), stdout);
    return 0;
  };
}

const bool registered = register_command(
    {"evaluate", "score backends: drop frames, interpolate them back, PSNR/SSIM against the originals",
     setup});

}  // namespace
}  // namespace goesvfi::cli
