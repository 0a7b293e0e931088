#include "pipeline/input.hpp"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <future>

#include <opencv2/imgproc.hpp>

#include "catalog/schedule.hpp"
#include "core/cv_image.hpp"
#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "goes/scan_time.hpp"

namespace goesvfi {

namespace fs = std::filesystem;

bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])),
               db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      // Compare digit runs by value: strip leading zeros, then longer is larger, then lexicographic.
      std::size_t is = i, js = j;
      while (is + 1 < ie && a[is] == '0') ++is;
      while (js + 1 < je && b[js] == '0') ++js;
      if (ie - is != je - js) return ie - is < je - js;
      const int c = a.compare(is, ie - is, b, js, je - js);
      if (c != 0) return c < 0;
      i = ie;
      j = je;
    } else {
      const char ca = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
      const char cb = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j])));
      if (ca != cb) return ca < cb;
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;  // total order for names equal up to case
}

bool order_frames(std::vector<fs::path>& paths) {
  std::vector<std::pair<UtcTime, fs::path>> timed;
  for (const auto& p : paths) {
    auto t = scan_time_from_name(p.filename().string());
    if (!t) break;
    timed.emplace_back(*t, p);
  }
  if (!paths.empty() && timed.size() == paths.size()) {
    std::stable_sort(timed.begin(), timed.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first
                                : natural_less(x.second.filename().string(), y.second.filename().string());
    });
    for (std::size_t i = 0; i < paths.size(); ++i) paths[i] = timed[i].second;
    return true;
  }
  std::sort(paths.begin(), paths.end(), [](const fs::path& x, const fs::path& y) {
    return natural_less(x.filename().string(), y.filename().string());
  });
  return false;
}

std::vector<UtcTime> frame_times(const std::vector<fs::path>& frames) {
  std::vector<UtcTime> times;
  for (const auto& p : frames) {
    auto t = scan_time_from_name(p.filename().string());
    if (!t) return {};
    times.push_back(*t);
  }
  return times;
}

std::vector<int> cadence_steps(const std::vector<UtcTime>& times) {
  std::vector<int> steps(times.size(), 1);
  const auto cadence = times.size() < 2 ? std::nullopt : catalog::detect_interval(times);
  if (!cadence || cadence->count() <= 0) return steps;
  for (std::size_t i = 0; i + 1 < times.size(); ++i) {
    const double ratio =
        std::chrono::duration<double>(times[i + 1] - times[i]) / std::chrono::duration<double>(*cadence);
    steps[i] = std::max(1, static_cast<int>(std::lround(ratio)));
  }
  return steps;
}

std::vector<fs::path> list_input_frames(const std::vector<std::string>& inputs) {
  std::vector<fs::path> paths;
  for (const auto& entry : inputs) {
    std::error_code ec;
    if (fs::is_directory(entry, ec)) {
      for (const auto& f : fs::directory_iterator(entry)) {
        if (f.is_regular_file() && is_image_extension(f.path()) && f.path().filename().string()[0] != '.') {
          paths.push_back(f.path());
        }
      }
    } else if (fs::is_regular_file(entry, ec)) {
      paths.emplace_back(entry);
    } else if (entry.find_first_of("*?[") != std::string::npos) {
      glob_t g{};
      const int rc = ::glob(entry.c_str(), 0, nullptr, &g);
      if (rc == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
          fs::path p(g.gl_pathv[i]);
          if (fs::is_regular_file(p, ec) && is_image_extension(p)) paths.push_back(p);
        }
      }
      globfree(&g);
      if (rc != 0) fail(ErrorKind::NotFound, "pattern '{}' matches no file", entry);
    } else {
      fail(ErrorKind::NotFound,
           "input '{}' does not exist (expected a folder, an image file or a glob pattern)", entry);
    }
  }
  if (paths.empty()) {
    fail(ErrorKind::InvalidArgument, "no PNG, JPEG or TIFF frames found in {}", fmt::join(inputs, ", "));
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  order_frames(paths);
  return paths;
}

Rect parse_crop(const std::string& text) {
  Rect r;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d,%d,%d,%d%c", &r.x, &r.y, &r.width, &r.height, &tail) != 4 || r.x < 0 ||
      r.y < 0 || r.width <= 0 || r.height <= 0) {
    fail(ErrorKind::InvalidArgument, "crop '{}' is not X,Y,W,H with X,Y >= 0 and W,H > 0", text);
  }
  return r;
}

std::optional<std::string> crop_problem(const Rect& r, int width, int height) {
  if (r.x < 0 || r.y < 0 || r.width <= 0 || r.height <= 0) {
    return fmt::format("crop {},{},{},{} needs X,Y >= 0 and W,H > 0", r.x, r.y, r.width, r.height);
  }
  if (static_cast<std::int64_t>(r.x) + r.width > width ||
      static_cast<std::int64_t>(r.y) + r.height > height) {
    return fmt::format("crop {},{},{},{} does not fit the {}x{} frame (x+w <= {} and y+h <= {} needed)", r.x,
                       r.y, r.width, r.height, width, height, width, height);
  }
  return std::nullopt;
}

FramePrep frame_prep_from(const Config& config) {
  FramePrep prep;
  if (const auto& crop = config.get_string("frame.crop"); !crop.empty())
    prep.crop = with_context("in frame.crop", [&] { return parse_crop(crop); });
  if (const auto& size = config.get_string("frame.resize"); !size.empty())
    prep.resize = with_context("in frame.resize", [&] { return parse_size(size); });
  return prep;
}

std::pair<int, int> parse_size(const std::string& text) {
  int w = 0, h = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w <= 0 || h <= 0 || w > 65536 ||
      h > 65536) {
    fail(ErrorKind::InvalidArgument, "size '{}' is not WxH (e.g. 1920x1080)", text);
  }
  return {w, h};
}

namespace {
Image resize_image(const Image& src, int w, int h) {
  const cv::Mat in = as_mat(src);
  Image out(w, h, src.channels(), src.type());
  cv::Mat dst = as_mat(out);
  // Area averaging when shrinking (no aliasing of cloud texture), bilinear when enlarging.
  cv::resize(in, dst, dst.size(), 0, 0,
             (w < src.width() || h < src.height()) ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}
}  // namespace

Image prepare_frame(Image image, const fs::path& path, const FramePrep& prep) {
  if (prep.resize && (image.width() != prep.resize->first || image.height() != prep.resize->second)) {
    image = resize_image(image, prep.resize->first, prep.resize->second);
  }
  if (prep.transform) image = prep.transform(std::move(image), path);
  if (prep.crop) {
    if (const auto problem = crop_problem(*prep.crop, image.width(), image.height())) {
      fail(ErrorKind::InvalidArgument, "{} (frame {})", *problem, path.string());
    }
    image = image.view(*prep.crop);
  }
  if (prep.even_size && (image.width() % 2 != 0 || image.height() % 2 != 0)) {
    image = image.view({0, 0, image.width() & ~1, image.height() & ~1});
  }
  return image;
}

std::pair<FramePrep, FramePrep> split_at_interpolation(const FramePrep& prep) {
  FramePrep before, after = prep;
  before.resize = prep.resize;
  after.resize.reset();
  return {before, after};
}

std::optional<FixedGridArea> prepared_area(const std::optional<FixedGridArea>& area, int width, int height,
                                           const FramePrep& prep) {
  if (!area && width != height) return std::nullopt;
  FixedGridArea a = area.value_or(FixedGridArea::full_disk(width));
  if (prep.resize && (width != prep.resize->first || height != prep.resize->second)) {
    // Output pixel i covers input pixels [i*s, (i+1)*s): its centre is input pixel (i + 0.5)*s - 0.5.
    const double sx = static_cast<double>(width) / prep.resize->first;
    const double sy = static_cast<double>(height) / prep.resize->second;
    a.x0 += a.dx * (sx - 1) / 2;
    a.y0 += a.dy * (sy - 1) / 2;
    a.dx *= sx;
    a.dy *= sy;
    a.width = prep.resize->first;
    a.height = prep.resize->second;
  }
  if (prep.crop) {
    if (crop_problem(*prep.crop, a.width, a.height)) return std::nullopt;
    a.x0 += a.dx * prep.crop->x;
    a.y0 += a.dy * prep.crop->y;
    a.width = prep.crop->width;
    a.height = prep.crop->height;
  }
  if (prep.even_size) {
    a.width &= ~1;
    a.height &= ~1;
  }
  return a;
}

struct FrameReader::Impl {
  FramePrep prep;
  int prefetch;
  CancelToken cancel;
  std::deque<std::future<Image>> pending;
  std::size_t next_to_submit = 0;
  std::size_t next_to_return = 0;
  std::optional<std::pair<int, int>> first_size;
  int first_channels = 0;
  SampleType first_type = SampleType::U8;
  fs::path first_path;
};

FrameReader::FrameReader(std::vector<fs::path> paths, FramePrep prep, int prefetch, CancelToken cancel)
    : m_impl(std::make_unique<Impl>()), m_paths(std::move(paths)) {
  m_impl->prep = std::move(prep);
  m_impl->prefetch = std::max(1, prefetch);
  m_impl->cancel = std::move(cancel);
}

FrameReader::~FrameReader() {
  // Let in-flight decodes finish before their captured state goes away.
  for (auto& f : m_impl->pending) {
    if (f.valid()) f.wait();
  }
}

std::optional<Image> FrameReader::next() {
  auto& s = *m_impl;
  auto& pool = ThreadPool::global();
  while (s.pending.size() < static_cast<std::size_t>(s.prefetch) && s.next_to_submit < m_paths.size()) {
    const fs::path path = m_paths[s.next_to_submit++];
    const FramePrep* prep = &s.prep;
    s.pending.push_back(pool.submit([path, prep] {
      return with_context("while reading " + path.string(),
                          [&] { return prepare_frame(read_image(path), path, *prep); });
    }));
  }
  if (s.pending.empty()) return std::nullopt;
  s.cancel.throw_if_cancelled();
  auto future = std::move(s.pending.front());
  s.pending.pop_front();
  Image img = pool.wait(future);
  const fs::path& path = m_paths[s.next_to_return++];
  if (!s.first_size) {
    s.first_size = {img.width(), img.height()};
    s.first_channels = img.channels();
    s.first_type = img.type();
    s.first_path = path;
  } else if (img.width() != s.first_size->first || img.height() != s.first_size->second) {
    fail(ErrorKind::InvalidArgument,
         "frame {} is {}x{} but {} is {}x{}: all frames must have one size (set frame.resize WxH to scale "
         "them)",
         path.string(), img.width(), img.height(), s.first_path.string(), s.first_size->first,
         s.first_size->second);
  }
  // A sequence may mix grey/RGB or 8/16-bit files; frames follow the layout of the first one.
  if (img.channels() != s.first_channels) img = convert_channels(img, s.first_channels);
  if (img.type() != s.first_type) img = convert_type(img, s.first_type);
  return img;
}

}  // namespace goesvfi
