// The one thread pool of the process. Compute work runs as tasks (submit) or data-parallel slices
// (parallel_for) on `size()` worker threads, sized once from config (`general.threads`). Nobody else creates
// compute threads. Long-lived pipeline stages that mostly block on queues (a decoder feeding the next
// stage, the encoder draining its queue) run on pool-owned stage threads (start_stage), so they never occupy
// a compute worker while they wait.
//
// Waiting is deadlock-free: parallel_for's caller works on its own slices, and wait() runs queued tasks
// while the awaited one is not done, so pool tasks may wait on other pool tasks.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace goesvfi {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The process pool. configure_global() may be called once before first use (0 = hardware threads).
  static ThreadPool& global();
  static void configure_global(int threads);

  int size() const { return static_cast<int>(m_workers.size()); }

  template <typename Fn>
  auto submit(Fn&& fn) -> std::future<decltype(fn())> {
    using R = decltype(fn());
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<Fn>(fn));
    auto future = task->get_future();
    enqueue([task] { (*task)(); });
    return future;
  }

  // Waits for `future`, running queued tasks meanwhile; returns its value (rethrows its exception).
  template <typename T>
  T wait(std::future<T>& future) {
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (!run_one_pending()) future.wait_for(std::chrono::milliseconds(1));
    }
    return future.get();
  }

  // Calls body(begin, end) over [first, last) split in slices of at least `grain` items, on the workers and
  // the calling thread. The first exception thrown by a slice is rethrown here after all slices stopped.
  void parallel_for(std::ptrdiff_t first, std::ptrdiff_t last,
                    const std::function<void(std::ptrdiff_t, std::ptrdiff_t)>& body,
                    std::ptrdiff_t grain = 1);

  // Starts a named pipeline-stage thread owned by the pool; the returned future ends with fn.
  std::future<void> start_stage(std::string name, std::function<void()> fn);

 private:
  void enqueue(std::function<void()> task);
  bool run_one_pending();
  void worker_loop();

  std::vector<std::thread> m_workers;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::function<void()>> m_queue;
  bool m_stopping = false;
};

}  // namespace goesvfi
