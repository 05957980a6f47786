#include "charts/chart_period.h"

#include <gtest/gtest.h>

#include "text/datetime.h"

namespace spinlog::charts {
namespace {

UnixMicros T(const char* iso) { return *text::ParseDatetime(iso); }

void ExpectPeriod(PeriodKind kind, const char* at, const char* from, const char* to) {
  const std::optional<Period> period = PeriodContaining(kind, T(at));
  ASSERT_TRUE(period.has_value()) << at;
  EXPECT_EQ(text::FormatDatetimeUtc(period->from), text::FormatDatetimeUtc(T(from))) << at;
  EXPECT_EQ(text::FormatDatetimeUtc(period->to), text::FormatDatetimeUtc(T(to))) << at;
}

TEST(ChartPeriod, CalendarPeriodsInUtc) {
  ExpectPeriod(PeriodKind::kDay, "2024-02-29T23:59:59.999999Z", "2024-02-29", "2024-03-01");
  ExpectPeriod(PeriodKind::kDay, "2024-03-01T00:30:00+01:00", "2024-02-29", "2024-03-01");
  // ISO weeks: Monday to Monday. 2024-03-04 is a Monday; 1970-01-01 a Thursday.
  ExpectPeriod(PeriodKind::kWeek, "2024-03-04T00:00:00Z", "2024-03-04", "2024-03-11");
  ExpectPeriod(PeriodKind::kWeek, "2024-03-10T23:59:59Z", "2024-03-04", "2024-03-11");
  ExpectPeriod(PeriodKind::kWeek, "1970-01-01", "1969-12-29", "1970-01-05");
  ExpectPeriod(PeriodKind::kWeek, "1969-12-28T12:00:00Z", "1969-12-22", "1969-12-29");
  ExpectPeriod(PeriodKind::kMonth, "2024-02-10", "2024-02-01", "2024-03-01");
  ExpectPeriod(PeriodKind::kMonth, "2023-02-28T23:00:00Z", "2023-02-01", "2023-03-01");
  ExpectPeriod(PeriodKind::kMonth, "1969-12-31T23:59:59Z", "1969-12-01", "1970-01-01");
  ExpectPeriod(PeriodKind::kYear, "2024-07-01", "2024-01-01", "2025-01-01");
  ExpectPeriod(PeriodKind::kYear, "0001-01-01", "0001-01-01", "0002-01-01");
  const std::optional<Period> last = PeriodContaining(PeriodKind::kYear, T("9999-12-31T23:59:59Z"));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->from, T("9999-01-01"));
  EXPECT_EQ(last->to, T("9999-12-31T23:59:59Z") + kMicrosPerSecond);
}

TEST(ChartPeriod, NamesAndLimits) {
  EXPECT_EQ(ParsePeriodKind("week"), PeriodKind::kWeek);
  EXPECT_EQ(ParsePeriodKind("Week"), std::nullopt);
  EXPECT_EQ(ParsePeriodKind(""), std::nullopt);
  EXPECT_FALSE(PeriodContaining(PeriodKind::kYear, std::numeric_limits<UnixMicros>::max()));
  EXPECT_FALSE(PeriodContaining(PeriodKind::kWeek, std::numeric_limits<UnixMicros>::min()));
}

}  // namespace
}  // namespace spinlog::charts
