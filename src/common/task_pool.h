// TaskPool: a fixed set of threads that run posted tasks in the order they
// were posted. For work that waits (a store's network round trips), so that
// the threads that must not wait (event loops) hand it over.
//
// Thread-safety: Post may be called from any thread, concurrently.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace spinlog {

class TaskPool {
 public:
  // Starts `threads` threads (at least one), named `name` (thread_name.h).
  TaskPool(std::size_t threads, std::string_view name);
  // Runs every task already posted, then joins the threads.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task` to run on one of the threads. Never blocks; tasks posted
  // while the pool is being destroyed still run.
  void Post(std::function<void()> task);

  std::size_t size() const { return threads_.size(); }

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace spinlog
