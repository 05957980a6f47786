#include "charts/day_totals.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <utility>
#include <vector>

namespace spinlog::charts {
namespace {

using storage::SongId;

std::map<SongId, std::int64_t> Sum(const DayTotals& totals, std::int64_t from, std::int64_t to) {
  SongTally tally;
  totals.Accumulate(from, to, &tally);
  std::map<SongId, std::int64_t> sums;
  for (SongId song : tally.songs()) {
    if (tally.Get(song) != 0) sums[song] = tally.Get(song);
  }
  return sums;
}

TEST(DayTotals, AddsPerDayAndReadsOnlyTheDaysAsked) {
  DayTotals totals;
  totals.Add(10, 5, 1);
  totals.Add(10, 5, 2);
  totals.Add(11, 6, 1);
  totals.Add(12, 5, 4);
  EXPECT_EQ(Sum(totals, 10, 12), (std::map<SongId, std::int64_t>{{5, 3}, {6, 1}}));
  EXPECT_EQ(Sum(totals, 12, 13), (std::map<SongId, std::int64_t>{{5, 4}}));
  EXPECT_TRUE(Sum(totals, 13, 20).empty());
}

TEST(DayTotals, FoldingKeepsEveryCountAndDropsZeros) {
  // Far more changes than one fold takes, with removals: the sums stay
  // exact and songs taken back to zero are not held.
  std::mt19937 random(5);
  DayTotals totals;
  std::map<std::pair<std::int64_t, SongId>, std::int64_t> model;
  for (int i = 0; i < 50'000; ++i) {
    const std::int64_t day = -2 + static_cast<std::int64_t>(random() % 4);
    const SongId song = 1 + random() % 3000;
    const std::int32_t delta = random() % 5 == 0 && model[{day, song}] > 0 ? -1 : 1;
    totals.Add(day, song, delta);
    model[{day, song}] += delta;
  }
  std::size_t nonzero = 0;
  for (std::int64_t day = -2; day < 2; ++day) {
    std::map<SongId, std::int64_t> want;
    for (const auto& [key, plays] : model) {
      if (key.first == day && plays != 0) want[key.second] = plays;
    }
    nonzero += want.size();
    EXPECT_EQ(Sum(totals, day, day + 1), want) << "day " << day;
  }
  // Held: the distinct songs per day (at most 3,000) and a log of at most
  // max(1,024, a quarter of them) per day, not one entry per change.
  EXPECT_GE(totals.size(), nonzero);
  EXPECT_LE(totals.size(), std::size_t{4} * (3000 + 1024));
}

TEST(DayTotals, SetReplacesADay) {
  DayTotals totals;
  totals.Add(3, 1, 7);
  totals.Set(3, {{1, 2}, {4, 0}, {9, 1}});
  EXPECT_EQ(Sum(totals, 3, 4), (std::map<SongId, std::int64_t>{{1, 2}, {9, 1}}));
  EXPECT_EQ(totals.size(), 2u);
}

TEST(DayTotals, VersionGrowsWithEveryChangeInItsRangeOnly) {
  DayTotals totals;
  const std::uint64_t empty = totals.Version(0, 7);
  totals.Add(3, 1, 1);
  const std::uint64_t one = totals.Version(0, 7);
  EXPECT_GT(one, empty);
  totals.Add(7, 1, 1);  // outside [0, 7)
  totals.Add(-1, 1, 1);
  EXPECT_EQ(totals.Version(0, 7), one);
  totals.Add(3, 1, -1);  // a removal is a change too
  const std::uint64_t two = totals.Version(0, 7);
  EXPECT_GT(two, one);
  totals.Set(5, {{2, 1}});  // a new day in the range
  EXPECT_GT(totals.Version(0, 7), two);
}

TEST(DayTotals, FirstDayIsTheFirstWithACountOtherThanZero) {
  DayTotals totals;
  EXPECT_EQ(totals.FirstDay(), std::nullopt);
  totals.Add(-4, 1, 1);
  totals.Add(-4, 1, -1);  // cancelled in the log
  totals.Add(2, 3, 1);
  EXPECT_EQ(totals.FirstDay(), 2);
  totals.Set(-6, {{5, 1}});
  EXPECT_EQ(totals.FirstDay(), -6);
  totals.Add(-6, 5, -1);  // a listed count cancelled by the log
  EXPECT_EQ(totals.FirstDay(), 2);
  totals.Add(-4, 7, 1);
  EXPECT_EQ(totals.FirstDay(), -4);
}

}  // namespace
}  // namespace spinlog::charts
