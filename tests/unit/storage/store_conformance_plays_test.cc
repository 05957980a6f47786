// Conformance suite, plays: the idempotency rule of InsertPlays and the
// ranges and orders of the scans. Every Store backend must pass these.
#include <algorithm>
#include <limits>
#include <map>
#include <thread>
#include <tuple>
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

bool ByChannelAndStart(const PlayRecord& a, const PlayRecord& b) {
  return std::tie(a.channel_id, a.start) < std::tie(b.channel_id, b.start);
}

TEST_P(StoreConformanceTest, InsertPlaysTellsCreatedDuplicateAndConflict) {
  const ChannelId channel = Channel("Channel1");
  const SongId song1 = Song("P", "Song1");
  const SongId song2 = Song("P", "Song2");
  const PlayRecord play{channel, kT0, kT0 + 3 * kMinute, song1};
  EXPECT_EQ(Insert({play}), std::vector<Outcome>{Outcome::kCreated});

  PlayRecord other_song = play;
  other_song.song_id = song2;
  PlayRecord other_end = play;
  other_end.end += 1;
  Result<std::vector<PlayInsertResult>> results =
      store().InsertPlays(std::vector<PlayRecord>{play, other_song, other_end});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ((*results)[0].outcome, Outcome::kDuplicate);
  EXPECT_EQ((*results)[1].outcome, Outcome::kConflict);
  EXPECT_EQ((*results)[2].outcome, Outcome::kConflict);
  for (const PlayInsertResult& r : *results) EXPECT_EQ(r.existing, play);
  // Nothing changed for the conflicting plays.
  EXPECT_EQ(ChannelPlays(channel, kT0, kT0 + kHour), std::vector<PlayRecord>{play});
  EXPECT_EQ(SongPlays(song2, kT0 - kHour, kT0 + kHour), std::vector<PlayRecord>{});
  EXPECT_EQ(Insert({}), std::vector<Outcome>{});
}

TEST_P(StoreConformanceTest, DuplicatesInsideOneBatchAreJudgedAgainstTheFirst) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const SongId song = Song("P", "S");
  const PlayRecord a{c1, kT0, kT0 + kMinute, song};
  PlayRecord a_conflict = a;
  a_conflict.end += kMinute;
  const PlayRecord b{c2, kT0, kT0 + kMinute, song};  // same start, other channel
  Result<std::vector<PlayInsertResult>> results =
      store().InsertPlays(std::vector<PlayRecord>{a, a_conflict, a, b, b});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  std::vector<Outcome> outcomes;
  for (const PlayInsertResult& r : *results) outcomes.push_back(r.outcome);
  EXPECT_EQ(outcomes,
            (std::vector<Outcome>{Outcome::kCreated, Outcome::kConflict, Outcome::kDuplicate,
                                  Outcome::kCreated, Outcome::kDuplicate}));
  EXPECT_EQ((*results)[1].existing, a);
  EXPECT_EQ((*results)[2].existing, a);
  EXPECT_EQ((*results)[4].existing, b);
  EXPECT_EQ(SongPlays(song, kT0, kT0 + 1), (std::vector<PlayRecord>{a, b}));
}

TEST_P(StoreConformanceTest, TheFirstOfABatchWinsWhateverTheKeyOrder) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const SongId song = Song("P", "S");
  const SongId other = Song("P", "Other");
  const PlayRecord late{c2, kT0 + kHour, kT0 + kHour + kMinute, song};
  const PlayRecord early{c1, kT0, kT0 + kMinute, other};
  PlayRecord early_conflict = early;
  early_conflict.song_id = song;
  PlayRecord late_conflict = late;
  late_conflict.end += kMinute;
  // Keys out of order, each conflict after its first and the first of c1
  // after a conflicting c2 play.
  Result<std::vector<PlayInsertResult>> results = store().InsertPlays(
      std::vector<PlayRecord>{late, late_conflict, early, early_conflict, late, early});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  std::vector<Outcome> outcomes;
  for (const PlayInsertResult& r : *results) outcomes.push_back(r.outcome);
  EXPECT_EQ(outcomes, (std::vector<Outcome>{Outcome::kCreated, Outcome::kConflict,
                                            Outcome::kCreated, Outcome::kConflict,
                                            Outcome::kDuplicate, Outcome::kDuplicate}));
  EXPECT_EQ((*results)[1].existing, late);
  EXPECT_EQ((*results)[3].existing, early);
  EXPECT_EQ(SongPlays(song, kT0, kT0 + 2 * kHour), std::vector<PlayRecord>{late});
  EXPECT_EQ(SongPlays(other, kT0, kT0 + 2 * kHour), std::vector<PlayRecord>{early});
}

// Batches of thousands of plays, as the committer hands a group of bulk
// requests to the store (the RocksDB store checks their keys in slices):
// stored plays, new ones and repeats inside the batch, spread over the whole
// key order, are each judged right.
TEST_P(StoreConformanceTest, ALargeBatchJudgesEveryPlay) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const SongId song = Song("P", "S");
  auto play = [&](ChannelId channel, int i) {
    return PlayRecord{channel, kT0 + i * kMinute, kT0 + i * kMinute + 30 * kMicrosPerSecond, song};
  };
  // Every third play of each channel is stored first.
  std::vector<PlayRecord> stored;
  for (int i = 0; i < 1500; i += 3) {
    stored.push_back(play(c1, i));
    stored.push_back(play(c2, i));
  }
  ASSERT_EQ(Insert(stored), std::vector<Outcome>(stored.size(), Outcome::kCreated));

  std::vector<PlayRecord> batch;
  std::vector<Outcome> expected;
  for (int i = 1499; i >= 0; --i) {  // against key order
    for (ChannelId channel : {c2, c1}) {
      batch.push_back(play(channel, i));
      expected.push_back(i % 3 == 0 ? Outcome::kDuplicate : Outcome::kCreated);
      if (i % 7 == 0) {  // repeated later in the same batch
        batch.push_back(play(channel, i));
        expected.push_back(Outcome::kDuplicate);
      }
    }
  }
  ASSERT_EQ(Insert(batch), expected);
  std::vector<PlayRecord> all = ChannelPlays(c1, kT0, kT0 + 1500 * kMinute);
  ASSERT_EQ(all.size(), 1500u);
  for (int i = 0; i < 1500; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)], play(c1, i));
  EXPECT_EQ(SongPlays(song, kT0, kT0 + 1500 * kMinute).size(), 3000u);
}

TEST_P(StoreConformanceTest, ChannelScanIsHalfOpenAndInStartOrder) {
  const ChannelId channel = Channel("C");
  const ChannelId other = Channel("Other");
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (int i = 4; i >= 0; --i) {  // inserted out of order
    plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + kMinute, song});
    plays.push_back({other, kT0 + i * kHour, kT0 + i * kHour + kMinute, song});
  }
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));

  auto starts = [&](UnixMicros from, UnixMicros to) {
    std::vector<UnixMicros> result;
    for (const PlayRecord& p : ChannelPlays(channel, from, to)) {
      EXPECT_EQ(p.channel_id, channel);
      result.push_back((p.start - kT0) / kHour);
    }
    return result;
  };
  EXPECT_EQ(starts(kT0 + kHour, kT0 + 3 * kHour), (std::vector<UnixMicros>{1, 2}));
  EXPECT_EQ(starts(kT0 + kHour + 1, kT0 + 3 * kHour + 1), (std::vector<UnixMicros>{2, 3}));
  EXPECT_EQ(starts(kT0, kT0 + 5 * kHour), (std::vector<UnixMicros>{0, 1, 2, 3, 4}));
  EXPECT_EQ(starts(kT0 + kHour, kT0 + kHour), std::vector<UnixMicros>{});
  EXPECT_EQ(starts(kT0 + 3 * kHour, kT0 + kHour), std::vector<UnixMicros>{});
  const std::vector<PlayRecord> first = ChannelPlays(channel, kT0, kT0 + 1);
  EXPECT_EQ(first, (std::vector<PlayRecord>{{channel, kT0, kT0 + kMinute, song}}));
  EXPECT_EQ(ChannelPlays(Channel("Empty"), kT0, kT0 + 5 * kHour), std::vector<PlayRecord>{});
}

TEST_P(StoreConformanceTest, ChannelScanStaysInsideItsChannel) {
  // Channels 255, 256 and 257 differ in more than the last byte of the id.
  std::vector<ChannelId> channels;
  for (int i = 1; i <= 257; ++i) channels.push_back(Channel(Numbered("C", i)));
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (ChannelId c : {255u, 256u, 257u}) {
    plays.push_back({c, std::numeric_limits<UnixMicros>::min(), 0, song});
    plays.push_back({c, 0, std::numeric_limits<UnixMicros>::max(), song});
  }
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  const std::vector<PlayRecord> all = ChannelPlays(256, std::numeric_limits<UnixMicros>::min(),
                                                   std::numeric_limits<UnixMicros>::max());
  EXPECT_EQ(all, (std::vector<PlayRecord>{plays[2], plays[3]}));
}

TEST_P(StoreConformanceTest, SongScanIsOrderedByStartThenChannel) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const ChannelId c3 = Channel("C3");
  const SongId song = Song("P", "S");
  const SongId other = Song("P", "Other");
  const std::vector<PlayRecord> plays = {
      {c3, kT0 + kHour, kT0 + kHour + kMinute, song},
      {c2, kT0, kT0 + kMinute, song},
      {c1, kT0 + kHour, kT0 + kHour + 2 * kMinute, song},
      {c1, kT0, kT0 + kMinute, other},
      {c3, kT0, kT0 + kMinute, song},
      {c1, kT0 + 2 * kHour, kT0 + 2 * kHour + kMinute, song},
  };
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  EXPECT_EQ(SongPlays(song, kT0, kT0 + 2 * kHour),
            (std::vector<PlayRecord>{plays[1], plays[4], plays[2], plays[0]}));
  EXPECT_EQ(SongPlays(song, kT0 + 1, kT0 + 3 * kHour),
            (std::vector<PlayRecord>{plays[2], plays[0], plays[5]}));
  EXPECT_EQ(SongPlays(song, kT0 + kHour, kT0 + kHour), std::vector<PlayRecord>{});
  EXPECT_EQ(SongPlays(other, kT0 - kHour, kT0 + kHour), std::vector<PlayRecord>{plays[3]});
}

TEST_P(StoreConformanceTest, ScansStopWhenTheVisitorSaysSo) {
  const ChannelId channel = Channel("C");
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (int i = 0; i < 10; ++i)
    plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + 1, song});
  ASSERT_EQ(Insert(plays).size(), plays.size());
  auto take_three = [](int* seen) { return [seen](const PlayRecord&) { return ++*seen < 3; }; };
  int seen = 0;
  EXPECT_TRUE(store().ScanChannelPlays(channel, kT0, kT0 + 10 * kHour, take_three(&seen)).ok());
  EXPECT_EQ(seen, 3);
  seen = 0;
  EXPECT_TRUE(store().ScanSongPlays(song, kT0, kT0 + 10 * kHour, take_three(&seen)).ok());
  EXPECT_EQ(seen, 3);
  seen = 0;
  EXPECT_TRUE(store().ScanAllPlays(take_three(&seen)).ok());
  EXPECT_EQ(seen, 3);
}

TEST_P(StoreConformanceTest, TimesBefore1970SortBeforeLaterOnes) {
  const ChannelId channel = Channel("C");
  const SongId song = Song("P", "S");
  // 1969-12-31T22:00:00Z, one microsecond before the epoch, the epoch, and
  // 1900-01-01 (far negative).
  const std::vector<PlayRecord> plays = {
      {channel, 0, kHour, song},
      {channel, -1, 0, song},
      {channel, -2 * kHour, -kHour, song},
      {channel, -2'208'988'800 * kMicrosPerSecond, -2'208'988'800 * kMicrosPerSecond + kHour, song},
  };
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  EXPECT_EQ(ChannelPlays(channel, -kHour * 3, kHour),
            (std::vector<PlayRecord>{plays[2], plays[1], plays[0]}));
  EXPECT_EQ(ChannelPlays(channel, -1, 0), std::vector<PlayRecord>{plays[1]});
  EXPECT_EQ(SongPlays(song, std::numeric_limits<UnixMicros>::min(), 0),
            (std::vector<PlayRecord>{plays[3], plays[2], plays[1]}));
}

TEST_P(StoreConformanceTest, ScanAllPlaysVisitsEveryPlayOnce) {
  const SongId s1 = Song("P", "S1");
  const SongId s2 = Song("Q", "S2");
  std::vector<PlayRecord> plays;
  for (int c = 1; c <= 3; ++c) {
    const ChannelId channel = Channel(Numbered("C", c));
    for (int i = -2; i < 5; ++i) {
      plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + kMinute, i % 2 ? s1 : s2});
    }
  }
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  std::vector<PlayRecord> seen;
  ASSERT_TRUE(store()
                  .ScanAllPlays([&](const PlayRecord& p) {
                    seen.push_back(p);
                    return true;
                  })
                  .ok());
  std::sort(seen.begin(), seen.end(), ByChannelAndStart);
  std::sort(plays.begin(), plays.end(), ByChannelAndStart);
  EXPECT_EQ(seen, plays);
}

TEST_P(StoreConformanceTest, ConcurrentInsertsCreateEachPlayExactlyOnce) {
  constexpr int kThreads = 4;
  constexpr int kPlaysPerThread = 200;
  constexpr int kBatch = 25;
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const SongId song = Song("P", "S");
  // Thread t inserts starts [t * 100, t * 100 + 200): every start but the
  // first and last hundred is inserted by two threads.
  std::vector<std::vector<Outcome>> outcomes(kThreads);
  std::vector<std::vector<PlayRecord>> inserted(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int from = 0; from < kPlaysPerThread; from += kBatch) {
        std::vector<PlayRecord> batch;
        for (int i = from; i < from + kBatch; ++i) {
          const UnixMicros start = kT0 + (t * kPlaysPerThread / 2 + i) * kMinute;
          batch.push_back({i % 2 ? c1 : c2, start, start + kMinute, song});
        }
        Result<std::vector<PlayInsertResult>> results = store().InsertPlays(batch);
        if (!results.ok()) return;
        for (std::size_t j = 0; j < batch.size(); ++j) {
          outcomes[t].push_back((*results)[j].outcome);
          inserted[t].push_back(batch[j]);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::map<std::pair<ChannelId, UnixMicros>, int> created;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(outcomes[t].size(), static_cast<std::size_t>(kPlaysPerThread)) << "thread " << t;
    for (std::size_t j = 0; j < outcomes[t].size(); ++j) {
      const PlayRecord& p = inserted[t][j];
      int& count = created[{p.channel_id, p.start}];
      if (outcomes[t][j] == Outcome::kCreated) ++count;
      EXPECT_NE(outcomes[t][j], Outcome::kConflict);
    }
  }
  constexpr int kDistinct = (kThreads + 1) * kPlaysPerThread / 2;
  ASSERT_EQ(created.size(), static_cast<std::size_t>(kDistinct));
  for (const auto& [key, count] : created) EXPECT_EQ(count, 1) << key.first << "@" << key.second;
  int stored = 0;
  ASSERT_TRUE(store().ScanAllPlays([&](const PlayRecord&) { return ++stored > 0; }).ok());
  EXPECT_EQ(stored, kDistinct);
  EXPECT_EQ(SongPlays(song, kT0, kT0 + kDistinct * kMinute).size(),
            static_cast<std::size_t>(kDistinct));
}

// Writers that race for the same (channel, start) with different songs:
// one is created, the others conflict with it, and whatever a writer was
// answered about a play (created, duplicate or conflict) is already stored
// and readable when InsertPlays returns, as a later crash would leave it.
TEST_P(StoreConformanceTest, ConcurrentConflictsAreAnsweredAgainstWhatIsStored) {
  constexpr int kThreads = 4;
  constexpr int kPlays = 240;
  constexpr int kBatch = 20;
  const ChannelId channel = Channel("C");
  std::vector<SongId> songs;
  for (int t = 0; t < kThreads; ++t) songs.push_back(Song("P", "S" + std::to_string(t)));
  std::vector<std::vector<PlayInsertResult>> answers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread sends every start, each in its own order of batches.
      for (int b = 0; b < kPlays / kBatch; ++b) {
        const int from = ((b + t * 3) % (kPlays / kBatch)) * kBatch;
        std::vector<PlayRecord> batch;
        for (int i = from; i < from + kBatch; ++i) {
          const UnixMicros start = kT0 + i * kMinute;
          batch.push_back({channel, start, start + kMinute, songs[t]});
        }
        Result<std::vector<PlayInsertResult>> results = store().InsertPlays(batch);
        ASSERT_TRUE(results.ok()) << results.status().ToString();
        for (std::size_t j = 0; j < batch.size(); ++j) {
          const PlayInsertResult& r = (*results)[j];
          const PlayRecord expected = r.outcome == Outcome::kCreated ? batch[j] : r.existing;
          EXPECT_EQ(ChannelPlays(channel, batch[j].start, batch[j].start + 1),
                    std::vector<PlayRecord>{expected})
              << "thread " << t << " start " << batch[j].start;
          answers[t].push_back(r);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<PlayRecord> stored = ChannelPlays(channel, kT0, kT0 + kPlays * kMinute);
  ASSERT_EQ(stored.size(), static_cast<std::size_t>(kPlays));
  int created_answers = 0;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(answers[t].size(), static_cast<std::size_t>(kPlays));
    for (const PlayInsertResult& r : answers[t]) {
      EXPECT_NE(r.outcome, Outcome::kDuplicate);  // every thread sends its own song
      created_answers += r.outcome == Outcome::kCreated;
    }
  }
  EXPECT_EQ(created_answers, kPlays);
  for (const PlayRecord& play : stored) {
    int conflicts = 0;
    for (int t = 0; t < kThreads; ++t) {
      for (const PlayInsertResult& r : answers[t]) {
        if (r.outcome == Outcome::kConflict && r.existing.start == play.start) {
          EXPECT_EQ(r.existing, play);
          ++conflicts;
        }
      }
    }
    EXPECT_EQ(conflicts, kThreads - 1) << "start " << play.start;
  }
}

}  // namespace
}  // namespace spinlog::storage
