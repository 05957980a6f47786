#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>

#include "text/civil_time.h"
#include "text/datetime.h"

namespace spinlog::text {
namespace {

constexpr UnixMicros kSecond = kMicrosPerSecond;

UnixMicros FloorToSecond(UnixMicros t) { return FloorDiv(t, kSecond) * kSecond; }

TEST(FormatDatetimeSeconds, WritesUtcWithoutOffset) {
  EXPECT_EQ(FormatDatetimeSeconds(0), "1970-01-01T00:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(1'388'538'000 * kSecond), "2014-01-01T01:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(1'389'315'600 * kSecond), "2014-01-10T01:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(951'782'400 * kSecond), "2000-02-29T00:00:00");
}

TEST(FormatDatetimeSeconds, DropsTheFraction) {
  EXPECT_EQ(FormatDatetimeSeconds(1'388'538'000 * kSecond + 999'999), "2014-01-01T01:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(1), "1970-01-01T00:00:00");
}

TEST(FormatDatetimeSeconds, RoundsTowardThePastBefore1970) {
  EXPECT_EQ(FormatDatetimeSeconds(-1), "1969-12-31T23:59:59");
  EXPECT_EQ(FormatDatetimeSeconds(-kSecond), "1969-12-31T23:59:59");
  EXPECT_EQ(FormatDatetimeSeconds(-kSecond - 1), "1969-12-31T23:59:58");
  EXPECT_EQ(FormatDatetimeSeconds(-kMicrosPerDay), "1969-12-31T00:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(-kMicrosPerDay - 1), "1969-12-30T23:59:59");
}

TEST(FormatDatetimeSeconds, CoversYears0001To9999) {
  EXPECT_EQ(FormatDatetimeSeconds(kMinDatetime), "0001-01-01T00:00:00");
  EXPECT_EQ(FormatDatetimeSeconds(kMaxDatetime), "9999-12-31T23:59:59");
}

TEST(AppendDatetimeSeconds, AppendsToWhatIsThere) {
  std::string out = "start=";
  AppendDatetimeSeconds(1'388'538'000 * kSecond, &out);
  EXPECT_EQ(out, "start=2014-01-01T01:00:00");
}

TEST(FormatDatetimeUtc, AddsMicrosecondsOnlyWhenNotAWholeSecond) {
  EXPECT_EQ(FormatDatetimeUtc(1'389'315'600 * kSecond), "2014-01-10T01:00:00Z");
  EXPECT_EQ(FormatDatetimeUtc(1'389'315'600 * kSecond + 250'000), "2014-01-10T01:00:00.250000Z");
  EXPECT_EQ(FormatDatetimeUtc(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatDatetimeUtc(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatDatetimeUtc(kMinDatetime), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatDatetimeUtc(kMaxDatetime), "9999-12-31T23:59:59.999999Z");
}

TEST(AppendDatetimeUtc, AppendsWhatFormatDatetimeUtcReturns) {
  std::string out = "at ";
  AppendDatetimeUtc(1'389'315'600 * kSecond + 250'000, &out);
  EXPECT_EQ(out, "at 2014-01-10T01:00:00.250000Z");
  for (UnixMicros t : {UnixMicros{0}, UnixMicros{-1}, UnixMicros{1}, kMinDatetime, kMaxDatetime,
                       1'389'315'600 * kSecond, 1'389'315'600 * kSecond + 999'999}) {
    out.clear();
    AppendDatetimeUtc(t, &out);
    EXPECT_EQ(out, FormatDatetimeUtc(t)) << t;
  }
}

TEST(CivilTime, LeapYearRules) {
  EXPECT_TRUE(IsLeapYear(2016));
  EXPECT_FALSE(IsLeapYear(2015));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DaysInMonth(2016, 2), 29);
  EXPECT_EQ(DaysInMonth(2015, 2), 28);
  EXPECT_EQ(DaysInMonth(2015, 4), 30);
  EXPECT_EQ(DaysInMonth(2015, 12), 31);
}

TEST(CivilTime, FloorDivRoundsTowardNegativeInfinity) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  EXPECT_EQ(FloorDiv(0, 5), 0);
}

// Walks every day of years 0001..9999 with a naive calendar and checks that
// formatting and parsing agree with it.
TEST(Datetime, EveryDayMatchesANaiveCalendar) {
  int year = 1;
  int month = 1;
  int day = 1;
  char expected[96];
  const std::int64_t first = DaysFromCivil(1, 1, 1);
  const std::int64_t last = DaysFromCivil(9999, 12, 31);
  for (std::int64_t d = first; d <= last; ++d) {
    const UnixMicros t = d * kMicrosPerDay;
    std::snprintf(expected, sizeof(expected), "%04d-%02d-%02dT00:00:00", year, month, day);
    // Plain comparisons first: gtest assertions on 3.6 million days are slow.
    if (FormatDatetimeSeconds(t) != expected) {
      ASSERT_EQ(FormatDatetimeSeconds(t), expected);
    }
    expected[10] = '\0';
    Result<UnixMicros> parsed = ParseDatetime(expected);
    if (!parsed.ok() || *parsed != t) {
      FAIL() << expected << " parsed as "
             << (parsed.ok() ? std::to_string(*parsed) : parsed.status().message());
    }
    ++day;
    if (day > DaysInMonth(year, month)) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
  EXPECT_EQ(year, 10000);
}

// glibc's gmtime_r is an independent implementation; 64-bit time_t covers
// years 0001..9999.
TEST(Datetime, AgreesWithGmtimeOnRandomInstants) {
  std::mt19937_64 rng(20140101);
  std::uniform_int_distribution<UnixMicros> any(kMinDatetime, kMaxDatetime);
  for (int i = 0; i < 20'000; ++i) {
    const UnixMicros t = any(rng);
    const std::time_t seconds = static_cast<std::time_t>(FloorDiv(t, kSecond));
    std::tm tm{};
    ASSERT_NE(gmtime_r(&seconds, &tm), nullptr);
    char expected[96];
    std::snprintf(expected, sizeof(expected), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    ASSERT_EQ(FormatDatetimeSeconds(t), expected) << t;
  }
}

TEST(Datetime, ParseOfFormatRoundTripsRandomInstants) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<UnixMicros> any(kMinDatetime, kMaxDatetime);
  for (int i = 0; i < 100'000; ++i) {
    const UnixMicros t = any(rng);
    Result<UnixMicros> exact = ParseDatetime(FormatDatetimeUtc(t));
    ASSERT_TRUE(exact.ok()) << FormatDatetimeUtc(t);
    ASSERT_EQ(*exact, t) << FormatDatetimeUtc(t);
    Result<UnixMicros> second = ParseDatetime(FormatDatetimeSeconds(t));
    ASSERT_TRUE(second.ok()) << FormatDatetimeSeconds(t);
    ASSERT_EQ(*second, FloorToSecond(t)) << FormatDatetimeSeconds(t);
  }
}

TEST(Datetime, RoundTripsPre1970Instants) {
  std::mt19937_64 rng(1969);
  std::uniform_int_distribution<UnixMicros> before(kMinDatetime, -1);
  for (int i = 0; i < 20'000; ++i) {
    const UnixMicros t = before(rng);
    Result<UnixMicros> parsed = ParseDatetime(FormatDatetimeUtc(t));
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(*parsed, t) << FormatDatetimeUtc(t);
    ASSERT_LE(FloorToSecond(t), t);
    ASSERT_EQ(*ParseDatetime(FormatDatetimeSeconds(t)), FloorToSecond(t));
  }
}

// Writes local time t + offset with the offset suffix, in the three forms,
// and expects the parser to take the offset back out.
TEST(Datetime, RoundTripsThroughRandomOffsets) {
  std::mt19937_64 rng(530);
  std::uniform_int_distribution<UnixMicros> any(kMinDatetime + kMicrosPerDay,
                                                kMaxDatetime - kMicrosPerDay);
  std::uniform_int_distribution<int> minutes(-(23 * 60 + 59), 23 * 60 + 59);
  for (int i = 0; i < 20'000; ++i) {
    const UnixMicros t = any(rng);
    const int offset = minutes(rng);
    const std::string local = FormatDatetimeSeconds(t + offset * 60 * kSecond);
    char hh[16];
    char mm[16];
    std::snprintf(hh, sizeof(hh), "%c%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60);
    std::snprintf(mm, sizeof(mm), "%02d", std::abs(offset) % 60);
    for (const std::string& input : {local + hh + ":" + mm, local + hh + mm}) {
      Result<UnixMicros> parsed = ParseDatetime(input);
      ASSERT_TRUE(parsed.ok()) << input << ": " << parsed.status().message();
      ASSERT_EQ(*parsed, FloorToSecond(t)) << input;
    }
    if (offset % 60 == 0) {
      ASSERT_EQ(*ParseDatetime(local + hh), FloorToSecond(t)) << local + hh;
    }
  }
}

}  // namespace
}  // namespace spinlog::text
