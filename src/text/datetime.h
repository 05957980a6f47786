// ISO 8601 datetimes as the classic API reads and writes them.
//
// Accepted input (after trimming ASCII whitespace):
//   YYYY-MM-DD                          midnight UTC of that date
//   YYYY-MM-DDTHH:MM[:SS[.f{1,9}]][TZ]  'T' or one space between date and time
//   TZ: 'Z' | '+hh:mm' | '-hh:mm' | '+hhmm' | '+hh'  (no TZ means UTC)
// Years 0001..9999; the calendar is checked (no Feb 30, no hour 24, no leap
// second 60). Fractions beyond microseconds are truncated toward the past.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace spinlog::text {

// Returns the instant, or InvalidArgument whose message says what is wrong
// with `input` (without naming a field: the caller knows the field).
Result<UnixMicros> ParseDatetime(std::string_view input);

// "2014-01-10T01:00:00": UTC, no offset, to the second (fractions dropped,
// rounding toward the past). REQUIRES: t within years 0001..9999.
std::string FormatDatetimeSeconds(UnixMicros t);

// "2014-01-10T01:00:00.250000Z" style for logs and the v1 API: UTC with 'Z';
// fractional digits only when t is not a whole second.
std::string FormatDatetimeUtc(UnixMicros t);

// Appends FormatDatetimeSeconds(t) to *out without allocating more than needed.
void AppendDatetimeSeconds(UnixMicros t, std::string* out);

}  // namespace spinlog::text
