// ncnn model files (`.param` text graph + `.bin` weights), as rife-ncnn-vulkan ships them. Parsing is strict:
// every malformed line, unknown layer type, missing blob or short/long weight file is an Error naming the
// file, the line and what was expected, never a crash (the parser is fuzzed, see fuzz/).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goesvfi::rife {

// One `key=value` of a layer line: an int, a float or (key <= -23300) an array of floats/ints.
struct ParamValue {
  bool is_float = false;
  std::int64_t i = 0;
  float f = 0;
  std::vector<float> array;  // for -233xx keys; ints are stored as floats too
  bool is_array = false;
};

class ParamDict {
 public:
  void set(int key, ParamValue value) { m_values[key] = std::move(value); }
  bool has(int key) const { return m_values.count(key) != 0; }
  int get_int(int key, int fallback) const;
  float get_float(int key, float fallback) const;
  std::vector<float> get_array(int key) const;  // empty when absent

 private:
  std::map<int, ParamValue> m_values;
};

struct LayerKind;  // layer.hpp: the row of the layer table for a type

struct LayerDesc {
  const LayerKind* kind = nullptr;  // never null once parsed
  std::string type_name;
  std::string name;
  int line = 0;                      // 1-based line in the .param file
  std::vector<int> inputs, outputs;  // blob indices
  ParamDict params;
  // Weights (Convolution/Deconvolution: [out][in][kh][kw] fp32; PReLU: slopes) and biases.
  std::vector<float> weights, bias;
};

struct ParamGraph {
  std::vector<LayerDesc> layers;
  std::vector<std::string> blob_names;
  std::map<std::string, int, std::less<>> blob_index;
  int find_blob(std::string_view name) const;  // -1 when absent
};

// Parses `.param` text. `source` names the file in errors. Throws Corrupt / Unsupported.
ParamGraph parse_param(std::string_view text, const std::string& source);

// The number of bytes the `.bin` must have for `graph` when stored as rife-ncnn-vulkan stores it: fp16-tagged
// weights (4-byte tag, 2 bytes per value padded to 4) and untagged fp32 biases / slopes.
std::uint64_t expected_bin_size_fp16(const ParamGraph& graph);

// Fills the weights of `graph` from `.bin` bytes (fp16-tagged or raw fp32 weights; int8/quantised tags are
// Unsupported). Throws Corrupt on truncation or trailing bytes, naming expected and actual sizes.
void load_weights(ParamGraph& graph, std::span<const std::byte> bin, const std::string& source);

// A model folder: flownet.param + flownet.bin, loaded.
struct ModelInfo {
  std::filesystem::path dir;
  std::string version;  // "4.6" from "rife-v4.6", else the folder name
  std::uint64_t bin_bytes = 0;
  std::uint64_t parameters = 0;  // number of weights and biases
  int layers = 0;
};
ParamGraph load_model(const std::filesystem::path& dir, ModelInfo* info = nullptr);

// Reads a whole file; NotFound/Io naming it.
std::vector<std::byte> read_file_bytes(const std::filesystem::path& path);

}  // namespace goesvfi::rife
