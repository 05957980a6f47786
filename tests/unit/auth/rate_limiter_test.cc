#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace spinlog::auth {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;

TEST(RateLimiter, DisabledLetsEverythingThrough) {
  RateLimiter limiter({0, 0});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Take("k", Clock::now()).allowed);
}

TEST(RateLimiter, BurstThenRefillsAtTheRate) {
  RateLimiter limiter({10, 5});
  const Clock::time_point t0 = Clock::now();
  for (std::uint32_t i = 0; i < 5; ++i) {
    RateDecision d = limiter.Take("a", t0);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 5u);
    EXPECT_EQ(d.remaining, 4 - i);
  }
  RateDecision refused = limiter.Take("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1u);
  EXPECT_EQ(refused.reset_seconds, 1u);  // 5 tokens at 10/s: half a second, rounded up
  // Another key has its own bucket.
  EXPECT_TRUE(limiter.Take("b", t0).allowed);
  // 100 ms later one request's worth is back, and only one.
  EXPECT_TRUE(limiter.Take("a", t0 + milliseconds(100)).allowed);
  EXPECT_FALSE(limiter.Take("a", t0 + milliseconds(100)).allowed);
  // After a long pause the bucket is full, not more.
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.Take("a", t0 + std::chrono::hours(1)).allowed;
  EXPECT_EQ(allowed, 5);
}

TEST(RateLimiter, SlowRatesTellHowLongToWait) {
  RateLimiter limiter({0.1, 1});  // one request per 10 s
  const Clock::time_point t0 = Clock::now();
  EXPECT_TRUE(limiter.Take("a", t0).allowed);
  RateDecision refused = limiter.Take("a", t0 + std::chrono::seconds(4));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 6u);
}

TEST(RateLimiter, MemoryStaysBoundedByDroppingFullBuckets) {
  RateLimiter limiter({1000, 1}, /*max_keys=*/64);
  const Clock::time_point t0 = Clock::now();
  // Many distinct keys over time: each one's bucket refills within a
  // millisecond and can be forgotten.
  for (int i = 0; i < 100000; ++i) {
    EXPECT_TRUE(limiter.Take("client-" + std::to_string(i), t0 + milliseconds(2 * i)).allowed);
  }
  // A busy key keeps its state: its second request at the same instant is refused.
  const Clock::time_point later = t0 + std::chrono::hours(1);
  EXPECT_TRUE(limiter.Take("busy", later).allowed);
  EXPECT_FALSE(limiter.Take("busy", later).allowed);
}

}  // namespace
}  // namespace spinlog::auth
