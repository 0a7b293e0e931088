#include "interp/rife/net.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi::rife {

Net::Net(ParamGraph graph, std::string source) : m_graph(std::move(graph)), m_source(std::move(source)) {
  const auto& layers = m_graph.layers;
  m_prepared.resize(layers.size());
  m_consumers.assign(m_graph.blob_names.size(), {});
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const LayerDesc& l = layers[li];
    const LayerKind& kind = *l.kind;
    const LayerSite site{l, m_source};
    const int nin = static_cast<int>(l.inputs.size()), nout = static_cast<int>(l.outputs.size());
    if ((kind.inputs >= 0 && nin != kind.inputs) || (kind.inputs < 0 && nin < 1) ||
        (kind.outputs >= 0 && nout != kind.outputs) || (kind.outputs < 0 && nout < 1)) {
      site.bad(fmt::format("has {} inputs and {} outputs, expected {} and {}", nin, nout,
                           kind.inputs < 0 ? "1 or more" : std::to_string(kind.inputs),
                           kind.outputs < 0 ? "1 or more" : std::to_string(kind.outputs)));
    }
    for (int b : l.inputs) m_consumers[b].push_back(static_cast<int>(li));
    if (kind.prepare != nullptr) m_prepared[li].plan = kind.prepare(site);
  }
  // IFBlock residuals: Convolution -> BinaryOp add(conv, x) -> ReLU, each blob used once.
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const LayerDesc& l = layers[li];
    if (l.type_name != "Convolution") continue;
    const auto& c1 = m_consumers[l.outputs[0]];
    if (c1.size() != 1) continue;
    const LayerDesc& add = layers[c1[0]];
    if (add.type_name != "BinaryOp" || add.params.get_int(0, 0) != 0 || add.inputs.size() != 2) continue;
    const auto& c2 = m_consumers[add.outputs[0]];
    if (c2.size() != 1 || layers[c2[0]].type_name != "ReLU") continue;
    m_prepared[li].fuse_add = c1[0];
    m_prepared[li].fuse_relu = c2[0];
  }
}

int Net::blob(std::string_view name) const {
  const int b = m_graph.find_blob(name);
  if (b < 0) fail(ErrorKind::NotFound, "{}: the graph has no blob '{}'", m_source, name);
  return b;
}

std::vector<Tensor> Net::run(std::span<const std::pair<int, Tensor>> inputs, std::span<const int> outputs,
                             const CancelToken& cancel, double* macs) const {
  const auto& layers = m_graph.layers;
  const std::size_t nblobs = m_graph.blob_names.size();
  std::vector<Tensor> blobs(nblobs);
  std::vector<char> provided(nblobs, 0), wanted(nblobs, 0), requested(nblobs, 0);
  for (const auto& [b, t] : inputs) {
    if (b < 0 || static_cast<std::size_t>(b) >= nblobs)
      fail(ErrorKind::InvalidArgument, "input blob {} out of range", b);
    blobs[b] = t;
    provided[b] = 1;
  }
  for (int b : outputs) {
    if (b < 0 || static_cast<std::size_t>(b) >= nblobs)
      fail(ErrorKind::InvalidArgument, "output blob {} out of range", b);
    wanted[b] = requested[b] = 1;
  }
  // Which layers to run: walk backwards from the outputs, stopping at provided blobs.
  std::vector<char> run_layer(layers.size(), 0);
  for (std::size_t i = layers.size(); i-- > 0;) {
    const LayerDesc& l = layers[i];
    bool needed = false;
    for (int o : l.outputs) needed = needed || (wanted[o] && !provided[o]);
    if (!needed) continue;
    if (l.kind->run == nullptr) {  // Input
      fail(ErrorKind::InvalidArgument, "{}: graph input '{}' was not given", m_source,
           m_graph.blob_names[l.outputs[0]]);
    }
    run_layer[i] = 1;
    for (int in : l.inputs) wanted[in] = 1;
  }
  // Remaining uses of each blob by layers that will run, so it can be freed after the last.
  std::vector<int> uses(nblobs, 0);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (run_layer[i]) {
      for (int in : layers[i].inputs) ++uses[in];
    }
  }
  auto release = [&](const LayerDesc& l) {
    for (int in : l.inputs) {
      if (--uses[in] == 0 && !requested[in]) blobs[in] = Tensor();
    }
  };
  std::vector<char> skip(layers.size(), 0);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!run_layer[i] || skip[i]) continue;
    cancel.throw_if_cancelled();
    const LayerDesc& l = layers[i];
    const Prepared& prep = m_prepared[i];
    std::vector<const Tensor*> in;
    for (int b : l.inputs) {
      if (blobs[b].empty()) {
        fail(ErrorKind::Internal, "{}: line {}: blob '{}' is not available", m_source, l.line,
             m_graph.blob_names[b]);
      }
      in.push_back(&blobs[b]);
    }
    LayerRun call{l, prep.plan.get(), in};
    call.macs = macs;
    try {
      // Fuse the residual add + ReLU after a convolution when nobody looks at the blobs in between.
      if (prep.fuse_add >= 0 && run_layer[prep.fuse_add] && run_layer[prep.fuse_relu]) {
        const LayerDesc& add = layers[prep.fuse_add];
        const int mid = l.outputs[0], sum = add.outputs[0];
        const int other = add.inputs[0] == mid ? add.inputs[1] : add.inputs[0];
        if (!requested[mid] && !requested[sum] && !provided[mid] && !provided[sum] && !blobs[other].empty()) {
          const LayerDesc& relu_layer = layers[prep.fuse_relu];
          call.residual = &blobs[other];
          call.residual_slope = relu_layer.params.get_float(0, 0.f);
          Tensor fused;
          l.kind->run(call, std::span<Tensor>(&fused, 1));
          blobs[relu_layer.outputs[0]] = std::move(fused);
          release(l);
          release(add);
          release(relu_layer);
          skip[prep.fuse_add] = skip[prep.fuse_relu] = 1;
          continue;
        }
      }
      std::vector<Tensor> out(l.outputs.size());
      l.kind->run(call, out);
      for (std::size_t k = 0; k < out.size(); ++k) blobs[l.outputs[k]] = std::move(out[k]);
    } catch (Error& e) {
      e.add_context(fmt::format("in layer {} '{}' ({}: line {})", l.type_name, l.name, m_source, l.line));
      throw;
    }
    release(l);
  }
  std::vector<Tensor> result;
  for (int b : outputs) result.push_back(blobs[b]);
  return result;
}

}  // namespace goesvfi::rife
