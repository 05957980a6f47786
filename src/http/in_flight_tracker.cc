#include "http/in_flight_tracker.h"

namespace spinlog::http {

void InFlightTracker::End() {
  if (count_.fetch_sub(1) == 1 && waiting_.load()) {
    // Taking the mutex orders this notify after the waiter's predicate check.
    std::lock_guard<std::mutex> lock(mu_);
    idle_.notify_all();
  }
}

bool InFlightTracker::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  waiting_.store(true);
  std::unique_lock<std::mutex> lock(mu_);
  return idle_.wait_until(lock, deadline, [this] { return count_.load() == 0; });
}

}  // namespace spinlog::http
