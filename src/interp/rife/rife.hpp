// RIFE v4.x frame interpolation in process, from ncnn model folders (flownet.param + flownet.bin), computing
// what rife-ncnn-vulkan computes on the CPU (process_v4_cpu) without its crop bug: RGB in [0,1], zero padding
// right/bottom to a multiple of 32, in2 = the timestep map, out = v*255+0.5 saturated. Spatial TTA (8
// orientations) and temporal TTA (swapped pair at 1-t) merge the flows level by level as rife-ncnn-vulkan
// does for v4. Large frames run in overlapping tiles blended with smooth weights.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/config.hpp"
#include "interp/interpolator.hpp"
#include "interp/rife/net.hpp"

namespace goesvfi::rife {

class RifeModel {
 public:
  // Loads and validates a model folder (NotFound / Corrupt / Unsupported naming the file).
  static std::shared_ptr<const RifeModel> load(const std::filesystem::path& dir);
  RifeModel(ParamGraph graph, ModelInfo info);

  const Net& net() const { return m_net; }
  const ModelInfo& info() const { return m_info; }
  int levels() const { return static_cast<int>(m_flow_blobs.size()); }

  int in0 = -1, in1 = -1, in2 = -1, out0 = -1;
  const std::vector<int>& flow_blobs() const { return m_flow_blobs; }  // flow0..flowN-1

 private:
  ModelInfo m_info;
  Net m_net;
  std::vector<int> m_flow_blobs;
};

// The defaults are the schema's (rife.* rows and general.max_memory_mb): RifeOptions{} equals
// from_config(Config::defaults()); no default value is written here.
struct RifeOptions {
  RifeOptions();

  bool tta_spatial;
  bool tta_temporal;
  int tile;                    // tile size in pixels (0 = automatic from max_memory_mb; no tiling if it fits)
  int tile_overlap;            // overlap between neighbouring tiles
  double scale;                // 0.5: flows estimated on the half-size pair and scaled up (UHD mode)
  std::int64_t max_memory_mb;  // 0 = automatic (1536 MB for the engine's working set)

  // InvalidArgument naming rife.scale / rife.tile when they are out of what the engine runs.
  static RifeOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit RifeOptions(FromConfig)
      : tta_spatial(false), tta_temporal(false), tile(0), tile_overlap(0), scale(0), max_memory_mb(0) {}
};

// What one evaluation produced (padded sizes where noted), for tests and tools.
struct PairResult {
  Tensor out;                 // 3 x H x W: the float result v (before x255), cropped
  Tensor out0_padded;         // plain runs: the out0 blob at the padded size
  std::vector<Tensor> flows;  // plain: the flowN blobs (6 channels); TTA: merged flows (5 channels, identity)
};

// One evaluation on an untiled pair: `a` and `b` are 3 x H x W RGB in [0,1], t in (0,1). With alpha_a/alpha_b
// (3 x H x W), *alpha_out receives them warped and blended with the same flows and mask.
PairResult infer_pair(const RifeModel& model, const Tensor& a, const Tensor& b, float t,
                      const RifeOptions& options, const CancelToken& cancel, const Tensor* alpha_a = nullptr,
                      const Tensor* alpha_b = nullptr, Tensor* alpha_out = nullptr);

// Any frame size: tiles when options.tile or the memory budget asks for it. Returns 3 x H x W (and the alpha
// planes as infer_pair does).
Tensor interpolate_rgb(const RifeModel& model, const Tensor& a, const Tensor& b, float t,
                       const RifeOptions& options, const CancelToken& cancel, const Tensor* alpha_a = nullptr,
                       const Tensor* alpha_b = nullptr, Tensor* alpha_out = nullptr);

// Bytes of engine memory per padded input pixel, used for automatic tiling: the RSS slope between 720p and
// 1080p runs of bench_rife (636 - 375 MB over 1.15 M pixels; see docs/benchmarks.md). And the tile size
// chosen for a frame under options (0 = untiled).
constexpr double k_bytes_per_pixel = 240.0;
int choose_tile_size(int width, int height, const RifeOptions& options);

// Image <-> planar float. U8 uses v * (1/255.f) like rife-ncnn-vulkan; U16 v/65535; F32 as is (NaN -> 0).
// Channel `first`..`first+count` of an interleaved image; grey (count 1) is replicated to 3 planes.
Tensor image_to_planar(const Image& image, int first_channel, int count);
// Writes planes of `t` into channels of `image` (same size): U8/U16 round as v*max+0.5 saturated, F32 clamps
// to [0,1].
void planar_to_image(const Tensor& t, Image& image, int first_channel);

// The `rife` backend. Grey frames run as RGB (grey replicated) and the output is the mean of the three result
// channels; RGBA frames interpolate RGB with the network and alpha with the same flows and blend mask (alpha
// replicated to 3 channels, through the graph's warp/blend tail only). U8, U16 and F32 samples.
class RifeInterpolator final : public Interpolator {
 public:
  RifeInterpolator(std::shared_ptr<const RifeModel> model, RifeOptions options);
  std::string_view name() const override { return "rife"; }
  std::vector<Image> interpolate(const Image& a, const Image& b, std::span<const double> timesteps,
                                 const CancelToken& cancel, PairReport* report = nullptr) override;
  const RifeModel& model() const { return *m_model; }

 private:
  std::shared_ptr<const RifeModel> m_model;
  RifeOptions m_options;
};

// Model folders: `dir` itself when it holds flownet.param, else its `rife-*` subfolders, sorted.
std::filesystem::path default_models_dir();  // $XDG_DATA_HOME/goesvfi/models or ~/.local/share/goesvfi/models
std::vector<std::filesystem::path> find_model_dirs(const std::filesystem::path& models_dir);
// The model named by config (rife.model, else the first of rife.models_dir); NotFound explaining where it
// looked.
std::filesystem::path resolve_model_dir(const Config& config);

// `goesvfi models check`: loads the folder (bin size checked against what the param implies), validates every
// layer, and runs one 64x64 evaluation to prove the graph executes (in0/in1/in2 -> out0, flow blobs). Throws
// the first problem; returns what it found.
struct ModelCheck {
  ModelInfo info;
  std::uint64_t expected_bin_bytes = 0;  // for fp16-tagged weights
  int levels = 0;                        // flowN blobs (IFBlocks)
  double gmac_1080p = 0;                 // conv/deconv work of one 1920x1088 evaluation
};
ModelCheck check_model(const std::filesystem::path& dir);
std::unique_ptr<Interpolator> make_rife_interpolator(const Config& config);

}  // namespace goesvfi::rife
