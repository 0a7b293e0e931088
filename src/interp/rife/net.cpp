#include "interp/rife/net.hpp"

#include <cmath>

#include "core/error.hpp"

namespace goesvfi::rife {

namespace {

struct Counts {
  int in, out;
};

// Inputs/outputs each layer type takes (-1 = one or more).
Counts expected_counts(LayerType t) {
  switch (t) {
    case LayerType::Input:
      return {0, 1};
    case LayerType::Split:
      return {1, -1};
    case LayerType::Concat:
      return {-1, 1};
    case LayerType::BinaryOp:
      return {-1, 1};  // 1 with a scalar, else 2
    case LayerType::Eltwise:
      return {-1, 1};
    case LayerType::Warp:
      return {2, 1};
    default:
      return {1, 1};
  }
}

}  // namespace

Net::Net(ParamGraph graph, std::string source) : m_graph(std::move(graph)), m_source(std::move(source)) {
  const auto& layers = m_graph.layers;
  m_prepared.resize(layers.size());
  m_consumers.assign(m_graph.blob_names.size(), {});
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const LayerDesc& l = layers[li];
    auto bad = [&](const std::string& what) {
      fail(ErrorKind::Corrupt, "{}: line {}: {} '{}': {}", m_source, l.line, l.type_name, l.name, what);
    };
    const Counts c = expected_counts(l.type);
    const int nin = static_cast<int>(l.inputs.size()), nout = static_cast<int>(l.outputs.size());
    if ((c.in >= 0 && nin != c.in) || (c.in < 0 && nin < 1) || (c.out >= 0 && nout != c.out) ||
        (c.out < 0 && nout < 1)) {
      bad(fmt::format("has {} inputs and {} outputs, expected {} and {}", nin, nout,
                      c.in < 0 ? "1 or more" : std::to_string(c.in),
                      c.out < 0 ? "1 or more" : std::to_string(c.out)));
    }
    for (int b : l.inputs) m_consumers[b].push_back(static_cast<int>(li));
    const ParamDict& p = l.params;
    Prepared& prep = m_prepared[li];
    if (l.type == LayerType::Convolution || l.type == LayerType::Deconvolution) {
      ConvShape& s = prep.conv;
      s.out_channels = p.get_int(0, 0);
      s.kernel_w = p.get_int(1, 0);
      s.kernel_h = p.get_int(11, s.kernel_w);
      s.dilation_w = p.get_int(2, 1);
      s.dilation_h = p.get_int(12, s.dilation_w);
      s.stride_w = p.get_int(3, 1);
      s.stride_h = p.get_int(13, s.stride_w);
      s.pad_left = p.get_int(4, 0);
      s.pad_right = p.get_int(15, s.pad_left);
      s.pad_top = p.get_int(14, s.pad_left);
      s.pad_bottom = p.get_int(16, s.pad_top);
      if (l.type == LayerType::Deconvolution) {
        s.output_pad_right = p.get_int(18, 0);
        s.output_pad_bottom = p.get_int(19, s.output_pad_right);
      }
      const std::int64_t wsize = p.get_int(6, 0);
      if (s.out_channels <= 0 || s.kernel_w <= 0 || s.kernel_h <= 0 || s.stride_w <= 0 || s.stride_h <= 0 ||
          s.dilation_w <= 0 || s.dilation_h <= 0 || s.kernel_w > 64 || s.kernel_h > 64 || s.stride_w > 64 ||
          s.stride_h > 64 || s.dilation_w > 64 || s.dilation_h > 64) {
        bad("needs 0=num_output, 1=kernel, 2=dilation, 3=stride all positive (and at most 64)");
      }
      if (s.pad_left < 0 || s.pad_right < 0 || s.pad_top < 0 || s.pad_bottom < 0 || s.pad_left > 1024 ||
          s.pad_right > 1024 || s.pad_top > 1024 || s.pad_bottom > 1024 || s.output_pad_right < 0 ||
          s.output_pad_bottom < 0 || s.output_pad_right > 64 || s.output_pad_bottom > 64) {
        bad("padding must be explicit and in [0, 1024] (SAME padding -233/-234 is not supported)");
      }
      if (p.get_int(8, 0) != 0) {
        fail(ErrorKind::Unsupported,
             "{}: line {}: {} '{}' is int8-quantised (8=1); only fp16/fp32 models are "
             "supported",
             m_source, l.line, l.type_name, l.name);
      }
      const std::int64_t per_in = static_cast<std::int64_t>(s.out_channels) * s.kernel_w * s.kernel_h;
      if (wsize <= 0 || wsize % per_in != 0) {
        bad(fmt::format(
            "6=weight_data_size {} is not a positive multiple of num_output*kernel_w*kernel_h = {}", wsize,
            per_in));
      }
      if (p.has(7) && p.get_int(7, 1) != 1) bad("grouped convolution (7=group) is not supported");
      s.in_channels = static_cast<int>(wsize / per_in);
      if (l.weights.size() != static_cast<std::size_t>(wsize)) bad("weights not loaded");
      if (p.get_int(5, 0) != 0 && l.bias.size() != static_cast<std::size_t>(s.out_channels))
        bad("bias not loaded");
      prep.act.type = p.get_int(9, 0);
      const auto ap = p.get_array(10);
      if (prep.act.type < 0 || prep.act.type > 4) {
        fail(ErrorKind::Unsupported,
             "{}: line {}: {} '{}' has activation type {} (supported: 0 none, 1 relu, 2 "
             "leaky relu, 3 clip, 4 sigmoid)",
             m_source, l.line, l.type_name, l.name, prep.act.type);
      }
      if ((prep.act.type == 2 && ap.empty()) || (prep.act.type == 3 && ap.size() < 2)) {
        bad("activation parameters (-23310=) are missing");
      }
      if (!ap.empty()) prep.act.p0 = ap[0];
      if (ap.size() > 1) prep.act.p1 = ap[1];
      if (l.type == LayerType::Deconvolution) {
        prep.deconv = plan_deconv(s, l.weights);
      } else {
        prep.conv_plan = plan_conv(s, l.weights);
      }
    } else if (l.type == LayerType::Interp) {
      const int rt = p.get_int(0, 0);
      if (rt != 1 && rt != 2) {
        fail(ErrorKind::Unsupported,
             "{}: line {}: Interp '{}' resize_type {} (supported: 1 nearest, 2 bilinear)", m_source, l.line,
             l.name, rt);
      }
      if (p.get_int(6, 0) != 0) {
        fail(ErrorKind::Unsupported, "{}: line {}: Interp '{}' with align_corner=1 is not supported",
             m_source, l.line, l.name);
      }
      const float hs = p.get_float(1, 1.f), ws = p.get_float(2, 1.f);
      if (!(hs > 0 && hs <= 64) || !(ws > 0 && ws <= 64)) bad("scale factors 1= and 2= must be in (0, 64]");
    } else if (l.type == LayerType::BinaryOp) {
      const int op = p.get_int(0, 0);
      const bool scalar = p.get_int(1, 0) != 0;
      if (op < 0 || op > 8) bad(fmt::format("operation type {} is not one of 0..8", op));
      if (nin != (scalar ? 1 : 2))
        bad(fmt::format("takes {} inputs with 1={}", scalar ? 1 : 2, scalar ? 1 : 0));
    } else if (l.type == LayerType::Eltwise) {
      if (p.get_int(0, 1) != 1) {
        fail(ErrorKind::Unsupported, "{}: line {}: Eltwise '{}' op_type {} (only 1 = sum is supported)",
             m_source, l.line, l.name, p.get_int(0, 1));
      }
      const auto coeffs = p.get_array(1);
      if (!coeffs.empty() && coeffs.size() != static_cast<std::size_t>(nin)) {
        bad(fmt::format("has {} coefficients for {} inputs", coeffs.size(), nin));
      }
    } else if (l.type == LayerType::PixelShuffle) {
      const int r = p.get_int(0, 1);
      if (r <= 0 || r > 16) bad("upscale factor 0= must be in 1..16");
      if (p.get_int(1, 0) != 0) bad("only mode 1=0 (PyTorch order) is supported");
    } else if (l.type == LayerType::Crop) {
      const auto starts = p.get_array(9), ends = p.get_array(10), axes = p.get_array(11);
      if (starts.size() != 1 || ends.size() != 1 || axes.size() != 1 || axes[0] != 0.0f) {
        fail(ErrorKind::Unsupported,
             "{}: line {}: Crop '{}': only a channel range (-23309=1,a -23310=1,b "
             "-23311=1,0) is supported",
             m_source, l.line, l.name);
      }
    } else if (l.type == LayerType::Concat) {
      if (p.get_int(0, 0) != 0) bad("only channel concatenation (0=0) is supported");
    } else if (l.type == LayerType::PReLU) {
      if (l.bias.empty()) bad("needs 0=num_slope > 0");
    }
  }
  // IFBlock residuals: conv -> add(conv, x) -> ReLU, each blob used once.
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const LayerDesc& l = layers[li];
    if (l.type != LayerType::Convolution) continue;
    const auto& c1 = m_consumers[l.outputs[0]];
    if (c1.size() != 1) continue;
    const LayerDesc& add = layers[c1[0]];
    if (add.type != LayerType::BinaryOp || add.params.get_int(0, 0) != 0 || add.inputs.size() != 2) continue;
    const auto& c2 = m_consumers[add.outputs[0]];
    if (c2.size() != 1 || layers[c2[0]].type != LayerType::ReLU) continue;
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
    if (l.type == LayerType::Input) {
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
    const ParamDict& p = l.params;
    try {
      switch (l.type) {
        case LayerType::Input:
          break;
        case LayerType::Split:
          for (int o : l.outputs) blobs[o] = *in[0];
          break;
        case LayerType::Concat: {
          std::vector<Tensor> parts;
          for (const Tensor* t : in) parts.push_back(*t);
          blobs[l.outputs[0]] = concat_channels(parts);
          break;
        }
        case LayerType::Convolution: {
          if (macs != nullptr) {
            const Tensor& x = *in[0];
            const ConvShape& s = prep.conv;
            const double ow =
                (x.w + s.pad_left + s.pad_right - s.dilation_w * (s.kernel_w - 1) - 1) / s.stride_w + 1;
            const double oh =
                (x.h + s.pad_top + s.pad_bottom - s.dilation_h * (s.kernel_h - 1) - 1) / s.stride_h + 1;
            *macs += ow * oh * static_cast<double>(l.weights.size());
          }
          // Fuse the residual add + ReLU when nobody looks at the blobs in between.
          bool fused = false;
          if (prep.fuse_add >= 0 && run_layer[prep.fuse_add] && run_layer[prep.fuse_relu]) {
            const LayerDesc& add = layers[prep.fuse_add];
            const int mid = l.outputs[0], sum = add.outputs[0];
            const int other = add.inputs[0] == mid ? add.inputs[1] : add.inputs[0];
            if (!requested[mid] && !requested[sum] && !provided[mid] && !provided[sum] &&
                !blobs[other].empty()) {
              const LayerDesc& relu_layer = layers[prep.fuse_relu];
              blobs[relu_layer.outputs[0]] = conv2d(*in[0], prep.conv_plan, l.bias, prep.act, &blobs[other],
                                                    relu_layer.params.get_float(0, 0.f));
              release(l);
              release(add);
              release(relu_layer);
              skip[prep.fuse_add] = skip[prep.fuse_relu] = 1;
              fused = true;
            }
          }
          if (!fused) blobs[l.outputs[0]] = conv2d(*in[0], prep.conv_plan, l.bias, prep.act);
          if (fused) continue;
          break;
        }
        case LayerType::Deconvolution:
          if (macs != nullptr)
            *macs += static_cast<double>(in[0]->plane()) * static_cast<double>(l.weights.size());
          blobs[l.outputs[0]] = deconv2d(*in[0], prep.deconv, l.bias, prep.act);
          break;
        case LayerType::PixelShuffle:
          blobs[l.outputs[0]] = pixel_shuffle(*in[0], p.get_int(0, 1));
          break;
        case LayerType::Interp: {
          const Tensor& x = *in[0];
          int oh = p.get_int(3, 0), ow = p.get_int(4, 0);
          if (oh == 0 || ow == 0) {
            oh = static_cast<int>(static_cast<float>(x.h) * p.get_float(1, 1.f));
            ow = static_cast<int>(static_cast<float>(x.w) * p.get_float(2, 1.f));
          }
          blobs[l.outputs[0]] = resize(x, oh, ow, p.get_int(0, 0));
          break;
        }
        case LayerType::Crop: {
          const Tensor& x = *in[0];
          int start = static_cast<int>(p.get_array(9)[0]);
          int end = static_cast<int>(p.get_array(10)[0]);
          if (start < 0) start += x.c;
          if (end == -233) end = x.c;
          if (end < 0) end += x.c;
          if (start < 0 || end > x.c || start >= end) {
            fail(ErrorKind::InvalidArgument, "channel range [{}, {}) of a {}-channel blob", start, end, x.c);
          }
          blobs[l.outputs[0]] = x.channels(start, end - start);
          break;
        }
        case LayerType::BinaryOp: {
          const auto op = static_cast<BinaryOpType>(p.get_int(0, 0));
          blobs[l.outputs[0]] = p.get_int(1, 0) != 0 ? binary_op_scalar(*in[0], p.get_float(2, 0.f), op)
                                                     : binary_op(*in[0], *in[1], op);
          break;
        }
        case LayerType::Eltwise: {
          std::vector<Tensor> parts;
          for (const Tensor* t : in) parts.push_back(*t);
          blobs[l.outputs[0]] = eltwise_sum(parts, p.get_array(1));
          break;
        }
        case LayerType::ReLU:
          blobs[l.outputs[0]] = relu(*in[0], p.get_float(0, 0.f));
          break;
        case LayerType::Sigmoid:
          blobs[l.outputs[0]] = sigmoid(*in[0]);
          break;
        case LayerType::PReLU:
          blobs[l.outputs[0]] = prelu(*in[0], l.bias);
          break;
        case LayerType::Warp:
          blobs[l.outputs[0]] = warp(*in[0], *in[1]);
          break;
      }
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
