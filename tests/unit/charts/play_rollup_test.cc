#include "charts/play_rollup.h"

#include <gtest/gtest.h>

#include <vector>

namespace spinlog::charts {
namespace {

TEST(PlayRollup, AccumulatesOnlyTheChannelsAndDaysAsked) {
  PlayRollup rollup;
  rollup.Add(1, 10, 100);
  rollup.Add(1, 10, 100);
  rollup.Add(1, 11, 101);
  rollup.Add(2, 10, 100);
  rollup.Add(3, 10, 100);  // not asked for
  rollup.Add(1, 17, 100);  // past the range

  std::vector<ChannelId> channels{1, 2};
  SongTally counts;
  rollup.Accumulate(channels, 10, 17, &counts);
  EXPECT_EQ(counts.songs().size(), 2u);
  EXPECT_EQ(counts.Get(100), 3);
  EXPECT_EQ(counts.Get(101), 1);
}

TEST(PlayRollup, NegativeDeltaRemovesPlays) {
  PlayRollup rollup;
  rollup.Add(1, -5, 7);  // a day before 1970
  rollup.Add(1, -5, 7, -1);
  std::vector<ChannelId> channels{1};
  SongTally counts;
  rollup.Accumulate(channels, -10, 0, &counts);
  EXPECT_TRUE(counts.songs().empty());
}

TEST(PlayRollup, UnknownChannelAddsNothing) {
  PlayRollup rollup;
  std::vector<ChannelId> channels{42};
  SongTally counts;
  rollup.Accumulate(channels, 0, 100, &counts);
  EXPECT_TRUE(counts.songs().empty());
}

TEST(SongTally, ClearForgetsOnlyWhatWasCounted) {
  SongTally tally;
  tally.Add(5, 2);
  tally.Add(1000, 1);
  tally.Add(5, 1);
  EXPECT_EQ(tally.Get(5), 3);
  EXPECT_EQ(tally.songs(), (std::vector<SongId>{5, 1000}));
  tally.Clear();
  EXPECT_EQ(tally.Get(5), 0);
  EXPECT_EQ(tally.Get(1000), 0);
  EXPECT_TRUE(tally.songs().empty());
  tally.Add(7, 1);
  EXPECT_EQ(tally.songs(), (std::vector<SongId>{7}));
}

}  // namespace
}  // namespace spinlog::charts
