#include "testutil/testutil.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>

namespace goesvfi::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "goesvfi-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  m_path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(m_path, ec);
}

fs::path shared_dir() {
  return GOESVFI_SHARED_DIR;
}
fs::path source_dir() {
  return GOESVFI_SOURCE_DIR;
}
fs::path cli_path() {
  return GOESVFI_CLI;
}

bool built_with_sanitizers() {
#ifdef GOESVFI_SANITIZED
  return true;
#else
  return false;
#endif
}

namespace {
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}
}  // namespace

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult run_cli(const std::vector<std::string>& args, const std::string& env) {
  TempDir tmp;
  std::string cmd = env + " " + shell_quote(cli_path().string());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote((tmp / "out").string()) + " 2>" + shell_quote((tmp / "err").string()) +
         " </dev/null";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(tmp / "out");
  r.err = read_file(tmp / "err");
  return r;
}

Image make_pattern(int width, int height, int channels, SampleType type, double dx, double dy, int seed) {
  // A sum of smooth sinusoids with random directions: band-limited, so sub-pixel shifts are well defined.
  std::mt19937 rng(static_cast<unsigned>(seed));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Wave {
    double kx, ky, phase, amp;
  };
  std::vector<Wave> waves;
  for (int i = 0; i < 12; ++i) {
    const double angle = u(rng) * 2 * M_PI;
    const double wavelength = 12.0 + u(rng) * 60.0;
    waves.push_back({std::cos(angle) * 2 * M_PI / wavelength, std::sin(angle) * 2 * M_PI / wavelength,
                     u(rng) * 2 * M_PI, 0.04 + u(rng) * 0.04});
  }
  Image img(width, height, channels, type);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double sx = x - dx, sy = y - dy;
      for (int c = 0; c < channels; ++c) {
        double v = 0.5;
        if (c == 3) {
          v = 1.0;
        } else {
          for (std::size_t i = 0; i < waves.size(); ++i) {
            const auto& w = waves[i];
            v += w.amp * std::sin(w.kx * sx + w.ky * sy + w.phase + c * 0.7 * static_cast<double>(i % 3));
          }
        }
        v = std::clamp(v, 0.0, 1.0);
        const std::size_t idx = static_cast<std::size_t>(x) * channels + c;
        switch (type) {
          case SampleType::U8:
            img.row<std::uint8_t>(y)[idx] = static_cast<std::uint8_t>(v * 255 + 0.5);
            break;
          case SampleType::U16:
            img.row<std::uint16_t>(y)[idx] = static_cast<std::uint16_t>(v * 65535 + 0.5);
            break;
          case SampleType::F32:
            img.row<float>(y)[idx] = static_cast<float>(v);
            break;
        }
      }
    }
  }
  return img;
}

double mean_level(const Image& img) {
  EXPECT_EQ(img.type(), SampleType::U8) << img.describe();
  double s = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width() * img.channels(); ++x) s += img.row<std::uint8_t>(y)[x];
  return s / (static_cast<double>(img.width()) * img.height() * img.channels());
}

double psnr(const Image& a, const Image& b) {
  EXPECT_TRUE(a.same_layout(b)) << a.describe() << " vs " << b.describe();
  const Image fa = convert_type(a, SampleType::F32), fb = convert_type(b, SampleType::F32);
  double se = 0;
  std::size_t n = 0;
  for (int y = 0; y < fa.height(); ++y) {
    for (int i = 0; i < fa.width() * fa.channels(); ++i) {
      const double d = static_cast<double>(fa.row<float>(y)[i]) - fb.row<float>(y)[i];
      se += d * d;
      ++n;
    }
  }
  const double mse = se / static_cast<double>(n);
  return mse <= 1e-12 ? 120.0 : 10.0 * std::log10(1.0 / mse);
}

double interior_psnr(const Image& a, const Image& b, int margin) {
  const Rect r{margin, margin, a.width() - 2 * margin, a.height() - 2 * margin};
  return psnr(a.view(r), b.view(r));
}

}  // namespace goesvfi::test
