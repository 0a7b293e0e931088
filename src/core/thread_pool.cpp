#include "core/thread_pool.hpp"

#include <algorithm>
#include <exception>
#include <memory>

#include <pthread.h>

namespace goesvfi {

namespace {
std::atomic<int> g_requested_threads{0};
}

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m_workers.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) m_workers.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  for (auto& t : m_workers) t.join();
}

void ThreadPool::configure_global(int threads) {
  g_requested_threads.store(threads);
}

ThreadPool& ThreadPool::global() {
  static ThreadPool pool(g_requested_threads.load());
  return pool;
}

void ThreadPool::enqueue(std::function<void()> task) {
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(task));
  }
  m_cv.notify_one();
}

bool ThreadPool::run_one_pending() {
  std::function<void()> task;
  {
    std::lock_guard lock(m_mutex);
    if (m_queue.empty()) return false;
    task = std::move(m_queue.front());
    m_queue.pop_front();
  }
  task();
  return true;
}

void ThreadPool::worker_loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) return;  // stopping and drained
      task = std::move(m_queue.front());
      m_queue.pop_front();
    }
    task();
  }
}

void ThreadPool::parallel_for(std::ptrdiff_t first, std::ptrdiff_t last,
                              const std::function<void(std::ptrdiff_t, std::ptrdiff_t)>& body,
                              std::ptrdiff_t grain) {
  const std::ptrdiff_t count = last - first;
  if (count <= 0) return;
  grain = std::max<std::ptrdiff_t>(grain, 1);
  // About 4 slices per thread balances uneven rows without much scheduling overhead.
  const std::ptrdiff_t threads = size() + 1;
  const std::ptrdiff_t slice = std::max(grain, (count + threads * 4 - 1) / (threads * 4));
  const std::ptrdiff_t slices = (count + slice - 1) / slice;
  if (slices == 1) {
    body(first, last);
    return;
  }

  struct Shared {
    std::atomic<std::ptrdiff_t> next{0};
    std::atomic<std::ptrdiff_t> done{0};
    std::atomic<bool> failed{false};  // set once `error` holds the first exception: later slices are skipped
    std::exception_ptr error;         // written under `mutex`, read after every slice is done
    std::mutex mutex;
    std::condition_variable cv;
  };
  auto shared = std::make_shared<Shared>();
  auto run_slices = [shared, first, last, slice, slices, &body] {
    for (;;) {
      const std::ptrdiff_t i = shared->next.fetch_add(1);
      if (i >= slices) return;
      const std::ptrdiff_t b = first + i * slice;
      const std::ptrdiff_t e = std::min(last, b + slice);
      if (!shared->failed.load(std::memory_order_relaxed)) {
        try {
          body(b, e);
        } catch (...) {
          std::lock_guard lock(shared->mutex);
          if (!shared->error) shared->error = std::current_exception();
          shared->failed.store(true, std::memory_order_relaxed);
        }
      }
      if (shared->done.fetch_add(1) + 1 == slices) {
        std::lock_guard lock(shared->mutex);
        shared->cv.notify_all();
      }
    }
  };
  // Helpers that start after every slice was claimed return at once, so `body` is never used after we return.
  const std::ptrdiff_t helpers = std::min<std::ptrdiff_t>(size(), slices - 1);
  for (std::ptrdiff_t i = 0; i < helpers; ++i) enqueue(run_slices);
  run_slices();
  std::unique_lock lock(shared->mutex);
  shared->cv.wait(lock, [&] { return shared->done.load() == slices; });
  if (shared->error) std::rethrow_exception(shared->error);
}

std::future<void> ThreadPool::start_stage(std::string name, std::function<void()> fn) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
  auto future = task->get_future();
  // Detached: the owner waits on the future, which is only ready once fn has returned.
  std::thread([task, name = std::move(name)] {
    // The kernel keeps 15 characters of a thread name (shown by top -H, gdb, perf).
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    (*task)();
  }).detach();
  return future;
}

}  // namespace goesvfi
