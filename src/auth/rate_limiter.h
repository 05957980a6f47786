// Token-bucket rate limits keyed by a string (a token id or a client
// address): each key may make `burst` requests at once and then `rate` per
// second. Memory stays bounded: buckets that have refilled completely carry
// no information and are dropped when a shard grows past its share of
// `max_keys`.
//
// Thread-safety: Take may be called concurrently.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace spinlog::auth {

struct RateLimit {
  double rate = 0;        // requests per second; 0 means no limit
  std::uint32_t burst = 0;  // bucket size; at least 1 when rate > 0
};

struct RateDecision {
  bool allowed = true;
  std::uint32_t limit = 0;      // the bucket size (RateLimit-Limit)
  std::uint32_t remaining = 0;  // whole requests left now (RateLimit-Remaining)
  // Seconds until the bucket is full again (RateLimit-Reset), rounded up.
  std::uint32_t reset_seconds = 0;
  // When refused: seconds until one request is allowed (Retry-After), >= 1.
  std::uint32_t retry_after_seconds = 0;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 1 << 20);

  bool enabled() const { return limit_.rate > 0; }
  // Takes one request from `key`'s bucket at time `now`.
  RateDecision Take(std::string_view key, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated{};
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  void Refill(Bucket& bucket, Clock::time_point now) const;
  void DropFullBuckets(Shard& shard, Clock::time_point now);

  const RateLimit limit_;
  const std::size_t max_keys_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace spinlog::auth
