// The rules a play must satisfy before it is stored.
#pragma once

#include <limits>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace spinlog::domain {

// Longest accepted play. Overlap queries rely on it: they look back this far
// for plays that started before a window and still run into it.
inline constexpr UnixMicros kMaxPlayDuration = kMicrosPerDay;

// Plays are stored to the whole second, as answers write them, so that a
// client re-posting what it was given finds the same play. Rounds toward
// the past.
inline UnixMicros TruncateToSecond(UnixMicros t) {
  const UnixMicros r = t % kMicrosPerSecond;
  return r < 0 ? t - r - kMicrosPerSecond : t - r;
}

// Appends a violation of field "end" when end <= start or the play lasts
// longer than kMaxPlayDuration.
void CheckPlayTimes(UnixMicros start, UnixMicros end, std::vector<FieldViolation>* violations);

// True when the play [start, end) overlaps the half-open window [from, to).
inline bool Overlaps(UnixMicros start, UnixMicros end, UnixMicros from, UnixMicros to) {
  return start < to && end > from;
}

// The earliest start of a play that can overlap a window opening at `from`:
// scans for overlapping plays start here (saturating at the earliest time).
inline UnixMicros EarliestOverlappingStart(UnixMicros from) {
  return from < std::numeric_limits<UnixMicros>::min() + kMaxPlayDuration
             ? std::numeric_limits<UnixMicros>::min()
             : from - kMaxPlayDuration;
}

}  // namespace spinlog::domain
