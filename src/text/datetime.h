// ISO 8601 datetimes as the classic API reads and writes them.
//
// Accepted input (after trimming ASCII whitespace):
//   YYYY-MM-DD                          midnight UTC of that date
//   YYYY-MM-DDTHH:MM[:SS[.f{1,9}]][TZ]  'T' or one space between date and time
//   TZ: 'Z' | '+hh:mm' | '-hh:mm' | '+hhmm' | '+hh'  (no TZ means UTC)
// Lower-case 't' and 'z' are accepted (RFC 3339), and so is a space in place
// of the '+' of an offset (what an unencoded '+' becomes in a query string).
//   (either sign in every form; offsets up to 23:59; '.f' only after seconds)
// Years 0001..9999; the calendar is checked (no Feb 30, no hour 24, no leap
// second 60). Fractions beyond microseconds are truncated toward the past.
// The instant itself must also fall in years 0001..9999 UTC once the offset
// is applied ("0001-01-01T00:00+01:00" is rejected), so that every parsed
// value can be formatted again.
// Only 'T', 'Z' in upper case; no ',' as decimal mark, no week or ordinal
// dates, no basic format (20140101).
//
// Thread-safety: free functions without shared state; call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace spinlog::text {

// The first and last microsecond of years 0001..9999 UTC.
inline constexpr UnixMicros kMinDatetime = -62'135'596'800'000'000;  // 0001-01-01T00:00:00Z
inline constexpr UnixMicros kMaxDatetime = 253'402'300'799'999'999;  // 9999-12-31T23:59:59.999999Z

// Returns the instant, or InvalidArgument whose message says what is wrong
// with `input` (without naming a field: the caller knows the field), e.g.
// "'2014-13-01' is not a valid ISO 8601 datetime (month 13)". The quoted
// input is cut after 48 bytes and always valid UTF-8 (see quoting.h).
Result<UnixMicros> ParseDatetime(std::string_view input);

// "2014-01-10T01:00:00": UTC, no offset, to the second (fractions dropped,
// rounding toward the past, also before 1970: -1 is 1969-12-31T23:59:59).
// REQUIRES: kMinDatetime <= t <= kMaxDatetime (debug builds assert; release
// builds clamp).
std::string FormatDatetimeSeconds(UnixMicros t);

// "2014-01-10T01:00:00.250000Z" style for logs and the v1 API: UTC with 'Z';
// six fractional digits, only when t is not a whole second.
// REQUIRES: kMinDatetime <= t <= kMaxDatetime (as above)
std::string FormatDatetimeUtc(UnixMicros t);

// Appends FormatDatetimeSeconds(t) to *out without allocating more than needed.
void AppendDatetimeSeconds(UnixMicros t, std::string* out);

// Appends FormatDatetimeUtc(t) to *out: no allocation when *out has room.
void AppendDatetimeUtc(UnixMicros t, std::string* out);

}  // namespace spinlog::text
