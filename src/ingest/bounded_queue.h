// BoundedQueue: a blocking first-in first-out queue of at most `capacity`
// items between producer and consumer threads. A full queue makes Push wait,
// which is the backpressure that keeps a fast reader from buffering a whole
// input ahead of a slower writer.
//
// Close() ends the stream: Pop drains what is queued, then returns false;
// Push returns false (dropping its item) once the queue is closed, so that a
// consumer that gives up can release a producer blocked on a full queue.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cassert>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>

namespace spinlog::ingest {

template <typename T>
class BoundedQueue {
 public:
  // REQUIRES: capacity > 0
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) { assert(capacity > 0); }

  // Waits for room, then appends `item`. False when the queue was closed.
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Waits for an item and moves it into *item; false once the queue is
  // closed and empty.
  bool Pop(T* item) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    *item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }

  // No more pushes; wakes every waiting thread.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace spinlog::ingest
