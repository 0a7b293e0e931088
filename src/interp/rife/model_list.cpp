#include "interp/rife/model_list.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace goesvfi::rife {

namespace fs = std::filesystem;

std::vector<ModelListing> list_models(const fs::path& models_dir) {
  std::vector<ModelListing> out;
  for (const fs::path& d : find_model_dirs(models_dir)) {
    ModelListing m;
    m.dir = d;
    const std::string folder = d.filename().string();
    m.version = folder.rfind("rife-v", 0) == 0 ? folder.substr(6) : folder;
    try {
      const ModelInfo info = RifeModel::load(d)->info();
      m.version = info.version;
      m.bin_bytes = info.bin_bytes;
      m.ok = true;
      m.status = "ok";
    } catch (const Error& e) {
      m.status = e.message();
      std::error_code ec;
      const auto size = fs::file_size(d / "flownet.bin", ec);
      m.bin_bytes = ec ? 0 : size;
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string describe_check(const fs::path& dir, const ModelCheck& c) {
  return fmt::format(
      "{}: RIFE v{} ok\n  layers {}, IFBlock levels {}, parameters {}\n  flownet.bin {} bytes (fp16 layout "
      "expects {})\n  {:.1f} GMAC per 1920x1080 frame",
      dir.string(), c.info.version, c.info.layers, c.levels, c.info.parameters, c.info.bin_bytes,
      c.expected_bin_bytes, c.gmac_1080p);
}

}  // namespace goesvfi::rife
