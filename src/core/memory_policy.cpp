#include "core/memory_policy.hpp"

#include <malloc.h>

#include <list>
#include <mutex>
#include <utility>

#include <opencv2/core.hpp>

namespace goesvfi {

namespace {

// OpenCV's standard allocator (fastMalloc per Mat) with freed large buffers kept for the next Mat of the same
// byte size. OpenCV's algorithms (DIS optical flow, resize, remap) allocate their temporaries anew on every
// call; with the fixed mmap threshold each of those is a fresh mapping that faults in page by page, every
// frame pair. Kept buffers are bounded (kKeepBytes, oldest freed first), so memory stays flat.
class ReusingMatAllocator final : public cv::MatAllocator {
 public:
  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data0, size_t* step, cv::AccessFlag,
                         cv::UMatUsageFlags) const override {
    size_t total = CV_ELEM_SIZE(type);
    for (int i = dims - 1; i >= 0; i--) {
      if (step) {
        if (data0 && step[i] != kAutoStep) {
          CV_Assert(total <= step[i]);
          total = step[i];
        } else {
          step[i] = total;
        }
      }
      total *= static_cast<size_t>(sizes[i]);
    }
    auto* u = new cv::UMatData(this);
    u->data = u->origdata = data0 ? static_cast<uchar*>(data0) : take(total);
    u->size = total;
    if (data0) u->flags |= cv::UMatData::USER_ALLOCATED;
    return u;
  }

  bool allocate(cv::UMatData* u, cv::AccessFlag, cv::UMatUsageFlags) const override { return u != nullptr; }

  void deallocate(cv::UMatData* u) const override {
    if (!u) return;
    CV_Assert(u->urefcount == 0);
    CV_Assert(u->refcount == 0);
    if (!(u->flags & cv::UMatData::USER_ALLOCATED)) put(u->origdata, u->size);
    u->origdata = nullptr;
    delete u;
  }

 private:
  static constexpr size_t kAutoStep = 0x7fffffff;     // CV_AUTOSTEP of OpenCV's C API: "compute the step"
  static constexpr size_t kMinKeptBytes = 64 * 1024;  // smaller blocks come from malloc's free lists
  static constexpr size_t kKeepBytes = 256 * 1024 * 1024;  // at most this much kept, in all

  uchar* take(size_t bytes) const {
    if (bytes >= kMinKeptBytes) {
      std::lock_guard lock(m_mutex);
      for (auto it = m_kept.begin(); it != m_kept.end(); ++it) {
        if (it->second == bytes) {
          uchar* data = it->first;
          m_kept_bytes -= bytes;
          m_kept.erase(it);
          return data;
        }
      }
    }
    return static_cast<uchar*>(cv::fastMalloc(bytes));
  }

  void put(uchar* data, size_t bytes) const {
    if (data == nullptr) return;
    if (bytes < kMinKeptBytes || bytes > kKeepBytes) {
      cv::fastFree(data);
      return;
    }
    std::list<std::pair<uchar*, size_t>> released;
    {
      std::lock_guard lock(m_mutex);
      m_kept.emplace_front(data, bytes);  // newest first: found first, freed last
      m_kept_bytes += bytes;
      while (m_kept_bytes > kKeepBytes) {
        m_kept_bytes -= m_kept.back().second;
        released.splice(released.end(), m_kept, std::prev(m_kept.end()));
      }
    }
    for (auto& [p, n] : released) cv::fastFree(p);
  }

  mutable std::mutex m_mutex;
  mutable std::list<std::pair<uchar*, size_t>> m_kept;
  mutable size_t m_kept_bytes = 0;
};

}  // namespace

void use_flat_memory_policy() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  // A fixed mmap threshold also fixes the trim threshold at its 128 KiB default: the smaller blocks freed at
  // the top of a heap would be given back and faulted in again on every frame pair. Up to 1 MiB stays.
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
  // Never destroyed: Mats of static objects may be freed after main returns.
  static auto* allocator = new ReusingMatAllocator;
  cv::Mat::setDefaultAllocator(allocator);
}

}  // namespace goesvfi
