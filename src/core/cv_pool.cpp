#include "core/cv_pool.hpp"

#include <atomic>
#include <memory>
#include <mutex>

#include <opencv2/core/parallel/parallel_backend.hpp>

#include "core/thread_pool.hpp"

namespace goesvfi {

namespace {

// OpenCV's parallel_for_ on the process pool.
class PoolParallelBackend final : public cv::parallel::ParallelForAPI {
 public:
  void parallel_for(int tasks, FN_parallel_for_body_cb_t body, void* data) override {
    ThreadPool::global().parallel_for(
        0, tasks,
        [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
          body(static_cast<int>(begin), static_cast<int>(end), data);
        },
        1);
  }
  int getThreadNum() const override {
    static std::atomic<int> next{0};
    thread_local const int id = next.fetch_add(1);
    return id % getNumThreads();
  }
  int getNumThreads() const override { return ThreadPool::global().size() + 1; }  // workers + caller
  int setNumThreads(int) override { return getNumThreads(); }  // sized by general.threads, not OpenCV
  const char* getName() const override { return "goesvfi-pool"; }
};

}  // namespace

void use_global_pool_for_opencv() {
  static std::once_flag once;
  std::call_once(once,
                 [] { cv::parallel::setParallelForBackend(std::make_shared<PoolParallelBackend>(), false); });
}

}  // namespace goesvfi
