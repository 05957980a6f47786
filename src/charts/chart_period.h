// Calendar periods of charts, in UTC: the day, the ISO week (Monday 00:00 to
// Monday 00:00), the month or the year holding an instant.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "common/time.h"

namespace spinlog::charts {

enum class PeriodKind { kDay, kWeek, kMonth, kYear };

// "day", "week", "month", "year" -> the kind; nullopt otherwise.
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

struct Period {
  UnixMicros from = 0;
  UnixMicros to = 0;  // exclusive
};

// The period of `kind` holding `t`. nullopt when it would reach past the
// range of UnixMicros (never for years 0001 to 9999).
std::optional<Period> PeriodContaining(PeriodKind kind, UnixMicros t);

}  // namespace spinlog::charts
