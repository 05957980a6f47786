#include "charts/chart_period.h"

#include <limits>

#include "text/civil_time.h"

namespace spinlog::charts {
namespace {

// Days since 1970-01-01 -> the instant at its midnight; nullopt on overflow.
std::optional<UnixMicros> Midnight(std::int64_t day) {
  constexpr std::int64_t kMaxDay = std::numeric_limits<UnixMicros>::max() / kMicrosPerDay;
  constexpr std::int64_t kMinDay = std::numeric_limits<UnixMicros>::min() / kMicrosPerDay;
  if (day > kMaxDay || day < kMinDay) return std::nullopt;
  return day * kMicrosPerDay;
}

}  // namespace

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  if (name == "day") return PeriodKind::kDay;
  if (name == "week") return PeriodKind::kWeek;
  if (name == "month") return PeriodKind::kMonth;
  if (name == "year") return PeriodKind::kYear;
  return std::nullopt;
}

std::optional<Period> PeriodContaining(PeriodKind kind, UnixMicros t) {
  const std::int64_t day = DayOf(t);
  std::int64_t first = day;
  std::int64_t end = day + 1;
  switch (kind) {
    case PeriodKind::kDay:
      break;
    case PeriodKind::kWeek:
      // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
      first = day - ((day + 3) - text::FloorDiv(day + 3, 7) * 7);
      end = first + 7;
      break;
    case PeriodKind::kMonth: {
      const text::CivilDate date = text::CivilFromDays(day);
      first = text::DaysFromCivil(date.year, date.month, 1);
      end = first + text::DaysInMonth(date.year, date.month);
      break;
    }
    case PeriodKind::kYear: {
      const text::CivilDate date = text::CivilFromDays(day);
      first = text::DaysFromCivil(date.year, 1, 1);
      end = text::DaysFromCivil(date.year + 1, 1, 1);
      break;
    }
  }
  const std::optional<UnixMicros> from = Midnight(first);
  const std::optional<UnixMicros> to = Midnight(end);
  if (!from || !to) return std::nullopt;
  return Period{*from, *to};
}

}  // namespace spinlog::charts
