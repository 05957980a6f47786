#include "observability/readiness.h"

namespace spinlog::observability {

Status Readiness::Check() {
  if (draining_.load(std::memory_order_relaxed)) {
    return Status::Unavailable("the server is shutting down");
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::int64_t last = last_success_.load(std::memory_order_relaxed);
  if (last != 0 && now - last < std::chrono::nanoseconds(kReuseSuccess).count()) {
    return Status::OK();
  }
  // Two threads may both probe here; that costs a second small write, which
  // is cheaper than making either wait for the other.
  Status writable = store_->CheckWritable();
  if (!writable.ok()) {
    return Status::Unavailable("the store cannot write: " + writable.message());
  }
  last_success_.store(now, std::memory_order_relaxed);
  return Status::OK();
}

}  // namespace spinlog::observability
