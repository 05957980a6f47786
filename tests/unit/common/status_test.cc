#include "common/result.h"
#include "common/status.h"
#include "common/time.h"

#include <gtest/gtest.h>

namespace spinlog {
namespace {

TEST(Status, InvalidFieldsListsEveryField) {
  Status s = Status::InvalidFields({{"title", "missing"}, {"start", "not a datetime"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  ASSERT_EQ(s.violations().size(), 2u);
  EXPECT_EQ(s.message(), "title: missing; start: not a datetime");
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  SPINLOG_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(Result, AssignOrReturnPropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

TEST(Time, DayOfRoundsTowardThePast) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(kMicrosPerDay - 1), 0);
  EXPECT_EQ(DayOf(kMicrosPerDay), 1);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(-kMicrosPerDay), -1);
  EXPECT_EQ(DayOf(-kMicrosPerDay - 1), -2);
}

}  // namespace
}  // namespace spinlog
