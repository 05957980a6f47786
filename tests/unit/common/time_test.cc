#include "common/time.h"

#include <gtest/gtest.h>

#include <limits>

namespace spinlog {
namespace {

TEST(DayOf, FloorsOverTheWholeRange) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(kMicrosPerDay - 1), 0);
  EXPECT_EQ(DayOf(kMicrosPerDay), 1);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(-kMicrosPerDay), -1);
  EXPECT_EQ(DayOf(-kMicrosPerDay - 1), -2);
  constexpr UnixMicros kMin = std::numeric_limits<UnixMicros>::min();
  constexpr UnixMicros kMax = std::numeric_limits<UnixMicros>::max();
  EXPECT_EQ(DayOf(kMax), kMax / kMicrosPerDay);
  EXPECT_EQ(DayOf(kMin), kMin / kMicrosPerDay - 1);  // not a whole day: rounds down
  // Monotonic at the ends, where a negation used to overflow.
  EXPECT_LE(DayOf(kMin), DayOf(kMin + 1));
  EXPECT_LE(DayOf(kMin + 1), DayOf(-1));
}

}  // namespace
}  // namespace spinlog
