// What `goesvfi evaluate` scores: inputs as sequences, each frame placed on its series' schedule.
#pragma once

#include <string>
#include <vector>

#include "interp/evaluate.hpp"

namespace goesvfi {

// Folders: one sequence each, labelled by the folder name; the other inputs (files, globs): one sequence
// together, labelled "files". Frames in scan-time order when every name carries a time, with the schedule
// steps between them (a missing scan makes a step of 2), else in natural name order, evenly spaced.
std::vector<EvaluationSequence> evaluation_sequences(const std::vector<std::string>& inputs);

}  // namespace goesvfi
