#include "charts/day_totals.h"

#include <algorithm>
#include <utility>

namespace spinlog::charts {

void DayTotals::Add(std::int64_t day, storage::SongId song, std::int32_t delta) {
  const Count change{song, delta};
  Add(day, std::span<const Count>(&change, 1));
}

void DayTotals::Add(std::int64_t day, std::span<const Count> changes) {
  if (changes.empty()) return;
  Day& d = days_[day];
  d.log.insert(d.log.end(), changes.begin(), changes.end());
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

std::optional<std::int64_t> DayTotals::FirstDay() const {
  auto by_song = [](const Count& a, const Count& b) { return a.song < b.song; };
  for (const auto& [day, d] : days_) {
    // Logged changes may cancel counts out: a day counts when some song's
    // sum is not 0.
    std::vector<Count> log = d.log;
    std::sort(log.begin(), log.end(), by_song);
    std::size_t listed_and_logged = 0;
    for (std::size_t i = 0; i < log.size();) {
      Count sum = {log[i].song, 0};
      for (; i < log.size() && log[i].song == sum.song; ++i) sum.plays += log[i].plays;
      auto listed = std::lower_bound(d.sorted.begin(), d.sorted.end(), sum, by_song);
      if (listed != d.sorted.end() && listed->song == sum.song) {
        sum.plays += listed->plays;
        ++listed_and_logged;
      }
      if (sum.plays != 0) return day;
    }
    // Listed counts are never 0: one that no change touched stands.
    if (d.sorted.size() > listed_and_logged) return day;
  }
  return std::nullopt;
}

std::size_t DayTotals::size() const {
  std::size_t n = 0;
  for (const auto& [day, d] : days_) n += d.sorted.size() + d.log.size();
  return n;
}

}  // namespace spinlog::charts
