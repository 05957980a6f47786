// Readiness: whether this server should be sent traffic, for GET /readyz and
// the load balancers that poll it. Not while it shuts down (so that a
// balancer stops sending before the connections close), nor while its store
// refuses writes.
//
// The store is checked by writing (Store::CheckWritable: one small record,
// synced when writes are durable). A success is reused for kReuseSuccess, so
// that many balancers, or a client calling /readyz in a loop, cost at most
// about one probe write a second; a failure is never reused, so the answer
// turns 200 again with the first probe that succeeds.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/status.h"
#include "storage/store.h"

namespace spinlog::observability {

class Readiness {
 public:
  static constexpr std::chrono::milliseconds kReuseSuccess{1000};

  // REQUIRES: `store` outlives this object.
  explicit Readiness(storage::Store* store) : store_(store) {}

  // From now on Check fails: the server is shutting down. Cannot be undone.
  void SetDraining() { draining_.store(true, std::memory_order_relaxed); }

  // OK when the server should get traffic. Unavailable, with a one-line
  // reason, while it is shutting down or when the store refused the probe
  // ("the store cannot write: ..."). Blocks for the probe write (up to a WAL
  // sync) unless a success within kReuseSuccess is reused.
  Status Check();

 private:
  storage::Store* const store_;
  std::atomic<bool> draining_{false};
  // steady_clock nanoseconds of the last successful probe; 0 before one.
  std::atomic<std::int64_t> last_success_{0};
};

}  // namespace spinlog::observability
