#include <algorithm>
#include <bit>
#include <map>
#include <mutex>

#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

namespace {

// The cache may hold at least this much, and up to 1.25x the largest working set seen so far: a frame
// releases its whole working set at the end and the next frame needs it again, so capping below the working
// set would hand pages back to the kernel only to fault them in again (about 500 MB per 1080p frame).
constexpr std::size_t k_min_cached_bytes = std::size_t{384} << 20;
// A request takes the smallest cached buffer of its size class or larger, up to this factor: the many
// plane counts at one resolution then share buffers instead of each class keeping its own high-water mark.
// Measured at 1080p (bench_rife): no new buffers and no page faults per steady frame, peak RSS 636 MB; exact
// classes alone needed a cache of 2x the working set (RSS 894 MB) and still missed twice a frame.
constexpr std::size_t k_reuse_slack = 3;

struct BufferCache {
  std::mutex mutex;
  std::multimap<std::size_t, float*> free;  // capacity (floats) -> buffer
  std::size_t bytes = 0;                    // held in `free`
  std::size_t live_bytes = 0;               // handed out and not yet released
  std::size_t peak_live_bytes = 0;
  std::size_t allocations = 0;
  // Working-set scopes (one inference each): live bytes when the outermost began, the most live since, and
  // the largest difference seen in any scope.
  int scope_depth = 0;
  std::size_t scope_base = 0, scope_peak = 0, working_set_peak = 0;

  // What the cache may hold: 1.25x the largest inference working set (or, before any scope ended, of all
  // live bytes), at least k_min_cached_bytes. Scoped, data that outlives inferences (whole-frame planes of a
  // tiled frame) does not make room for free buffers nobody asks for again.
  std::size_t cap() const {
    const std::size_t basis = working_set_peak > 0 ? working_set_peak : peak_live_bytes;
    return std::max(k_min_cached_bytes, basis + basis / 4);
  }
};

// Requests are rounded up to size classes (16 per octave, so at most 1/8 extra), so repeated sequences of
// requests find the buffers of the previous run.
std::size_t size_class(std::size_t n) {
  if (n <= 256) return 256;
  const int bits = std::bit_width(n - 1);  // 2^(bits-1) < n <= 2^bits
  const std::size_t step = std::size_t{1} << (bits - 4);
  return (n + step - 1) / step * step;
}

BufferCache& cache() {
  static BufferCache* c = new BufferCache;  // never destroyed: buffers may be released during exit
  return *c;
}

void give_back(float* p, std::size_t capacity) {
  BufferCache& c = cache();
  const std::size_t size = capacity * sizeof(float);
  {
    std::lock_guard lock(c.mutex);
    c.live_bytes -= size;
    if (c.bytes + size <= c.cap()) {
      c.free.emplace(capacity, p);
      c.bytes += size;
      return;
    }
  }
  delete[] p;
}

}  // namespace

std::shared_ptr<float[]> acquire_floats(std::size_t n) {
  BufferCache& c = cache();
  std::size_t capacity = size_class(n);
  float* p = nullptr;
  {
    std::lock_guard lock(c.mutex);
    if (auto it = c.free.lower_bound(capacity); it != c.free.end() && it->first <= k_reuse_slack * capacity) {
      p = it->second;
      capacity = it->first;
      c.bytes -= capacity * sizeof(float);
      c.free.erase(it);
    } else {
      ++c.allocations;
    }
    c.live_bytes += capacity * sizeof(float);
    c.peak_live_bytes = std::max(c.peak_live_bytes, c.live_bytes);
    c.scope_peak = std::max(c.scope_peak, c.live_bytes);
  }
  if (p == nullptr) p = new float[capacity];
  return std::shared_ptr<float[]>(p, [capacity](float* q) { give_back(q, capacity); });
}

void release_cached_buffers() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  for (auto& [size, p] : c.free) delete[] p;
  c.free.clear();
  c.bytes = 0;
  c.peak_live_bytes = c.live_bytes;
}

std::size_t cached_buffer_bytes() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.bytes;
}

WorkingSetScope::WorkingSetScope() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  if (c.scope_depth++ == 0) c.scope_base = c.scope_peak = c.live_bytes;
}

WorkingSetScope::~WorkingSetScope() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  if (--c.scope_depth == 0) c.working_set_peak = std::max(c.working_set_peak, c.scope_peak - c.scope_base);
  // Trim what the (possibly smaller) cap no longer allows, largest buffers first.
  while (c.bytes > c.cap() && !c.free.empty()) {
    auto it = std::prev(c.free.end());
    c.bytes -= it->first * sizeof(float);
    delete[] it->second;
    c.free.erase(it);
  }
}

std::size_t working_set_buffer_bytes() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.working_set_peak;
}

std::size_t peak_live_buffer_bytes() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.peak_live_bytes;
}

std::size_t buffer_allocations() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.allocations;
}

}  // namespace goesvfi::rife
