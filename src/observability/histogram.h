// Histogram: how many observations fell at or under each of a fixed list of
// bounds, plus their count and sum, for Prometheus histograms. Values are
// integers in whatever unit the owner picks (request durations: microseconds).
//
// Observe() is lock-free and wait-free: relaxed atomic additions, no
// allocation, so it can sit on a request's path. A Snapshot() taken while
// others observe may be a few observations behind in some buckets; each
// figure on its own is exact once observers stop.
//
// Thread-safety: Observe and Snapshot from any thread, concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace spinlog::observability {

class Histogram {
 public:
  struct Snapshot {
    // cumulative[i]: observations <= bounds[i]; one more entry at the end
    // for every observation (the "+Inf" bucket), which is also the count.
    std::vector<std::uint64_t> cumulative;
    std::uint64_t sum = 0;
    std::uint64_t count() const { return cumulative.empty() ? 0 : cumulative.back(); }
  };

  // REQUIRES: `upper_bounds` strictly increasing. The span must outlive the
  // histogram (it is kept, not copied: histograms of one family share it).
  explicit Histogram(std::span<const std::uint64_t> upper_bounds);

  // Counts `value` in the first bucket whose bound is >= value.
  void Observe(std::uint64_t value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }

  Snapshot Take() const;
  std::span<const std::uint64_t> bounds() const { return bounds_; }

 private:
  std::span<const std::uint64_t> bounds_;
  // Per bucket, not cumulative: one addition per observation.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> sum_{0};
};

}  // namespace spinlog::observability
