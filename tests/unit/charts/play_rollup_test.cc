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
  SongCounts counts;
  rollup.Accumulate(channels, 10, 17, &counts);
  EXPECT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[100], 3);
  EXPECT_EQ(counts[101], 1);
}

TEST(PlayRollup, NegativeDeltaRemovesPlays) {
  PlayRollup rollup;
  rollup.Add(1, -5, 7);  // a day before 1970
  rollup.Add(1, -5, 7, -1);
  std::vector<ChannelId> channels{1};
  SongCounts counts;
  rollup.Accumulate(channels, -10, 0, &counts);
  EXPECT_TRUE(counts.empty());
}

TEST(PlayRollup, UnknownChannelAddsNothing) {
  PlayRollup rollup;
  std::vector<ChannelId> channels{42};
  SongCounts counts;
  rollup.Accumulate(channels, 0, 100, &counts);
  EXPECT_TRUE(counts.empty());
}

}  // namespace
}  // namespace spinlog::charts
