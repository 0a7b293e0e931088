// Tensor: a planar fp32 C x H x W blob (ncnn's Mat without packing). Copies share the buffer; a channel range
// is a view into the same buffer (Crop on channels costs nothing). Buffers are written only right after
// make().
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>

namespace goesvfi::rife {

// n floats, uninitialised, from a process-wide cache of released buffers (exact size or up to 25% larger), so
// a steady state of repeated inferences neither allocates nor page-faults. The cache holds up to 1.25x the
// largest inference working set seen (at least 384 MB).
std::shared_ptr<float[]> acquire_floats(std::size_t n);
void release_cached_buffers();  // frees every cached buffer (tests, memory pressure)
std::size_t cached_buffer_bytes();
std::size_t buffer_allocations();      // buffers allocated fresh so far (cache misses)
std::size_t peak_live_buffer_bytes();  // most bytes handed out at once
// Marks one inference (infer_pair): the cache is sized from the largest working set of such scopes, not
// from everything live at once. Nested scopes count as the outermost.
class WorkingSetScope {
 public:
  WorkingSetScope();
  ~WorkingSetScope();
  WorkingSetScope(const WorkingSetScope&) = delete;
  WorkingSetScope& operator=(const WorkingSetScope&) = delete;
};
std::size_t working_set_buffer_bytes();  // the largest scope's working set so far

struct Tensor {
  int c = 0, h = 0, w = 0;
  std::shared_ptr<float[]> buffer;
  float* base = nullptr;  // first element of this view inside `buffer`

  // Uninitialised contents.
  static Tensor make(int channels, int height, int width) {
    Tensor t;
    t.c = channels;
    t.h = height;
    t.w = width;
    const std::size_t n = static_cast<std::size_t>(channels) * height * width;
    t.buffer = acquire_floats(n > 0 ? n : 1);
    t.base = t.buffer.get();
    return t;
  }
  static Tensor zeros(int channels, int height, int width) {
    Tensor t = make(channels, height, width);
    std::fill(t.base, t.base + t.size(), 0.0f);
    return t;
  }
  bool empty() const { return base == nullptr; }
  std::size_t plane() const { return static_cast<std::size_t>(h) * w; }
  std::size_t size() const { return plane() * c; }
  float* data() const { return base; }
  float* channel(int k) const { return base + plane() * k; }
  float* row(int k, int y) const { return channel(k) + static_cast<std::size_t>(y) * w; }
  // Channels [first, first + count) sharing this buffer.
  Tensor channels(int first, int count) const {
    Tensor t = *this;
    t.c = count;
    t.base = channel(first);
    return t;
  }
};

}  // namespace goesvfi::rife
