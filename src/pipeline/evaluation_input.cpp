#include "pipeline/evaluation_input.hpp"

#include <filesystem>

#include "pipeline/input.hpp"

namespace goesvfi {

namespace {
EvaluationSequence sequence_of(std::string label, std::vector<std::filesystem::path> frames) {
  std::vector<int> steps = cadence_steps(frame_times(frames));
  return {std::move(label), std::move(frames), std::move(steps)};
}
}  // namespace

std::vector<EvaluationSequence> evaluation_sequences(const std::vector<std::string>& inputs) {
  std::vector<EvaluationSequence> out;
  std::vector<std::string> loose;
  for (const auto& input : inputs) {
    if (std::filesystem::is_directory(input)) {
      const std::filesystem::path dir = std::filesystem::path(input).lexically_normal();
      std::string label = (dir.has_filename() ? dir : dir.parent_path()).filename().string();
      out.push_back(sequence_of(label.empty() ? input : label, list_input_frames({input})));
    } else {
      loose.push_back(input);
    }
  }
  if (!loose.empty()) out.push_back(sequence_of("files", list_input_frames(loose)));
  return out;
}

}  // namespace goesvfi
