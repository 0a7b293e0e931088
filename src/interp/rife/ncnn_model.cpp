#include "interp/rife/ncnn_model.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "interp/rife/layer.hpp"

namespace goesvfi::rife {

namespace {

constexpr std::uint32_t k_tag_fp16 = 0x01306B47;
constexpr std::uint32_t k_tag_fp32 = 0x0002C056;
constexpr std::uint32_t k_tag_int8 = 0x000D4B38;
constexpr std::int64_t k_max_weights = std::int64_t{1} << 30;  // 4 GiB of fp32: far beyond any RIFE

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parse_int(std::string_view s, std::int64_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_number(std::string_view s, bool& is_float, std::int64_t& i, float& f) {
  is_float = s.find_first_of(".eE") != std::string_view::npos;
  if (!is_float) {
    if (!parse_int(s, i)) return false;
    f = static_cast<float>(i);
    return true;
  }
  // from_chars for float is in libstdc++ 11+; strtof needs a terminated copy.
  std::string copy(s);
  char* end = nullptr;
  f = std::strtof(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(f)) return false;
  i = static_cast<std::int64_t>(f);
  return true;
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else {
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

// Weight and bias counts of a layer (0 when it has none), after its row's weight layout.
void weight_counts(const LayerDesc& layer, std::int64_t& weights, std::int64_t& biases) {
  weights = biases = 0;
  switch (layer.kind->weights) {
    case WeightLayout::None:
      break;
    case WeightLayout::Convolution:
      weights = layer.params.get_int(6, 0);
      if (layer.params.get_int(5, 0) != 0) biases = layer.params.get_int(0, 0);
      break;
    case WeightLayout::Slopes:
      biases = layer.params.get_int(0, 0);  // slopes are stored untagged, like biases
      break;
  }
}

}  // namespace

int ParamDict::get_int(int key, int fallback) const {
  auto it = m_values.find(key);
  if (it == m_values.end() || it->second.is_array) return fallback;
  return it->second.is_float ? static_cast<int>(it->second.f) : static_cast<int>(it->second.i);
}

float ParamDict::get_float(int key, float fallback) const {
  auto it = m_values.find(key);
  if (it == m_values.end() || it->second.is_array) return fallback;
  return it->second.f;
}

std::vector<float> ParamDict::get_array(int key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) return {};
  if (!it->second.is_array) return {it->second.f};
  return it->second.array;
}

int ParamGraph::find_blob(std::string_view name) const {
  auto it = blob_index.find(name);
  return it == blob_index.end() ? -1 : it->second;
}

ParamGraph parse_param(std::string_view text, const std::string& source) {
  ParamGraph graph;
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::size_t li = 0;
  auto next_line = [&](std::vector<std::string_view>& tokens) {
    while (li < lines.size()) {
      tokens = split_ws(lines[li++]);
      if (!tokens.empty()) return true;
    }
    return false;
  };
  std::vector<std::string_view> tok;
  if (!next_line(tok) || tok.size() != 1 || tok[0] != "7767517") {
    fail(ErrorKind::Corrupt, "{}: line {}: expected the ncnn magic number 7767517 first", source, li);
  }
  std::int64_t layer_count = 0, blob_count = 0;
  if (!next_line(tok) || tok.size() != 2 || !parse_int(tok[0], layer_count) ||
      !parse_int(tok[1], blob_count) || layer_count <= 0 || blob_count <= 0 || layer_count > 100000 ||
      blob_count > 1000000) {
    fail(ErrorKind::Corrupt, "{}: line {}: expected '<layer count> <blob count>' (positive integers)", source,
         li);
  }
  for (std::int64_t n = 0; n < layer_count; ++n) {
    if (!next_line(tok)) {
      fail(ErrorKind::Corrupt, "{}: ends after {} layers but the header declares {}", source, n, layer_count);
    }
    const int line = static_cast<int>(li);
    std::int64_t nin = 0, nout = 0;
    if (tok.size() < 4 || !parse_int(tok[2], nin) || !parse_int(tok[3], nout) || nin < 0 || nout < 0 ||
        nin > 1024 || nout > 1024 || tok.size() < 4 + static_cast<std::size_t>(nin + nout)) {
      fail(ErrorKind::Corrupt,
           "{}: line {}: expected '<type> <name> <inputs> <outputs> <input blobs> <output blobs> [k=v ...]'",
           source, line);
    }
    LayerDesc layer;
    layer.type_name = std::string(tok[0]);
    layer.name = std::string(tok[1]);
    layer.line = line;
    layer.kind = find_layer_kind(layer.type_name);
    if (layer.kind == nullptr) {
      fail(ErrorKind::Unsupported, "{}: line {}: layer '{}' has unknown type '{}'", source, line, layer.name,
           layer.type_name);
    }
    for (std::int64_t k = 0; k < nin; ++k) {
      const int b = graph.find_blob(tok[4 + k]);
      if (b < 0) {
        fail(ErrorKind::Corrupt, "{}: line {}: layer '{}' reads blob '{}' that no earlier layer produces",
             source, line, layer.name, tok[4 + k]);
      }
      layer.inputs.push_back(b);
    }
    for (std::int64_t k = 0; k < nout; ++k) {
      std::string_view name = tok[4 + nin + k];
      if (graph.find_blob(name) >= 0) {
        fail(ErrorKind::Corrupt, "{}: line {}: blob '{}' is produced twice", source, line, name);
      }
      if (static_cast<std::int64_t>(graph.blob_names.size()) >= blob_count) {
        fail(ErrorKind::Corrupt, "{}: line {}: more blobs than the {} the header declares", source, line,
             blob_count);
      }
      graph.blob_index.emplace(std::string(name), static_cast<int>(graph.blob_names.size()));
      graph.blob_names.emplace_back(name);
      layer.outputs.push_back(static_cast<int>(graph.blob_names.size()) - 1);
    }
    for (std::size_t k = 4 + nin + nout; k < tok.size(); ++k) {
      const std::string_view kv = tok[k];
      const std::size_t eq = kv.find('=');
      std::int64_t key = 0;
      if (eq == std::string_view::npos || !parse_int(kv.substr(0, eq), key) || key < -23399 || key > 99) {
        fail(ErrorKind::Corrupt, "{}: line {}: parameter '{}' is not '<id>=<value>' with id in [-23399, 99]",
             source, line, kv);
      }
      ParamValue value;
      const std::string_view v = kv.substr(eq + 1);
      if (key <= -23300) {
        value.is_array = true;
        const auto parts = [&] {
          std::vector<std::string_view> p;
          std::size_t s = 0;
          for (std::size_t c = 0; c <= v.size(); ++c) {
            if (c == v.size() || v[c] == ',') {
              p.push_back(v.substr(s, c - s));
              s = c + 1;
            }
          }
          return p;
        }();
        std::int64_t count = 0;
        if (!parse_int(parts[0], count) || count < 0 ||
            count != static_cast<std::int64_t>(parts.size()) - 1) {
          fail(ErrorKind::Corrupt,
               "{}: line {}: array parameter '{}' must be '<count>,<v1>,...' with count values", source, line,
               kv);
        }
        for (std::size_t p = 1; p < parts.size(); ++p) {
          bool is_float = false;
          std::int64_t iv = 0;
          float fv = 0;
          if (!parse_number(parts[p], is_float, iv, fv)) {
            fail(ErrorKind::Corrupt, "{}: line {}: '{}' in parameter '{}' is not a number", source, line,
                 parts[p], kv);
          }
          value.array.push_back(fv);
        }
        key = -key - 23300;
      } else if (!parse_number(v, value.is_float, value.i, value.f)) {
        fail(ErrorKind::Corrupt, "{}: line {}: parameter '{}' has a value that is not a number", source, line,
             kv);
      }
      layer.params.set(static_cast<int>(key), std::move(value));
    }
    std::int64_t nw = 0, nb = 0;
    weight_counts(layer, nw, nb);
    if (nw < 0 || nb < 0 || nw > k_max_weights || nb > k_max_weights) {
      fail(ErrorKind::Corrupt,
           "{}: line {}: layer '{}' declares {} weights and {} biases (expected 0 to 2^30)", source, line,
           layer.name, nw, nb);
    }
    graph.layers.push_back(std::move(layer));
  }
  return graph;
}

std::uint64_t expected_bin_size_fp16(const ParamGraph& graph) {
  std::uint64_t total = 0;
  for (const auto& layer : graph.layers) {
    std::int64_t nw = 0, nb = 0;
    weight_counts(layer, nw, nb);
    if (nw > 0) total += 4 + ((static_cast<std::uint64_t>(nw) * 2 + 3) & ~std::uint64_t{3});
    total += static_cast<std::uint64_t>(nb) * 4;
  }
  return total;
}

void load_weights(ParamGraph& graph, std::span<const std::byte> bin, const std::string& source) {
  std::size_t pos = 0;
  auto need = [&](std::size_t bytes, const LayerDesc& layer, const char* what) {
    if (bin.size() - pos < bytes) {
      fail(ErrorKind::Corrupt,
           "{}: truncated: layer '{}' (line {}) needs {} bytes of {} at offset {}, the file has {} bytes "
           "(expected {} bytes for fp16 weights)",
           source, layer.name, layer.line, bytes, what, pos, bin.size(), expected_bin_size_fp16(graph));
    }
  };
  for (auto& layer : graph.layers) {
    std::int64_t nw = 0, nb = 0;
    weight_counts(layer, nw, nb);
    if (nw > 0) {
      need(4, layer, "weight tag");
      std::uint32_t tag;
      std::memcpy(&tag, bin.data() + pos, 4);
      pos += 4;
      const auto n = static_cast<std::size_t>(nw);
      layer.weights.resize(0);
      if (tag == k_tag_fp16) {
        const std::size_t bytes = (n * 2 + 3) & ~std::size_t{3};
        need(bytes, layer, "fp16 weights");
        layer.weights.resize(n);
        for (std::size_t k = 0; k < n; ++k) {
          std::uint16_t h;
          std::memcpy(&h, bin.data() + pos + 2 * k, 2);
          layer.weights[k] = half_to_float(h);
        }
        pos += bytes;
      } else if (tag == 0 || tag == k_tag_fp32) {
        need(n * 4, layer, "fp32 weights");
        layer.weights.resize(n);
        std::memcpy(layer.weights.data(), bin.data() + pos, n * 4);
        pos += n * 4;
      } else if (tag == k_tag_int8) {
        fail(ErrorKind::Unsupported,
             "{}: layer '{}' (line {}) has int8 weights (tag 0x{:08X}); only fp16 and fp32 "
             "models are supported",
             source, layer.name, layer.line, tag);
      } else {
        fail(
            ErrorKind::Unsupported,
            "{}: layer '{}' (line {}) has weight tag 0x{:08X} at offset {}: a quantised table or not an ncnn "
            "weight file (expected 0x{:08X} fp16 or 0 / 0x{:08X} fp32)",
            source, layer.name, layer.line, tag, pos - 4, k_tag_fp16, k_tag_fp32);
      }
      for (float w : layer.weights) {
        if (!std::isfinite(w)) {
          fail(ErrorKind::Corrupt, "{}: layer '{}' (line {}) has a non-finite weight", source, layer.name,
               layer.line);
        }
      }
    }
    if (nb > 0) {
      const auto n = static_cast<std::size_t>(nb);
      need(n * 4, layer, "fp32 biases");
      layer.bias.resize(n);
      std::memcpy(layer.bias.data(), bin.data() + pos, n * 4);
      pos += n * 4;
    }
  }
  if (pos != bin.size()) {
    fail(ErrorKind::Corrupt, "{}: has {} bytes but the graph uses {} (expected {} bytes for fp16 weights)",
         source, bin.size(), pos, expected_bin_size_fp16(graph));
  }
}

std::vector<std::byte> read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fail(std::filesystem::exists(path) ? ErrorKind::Io : ErrorKind::NotFound, "cannot open {}",
         path.string());
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  std::vector<std::byte> bytes(size);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    fail(ErrorKind::Io, "cannot read {}", path.string());
  }
  return bytes;
}

ParamGraph load_model(const std::filesystem::path& dir, ModelInfo* info) {
  const auto param_path = dir / "flownet.param";
  const auto bin_path = dir / "flownet.bin";
  if (!std::filesystem::is_directory(dir)) {
    fail(ErrorKind::NotFound,
         "model folder {} does not exist (expected a folder with flownet.param and "
         "flownet.bin)",
         dir.string());
  }
  for (const auto& p : {param_path, bin_path}) {
    if (!std::filesystem::exists(p)) {
      fail(ErrorKind::NotFound, "model folder {} has no {} (expected flownet.param and flownet.bin)",
           dir.string(), p.filename().string());
    }
  }
  const auto text = read_file_bytes(param_path);
  ParamGraph graph = parse_param(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                                 param_path.string());
  const auto bin = read_file_bytes(bin_path);
  load_weights(graph, bin, bin_path.string());
  if (info != nullptr) {
    info->dir = dir;
    const std::string folder =
        dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
    info->version = folder.rfind("rife-v", 0) == 0 ? folder.substr(6) : folder;
    info->bin_bytes = bin.size();
    info->parameters = 0;
    for (const auto& l : graph.layers) info->parameters += l.weights.size() + l.bias.size();
    info->layers = static_cast<int>(graph.layers.size());
  }
  return graph;
}

}  // namespace goesvfi::rife
