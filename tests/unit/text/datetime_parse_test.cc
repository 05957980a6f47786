#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "text/civil_time.h"
#include "text/datetime.h"
#include "text/utf8.h"

namespace spinlog::text {
namespace {

// The instant of a UTC wall-clock time, from the calendar arithmetic (which
// datetime_format_test checks against a naive day-by-day calendar).
UnixMicros Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0,
               UnixMicros micros = 0) {
  const std::int64_t seconds =
      DaysFromCivil(year, month, day) * 86'400 + hour * 3600 + minute * 60 + second;
  return seconds * kMicrosPerSecond + micros;
}

UnixMicros ParseOk(std::string_view input) {
  Result<UnixMicros> t = ParseDatetime(input);
  EXPECT_TRUE(t.ok()) << "input: " << input << " error: " << t.status().message();
  return t.ok() ? *t : 0;
}

// The error message for `input`, or "<ok>" when it parses.
std::string ParseError(std::string_view input) {
  Result<UnixMicros> t = ParseDatetime(input);
  if (t.ok()) return "<ok>";
  EXPECT_TRUE(t.status().IsInvalidArgument()) << input;
  return t.status().message();
}

// The parenthesised reason at the end of the error message for `input`.
std::string Reason(std::string_view input) {
  const std::string message = ParseError(input);
  const std::size_t open = message.find(" is not a valid ISO 8601 datetime (");
  if (open == std::string::npos || message.back() != ')') return message;
  const std::size_t start = open + std::string_view(" is not a valid ISO 8601 datetime (").size();
  return message.substr(start, message.size() - start - 1);
}

TEST(ParseDatetime, ReadsTheClassicApiExample) {
  EXPECT_EQ(ParseOk("2014-01-01T01:00:00"), 1'388'538'000 * kMicrosPerSecond);
  EXPECT_EQ(ParseOk("2014-01-01T01:00:00"), Utc(2014, 1, 1, 1));
}

TEST(ParseDatetime, EpochIsZero) {
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00"), 0);
  EXPECT_EQ(ParseOk("1970-01-01"), 0);
}

TEST(ParseDatetime, DateAloneIsMidnightUtc) {
  EXPECT_EQ(ParseOk("2014-01-08"), Utc(2014, 1, 8));
  EXPECT_EQ(ParseOk("1969-12-31"), -kMicrosPerDay);
}

TEST(ParseDatetime, AcceptsOneSpaceInsteadOfT) {
  EXPECT_EQ(ParseOk("2014-01-01 01:00:00"), Utc(2014, 1, 1, 1));
  EXPECT_EQ(ParseOk("2014-01-01 01:00"), Utc(2014, 1, 1, 1));
}

TEST(ParseDatetime, SecondsAreOptional) {
  EXPECT_EQ(ParseOk("2014-01-01T01:02"), Utc(2014, 1, 1, 1, 2));
  EXPECT_EQ(ParseOk("2014-01-01T01:02Z"), Utc(2014, 1, 1, 1, 2));
  EXPECT_EQ(ParseOk("2014-01-01T06:32+05:30"), Utc(2014, 1, 1, 1, 2));
}

TEST(ParseDatetime, NoOffsetMeansUtc) {
  EXPECT_EQ(ParseOk("2014-01-01T01:00:00"), ParseOk("2014-01-01T01:00:00Z"));
  EXPECT_EQ(ParseOk("2014-01-01T01:00:00"), ParseOk("2014-01-01T01:00:00+00:00"));
  EXPECT_EQ(ParseOk("2014-01-01T01:00:00"), ParseOk("2014-01-01T01:00:00-00:00"));
}

TEST(ParseDatetime, OffsetsInEveryForm) {
  const UnixMicros one_am = Utc(2014, 1, 1, 1);
  EXPECT_EQ(ParseOk("2014-01-01T06:30:00+05:30"), one_am);
  EXPECT_EQ(ParseOk("2014-01-01T06:30:00+0530"), one_am);
  EXPECT_EQ(ParseOk("2014-01-01T06:00:00+05"), one_am);
  EXPECT_EQ(ParseOk("2013-12-31T17:00:00-08:00"), one_am);
  EXPECT_EQ(ParseOk("2013-12-31T17:00:00-0800"), one_am);
  EXPECT_EQ(ParseOk("2013-12-31T17:00:00-08"), one_am);
  EXPECT_EQ(ParseOk("2013-12-31T19:15:00-05:45"), Utc(2014, 1, 1, 1, 0));
  EXPECT_EQ(ParseOk("2014-01-02T00:59:00+23:59"), one_am);
}

TEST(ParseDatetime, OffsetCanMoveTheDate) {
  EXPECT_EQ(ParseOk("2014-01-01T00:30:00+01:00"), Utc(2013, 12, 31, 23, 30));
  EXPECT_EQ(ParseOk("2013-12-31T23:30:00-01:00"), Utc(2014, 1, 1, 0, 30));
  EXPECT_EQ(ParseOk("2016-03-01T00:00:00+00:01"), Utc(2016, 2, 29, 23, 59));
}

TEST(ParseDatetime, FractionsOfOneToNineDigits) {
  const UnixMicros base = Utc(2014, 1, 1, 1);
  const struct {
    const char* fraction;
    UnixMicros micros;
  } cases[] = {
      {".5", 500'000},
      {".25", 250'000},
      {".125", 125'000},
      {".1234", 123'400},
      {".12345", 123'450},
      {".123456", 123'456},
      {".1234567", 123'456},
      {".12345678", 123'456},
      {".123456789", 123'456},
      {".000001", 1},
      {".0000009", 0},
      {".999999999", 999'999},
      {".0", 0},
      {".000000000", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseOk(std::string("2014-01-01T01:00:00") + c.fraction), base + c.micros)
        << c.fraction;
    EXPECT_EQ(ParseOk(std::string("2014-01-01T01:00:00") + c.fraction + "Z"), base + c.micros)
        << c.fraction;
  }
}

TEST(ParseDatetime, FractionWithOffset) {
  EXPECT_EQ(ParseOk("2014-01-01T02:00:00.75+01:00"), Utc(2014, 1, 1, 1, 0, 0, 750'000));
}

TEST(ParseDatetime, FractionsTruncateTowardThePastBefore1970) {
  EXPECT_EQ(ParseOk("1969-12-31T23:59:59.5"), -500'000);
  // -0.0000001 s lies in the microsecond [-1, 0): the past is -1.
  EXPECT_EQ(ParseOk("1969-12-31T23:59:59.9999999"), -1);
}

TEST(ParseDatetime, TrimsAsciiWhitespace) {
  EXPECT_EQ(ParseOk("  2014-01-01T01:00:00\t\r\n"), Utc(2014, 1, 1, 1));
  EXPECT_EQ(ParseOk("\v\f2014-01-08 "), Utc(2014, 1, 8));
}

TEST(ParseDatetime, LeapYears) {
  EXPECT_EQ(ParseOk("2016-02-29"), Utc(2016, 2, 29));
  EXPECT_EQ(ParseOk("2000-02-29T12:00:00"), Utc(2000, 2, 29, 12));
  EXPECT_EQ(ParseOk("2400-02-29"), Utc(2400, 2, 29));
  EXPECT_EQ(ParseError("2015-02-29"),
            "'2015-02-29' is not a valid ISO 8601 datetime (2015-02 has no day 29)");
  EXPECT_EQ(Reason("1900-02-29"), "1900-02 has no day 29");
  EXPECT_EQ(Reason("2100-02-29T00:00:00"), "2100-02 has no day 29");
  EXPECT_EQ(Reason("2016-02-30"), "2016-02 has no day 30");
  EXPECT_EQ(Reason("2014-04-31"), "2014-04 has no day 31");
  EXPECT_EQ(ParseOk("2014-12-31"), Utc(2014, 12, 31));
}

TEST(ParseDatetime, ErrorMessageQuotesTheInputAndSaysWhy) {
  EXPECT_EQ(ParseError("2014-13-01"), "'2014-13-01' is not a valid ISO 8601 datetime (month 13)");
  EXPECT_EQ(ParseError(""), "'' is not a valid ISO 8601 datetime (empty)");
  EXPECT_EQ(ParseError(" \t"), "'' is not a valid ISO 8601 datetime (empty)");
}

TEST(ParseDatetime, RejectsOutOfRangeFields) {
  EXPECT_EQ(Reason("2014-00-10"), "month 0");
  EXPECT_EQ(Reason("2014-01-00"), "day 0");
  EXPECT_EQ(Reason("2014-01-32"), "day 32");
  EXPECT_EQ(Reason("0000-01-01"), "year 0000");
  EXPECT_EQ(Reason("2014-01-01T24:00:00"), "hour 24");
  EXPECT_EQ(Reason("2014-01-01T23:60:00"), "minute 60");
  EXPECT_EQ(Reason("2014-01-01T23:59:60"), "second 60");
  EXPECT_EQ(Reason("2014-01-01T99:99:99"), "hour 99");
  EXPECT_EQ(Reason("2014-01-01T01:00:00+25:00"), "offset hour 25");
  EXPECT_EQ(Reason("2014-01-01T01:00:00+24:00"), "offset hour 24");
  EXPECT_EQ(Reason("2014-01-01T01:00:00+05:60"), "offset minute 60");
}

TEST(ParseDatetime, RejectsMalformedDates) {
  for (const char* input : {"garbage", "2014-1-1", "2014-01-1", "2014-1-01", "14-01-01",
                            "2014/01/01", "20140101", "+2014-01-01", "-0001-01-01", "2014-01",
                            "2014", "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x94-01-01"}) {
    EXPECT_EQ(Reason(input), "expected YYYY-MM-DD") << input;
  }
}

TEST(ParseDatetime, RejectsMalformedTimes) {
  EXPECT_EQ(Reason("2014-01-01Z"), "expected 'T' or a space after the date");
  EXPECT_EQ(Reason("2014-01-01_01:00"), "expected 'T' or a space after the date");
  for (const char* input : {"2014-01-01T", "2014-01-01T01", "2014-01-01T1:00:00", "2014-01-01T01:0",
                            "2014-01-01T0100", "2014-01-01  01:00:00", "2014-01-01T01-00"}) {
    EXPECT_EQ(Reason(input), "expected hh:mm after the date") << input;
  }
  EXPECT_EQ(Reason("2014-01-01T01:00:"), "expected two digits of seconds after hh:mm:");
  EXPECT_EQ(Reason("2014-01-01T01:00:5"), "expected two digits of seconds after hh:mm:");
  EXPECT_EQ(Reason("2014-01-01T01:00:00."), "expected digits after '.'");
  EXPECT_EQ(Reason("2014-01-01T01:00:00.Z"), "expected digits after '.'");
  EXPECT_EQ(Reason("2014-01-01T01:00:00.1234567890"), "more than 9 fractional digits");
  EXPECT_EQ(Reason("2014-01-01T01:00:00,5"), "unexpected ',5' after the time");
  EXPECT_EQ(Reason("2014-01-01T01:00.5"), "unexpected '.5' after the time");
}

TEST(ParseDatetime, AcceptsLowerCaseTAndZ) {
  EXPECT_EQ(*ParseDatetime("2014-01-01t01:00:00z"), *ParseDatetime("2014-01-01T01:00:00Z"));
}

TEST(ParseDatetime, ReadsASpaceBeforeAnOffsetAsPlus) {
  // An unencoded '+' in a query string decodes to a space.
  EXPECT_EQ(*ParseDatetime("2014-01-01T01:00:00 05:30"),
            *ParseDatetime("2014-01-01T01:00:00+05:30"));
}

TEST(ParseDatetime, RejectsMalformedOffsets) {
  const std::string bad = "expected an offset Z, +hh:mm, +hhmm or +hh";
  for (const char* input :
       {"2014-01-01T01:00:00+", "2014-01-01T01:00:00+5",
        "2014-01-01T01:00:00+05:", "2014-01-01T01:00:00+05:3", "2014-01-01T01:00:00+053",
        "2014-01-01T01:00:00-x", "2014-01-01T01:00:00+5:30"}) {
    EXPECT_EQ(Reason(input), bad) << input;
  }
  EXPECT_EQ(Reason("2014-01-01T01:00:00 Z"), bad);
  EXPECT_EQ(Reason("2014-01-01T01:00:00 x"), bad);
}

TEST(ParseDatetime, RejectsTrailingJunk) {
  EXPECT_EQ(Reason("2014-01-01T01:00:00junk"), "unexpected 'junk' after the time");
  EXPECT_EQ(Reason("2014-01-01T01:00:00Zjunk"), "unexpected 'junk' at the end");
  EXPECT_EQ(Reason("2014-01-01T01:00:00+05:30:00"), "unexpected ':00' at the end");
  EXPECT_EQ(Reason("2014-01-01T01:00:00ZZ"), "unexpected 'Z' at the end");
  EXPECT_EQ(Reason("2014-01-01x"), "expected 'T' or a space after the date");
  EXPECT_EQ(Reason(std::string_view("2014-01-01\0", 11)), "expected 'T' or a space after the date");
  EXPECT_EQ(Reason(std::string_view("2014-01-01T01:00:00\0", 20)),
            "unexpected '\\x00' after the time");
}

TEST(ParseDatetime, RangeIsYears0001To9999AfterTheOffset) {
  EXPECT_EQ(ParseOk("0001-01-01T00:00:00Z"), kMinDatetime);
  EXPECT_EQ(ParseOk("0001-01-01"), kMinDatetime);
  EXPECT_EQ(ParseOk("9999-12-31T23:59:59.999999"), kMaxDatetime);
  EXPECT_EQ(ParseOk("9999-12-31T23:59:59.9999999"), kMaxDatetime);
  EXPECT_EQ(ParseOk("0001-01-01T00:00:00-01:00"), kMinDatetime + 3600 * kMicrosPerSecond);
  EXPECT_EQ(Reason("0001-01-01T00:00:00+00:01"),
            "before 0001-01-01T00:00:00Z once the offset is applied");
  EXPECT_EQ(Reason("9999-12-31T23:59:59-00:01"),
            "after 9999-12-31T23:59:59Z once the offset is applied");
}

TEST(ParseDatetime, ErrorMessagesAreShortValidUtf8) {
  const std::string long_input = "2014-01-01T01:00:00" + std::string(500, 'x');
  const std::string message = ParseError(long_input);
  EXPECT_LT(message.size(), 160u);
  EXPECT_NE(message.find("'... is not"), std::string::npos) << message;
  EXPECT_EQ(ParseError("2014-01-01\xFF"),
            "'2014-01-01\\xFF' is not a valid ISO 8601 datetime "
            "(expected 'T' or a space after the date)");
  for (const char* input : {"\xC3", "2014-01-01T01:00:00\xE2\x82", "\xED\xA0\x80", "\x01\x02"}) {
    EXPECT_TRUE(IsValidUtf8(ParseError(input))) << ParseError(input);
  }
}

}  // namespace
}  // namespace spinlog::text
