#include <map>
#include <mutex>

#include "interp/rife/tensor.hpp"

namespace goesvfi::rife {

namespace {

constexpr std::size_t k_cached_bytes = std::size_t{384} << 20;

struct BufferCache {
  std::mutex mutex;
  std::multimap<std::size_t, float*> free;  // capacity (floats) -> buffer
  std::size_t bytes = 0;
};

BufferCache& cache() {
  static BufferCache* c = new BufferCache;  // never destroyed: buffers may be released during exit
  return *c;
}

void give_back(float* p, std::size_t capacity) {
  BufferCache& c = cache();
  {
    std::lock_guard lock(c.mutex);
    if (c.bytes + capacity * sizeof(float) <= k_cached_bytes) {
      c.free.emplace(capacity, p);
      c.bytes += capacity * sizeof(float);
      return;
    }
  }
  delete[] p;
}

}  // namespace

std::shared_ptr<float[]> acquire_floats(std::size_t n) {
  BufferCache& c = cache();
  float* p = nullptr;
  std::size_t capacity = n;
  {
    std::lock_guard lock(c.mutex);
    auto it = c.free.lower_bound(n);
    if (it != c.free.end() && it->first <= n + n / 4) {
      p = it->second;
      capacity = it->first;
      c.bytes -= capacity * sizeof(float);
      c.free.erase(it);
    }
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
}

std::size_t cached_buffer_bytes() {
  BufferCache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.bytes;
}

}  // namespace goesvfi::rife
