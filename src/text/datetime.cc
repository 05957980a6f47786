#include "text/datetime.h"

#include <cstring>
#include <limits>
#include <utility>

#include <cassert>
#include <cstdint>

#include "text/civil_time.h"
#include "text/quoting.h"

namespace spinlog::text {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
static_assert(kMinDatetime == DaysFromCivil(1, 1, 1) * kMicrosPerDay);
static_assert(kMaxDatetime == DaysFromCivil(10000, 1, 1) * kMicrosPerDay - 1);

bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Reads the datetime grammar of datetime.h left to right. Each step either
// advances or records why the input is wrong; the first reason wins.
class DatetimeParser {
 public:
  explicit DatetimeParser(std::string_view s) : s_(s) {}

  Result<UnixMicros> Parse() {
    if (s_.empty()) return Fail("empty");
    int year = 0;
    int month = 0;
    int day = 0;
    if (!Digits(4, &year) || !Char('-') || !Digits(2, &month) || !Char('-') || !Digits(2, &day)) {
      return Fail("expected YYYY-MM-DD");
    }
    if (year < 1) return Fail("year 0000");
    if (month < 1 || month > 12) return Fail("month " + std::to_string(month));
    if (day < 1 || day > 31) return Fail("day " + std::to_string(day));
    if (day > DaysInMonth(year, month)) {
      return Fail(std::string(s_.substr(0, 7)) + " has no day " + std::to_string(day));
    }
    const std::int64_t days = DaysFromCivil(year, month, day);
    if (AtEnd()) return days * kMicrosPerDay;

    // RFC 3339 allows a lower-case 't' and 'z'.
    if (!Char('T') && !Char('t') && !Char(' ')) {
      return Fail("expected 'T' or a space after the date");
    }
    int hour = 0;
    int minute = 0;
    if (!Digits(2, &hour) || !Char(':') || !Digits(2, &minute)) {
      return Fail("expected hh:mm after the date");
    }
    if (hour > 23) return Fail("hour " + std::to_string(hour));
    if (minute > 59) return Fail("minute " + std::to_string(minute));
    int second = 0;
    UnixMicros fraction = 0;
    if (Char(':')) {
      if (!Digits(2, &second)) return Fail("expected two digits of seconds after hh:mm:");
      if (second > 59) return Fail("second " + std::to_string(second));
      if (Char('.')) {
        Result<UnixMicros> micros = Fraction();
        if (!micros.ok()) return micros.status();
        fraction = *micros;
      }
    }
    Result<std::int64_t> offset = OffsetSeconds();
    if (!offset.ok()) return offset.status();
    if (!AtEnd()) return Fail("unexpected " + QuoteForMessage(s_.substr(pos_), 16) + " at the end");

    const std::int64_t local_seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
    const UnixMicros t = (local_seconds - *offset) * kMicrosPerSecond + fraction;
    // An offset can carry a valid local time out of the years we can format.
    if (t < kMinDatetime) return Fail("before 0001-01-01T00:00:00Z once the offset is applied");
    if (t > kMaxDatetime) return Fail("after 9999-12-31T23:59:59Z once the offset is applied");
    return t;
  }

 private:
  bool AtEnd() const { return pos_ == s_.size(); }

  bool Char(char c) {
    if (AtEnd() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // Reads exactly `n` decimal digits into *value.
  bool Digits(int n, int* value) {
    if (s_.size() - pos_ < static_cast<std::size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      const char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    *value = v;
    return true;
  }

  // Reads 1..9 digits after '.'; digits past the sixth are dropped, which
  // truncates toward the past because the fraction is added, never subtracted.
  Result<UnixMicros> Fraction() {
    UnixMicros micros = 0;
    int count = 0;
    while (!AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      if (count < 6) micros = micros * 10 + (s_[pos_] - '0');
      ++count;
      ++pos_;
    }
    if (count == 0) return Fail("expected digits after '.'");
    if (count > 9) return Fail("more than 9 fractional digits");
    for (int i = count; i < 6; ++i) micros *= 10;
    return micros;
  }

  // Reads an optional Z, ±hh:mm, ±hhmm or ±hh; returns seconds east of UTC.
  Result<std::int64_t> OffsetSeconds() {
    if (AtEnd()) return std::int64_t{0};
    if (Char('Z') || Char('z')) return std::int64_t{0};
    int sign;
    // A '+' in a query string that was not percent-encoded arrives as a
    // space; a space followed by an offset can only have meant '+'.
    if (Char('+') || Char(' ')) {
      sign = 1;
    } else if (Char('-')) {
      sign = -1;
    } else {
      return Fail("unexpected " + QuoteForMessage(s_.substr(pos_), 16) + " after the time");
    }
    int hours = 0;
    int minutes = 0;
    if (!Digits(2, &hours)) return Fail(kBadOffset);
    const bool colon = Char(':');
    if (colon || (!AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9')) {
      if (!Digits(2, &minutes)) return Fail(kBadOffset);
    }
    if (hours > 23) return Fail("offset hour " + std::to_string(hours));
    if (minutes > 59) return Fail("offset minute " + std::to_string(minutes));
    return sign * (hours * std::int64_t{3600} + minutes * std::int64_t{60});
  }

  Status Fail(std::string_view why) const {
    return Status::InvalidArgument(QuoteForMessage(s_) + " is not a valid ISO 8601 datetime (" +
                                   std::string(why) + ")");
  }

  static constexpr std::string_view kBadOffset = "expected an offset Z, +hh:mm, +hhmm or +hh";

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Out-of-range input is a caller bug; clamping keeps release builds writing
// four-digit years (and away from overflow) instead of garbage.
UnixMicros ClampToRange(UnixMicros t) {
  assert(t >= kMinDatetime && t <= kMaxDatetime);
  if (t < kMinDatetime) return kMinDatetime;
  if (t > kMaxDatetime) return kMaxDatetime;
  return t;
}

// Writes "YYYY-MM-DDTHH:MM:SS" (19 chars) for the second holding t.
// REQUIRES: kMinDatetime <= t <= kMaxDatetime
void WriteSeconds(UnixMicros t, char* out) {
  const std::int64_t seconds = FloorDiv(t, kMicrosPerSecond);
  const std::int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const auto of_day = static_cast<int>(seconds - days * kSecondsPerDay);
  auto put = [&out](int value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    out += width;
  };
  // Lists of plays repeat the same few days; the calendar arithmetic is the
  // costly part, so each thread remembers the last day it wrote.
  thread_local std::int64_t cached_day = std::numeric_limits<std::int64_t>::min();
  thread_local char cached_date[11];
  if (days != cached_day) {
    const CivilDate date = CivilFromDays(days);
    char* date_out = cached_date;
    std::swap(out, date_out);
    put(date.year, 4);
    *out++ = '-';
    put(date.month, 2);
    *out++ = '-';
    put(date.day, 2);
    *out++ = 'T';
    std::swap(out, date_out);
    cached_day = days;
  }
  std::memcpy(out, cached_date, sizeof(cached_date));
  out += sizeof(cached_date);
  // Two digits at a time from a table: this runs twice per play listed.
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  const int hour = of_day / 3600;
  const int minute = of_day / 60 % 60;
  const int second = of_day % 60;
  std::memcpy(out, kPairs + 2 * hour, 2);
  out[2] = ':';
  std::memcpy(out + 3, kPairs + 2 * minute, 2);
  out[5] = ':';
  std::memcpy(out + 6, kPairs + 2 * second, 2);
}

constexpr std::size_t kSecondsLength = 19;  // "YYYY-MM-DDTHH:MM:SS"

}  // namespace

Result<UnixMicros> ParseDatetime(std::string_view input) {
  return DatetimeParser(TrimAscii(input)).Parse();
}

std::string FormatDatetimeSeconds(UnixMicros t) {
  std::string out;
  AppendDatetimeSeconds(t, &out);
  return out;
}

std::string FormatDatetimeUtc(UnixMicros t) {
  std::string out;
  out.reserve(kSecondsLength + 8);
  AppendDatetimeUtc(t, &out);
  return out;
}

void AppendDatetimeUtc(UnixMicros t, std::string* out) {
  t = ClampToRange(t);
  // "YYYY-MM-DDTHH:MM:SS" ".ffffff" "Z", written in place and appended once.
  char buffer[kSecondsLength + 8];
  WriteSeconds(t, buffer);
  std::size_t length = kSecondsLength;
  const UnixMicros micros = t - FloorDiv(t, kMicrosPerSecond) * kMicrosPerSecond;
  if (micros != 0) {
    buffer[length] = '.';
    auto value = static_cast<int>(micros);
    for (std::size_t i = 6; i >= 1; --i) {
      buffer[length + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    length += 7;
  }
  buffer[length++] = 'Z';
  out->append(buffer, length);
}

void AppendDatetimeSeconds(UnixMicros t, std::string* out) {
  char buffer[kSecondsLength];
  WriteSeconds(ClampToRange(t), buffer);
  out->append(buffer, kSecondsLength);
}

}  // namespace spinlog::text
