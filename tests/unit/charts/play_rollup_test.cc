#include "charts/play_rollup.h"
#include "charts/song_day_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>
#include <utility>
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

// Charts over most channels add the all-channel day totals and take the
// other channels away; over few, they add channel by channel. Both must give
// the per-channel sums, for any subset, while plays are added and removed,
// and after a load from daily counts.
TEST(PlayRollup, ManyChannelsGiveThePerChannelSumsEitherWay) {
  std::mt19937 random(17);
  constexpr ChannelId kChannels = 40;
  std::map<std::tuple<ChannelId, std::int64_t, SongId>, std::int32_t> model;
  PlayRollup rollup;
  for (int i = 0; i < 20'000; ++i) {
    const ChannelId channel = 1 + random() % kChannels;
    const std::int64_t day = -3 + static_cast<std::int64_t>(random() % 10);
    const SongId song = 1 + random() % 500;
    std::int32_t& count = model[{channel, day, song}];
    const std::int32_t delta = count > 0 && random() % 4 == 0 ? -1 : 1;
    rollup.Add(channel, day, song, delta);
    count += delta;
  }
  auto expected = [&](const std::vector<ChannelId>& channels, std::int64_t from, std::int64_t to) {
    std::map<SongId, std::int64_t> sums;
    for (const auto& [key, plays] : model) {
      const auto& [channel, day, song] = key;
      if (day >= from && day < to && plays != 0 &&
          std::find(channels.begin(), channels.end(), channel) != channels.end()) {
        sums[song] += plays;
      }
    }
    std::erase_if(sums, [](const auto& s) { return s.second == 0; });
    return sums;
  };
  auto got = [](const PlayRollup& r, const std::vector<ChannelId>& channels, std::int64_t from,
                std::int64_t to) {
    SongTally tally;
    r.Accumulate(channels, from, to, &tally);
    std::map<SongId, std::int64_t> sums;
    for (SongId song : tally.songs()) {
      if (tally.Get(song) != 0) sums[song] = tally.Get(song);
    }
    return sums;
  };
  // Loaded from per-(channel, day) counts, as at start.
  PlayRollup loaded;
  std::map<std::pair<ChannelId, std::int64_t>, std::vector<storage::SongPlayCount>> daily;
  for (const auto& [key, plays] : model) {
    const auto& [channel, day, song] = key;
    if (plays != 0) daily[{channel, day}].push_back({song, plays});
  }
  for (const auto& [key, counts] : daily) loaded.Load(key.first, key.second, counts);
  PlayRollup unfinished;  // Load without FinishLoad: no totals yet, still exact
  for (const auto& [key, counts] : daily) unfinished.Load(key.first, key.second, counts);
  loaded.FinishLoad();

  for (int q = 0; q < 60; ++q) {
    std::vector<ChannelId> channels;
    const unsigned percent = q % 3 == 0 ? 100 : q % 3 == 1 ? 90 : 30;
    for (ChannelId c = 1; c <= kChannels + 2; ++c) {  // 41, 42: no plays
      if (random() % 100 < percent) channels.push_back(c);
    }
    std::shuffle(channels.begin(), channels.end(), random);
    const std::int64_t from = -4 + static_cast<std::int64_t>(random() % 8);
    const std::int64_t to = from + 1 + static_cast<std::int64_t>(random() % 8);
    const auto want = expected(channels, from, to);
    EXPECT_EQ(got(rollup, channels, from, to), want) << "query " << q;
    EXPECT_EQ(got(loaded, channels, from, to), want) << "query " << q << ", loaded";
    EXPECT_EQ(got(unfinished, channels, from, to), want) << "query " << q << ", unfinished";
  }
}

// AddPlays counts a batch in (day, channel, song) runs; the result must be
// what adding its plays one by one gives, per channel and in the day totals.
TEST(PlayRollup, AddPlaysCountsWhatAddingOneByOneCounts) {
  std::mt19937 random(5);
  constexpr ChannelId kChannels = 20;  // enough for Accumulate to use the totals
  PlayRollup batched;
  PlayRollup one_by_one;
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<storage::PlayRecord> plays;
    const int size = batch == 0 ? 0 : 1 + static_cast<int>(random() % 1500);
    for (int i = 0; i < size; ++i) {
      const std::int64_t day = -2 + static_cast<std::int64_t>(random() % 6);
      const UnixMicros start = day * kMicrosPerDay + static_cast<UnixMicros>(random() % 86'400) *
                                                         kMicrosPerSecond;
      plays.push_back({static_cast<ChannelId>(1 + random() % kChannels), start,
                       start + 60 * kMicrosPerSecond, static_cast<SongId>(1 + random() % 40)});
    }
    const std::uint64_t version_before = batched.Version(-2, 4);
    batched.AddPlays(plays);
    for (const storage::PlayRecord& p : plays) {
      one_by_one.Add(p.channel_id, DayOf(p.start), p.song_id);
    }
    if (!plays.empty()) {
      EXPECT_GT(batched.Version(-2, 4), version_before);
    }
  }
  auto visited = [](const PlayRollup& r) {
    std::vector<std::tuple<std::int64_t, SongId, std::int64_t>> out;
    r.VisitByDay([&](std::int64_t day, SongId song, std::int64_t plays) {
      out.emplace_back(day, song, plays);
    });
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(visited(batched), visited(one_by_one));
  std::vector<ChannelId> all;
  for (ChannelId c = 1; c <= kChannels; ++c) all.push_back(c);
  for (std::int64_t from = -3; from < 4; ++from) {
    SongTally a;
    SongTally b;
    batched.Accumulate(all, from, from + 2, &a);
    one_by_one.Accumulate(all, from, from + 2, &b);
    for (SongId song = 1; song <= 40; ++song) EXPECT_EQ(a.Get(song), b.Get(song)) << from;
  }
  EXPECT_EQ(batched.FirstDay(all), one_by_one.FirstDay(all));
  EXPECT_EQ(batched.Measure().counts, one_by_one.Measure().counts);
}

TEST(PlayRollup, VersionChangesWithAnyChannelsPlaysOnTheDays) {
  PlayRollup rollup;
  const std::uint64_t before = rollup.Version(0, 7);
  rollup.Add(1, 3, 10);
  const std::uint64_t after_one = rollup.Version(0, 7);
  EXPECT_GT(after_one, before);
  rollup.Add(2, 9, 10);  // another week
  EXPECT_EQ(rollup.Version(0, 7), after_one);
  rollup.Add(2, 6, 11);  // another channel, same week
  EXPECT_GT(rollup.Version(0, 7), after_one);
}

// A merge of songs moves the counts of one song to another: the rollup is
// then what the plays counted under the target from the start give, over
// few channels and over most (the day totals), the days it touched get new
// versions, and the song-day index agrees.
TEST(PlayRollup, MoveSongGivesWhatCountingUnderTheTargetGives) {
  std::mt19937 random(5);
  constexpr ChannelId kChannels = 24;
  PlayRollup moved;
  PlayRollup direct;
  SongDayIndex moved_days;
  SongDayIndex direct_days;
  std::vector<storage::PlayRecord> plays;
  for (int i = 0; i < 5'000; ++i) {
    storage::PlayRecord play;
    play.channel_id = 1 + random() % kChannels;
    play.start = static_cast<UnixMicros>(random() % 30) * kMicrosPerDay + 1;
    play.end = play.start + 1;
    play.song_id = 1 + random() % 6;
    plays.push_back(play);
  }
  moved.AddPlays(plays);
  moved.FinishLoad();
  moved_days.AddPlays(plays);
  const std::uint64_t untouched_version = moved.Version(40, 50);
  const std::uint64_t touched_version = moved.Version(0, 30);
  moved.Add(1, 45, 9);  // a day without song 3: its version must stay
  const std::uint64_t day_45 = moved.Version(45, 46);
  moved.MoveSong(3, 5);
  moved_days.MoveSong(3, 5);
  EXPECT_GT(moved.Version(0, 30), touched_version);
  EXPECT_EQ(moved.Version(45, 46), day_45);
  EXPECT_GE(moved.Version(40, 50), untouched_version);
  for (storage::PlayRecord& play : plays) {
    if (play.song_id == 3) play.song_id = 5;
  }
  direct.AddPlays(plays);
  direct.Add(1, 45, 9);
  direct_days.AddPlays(plays);
  std::vector<ChannelId> all;
  for (ChannelId c = 1; c <= kChannels; ++c) all.push_back(c);
  const std::vector<std::vector<ChannelId>> subsets = {all, {1, 2, 3}, {7}};
  for (const std::vector<ChannelId>& channels : subsets) {
    for (std::int64_t from : {0, 3, 29}) {
      SongTally got;
      SongTally want;
      moved.Accumulate(channels, from, from + 7, &got);
      direct.Accumulate(channels, from, from + 7, &want);
      for (SongId song = 1; song <= 9; ++song) {
        EXPECT_EQ(got.Get(song), want.Get(song)) << channels.size() << " " << from << " " << song;
      }
      EXPECT_EQ(moved.SongPlays(channels, from, from + 7, 3), 0);
    }
  }
  EXPECT_EQ(moved.FirstDay(all), direct.FirstDay(all));
  const std::vector<SongDayIndex::Step> steps = {{0, 10}, {10, 20}, {20, 30}};
  for (SongId song : {3u, 5u, 1u}) {
    std::vector<std::int64_t> got(3, 0);
    std::vector<std::int64_t> want(3, 0);
    moved_days.Accumulate(song, steps, got);
    direct_days.Accumulate(song, steps, want);
    EXPECT_EQ(got, want) << song;
  }
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

TEST(SongTally, VisitsInIdOrderWhetherFewOrMostCellsWereAdded) {
  SongTally tally;
  tally.Add(200'000, 1);  // many cells, few added: sorted
  for (SongId song : {70'000u, 5u, 3u}) tally.Add(song, 2);
  tally.Add(5, -2);  // counted to 0: still visited
  std::vector<std::pair<SongId, std::int64_t>> seen;
  tally.ForEachInIdOrder([&](SongId song, std::int64_t n) { seen.emplace_back(song, n); });
  EXPECT_EQ(seen, (std::vector<std::pair<SongId, std::int64_t>>{
                      {3, 2}, {5, 0}, {70'000, 2}, {200'000, 1}}));
  SongTally dense;
  for (SongId song = 40; song > 0; --song) dense.Add(song, song);  // most cells: walked
  seen.clear();
  dense.ForEachInIdOrder([&](SongId song, std::int64_t n) { seen.emplace_back(song, n); });
  ASSERT_EQ(seen.size(), 40u);
  for (SongId song = 1; song <= 40; ++song)
    EXPECT_EQ(seen[song - 1], std::make_pair(song, std::int64_t{song}));
}

}  // namespace
}  // namespace spinlog::charts
