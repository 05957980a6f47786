#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace spinlog::auth {

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_{limit.rate, std::max<std::uint32_t>(limit.burst, 1)},
      max_keys_per_shard_(std::max<std::size_t>(max_keys / kShards, 1)) {}

void RateLimiter::Refill(Bucket& bucket, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min<double>(limit_.burst, bucket.tokens + elapsed * limit_.rate);
    bucket.updated = now;
  }
}

void RateLimiter::DropFullBuckets(Shard& shard, Clock::time_point now) {
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= limit_.burst ? shard.buckets.erase(it) : std::next(it);
  }
}

RateDecision RateLimiter::Take(std::string_view key, Clock::time_point now) {
  RateDecision decision;
  if (!enabled()) return decision;
  decision.limit = limit_.burst;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto found = shard.buckets.find(std::string(key));
  if (found == shard.buckets.end()) {
    if (shard.buckets.size() >= max_keys_per_shard_) DropFullBuckets(shard, now);
    // Past the bound even so: every key is busy. New keys share no bucket,
    // so they are let through (a limiter must not refuse for its own memory).
    if (shard.buckets.size() >= max_keys_per_shard_) {
      decision.remaining = limit_.burst - 1;
      return decision;
    }
    found = shard.buckets.emplace(std::string(key), Bucket{double(limit_.burst), now}).first;
  }
  Bucket& bucket = found->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    decision.allowed = true;
  } else {
    decision.allowed = false;
    decision.retry_after_seconds =
        std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil((1 - bucket.tokens) / limit_.rate)));
  }
  decision.remaining = static_cast<std::uint32_t>(std::floor(bucket.tokens));
  decision.reset_seconds =
      static_cast<std::uint32_t>(std::ceil((limit_.burst - bucket.tokens) / limit_.rate));
  return decision;
}

}  // namespace spinlog::auth
