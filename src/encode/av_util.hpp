// Small libav helpers shared by every stage that drives FFmpeg in process (encoder, minterpolate, the
// cluster join): error text and linking a filter-graph description between a buffer source and a sink.
#pragma once

#include <string>

struct AVFilterContext;
struct AVFilterGraph;

namespace goesvfi {

// FFmpeg's text for an AVERROR code ("No space left on device").
std::string av_error_text(int code);

// Parses the libavfilter description `chain` into `graph` between the buffer source `source` ("in") and the
// buffer sink `sink` ("out"). Returns libav's code (< 0: the description does not parse); the graph is not
// configured yet.
int link_filter_chain(AVFilterGraph* graph, AVFilterContext* source, AVFilterContext* sink,
                      const std::string& chain);

}  // namespace goesvfi
