// DailyCountsDelta: the merge operands that a batch of created plays adds to
// the daily counts, whatever order the plays come in.
#include "storage/rocksdb/daily_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/time.h"

namespace spinlog::storage::rocks {
namespace {

using Operands = std::vector<std::pair<std::string, std::string>>;

Operands OperandsOf(const std::vector<PlayRecord>& plays) {
  DailyCountsDelta delta;
  for (const PlayRecord& play : plays) delta.Add(play);
  return delta.Operands();
}

PlayRecord Play(ChannelId channel, UnixMicros start, SongId song) {
  return {channel, start, start + 60 * kMicrosPerSecond, song};
}

// Plays over three channels and a few days, songs in no order; several days
// start before 1970, where a day boundary is not where division truncates.
std::vector<PlayRecord> SamplePlays() {
  std::vector<PlayRecord> plays;
  std::mt19937 random(7);
  for (ChannelId channel : {3u, 1u, 2u}) {
    for (int minute = -3000; minute < 3000; minute += 7) {
      const SongId song = 1 + random() % 5;
      plays.push_back(Play(channel, minute * 60 * kMicrosPerSecond, song));
    }
  }
  return plays;
}

TEST(DailyCountsDelta, OneOperandPerChannelAndDayHoldingEachSongsPlays) {
  const UnixMicros day = kMicrosPerDay;
  const Operands operands =
      OperandsOf({Play(2, day + 10, 9), Play(1, day + 20, 4), Play(1, day + 30, 4),
                  Play(1, 2 * day, 3), Play(1, day + 40, 2)});
  ASSERT_EQ(operands.size(), 3u);
  EXPECT_EQ(operands[0].first, DailyCountKey(1, 1));
  EXPECT_EQ(operands[0].second, EncodeDailyCounts(std::vector<SongPlayCount>{{2, 1}, {4, 2}}));
  EXPECT_EQ(operands[1].first, DailyCountKey(1, 2));
  EXPECT_EQ(operands[1].second, EncodeDailyCounts(std::vector<SongPlayCount>{{3, 1}}));
  EXPECT_EQ(operands[2].first, DailyCountKey(2, 1));
  EXPECT_EQ(operands[2].second, EncodeDailyCounts(std::vector<SongPlayCount>{{9, 1}}));
}

TEST(DailyCountsDelta, TheOrderOfThePlaysDoesNotMatter) {
  std::vector<PlayRecord> plays = SamplePlays();
  std::sort(plays.begin(), plays.end(), [](const PlayRecord& a, const PlayRecord& b) {
    return std::tie(a.channel_id, a.start) < std::tie(b.channel_id, b.start);
  });
  const Operands in_key_order = OperandsOf(plays);
  // Sorted operands, one per (channel, day), whose counts add up to the plays.
  ASSERT_FALSE(in_key_order.empty());
  EXPECT_TRUE(std::is_sorted(in_key_order.begin(), in_key_order.end()));
  std::int64_t counted = 0;
  for (const auto& [key, operand] : in_key_order) {
    std::vector<SongPlayCount> counts;
    ASSERT_TRUE(DecodeDailyCounts(operand, &counts));
    for (const SongPlayCount& count : counts) counted += count.plays;
  }
  EXPECT_EQ(counted, static_cast<std::int64_t>(plays.size()));

  std::reverse(plays.begin(), plays.end());
  EXPECT_EQ(OperandsOf(plays), in_key_order);
  std::mt19937 random(11);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(plays.begin(), plays.end(), random);
    EXPECT_EQ(OperandsOf(plays), in_key_order);
  }
}

TEST(DailyCountsDelta, NoPlaysNoOperands) { EXPECT_TRUE(OperandsOf({}).empty()); }

}  // namespace
}  // namespace spinlog::storage::rocks
