#include "charts/day_totals.h"

#include <algorithm>
#include <utility>

namespace spinlog::charts {

void DayTotals::Add(std::int64_t day, storage::SongId song, std::int32_t delta) {
  Day& d = days_[day];
  d.log.push_back({song, delta});
  ++d.version;
  if (d.log.size() >= std::max(kMinLogToFold, d.sorted.size() / 4)) Fold(&d);
}

void DayTotals::Set(std::int64_t day, std::vector<Count> counts) {
  Day& d = days_[day];
  d.sorted = std::move(counts);
  std::erase_if(d.sorted, [](const Count& c) { return c.plays == 0; });
  d.log.clear();
  ++d.version;
}

void DayTotals::Fold(Day* day) {
  std::vector<Count>& log = day->log;
  std::sort(log.begin(), log.end(), [](const Count& a, const Count& b) { return a.song < b.song; });
  std::vector<Count> merged;
  merged.reserve(day->sorted.size() + log.size());
  auto s = day->sorted.begin();
  auto l = log.begin();
  while (s != day->sorted.end() || l != log.end()) {
    Count next;
    if (l == log.end() || (s != day->sorted.end() && s->song < l->song)) {
      next = *s++;
    } else {
      next = {l->song, 0};
      if (s != day->sorted.end() && s->song == l->song) next.plays = (s++)->plays;
      for (; l != log.end() && l->song == next.song; ++l) next.plays += l->plays;
    }
    if (next.plays != 0) merged.push_back(next);
  }
  day->sorted = std::move(merged);
  log.clear();
}

void DayTotals::Accumulate(std::int64_t from_day, std::int64_t to_day, SongTally* tally) const {
  for (auto it = days_.lower_bound(from_day); it != days_.end() && it->first < to_day; ++it) {
    for (const Count& c : it->second.sorted) tally->Add(c.song, c.plays);
    for (const Count& c : it->second.log) tally->Add(c.song, c.plays);
  }
}

std::uint64_t DayTotals::Version(std::int64_t from_day, std::int64_t to_day) const {
  std::uint64_t version = 0;
  for (auto it = days_.lower_bound(from_day); it != days_.end() && it->first < to_day; ++it) {
    version += it->second.version;
  }
  return version;
}

std::size_t DayTotals::size() const {
  std::size_t n = 0;
  for (const auto& [day, d] : days_) n += d.sorted.size() + d.log.size();
  return n;
}

}  // namespace spinlog::charts
