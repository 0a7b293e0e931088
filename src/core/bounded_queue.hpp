// A bounded multi-producer multi-consumer queue joining pipeline stages: push blocks while full
// (backpressure), pop blocks while empty and returns nullopt once the queue is closed and drained.
// close(error) lets a failing stage tell the next one why the stream ended.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>

namespace goesvfi {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

  // Returns false when the queue was closed (the item is dropped).
  bool push(T item) {
    std::unique_lock lock(m_mutex);
    m_not_full.wait(lock, [&] { return m_closed || m_items.size() < m_capacity; });
    if (m_closed) return false;
    m_items.push_back(std::move(item));
    m_not_empty.notify_one();
    return true;
  }

  // Next item; nullopt after close() once drained. Rethrows the error given to close().
  std::optional<T> pop() {
    std::unique_lock lock(m_mutex);
    m_not_empty.wait(lock, [&] { return m_closed || !m_items.empty(); });
    if (m_items.empty()) {
      if (m_error) std::rethrow_exception(m_error);
      return std::nullopt;
    }
    T item = std::move(m_items.front());
    m_items.pop_front();
    m_not_full.notify_one();
    return item;
  }

  // The next item if one is queued now, without waiting. Rethrows the close() error once drained.
  std::optional<T> try_pop() {
    std::lock_guard lock(m_mutex);
    if (m_items.empty()) {
      if (m_closed && m_error) std::rethrow_exception(m_error);
      return std::nullopt;
    }
    T item = std::move(m_items.front());
    m_items.pop_front();
    m_not_full.notify_one();
    return item;
  }

  // True once closed and drained: pop() would return nullopt (or throw).
  bool finished() {
    std::lock_guard lock(m_mutex);
    return m_closed && m_items.empty();
  }

  // Ends the stream: consumers drain what is queued, then see the end (or `error`). Producers stop.
  void close(std::exception_ptr error = nullptr) {
    std::lock_guard lock(m_mutex);
    if (!m_closed) {
      m_closed = true;
      m_error = error;
    }
    m_not_empty.notify_all();
    m_not_full.notify_all();
  }

  // Drops queued items and closes: for the consumer side giving up.
  void abort() {
    std::lock_guard lock(m_mutex);
    m_items.clear();
    m_closed = true;
    m_not_empty.notify_all();
    m_not_full.notify_all();
  }

  std::size_t capacity() const { return m_capacity; }

 private:
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_not_full, m_not_empty;
  std::deque<T> m_items;
  bool m_closed = false;
  std::exception_ptr m_error;
};

}  // namespace goesvfi
