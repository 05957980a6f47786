// Conformance suite, bulk inserts: BulkInsertPlays must be InsertPlays with
// another speed. A seeded random history is applied to two stores of the same
// backend, one by InsertPlays and one by BulkInsertPlays (mixed with
// InsertPlays), and every result and every scan must agree.
#include <algorithm>
#include <limits>
#include <map>
#include <span>
#include <random>
#include <tuple>
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

std::vector<PlayRecord> AllPlays(Store& store) {
  std::vector<PlayRecord> plays;
  EXPECT_TRUE(store
                  .ScanAllPlays([&](const PlayRecord& p) {
                    plays.push_back(p);
                    return true;
                  })
                  .ok());
  std::sort(plays.begin(), plays.end(), [](const PlayRecord& a, const PlayRecord& b) {
    return std::tie(a.channel_id, a.start) < std::tie(b.channel_id, b.start);
  });
  return plays;
}

std::vector<PlayRecord> SongPlaysOf(Store& store, SongId song) {
  std::vector<PlayRecord> plays;
  EXPECT_TRUE(store
                  .ScanSongPlays(song, std::numeric_limits<UnixMicros>::min(),
                                 std::numeric_limits<UnixMicros>::max(),
                                 [&](const PlayRecord& p) {
                                   plays.push_back(p);
                                   return true;
                                 })
                  .ok());
  return plays;
}

// (channel, day) -> song -> plays, from a store's daily counts.
using DailyCounts = std::map<std::pair<ChannelId, std::int64_t>, std::map<SongId, std::int64_t>>;

DailyCounts DailyCountsOf(Store& store) {
  DailyCounts counts;
  std::pair<ChannelId, std::int64_t> previous{0, 0};
  EXPECT_TRUE(store
                  .ScanDailyCounts([&](ChannelId channel, std::int64_t day,
                                       std::span<const SongPlayCount> songs) {
                    EXPECT_LT(previous, std::make_pair(channel, day)) << "in key order, once";
                    previous = {channel, day};
                    EXPECT_FALSE(songs.empty());
                    SongId last = 0;
                    for (const SongPlayCount& c : songs) {
                      EXPECT_GT(c.song, last) << "songs in id order";
                      EXPECT_NE(c.plays, 0);
                      last = c.song;
                      counts[{channel, day}][c.song] = c.plays;
                    }
                    return true;
                  })
                  .ok());
  return counts;
}

// The daily counts as they must be: counted from the plays themselves.
DailyCounts DailyCountsFrom(const std::vector<PlayRecord>& plays) {
  DailyCounts counts;
  for (const PlayRecord& p : plays) ++counts[{p.channel_id, DayOf(p.start)}][p.song_id];
  return counts;
}

TEST_P(StoreConformanceTest, BulkInsertJudgesLikeInsertPlays) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const SongId song = Song("P", "S");
  const SongId other = Song("P", "Other");
  const PlayRecord stored{c1, kT0, kT0 + kMinute, song};
  ASSERT_EQ(Insert({stored}), std::vector<Outcome>{Outcome::kCreated});

  PlayRecord stored_conflict = stored;
  stored_conflict.song_id = other;
  const PlayRecord a{c2, kT0, kT0 + kMinute, song};
  PlayRecord a_conflict = a;
  a_conflict.end += kMinute;
  // Out of key order on purpose, with repeats before and after their first.
  const std::vector<PlayRecord> batch = {a, stored_conflict, stored, a_conflict, a, stored};
  Result<std::vector<PlayInsertResult>> results = store().BulkInsertPlays(batch);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  std::vector<Outcome> outcomes;
  for (const PlayInsertResult& r : *results) outcomes.push_back(r.outcome);
  EXPECT_EQ(outcomes, (std::vector<Outcome>{Outcome::kCreated, Outcome::kConflict,
                                            Outcome::kDuplicate, Outcome::kConflict,
                                            Outcome::kDuplicate, Outcome::kDuplicate}));
  EXPECT_EQ((*results)[1].existing, stored);
  EXPECT_EQ((*results)[3].existing, a);
  EXPECT_EQ(AllPlays(store()), (std::vector<PlayRecord>{stored, a}));
  EXPECT_EQ(SongPlaysOf(store(), song), (std::vector<PlayRecord>{stored, a}));
  EXPECT_EQ(SongPlaysOf(store(), other), std::vector<PlayRecord>{});

  // A batch with nothing new changes nothing; an empty one is fine.
  results = store().BulkInsertPlays(batch);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].outcome, Outcome::kDuplicate);
  ASSERT_TRUE(store().BulkInsertPlays({}).ok());
  // Plays that break the REQUIRES are refused whole.
  EXPECT_TRUE(store().BulkInsertPlays(std::vector<PlayRecord>{{c1, kT0, kT0, song}})
                  .status()
                  .IsInvalidArgument());
  Reopen();
  EXPECT_EQ(AllPlays(store()), (std::vector<PlayRecord>{stored, a}));
}

// Plays later than every play of their channel are where a store may skip
// its existence check (RocksDB does): they must still meet what any writer
// stored before, through any path and across a reopen.
TEST_P(StoreConformanceTest, LatePlaysAreJudgedAgainstEveryEarlierWrite) {
  const ChannelId channel = Channel("C1");
  const SongId song = Song("P", "S");
  const SongId other = Song("P", "Other");
  auto play = [&](int minute) {
    return PlayRecord{channel, kT0 + minute * kMinute, kT0 + (minute + 1) * kMinute, song};
  };
  auto with_other_song = [&](PlayRecord p) {
    p.song_id = other;
    return p;
  };
  ASSERT_EQ(Insert({play(0), play(1)}),
            (std::vector<Outcome>{Outcome::kCreated, Outcome::kCreated}));
  // The latest play itself, and one after it repeated in the batch.
  EXPECT_EQ(Insert({play(1), play(2), with_other_song(play(2))}),
            (std::vector<Outcome>{Outcome::kDuplicate, Outcome::kCreated, Outcome::kConflict}));
  EXPECT_EQ(Insert({with_other_song(play(2))}), std::vector<Outcome>{Outcome::kConflict});

  // Later plays written in bulk are seen by the next InsertPlays.
  Result<std::vector<PlayInsertResult>> bulk = store().BulkInsertPlays(std::vector{play(5)});
  ASSERT_TRUE(bulk.ok()) << bulk.status().ToString();
  EXPECT_EQ(Insert({play(5), with_other_song(play(5)), play(4), play(6)}),
            (std::vector<Outcome>{Outcome::kDuplicate, Outcome::kConflict, Outcome::kCreated,
                                  Outcome::kCreated}));

  // A merge moves plays onto another song: a late re-send meets the move.
  ASSERT_TRUE(store().MergeSongs(song, other).ok());
  EXPECT_EQ(Insert({with_other_song(play(6))}), std::vector<Outcome>{Outcome::kDuplicate});

  Reopen();
  EXPECT_EQ(Insert({with_other_song(play(6)), with_other_song(play(7))}),
            (std::vector<Outcome>{Outcome::kDuplicate, Outcome::kCreated}));
  EXPECT_EQ(ChannelPlays(channel, kT0, kT0 + kHour).size(), 7u);
}

TEST_P(StoreConformanceTest, RandomHistoriesGiveTheSameResultsBulkOrNot) {
  std::unique_ptr<StoreHarness> bulk_harness = GetParam().make_harness();
  Result<std::unique_ptr<Store>> opened = bulk_harness->Open();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<Store> bulk = std::move(opened).value();

  // Channels 1..300 cross the one-byte boundary of the key encoding.
  constexpr int kChannels = 300;
  constexpr int kSongs = 20;
  for (int i = 1; i <= kChannels; ++i) {
    ASSERT_EQ(Channel(Numbered("C", i)), static_cast<ChannelId>(i));
    ASSERT_EQ(bulk->UpsertChannel(Numbered("C", i), nullptr)->id, static_cast<ChannelId>(i));
  }
  const PerformerId performer = bulk->UpsertPerformer("P", nullptr)->id;
  for (int i = 1; i <= kSongs; ++i) {
    ASSERT_EQ(Song("P", Numbered("S", i)), static_cast<SongId>(i));
    ASSERT_EQ(bulk->UpsertSong(performer, Numbered("S", i), nullptr)->id, static_cast<SongId>(i));
  }

  const unsigned seed = 20261125;
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 random(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  for (int round = 0; round < 40; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    std::vector<PlayRecord> batch(static_cast<std::size_t>(pick(0, 2000)));
    for (PlayRecord& play : batch) {
      // A few channels and a narrow time range, so repeats and conflicts are
      // common; now and then times at the ends of the range.
      play.channel_id = static_cast<ChannelId>(pick(0, 9) == 0 ? pick(1, kChannels) : pick(250, 260));
      const int slot = pick(0, 400);
      play.start = slot == 0 ? std::numeric_limits<UnixMicros>::min() : kT0 + slot * kMinute;
      play.end = play.start + (pick(0, 3) == 0 ? 2 : 1) * kMinute;
      play.song_id = static_cast<SongId>(pick(1, pick(0, 4) == 0 ? kSongs : 2));
    }
    Result<std::vector<PlayInsertResult>> expected = store().InsertPlays(batch);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    // The bulk store takes most rounds in bulk, some the usual way, so the
    // two paths must also see each other's plays.
    Result<std::vector<PlayInsertResult>> actual =
        round % 4 == 3 ? bulk->InsertPlays(batch) : bulk->BulkInsertPlays(batch);
    ASSERT_TRUE(actual.ok()) << actual.status().ToString();
    ASSERT_EQ(actual->size(), expected->size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      ASSERT_EQ((*actual)[i].outcome, (*expected)[i].outcome) << "play " << i;
      if ((*expected)[i].outcome != Outcome::kCreated) {
        ASSERT_EQ((*actual)[i].existing, (*expected)[i].existing) << "play " << i;
      }
    }
  }
  const std::vector<PlayRecord> all = AllPlays(store());
  EXPECT_GT(all.size(), 1000u);
  EXPECT_EQ(AllPlays(*bulk), all);
  const DailyCounts expected_counts = DailyCountsFrom(all);
  EXPECT_EQ(DailyCountsOf(store()), expected_counts);
  EXPECT_EQ(DailyCountsOf(*bulk), expected_counts);
  for (SongId song = 1; song <= kSongs; ++song) {
    EXPECT_EQ(SongPlaysOf(*bulk, song), SongPlaysOf(store(), song)) << "song " << song;
  }
  // What was bulk-inserted is there after reopening.
  bulk.reset();
  opened = bulk_harness->Open();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(AllPlays(**opened), all);
  EXPECT_EQ(DailyCountsOf(**opened), expected_counts);
}

}  // namespace
}  // namespace spinlog::storage
