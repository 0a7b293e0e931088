#include <algorithm>
#include <bit>
#include <map>
#include <mutex>

#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

namespace {

// The cache may hold at least this much, and as much as the largest working set seen so far: a frame
// releases its whole working set at the end and the next frame needs it again, so capping below the working
// set would hand pages back to the kernel only to fault them in again (about 500 MB per 1080p frame).
constexpr std::size_t k_min_cached_bytes = std::size_t{384} << 20;

struct BufferCache {
  std::mutex mutex;
  std::multimap<std::size_t, float*> free;  // capacity (floats) -> buffer
  std::size_t bytes = 0;                    // held in `free`
  std::size_t live_bytes = 0;               // handed out and not yet released
  std::size_t peak_live_bytes = 0;
  std::size_t allocations = 0;
};

// Requests are rounded up to size classes (16 per octave, so at most 1/8 extra) and a class reuses any buffer
// of that class: a repeated sequence of requests then finds every buffer it needs after the first run. An
// exact-or-slightly-larger match instead fragments: 23 MB requests cannot use the cached 32 MB ones and miss.
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
    // Twice the peak: the classes' individual high-water marks add up to more than the joint peak.
    if (c.bytes + size <= std::max(k_min_cached_bytes, 2 * c.peak_live_bytes)) {
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
  const std::size_t capacity = size_class(n);
  float* p = nullptr;
  {
    std::lock_guard lock(c.mutex);
    if (auto it = c.free.find(capacity); it != c.free.end()) {
      p = it->second;
      c.bytes -= capacity * sizeof(float);
      c.free.erase(it);
    } else {
      ++c.allocations;
    }
    c.live_bytes += capacity * sizeof(float);
    c.peak_live_bytes = std::max(c.peak_live_bytes, c.live_bytes);
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

std::size_t buffer_allocations() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.allocations;
}

}  // namespace goesvfi::rife
