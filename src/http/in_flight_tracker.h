// InFlightTracker: counts requests that have been received but whose answer
// is not yet written to the socket (or given up on), so that Server::Stop can
// wait for them before it stops the event loops.
//
// Begin() and End() are lock-free on the hot path; End() takes the mutex only
// once somebody waits.
//
// Thread-safety: all members may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace spinlog::http {

class InFlightTracker {
 public:
  void Begin() { count_.fetch_add(1, std::memory_order_relaxed); }
  // REQUIRES: one earlier Begin() not yet matched by an End().
  void End();

  // Waits until nothing is in flight or `deadline` passes; returns whether
  // nothing is in flight.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);

  std::int64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  // Both atomics are sequentially consistent where End() and WaitIdle() meet:
  // End() decrements then reads waiting_, WaitIdle() sets waiting_ then reads
  // count_, so at least one of them sees the other and no wake-up is lost.
  std::atomic<std::int64_t> count_{0};
  std::atomic<bool> waiting_{false};
  std::mutex mu_;
  std::condition_variable idle_;
};

}  // namespace spinlog::http
