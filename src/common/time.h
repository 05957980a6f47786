// Instants and durations as integer microseconds since the Unix epoch, UTC.
//
// Plays are identified by (channel, start), so starts must compare exactly:
// integers, never floating point. Microseconds cover years 0001..9999 easily.
#pragma once

#include <cstdint>

namespace spinlog {

// Microseconds since 1970-01-01T00:00:00Z.
using UnixMicros = std::int64_t;

inline constexpr UnixMicros kMicrosPerSecond = 1'000'000;
inline constexpr UnixMicros kMicrosPerDay = 86'400 * kMicrosPerSecond;
inline constexpr UnixMicros kMicrosPerWeek = 7 * kMicrosPerDay;

// The day number (days since 1970-01-01, negative before) holding `t`.
// Floor division: exact for every int64, INT64_MIN included.
constexpr std::int64_t DayOf(UnixMicros t) {
  const std::int64_t quotient = t / kMicrosPerDay;
  return t % kMicrosPerDay < 0 ? quotient - 1 : quotient;
}

}  // namespace spinlog
