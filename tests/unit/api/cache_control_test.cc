#include "api/v1/cache_control.h"

#include <gtest/gtest.h>

#include <limits>

#include "text/datetime.h"

namespace spinlog::api::v1 {
namespace {

// 2024-03-20T15:00:00Z, a Wednesday afternoon.
constexpr UnixMicros kNow = 1710946800LL * kMicrosPerSecond;
constexpr UnixMicros kTodayBegan = 1710892800LL * kMicrosPerSecond;  // 2024-03-20T00:00:00Z

TEST(CacheControl, RangesThatEndedBeforeTodayBeganMayBeReusedForAMinute) {
  EXPECT_EQ(CacheControlForRange(kTodayBegan, kNow), kCacheSettledPast);
  EXPECT_EQ(CacheControlForRange(kTodayBegan - kMicrosPerDay * 365, kNow), kCacheSettledPast);
  EXPECT_EQ(CacheControlForRange(std::numeric_limits<UnixMicros>::min() + 1, kNow),
            kCacheSettledPast);
}

TEST(CacheControl, RangesThatReachTodayOrLaterAreRevalidated) {
  EXPECT_EQ(CacheControlForRange(kTodayBegan + 1, kNow), kCacheRevalidate);
  EXPECT_EQ(CacheControlForRange(kNow, kNow), kCacheRevalidate);
  EXPECT_EQ(CacheControlForRange(kNow - 1, kNow), kCacheRevalidate);  // earlier today
  EXPECT_EQ(CacheControlForRange(text::kMaxDatetime, kNow), kCacheRevalidate);
  EXPECT_EQ(CacheControlForRange(std::numeric_limits<UnixMicros>::max(), kNow), kCacheRevalidate);
}

TEST(CacheControl, TheDayTurnsAtUtcMidnight) {
  // Just before midnight, yesterday still counts as today.
  EXPECT_EQ(CacheControlForRange(kTodayBegan, kTodayBegan - 1), kCacheRevalidate);
  EXPECT_EQ(CacheControlForRange(kTodayBegan, kTodayBegan), kCacheSettledPast);
}

TEST(CacheControl, BeforeTheEpochDaysStillBeginAtMidnight) {
  const UnixMicros now = -kMicrosPerDay - kMicrosPerSecond;  // 1969-12-30T23:59:59Z
  EXPECT_EQ(CacheControlForRange(-2 * kMicrosPerDay, now), kCacheSettledPast);
  EXPECT_EQ(CacheControlForRange(-2 * kMicrosPerDay + 1, now), kCacheRevalidate);
}

TEST(CacheControl, SetCacheControlAddsTheHeader) {
  http::Response response;
  SetCacheControl(kCacheRevalidate, &response);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Cache-Control");
  EXPECT_EQ(response.headers[0].second, "no-cache");
}

}  // namespace
}  // namespace spinlog::api::v1
