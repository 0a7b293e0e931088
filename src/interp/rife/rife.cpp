#include "interp/rife/rife.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "core/user_dirs.hpp"
#include "interp/rife/layers.hpp"

namespace goesvfi::rife {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------------
// Model

std::shared_ptr<const RifeModel> RifeModel::load(const fs::path& dir) {
  ModelInfo info;
  ParamGraph graph = with_context(fmt::format("while loading the RIFE model {}", dir.string()),
                                  [&] { return load_model(dir, &info); });
  return std::make_shared<const RifeModel>(std::move(graph), std::move(info));
}

RifeModel::RifeModel(ParamGraph graph, ModelInfo info)
    : m_info(std::move(info)), m_net(std::move(graph), (m_info.dir / "flownet.param").string()) {
  in0 = m_net.blob("in0");
  in1 = m_net.blob("in1");
  in2 = m_net.blob("in2");
  out0 = m_net.blob("out0");
  for (int k = 0;; ++k) {
    const int b = m_net.graph().find_blob(fmt::format("flow{}", k));
    if (b < 0) break;
    m_flow_blobs.push_back(b);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tensor helpers

namespace {

Tensor pad_to(const Tensor& x, int hp, int wp) {
  if (x.h == hp && x.w == wp) return x;
  Tensor out = Tensor::zeros(x.c, hp, wp);
  for (int c = 0; c < x.c; ++c) {
    for (int y = 0; y < x.h; ++y) std::copy(x.row(c, y), x.row(c, y) + x.w, out.row(c, y));
  }
  return out;
}

Tensor crop_to(const Tensor& x, int h, int w) {
  if (x.h == h && x.w == w) return x;
  Tensor out = Tensor::make(x.c, h, w);
  for (int c = 0; c < x.c; ++c) {
    for (int y = 0; y < h; ++y) std::copy(x.row(c, y), x.row(c, y) + w, out.row(c, y));
  }
  return out;
}

Tensor filled(int h, int w, float v) {
  Tensor t = Tensor::make(1, h, w);
  std::fill(t.data(), t.data() + t.size(), v);
  return t;
}

// Position in orientation k's plane of identity pixel (i, j) of an fh x fw plane (README of the golden set):
// k0 [i][j], k1 [i][fw-1-j], k2 [fh-1-i][fw-1-j], k3 [fh-1-i][j], k4 [j][i], k5 [j][fh-1-i], k6
// [fw-1-j][fh-1-i], k7 [fw-1-j][i]. Returns the flat index; orientations 4-7 are fh wide.
inline std::size_t oriented_index(int k, int i, int j, int fh, int fw) {
  // Orientation k flips rows (i -> fh-1-i) for k in {2, 3, 5, 6}, columns (j -> fw-1-j) for k in
  // {1, 2, 6, 7}, and transposes for k >= 4.
  const int fi = (0x6C >> k) & 1 ? fh - 1 - i : i;
  const int fj = (0xC6 >> k) & 1 ? fw - 1 - j : j;
  return k >= 4 ? static_cast<std::size_t>(fj) * fh + fi : static_cast<std::size_t>(fi) * fw + fj;
}

// Orientation k of an identity tensor.
Tensor orient(const Tensor& x, int k) {
  if (k == 0) return x;
  Tensor out = k < 4 ? Tensor::make(x.c, x.h, x.w) : Tensor::make(x.c, x.w, x.h);
  ThreadPool::global().parallel_for(0, x.h, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    for (int c = 0; c < x.c; ++c) {
      const float* src = x.channel(c);
      float* dst = out.channel(c);
      for (auto i = static_cast<int>(i0); i < i1; ++i) {
        for (int j = 0; j < x.w; ++j)
          dst[oriented_index(k, i, j, x.h, x.w)] = src[static_cast<std::size_t>(i) * x.w + j];
      }
    }
  });
  return out;
}

// Identity view of orientation k's tensor (fh x fw = identity size).
Tensor unorient(const Tensor& x, int k, int fh, int fw) {
  if (k == 0) return x;
  Tensor out = Tensor::make(x.c, fh, fw);
  ThreadPool::global().parallel_for(0, fh, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    for (int c = 0; c < x.c; ++c) {
      const float* src = x.channel(c);
      float* dst = out.channel(c);
      for (auto i = static_cast<int>(i0); i < i1; ++i) {
        for (int j = 0; j < fw; ++j)
          dst[static_cast<std::size_t>(i) * fw + j] = src[oriented_index(k, i, j, fh, fw)];
      }
    }
  });
  return out;
}

Tensor copy_of(const Tensor& x) {
  Tensor out = Tensor::make(x.c, x.h, x.w);
  std::copy(x.data(), x.data() + x.size(), out.data());
  return out;
}

// Spatial TTA merge of one level (README §3.6): the 8 oriented flows -> 5-channel identity average, and the
// average written back into each orientation (channel 5 kept).
Tensor merge_spatial(std::vector<Tensor>& flows) {
  const int fh = flows[0].h, fw = flows[0].w;
  Tensor avg = Tensor::make(5, fh, fw);
  std::vector<Tensor> out(8);
  for (int k = 0; k < 8; ++k) out[k] = copy_of(flows[k]);
  ThreadPool::global().parallel_for(0, fh, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    for (auto i = static_cast<int>(i0); i < i1; ++i) {
      for (int j = 0; j < fw; ++j) {
        float x[8], y[8], z[8], w[8], m[8];
        std::size_t idx[8];
        for (int k = 0; k < 8; ++k) {
          idx[k] = oriented_index(k, i, j, fh, fw);
          x[k] = flows[k].channel(0)[idx[k]];
          y[k] = flows[k].channel(1)[idx[k]];
          z[k] = flows[k].channel(2)[idx[k]];
          w[k] = flows[k].channel(3)[idx[k]];
          m[k] = flows[k].channel(4)[idx[k]];
        }
        const float X = (x[0] - x[1] - x[2] + x[3] + y[4] + y[5] - y[6] - y[7]) * 0.125f;
        const float Y = (y[0] + y[1] - y[2] - y[3] + x[4] - x[5] - x[6] + x[7]) * 0.125f;
        const float Z = (z[0] - z[1] - z[2] + z[3] + w[4] + w[5] - w[6] - w[7]) * 0.125f;
        const float W = (w[0] + w[1] - w[2] - w[3] + z[4] - z[5] - z[6] + z[7]) * 0.125f;
        const float M = (m[0] + m[1] + m[2] + m[3] + m[4] + m[5] + m[6] + m[7]) * 0.125f;
        const std::size_t id = static_cast<std::size_t>(i) * fw + j;
        avg.channel(0)[id] = X;
        avg.channel(1)[id] = Y;
        avg.channel(2)[id] = Z;
        avg.channel(3)[id] = W;
        avg.channel(4)[id] = M;
        const float sx[8] = {X, -X, -X, X, Y, -Y, -Y, Y}, sy[8] = {Y, Y, -Y, -Y, X, X, -X, -X};
        const float sz[8] = {Z, -Z, -Z, Z, W, -W, -W, W}, sw[8] = {W, W, -W, -W, Z, Z, -Z, -Z};
        for (int k = 0; k < 8; ++k) {
          out[k].channel(0)[idx[k]] = sx[k];
          out[k].channel(1)[idx[k]] = sy[k];
          out[k].channel(2)[idx[k]] = sz[k];
          out[k].channel(3)[idx[k]] = sw[k];
          out[k].channel(4)[idx[k]] = M;
        }
      }
    }
  });
  flows = std::move(out);
  return avg;
}

// Writes 5 identity channels into every orientation of `flows` (channel 5 kept).
void write_spatial(std::vector<Tensor>& flows, const Tensor& v) {
  const int fh = v.h, fw = v.w;
  for (std::size_t k = 0; k < flows.size(); ++k) {
    Tensor o = copy_of(flows[k]);
    const int kk = static_cast<int>(k);
    const float sign_x[8] = {1, -1, -1, 1, 1, -1, -1, 1}, sign_y[8] = {1, 1, -1, -1, 1, 1, -1, -1};
    for (int i = 0; i < fh; ++i) {
      for (int j = 0; j < fw; ++j) {
        const std::size_t id = static_cast<std::size_t>(i) * fw + j, idx = oriented_index(kk, i, j, fh, fw);
        const bool swap = kk >= 4;
        o.channel(0)[idx] = sign_x[kk] * v.channel(swap ? 1 : 0)[id];
        o.channel(1)[idx] = sign_y[kk] * v.channel(swap ? 0 : 1)[id];
        o.channel(2)[idx] = sign_x[kk] * v.channel(swap ? 3 : 2)[id];
        o.channel(3)[idx] = sign_y[kk] * v.channel(swap ? 2 : 3)[id];
        o.channel(4)[idx] = v.channel(4)[id];
      }
    }
    flows[k] = std::move(o);
  }
}

// Temporal TTA merge of one level (README §3.7) on 5-channel identity flows f (forward) and r (reversed).
void merge_temporal(Tensor& f, Tensor& r) {
  Tensor nf = Tensor::make(5, f.h, f.w), nr = Tensor::make(5, f.h, f.w);
  for (std::size_t i = 0; i < f.plane(); ++i) {
    const float x = (f.channel(0)[i] + r.channel(2)[i]) * 0.5f;
    const float y = (f.channel(1)[i] + r.channel(3)[i]) * 0.5f;
    const float z = (f.channel(2)[i] + r.channel(0)[i]) * 0.5f;
    const float w = (f.channel(3)[i] + r.channel(1)[i]) * 0.5f;
    const float m = (f.channel(4)[i] - r.channel(4)[i]) * 0.5f;
    nf.channel(0)[i] = x, nf.channel(1)[i] = y, nf.channel(2)[i] = z, nf.channel(3)[i] = w,
    nf.channel(4)[i] = m;
    nr.channel(0)[i] = z, nr.channel(1)[i] = w, nr.channel(2)[i] = x, nr.channel(3)[i] = y,
    nr.channel(4)[i] = -m;
  }
  f = std::move(nf);
  r = std::move(nr);
}

// Flow blob scaled for a frame `factor` times larger: bilinear resize, channels 0-3 (pixels) times factor,
// the mask logit and channel 5 unchanged.
Tensor upscale_flow(const Tensor& flow, int factor) {
  Tensor up = copy_of(resize(flow, flow.h * factor, flow.w * factor, 2));
  for (int c = 0; c < std::min(4, up.c); ++c) {
    float* p = up.channel(c);
    for (std::size_t i = 0; i < up.plane(); ++i) p[i] *= static_cast<float>(factor);
  }
  return up;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Inference

PairResult infer_pair(const RifeModel& model, const Tensor& a, const Tensor& b, float t,
                      const RifeOptions& options, const CancelToken& cancel, const Tensor* alpha_a,
                      const Tensor* alpha_b, Tensor* alpha_out) {
  const WorkingSetScope working_set;
  if (a.c != 3 || b.c != 3 || a.h != b.h || a.w != b.w || a.h <= 0 || a.w <= 0) {
    fail(ErrorKind::InvalidArgument,
         "RIFE: frames must be two 3-channel planes of one size (got {}x{}x{} and "
         "{}x{}x{})",
         a.c, a.h, a.w, b.c, b.h, b.w);
  }
  const Net& net = model.net();
  const int levels = model.levels();
  const bool half = options.scale < 0.75;
  const int align = half ? 64 : 32;
  const int hp = (a.h + align - 1) / align * align, wp = (a.w + align - 1) / align * align;
  const Tensor pa = pad_to(a, hp, wp), pb = pad_to(b, hp, wp);
  PairResult result;

  const bool tta = options.tta_spatial || options.tta_temporal;
  if (!tta && !half && alpha_a == nullptr) {
    std::vector<std::pair<int, Tensor>> in = {
        {model.in0, pa}, {model.in1, pb}, {model.in2, filled(hp, wp, t)}};
    std::vector<int> want = {model.out0};
    want.insert(want.end(), model.flow_blobs().begin(), model.flow_blobs().end());
    auto outs = net.run(in, want, cancel);
    result.out0_padded = outs[0];
    result.flows.assign(outs.begin() + 1, outs.end());
    result.out = crop_to(outs[0], a.h, a.w);
    return result;
  }

  // Level by level: each (direction, orientation) runs with the merged lower levels as inputs.
  const int dirs = options.tta_temporal ? 2 : 1, orients = options.tta_spatial ? 8 : 1;
  const Tensor ea = half ? resize(pa, hp / 2, wp / 2, 2) : pa, eb = half ? resize(pb, hp / 2, wp / 2, 2) : pb;
  const int eh = ea.h, ew = ea.w;
  auto inputs_for = [&](int d, int k, const Tensor& x0, const Tensor& x1, int h, int w) {
    const float td = d == 0 ? t : 1.0f - t;
    return std::vector<std::pair<int, Tensor>>{{model.in0, orient(d == 0 ? x0 : x1, k)},
                                               {model.in1, orient(d == 0 ? x1 : x0, k)},
                                               {model.in2, orient(filled(h, w, td), k)}};
  };
  // flows[d][k][level]
  std::vector<std::vector<std::vector<Tensor>>> flows(dirs, std::vector<std::vector<Tensor>>(orients));
  for (int level = 0; level < levels; ++level) {
    std::vector<std::vector<Tensor>> got(dirs, std::vector<Tensor>(orients));
    for (int d = 0; d < dirs; ++d) {
      for (int k = 0; k < orients; ++k) {
        auto in = inputs_for(d, k, ea, eb, eh, ew);
        for (int l = 0; l < level; ++l) in.emplace_back(model.flow_blobs()[l], flows[d][k][l]);
        const int want = model.flow_blobs()[level];
        got[d][k] = net.run(in, std::span<const int>(&want, 1), cancel)[0];
      }
    }
    std::vector<Tensor> merged(dirs);
    for (int d = 0; d < dirs; ++d) {
      merged[d] = orients == 8 ? merge_spatial(got[d]) : copy_of(got[d][0].channels(0, 5));
    }
    if (dirs == 2) {
      merge_temporal(merged[0], merged[1]);
    }
    for (int d = 0; d < dirs; ++d) {
      if (dirs == 2 || orients == 1) write_spatial(got[d], merged[d]);
      for (int k = 0; k < orients; ++k) flows[d][k].push_back(got[d][k]);
    }
    result.flows.push_back(merged[0]);
  }
  // Final pass at full resolution: out0 of each (direction, orientation) with all flows given.
  auto final_pass = [&](const Tensor& x0, const Tensor& x1) {
    Tensor sum;
    for (int d = 0; d < dirs; ++d) {
      Tensor dir_sum;
      for (int k = 0; k < orients; ++k) {
        auto in = inputs_for(d, k, x0, x1, hp, wp);
        for (int l = 0; l < levels; ++l) {
          in.emplace_back(model.flow_blobs()[l], half ? upscale_flow(flows[d][k][l], 2) : flows[d][k][l]);
        }
        const Tensor o = unorient(net.run(in, std::span<const int>(&model.out0, 1), cancel)[0], k, hp, wp);
        if (k == 0 && d == 0 && orients == 1 && dirs == 1) result.out0_padded = o;
        if (dir_sum.empty()) {
          dir_sum = copy_of(o);
        } else {
          for (std::size_t i = 0; i < o.size(); ++i) dir_sum.data()[i] += o.data()[i];
        }
      }
      if (orients == 8) {
        for (std::size_t i = 0; i < dir_sum.size(); ++i) dir_sum.data()[i] /= 8.0f;
      }
      if (sum.empty()) {
        sum = dir_sum;
      } else {
        for (std::size_t i = 0; i < sum.size(); ++i)
          sum.data()[i] = (sum.data()[i] + dir_sum.data()[i]) * 0.5f;
      }
    }
    return crop_to(sum, a.h, a.w);
  };
  result.out = final_pass(pa, pb);
  if (alpha_a != nullptr && alpha_b != nullptr && alpha_out != nullptr) {
    *alpha_out = final_pass(pad_to(*alpha_a, hp, wp), pad_to(*alpha_b, hp, wp));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Tiling

int choose_tile_size(int width, int height, const RifeOptions& options) {
  if (options.tile > 0) return (width > options.tile || height > options.tile) ? options.tile : 0;
  const double budget =
      static_cast<double>(options.max_memory_mb > 0 ? options.max_memory_mb : 1536) * 1048576.0;
  const double wp = std::ceil(width / 32.0) * 32, hp = std::ceil(height / 32.0) * 32;
  if (wp * hp * k_bytes_per_pixel <= budget) return 0;
  // Tiled, the whole-frame float planes stay resident (2 inputs, the blend accumulator and its weights,
  // 3+3+3+1 floats a pixel); tiles get the rest of the budget, at least 256 MB.
  const double frame_bytes = 10.0 * 4.0 * static_cast<double>(width) * height;
  const double tile_budget = std::max(budget - frame_bytes, budget / 4);
  const int tile = static_cast<int>(std::sqrt(tile_budget / k_bytes_per_pixel)) / 32 * 32;
  return std::max(tile, 256);
}

namespace {

// Tiles along one axis: the fewest tiles of at most `tile` pixels that overlap by `overlap`, shrunk to equal
// lengths (a multiple of 32 where possible, so no padding work) and spread evenly, so tiling adds little
// work.
struct AxisTiles {
  int length = 0;
  std::vector<int> starts;
};
AxisTiles axis_tiles(int size, int tile, int overlap) {
  if (size <= tile) return {size, {0}};
  const int n = (size - overlap + (tile - overlap) - 1) / (tile - overlap);
  int length = (size + (n - 1) * overlap + n - 1) / n;
  length = std::min(tile, (length + 31) / 32 * 32);
  AxisTiles t{length, {}};
  for (int i = 0; i < n; ++i) {
    t.starts.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (size - length) / (n - 1))));
  }
  return t;
}

// Blend weight of position p in [0, len) of a tile: a raised-cosine ramp over `ramp` pixels on sides that
// have a neighbour, 1 elsewhere.
float edge_weight(int p, int len, int ramp, bool before, bool after) {
  float w = 1.0f;
  if (ramp <= 0) return w;
  auto rise = [&](int d) {
    if (d >= ramp) return 1.0f;
    return static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * (d + 0.5) / ramp));
  };
  if (before) w *= rise(p);
  if (after) w *= rise(len - 1 - p);
  return w;
}

Tensor crop_region(const Tensor& x, int y0, int x0, int h, int w) {
  Tensor out = Tensor::make(x.c, h, w);
  for (int c = 0; c < x.c; ++c) {
    for (int y = 0; y < h; ++y) std::copy(x.row(c, y0 + y) + x0, x.row(c, y0 + y) + x0 + w, out.row(c, y));
  }
  return out;
}

}  // namespace

Tensor interpolate_rgb(const RifeModel& model, const Tensor& a, const Tensor& b, float t,
                       const RifeOptions& options, const CancelToken& cancel, const Tensor* alpha_a,
                       const Tensor* alpha_b, Tensor* alpha_out) {
  const int tile = choose_tile_size(a.w, a.h, options);
  if (tile == 0) return infer_pair(model, a, b, t, options, cancel, alpha_a, alpha_b, alpha_out).out;
  const int overlap = std::clamp(options.tile_overlap, 0, tile / 2);
  const AxisTiles rows = axis_tiles(a.h, tile, overlap), cols = axis_tiles(a.w, tile, overlap);
  const int th = rows.length, tw = cols.length;
  const auto& ys = rows.starts;
  const auto& xs = cols.starts;
  const bool with_alpha = alpha_a != nullptr && alpha_b != nullptr && alpha_out != nullptr;
  Tensor acc = Tensor::zeros(3, a.h, a.w), acc_alpha = with_alpha ? Tensor::zeros(3, a.h, a.w) : Tensor();
  std::vector<float> wsum(static_cast<std::size_t>(a.h) * a.w, 0.0f);
  for (std::size_t yi = 0; yi < ys.size(); ++yi) {
    for (std::size_t xi = 0; xi < xs.size(); ++xi) {
      cancel.throw_if_cancelled();
      const int y0 = ys[yi], x0 = xs[xi];
      const Tensor ta = crop_region(a, y0, x0, th, tw), tb = crop_region(b, y0, x0, th, tw);
      Tensor taa, tab, tao;
      if (with_alpha) {
        taa = crop_region(*alpha_a, y0, x0, th, tw);
        tab = crop_region(*alpha_b, y0, x0, th, tw);
      }
      const Tensor out = infer_pair(model, ta, tb, t, options, cancel, with_alpha ? &taa : nullptr,
                                    with_alpha ? &tab : nullptr, with_alpha ? &tao : nullptr)
                             .out;
      // Ramps span the actual overlap with the neighbour (the last tile may overlap more).
      const int ramp_top = yi > 0 ? ys[yi - 1] + th - y0 : 0,
                ramp_bottom = yi + 1 < ys.size() ? y0 + th - ys[yi + 1] : 0;
      const int ramp_left = xi > 0 ? xs[xi - 1] + tw - x0 : 0,
                ramp_right = xi + 1 < xs.size() ? x0 + tw - xs[xi + 1] : 0;
      for (int y = 0; y < th; ++y) {
        const float wy = edge_weight(y, th, std::min(ramp_top, overlap), yi > 0, false) *
                         edge_weight(y, th, std::min(ramp_bottom, overlap), false, yi + 1 < ys.size());
        for (int x = 0; x < tw; ++x) {
          const float wx = edge_weight(x, tw, std::min(ramp_left, overlap), xi > 0, false) *
                           edge_weight(x, tw, std::min(ramp_right, overlap), false, xi + 1 < xs.size());
          const float wgt = wy * wx;
          wsum[static_cast<std::size_t>(y0 + y) * a.w + x0 + x] += wgt;
          for (int c = 0; c < 3; ++c) {
            acc.row(c, y0 + y)[x0 + x] += wgt * out.row(c, y)[x];
            if (with_alpha) acc_alpha.row(c, y0 + y)[x0 + x] += wgt * tao.row(c, y)[x];
          }
        }
      }
    }
  }
  for (int c = 0; c < 3; ++c) {
    for (std::size_t i = 0; i < wsum.size(); ++i) {
      acc.channel(c)[i] /= wsum[i];
      if (with_alpha) acc_alpha.channel(c)[i] /= wsum[i];
    }
  }
  if (with_alpha) *alpha_out = acc_alpha;
  return acc;
}

// ---------------------------------------------------------------------------------------------------------------
// Images

Tensor image_to_planar(const Image& image, int first, int count) {
  const int h = image.height(), w = image.width(), ch = image.channels();
  Tensor out = Tensor::make(3, h, w);
  ThreadPool::global().parallel_for(0, h, [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
    for (auto y = static_cast<int>(y0); y < y1; ++y) {
      for (int c = 0; c < 3; ++c) {
        const int src_c = first + (count == 1 ? 0 : c);
        float* dst = out.row(c, y);
        switch (image.type()) {
          case SampleType::U8: {
            const auto* p = image.row<std::uint8_t>(y);
            for (int x = 0; x < w; ++x) dst[x] = static_cast<float>(p[x * ch + src_c]) * (1 / 255.f);
            break;
          }
          case SampleType::U16: {
            const auto* p = image.row<std::uint16_t>(y);
            for (int x = 0; x < w; ++x) dst[x] = static_cast<float>(p[x * ch + src_c]) * (1 / 65535.f);
            break;
          }
          case SampleType::F32: {
            const auto* p = image.row<float>(y);
            for (int x = 0; x < w; ++x) {
              const float v = p[x * ch + src_c];
              dst[x] = std::isfinite(v) ? v : 0.0f;
            }
            break;
          }
        }
      }
    }
  });
  return out;
}

void planar_to_image(const Tensor& t, Image& image, int first) {
  const int w = image.width(), ch = image.channels();
  ThreadPool::global().parallel_for(0, image.height(), [&](std::ptrdiff_t y0, std::ptrdiff_t y1) {
    for (auto y = static_cast<int>(y0); y < y1; ++y) {
      for (int c = 0; c < t.c; ++c) {
        const float* src = t.row(c, y);
        switch (image.type()) {
          case SampleType::U8: {
            auto* p = image.row<std::uint8_t>(y);
            for (int x = 0; x < w; ++x) {
              p[x * ch + first + c] =
                  static_cast<std::uint8_t>(std::clamp(static_cast<int>(src[x] * 255.f + 0.5f), 0, 255));
            }
            break;
          }
          case SampleType::U16: {
            auto* p = image.row<std::uint16_t>(y);
            for (int x = 0; x < w; ++x) {
              const float v = std::clamp(src[x] * 65535.f + 0.5f, 0.0f, 65535.0f);
              p[x * ch + first + c] = static_cast<std::uint16_t>(v);
            }
            break;
          }
          case SampleType::F32: {
            auto* p = image.row<float>(y);
            for (int x = 0; x < w; ++x) p[x * ch + first + c] = std::clamp(src[x], 0.0f, 1.0f);
            break;
          }
        }
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Interpolator

RifeInterpolator::RifeInterpolator(std::shared_ptr<const RifeModel> model, RifeOptions options)
    : m_model(std::move(model)), m_options(options) {}

std::vector<Image> RifeInterpolator::interpolate(const Image& a, const Image& b,
                                                 std::span<const double> timesteps, const CancelToken& cancel,
                                                 PairReport*) {
  check_interpolation_inputs(a, b, timesteps);
  const int ch = a.channels();
  if (ch != 1 && ch != 3 && ch != 4) {
    fail(ErrorKind::Unsupported, "rife: frames with {} channels (expected 1 grey, 3 RGB or 4 RGBA)", ch);
  }
  const Tensor pa = image_to_planar(a, 0, ch == 1 ? 1 : 3), pb = image_to_planar(b, 0, ch == 1 ? 1 : 3);
  Tensor alpha_a, alpha_b;
  if (ch == 4) {
    alpha_a = image_to_planar(a, 3, 1);
    alpha_b = image_to_planar(b, 3, 1);
  }
  std::vector<Image> result;
  for (double t : timesteps) {
    cancel.throw_if_cancelled();
    Tensor alpha_out;
    const Tensor rgb = interpolate_rgb(*m_model, pa, pb, static_cast<float>(t), m_options, cancel,
                                       ch == 4 ? &alpha_a : nullptr, ch == 4 ? &alpha_b : nullptr,
                                       ch == 4 ? &alpha_out : nullptr);
    Image out(a.width(), a.height(), ch, a.type());
    if (ch == 1) {
      // The three result planes of a replicated grey pair differ only by the network's channel weights.
      Tensor grey = Tensor::make(1, rgb.h, rgb.w);
      for (std::size_t i = 0; i < grey.size(); ++i) {
        grey.data()[i] = (rgb.channel(0)[i] + rgb.channel(1)[i] + rgb.channel(2)[i]) * (1.0f / 3.0f);
      }
      planar_to_image(grey, out, 0);
    } else {
      planar_to_image(rgb, out, 0);
      if (ch == 4) planar_to_image(alpha_out.channels(0, 1), out, 3);
    }
    result.push_back(std::move(out));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Model folders and config

fs::path default_models_dir() {
  return user_dir(UserDir::Data) / "models";
}

std::vector<fs::path> find_model_dirs(const fs::path& models_dir) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  if (fs::exists(models_dir / "flownet.param", ec)) return {models_dir};
  if (!fs::is_directory(models_dir, ec)) return dirs;
  for (const auto& entry : fs::directory_iterator(models_dir, ec)) {
    if (entry.is_directory(ec) && entry.path().filename().string().rfind("rife-", 0) == 0)
      dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

fs::path resolve_model_dir(const Config& config) {
  const std::string& model = config.get_string("rife.model");
  const std::string& models_dir = config.get_string("rife.models_dir");
  const fs::path base = models_dir.empty() ? default_models_dir() : fs::path(models_dir);
  if (!model.empty()) {
    // A bare name ("rife-v4.6") is looked up in the models folder.
    const fs::path direct(model);
    if (fs::exists(direct) || direct.has_parent_path()) return direct;
    return base / direct;
  }
  const auto dirs = find_model_dirs(base);
  if (dirs.empty()) {
    fail(ErrorKind::NotFound,
         "no RIFE model: rife.model is empty and {} has no rife-* folder (expected e.g. {}/rife-v4.6 with "
         "flownet.param and flownet.bin; set rife.model or rife.models_dir)",
         base.string(), base.string());
  }
  return dirs.front();
}

RifeOptions::RifeOptions() : RifeOptions(from_config(Config::defaults())) {}

RifeOptions RifeOptions::from_config(const Config& config) {
  RifeOptions o(FromConfig{});
  o.tta_spatial = config.get_bool("rife.tta_spatial");
  o.tta_temporal = config.get_bool("rife.tta_temporal");
  o.tile = static_cast<int>(config.get_int("rife.tile"));
  o.tile_overlap = static_cast<int>(config.get_int("rife.tile_overlap"));
  o.scale = config.get_float("rife.scale");
  if (o.scale != 1.0 && o.scale != 0.5) {
    fail(ErrorKind::InvalidArgument, "rife.scale = {} (expected 0.5 or 1)", o.scale);
  }
  if (o.tile > 0 && o.tile < 64) {
    fail(ErrorKind::InvalidArgument, "rife.tile = {} (expected 0 for automatic or at least 64)", o.tile);
  }
  o.max_memory_mb = config.get_int("general.max_memory_mb");
  return o;
}

ModelCheck check_model(const fs::path& dir) {
  ModelCheck check;
  const auto model = RifeModel::load(dir);
  check.info = model->info();
  check.expected_bin_bytes = expected_bin_size_fp16(model->net().graph());
  check.levels = model->levels();
  if (check.levels == 0) {
    fail(ErrorKind::Corrupt, "{}: no flow0 blob: not a RIFE v4 graph (expected IFBlock outputs flow0..flowN)",
         (dir / "flownet.param").string());
  }
  with_context(fmt::format("while test-running {} on a 64x64 pair", dir.string()), [&] {
    Tensor a = Tensor::make(3, 64, 64), b = Tensor::make(3, 64, 64);
    for (std::size_t i = 0; i < a.size(); ++i) {
      a.data()[i] = static_cast<float>(i % 97) / 96.0f;
      b.data()[i] = static_cast<float>((i + 5) % 97) / 96.0f;
    }
    const PairResult r = infer_pair(*model, a, b, 0.5f, RifeOptions{}, CancelToken());
    for (std::size_t i = 0; i < r.out.size(); ++i) {
      if (!std::isfinite(r.out.data()[i])) fail(ErrorKind::Corrupt, "the output has non-finite values");
    }
  });
  // Work of one 1080p evaluation, counted by running the graph's shape arithmetic on a tiny pair is not
  // possible (sizes differ), so scale the 64x64 count: every layer's work is proportional to pixels.
  double macs = 0;
  {
    const Tensor z = Tensor::zeros(3, 64, 64), t = filled(64, 64, 0.5f);
    std::vector<std::pair<int, Tensor>> in = {{model->in0, z}, {model->in1, z}, {model->in2, t}};
    model->net().run(in, std::span<const int>(&model->out0, 1), CancelToken(), &macs);
  }
  check.gmac_1080p = macs * (1920.0 * 1088.0) / (64.0 * 64.0) / 1e9;
  return check;
}

std::unique_ptr<Interpolator> make_rife_interpolator(const Config& config) {
  const RifeOptions options = RifeOptions::from_config(config);
  return std::make_unique<RifeInterpolator>(RifeModel::load(resolve_model_dir(config)), options);
}

}  // namespace goesvfi::rife
