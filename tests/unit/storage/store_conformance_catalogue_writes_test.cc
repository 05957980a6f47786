// Conformance suite, catalogue writes of storage format 3: records created
// with every field, updates (renames keep ids and plays), deletions refused
// while something refers to the record, merges that move plays and daily
// counts in one write, and the title and country indexes.
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

using CountsByDay = std::map<std::pair<ChannelId, std::int64_t>, std::map<SongId, std::int64_t>>;

CountsByDay StoredCounts(Store& store) {
  CountsByDay counts;
  EXPECT_TRUE(store
                  .ScanDailyCounts([&](ChannelId channel, std::int64_t day,
                                       std::span<const SongPlayCount> day_counts) {
                    for (const SongPlayCount& c : day_counts) {
                      if (c.plays != 0) counts[{channel, day}][c.song] = c.plays;
                    }
                    return true;
                  })
                  .ok());
  return counts;
}

// The daily counts that the stored plays imply.
CountsByDay CountsOfPlays(Store& store) {
  CountsByDay counts;
  EXPECT_TRUE(store
                  .ScanAllPlays([&](const PlayRecord& play) {
                    ++counts[{play.channel_id, DayOf(play.start)}][play.song_id];
                    return true;
                  })
                  .ok());
  return counts;
}

PerformerRecord FullPerformer(std::string name) {
  PerformerRecord p;
  p.name = std::move(name);
  p.country = "SE";
  p.description = "A band";
  p.date_of_birth = "1970-01-02";
  p.website = "https://example.com/";
  p.picture_url = "https://example.com/p.jpg";
  return p;
}

TEST_P(StoreConformanceTest, CreateKeepsEveryFieldAndAnswersExistingRecordsUnchanged) {
  bool created = false;
  Result<PerformerRecord> p = store().CreatePerformer(FullPerformer("Abba"), &created);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(created);
  PerformerRecord other = FullPerformer("Abba");
  other.country = "NO";
  Result<PerformerRecord> again = store().CreatePerformer(other, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(*again, *p);
  SongRecord song;
  song.performer_id = p->id;
  song.title = "SOS";
  song.duration_seconds = 200;
  song.release = "1975-06-01";
  song.isrc = "SEAAA7500001";
  Result<SongRecord> s = store().CreateSong(song, &created);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(created);
  song.id = s->id;
  EXPECT_EQ(*s, song);
  SongRecord orphan = song;
  orphan.performer_id = p->id + 100;
  EXPECT_TRUE(store().CreateSong(orphan, &created).status().IsNotFound());
  ChannelRecord channel;
  channel.name = "P4";
  channel.country = "SE";
  channel.audience = 5;
  Result<ChannelRecord> c = store().CreateChannel(channel, &created);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(created);
  Reopen();
  EXPECT_EQ(*store().GetPerformer(p->id), *p);
  EXPECT_EQ(*store().GetSong(s->id), song);
  EXPECT_EQ(store().GetChannel(c->id)->audience, 5);
  // The classic upsert still finds them.
  EXPECT_EQ(store().UpsertSong(p->id, "SOS", &created)->id, s->id);
  EXPECT_FALSE(created);
}

TEST_P(StoreConformanceTest, UpdatesRenameInPlaceAndRefuseTakenNames) {
  const SongId s1 = Song("A", "One");
  const SongId s2 = Song("A", "Two");
  const PerformerId a = store().FindPerformer("A")->id;
  const PerformerId b = store().UpsertPerformer("B", nullptr)->id;
  const ChannelId c = Channel("C");
  ASSERT_EQ(Insert({{c, kT0, kT0 + kMinute, s1}}), std::vector<Outcome>{Outcome::kCreated});

  PerformerRecord renamed = *store().GetPerformer(a);
  renamed.name = "A2";
  renamed.country = "GB";
  ASSERT_TRUE(store().UpdatePerformer(renamed).ok());
  EXPECT_TRUE(store().FindPerformer("A").status().IsNotFound());
  EXPECT_EQ(store().FindPerformer("A2")->id, a);
  renamed.name = "B";
  EXPECT_EQ(store().UpdatePerformer(renamed).status().code(), StatusCode::kAlreadyExists);

  SongRecord song = *store().GetSong(s1);
  song.title = "Two";
  EXPECT_EQ(store().UpdateSong(song).status().code(), StatusCode::kAlreadyExists);
  song.title = "Uno";
  song.performer_id = b;  // moves to another performer
  song.duration_seconds = 100;
  ASSERT_TRUE(store().UpdateSong(song).ok());
  EXPECT_EQ(store().FindSong(b, "Uno")->id, s1);
  EXPECT_TRUE(store().FindSong(a, "One").status().IsNotFound());
  EXPECT_EQ(SongPlays(s1, kT0, kT0 + kHour).size(), 1u);  // plays stay
  song.performer_id = 999;
  EXPECT_TRUE(store().UpdateSong(song).status().IsNotFound());
  song.id = 999;
  EXPECT_TRUE(store().UpdateSong(song).status().IsNotFound());
  Reopen();
  EXPECT_EQ(store().GetSong(s1)->duration_seconds, 100);
  EXPECT_EQ(store().GetSong(s2)->title, "Two");
}

TEST_P(StoreConformanceTest, DeletionsAreRefusedWhileReferenced) {
  const SongId played = Song("P", "Played");
  const SongId unplayed = Song("P", "Unplayed");
  const PerformerId p = store().FindPerformer("P")->id;
  const PerformerId lonely = store().UpsertPerformer("Lonely", nullptr)->id;
  const ChannelId c = Channel("C");
  const ChannelId grouped = Channel("Grouped");
  const ChannelId idle = Channel("Idle");
  ASSERT_TRUE(store().CreateChannelGroup("G", std::vector<ChannelId>{grouped}).ok());
  ASSERT_EQ(Insert({{c, kT0, kT0 + kMinute, played}}).size(), 1u);

  EXPECT_TRUE(store().DeleteSong(played).IsConflict());
  EXPECT_TRUE(store().DeletePerformer(p).IsConflict());
  EXPECT_TRUE(store().DeleteChannel(c).IsConflict());
  EXPECT_TRUE(store().DeleteChannel(grouped).IsConflict());
  EXPECT_TRUE(store().DeleteSong(9999).IsNotFound());

  ASSERT_TRUE(store().DeleteSong(unplayed).ok());
  EXPECT_TRUE(store().GetSong(unplayed).status().IsNotFound());
  EXPECT_TRUE(store().FindSong(p, "Unplayed").status().IsNotFound());
  ASSERT_TRUE(store().DeletePerformer(lonely).ok());
  EXPECT_TRUE(store().FindPerformer("Lonely").status().IsNotFound());
  ASSERT_TRUE(store().DeleteChannel(idle).ok());
  EXPECT_TRUE(store().FindChannel("Idle").status().IsNotFound());
  // A play resolved before the deletion cannot point at the deleted song.
  EXPECT_TRUE(store()
                  .InsertPlays(std::vector<PlayRecord>{{c, kT0 + kHour, kT0 + 2 * kHour, unplayed}})
                  .status()
                  .IsInvalidArgument());
  // Ids are never handed out again, names are free.
  EXPECT_GT(Song("P", "Unplayed"), unplayed);
  Reopen();
  EXPECT_TRUE(store().GetPerformer(lonely).status().IsNotFound());
  std::vector<std::string> titles;
  ASSERT_TRUE(store()
                  .SeekSongsByTitleAll({}, [&](const SongRecord& s) {
                    titles.push_back(s.title);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(titles, (std::vector<std::string>{"Played", "Unplayed"}));
}

TEST_P(StoreConformanceTest, MergedSongsPlaysAndCountsMoveInOneWrite) {
  const SongId dup = Song("Beatles", "Hey Jude");
  const SongId target = Song("The Beatles", "Hey Jude");
  const SongId other = Song("X", "Y");
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  std::vector<PlayRecord> plays;
  for (int i = 0; i < 40; ++i) {
    const SongId song = i % 3 == 0 ? dup : (i % 3 == 1 ? target : other);
    plays.push_back({i % 2 == 0 ? c1 : c2, kT0 + i * 5 * kHour, kT0 + i * 5 * kHour + kMinute, song});
  }
  ASSERT_EQ(Insert(plays).size(), plays.size());
  ASSERT_TRUE(store().MergeSongs(dup, target).ok());
  EXPECT_TRUE(store().GetSong(dup).status().IsNotFound());
  EXPECT_TRUE(SongPlays(dup, kT0, kT0 + 1000 * kHour).empty());
  std::size_t expected = 0;
  for (PlayRecord& p : plays) {
    if (p.song_id == dup) p.song_id = target;
    expected += p.song_id == target ? 1 : 0;
  }
  EXPECT_EQ(SongPlays(target, kT0, kT0 + 1000 * kHour).size(), expected);
  for (const PlayRecord& p : ChannelPlays(c1, kT0, kT0 + 1000 * kHour)) EXPECT_NE(p.song_id, dup);
  EXPECT_EQ(StoredCounts(store()), CountsOfPlays(store()));

  // Plays resolved to the merged song before the merge land on the target:
  // a re-post of a moved play is a duplicate, a new one is created.
  EXPECT_EQ(Insert({{plays[0].channel_id, plays[0].start, plays[0].end, dup},
                    {c1, kT0 - kHour, kT0 - kHour + kMinute, dup}}),
            (std::vector<Outcome>{Outcome::kDuplicate, Outcome::kCreated}));
  EXPECT_EQ(ChannelPlays(c1, kT0 - kHour, kT0)[0].song_id, target);
  EXPECT_TRUE(store().MergeSongs(target, target).IsInvalidArgument());
  EXPECT_TRUE(store().MergeSongs(dup, target).IsNotFound());
  Reopen();
  EXPECT_EQ(StoredCounts(store()), CountsOfPlays(store()));
  EXPECT_TRUE(store().FindSong(store().FindPerformer("Beatles")->id, "Hey Jude").status().IsNotFound());
}

// A merge while other threads write plays of the merged song: every play
// ends on the target, none stays on the merged song, and the daily counts
// agree with the plays, whichever writes came before the merge.
TEST_P(StoreConformanceTest, MergeWhileWritersAddPlaysOfTheMergedSong) {
  constexpr int kThreads = 2;
  constexpr int kBatches = 30;
  constexpr int kBatch = 20;
  const SongId from = Song("Beatles", "Let It Be");
  const SongId into = Song("The Beatles", "Let It Be");
  std::vector<ChannelId> channels;
  for (int t = 0; t < kThreads; ++t) channels.push_back(Channel("C" + std::to_string(t)));
  std::atomic<int> batches_written{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<PlayRecord> batch;
        for (int i = 0; i < kBatch; ++i) {
          const UnixMicros start = kT0 + (b * kBatch + i) * kMinute;
          batch.push_back({channels[t], start, start + kMinute, from});
        }
        Result<std::vector<PlayInsertResult>> results = store().InsertPlays(batch);
        ASSERT_TRUE(results.ok()) << results.status().ToString();
        ++batches_written;
      }
    });
  }
  // Merge once the writers are under way (bounded wait: 10 s at most).
  for (int i = 0; i < 1000 && batches_written.load() < kBatches / 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(store().MergeSongs(from, into).ok());
  for (std::thread& writer : writers) writer.join();
  EXPECT_TRUE(SongPlays(from, kT0, kT0 + 1000 * kHour).empty());
  EXPECT_EQ(SongPlays(into, kT0, kT0 + 1000 * kHour).size(),
            static_cast<std::size_t>(kThreads * kBatches * kBatch));
  for (const ChannelId channel : channels) {
    for (const PlayRecord& p : ChannelPlays(channel, kT0, kT0 + 1000 * kHour)) {
      EXPECT_EQ(p.song_id, into);
    }
  }
  EXPECT_EQ(StoredCounts(store()), CountsOfPlays(store()));
}

TEST_P(StoreConformanceTest, MergedPerformersMoveSongsAndMergeSameTitles) {
  const SongId dup_shared = Song("Beatles", "Help");
  const SongId dup_own = Song("Beatles", "Yesterday");
  const SongId target_shared = Song("The Beatles", "Help");
  const PerformerId from = store().FindPerformer("Beatles")->id;
  const PerformerId into = store().FindPerformer("The Beatles")->id;
  const ChannelId c = Channel("C");
  ASSERT_EQ(Insert({{c, kT0, kT0 + kMinute, dup_shared},
                    {c, kT0 + kHour, kT0 + kHour + kMinute, target_shared},
                    {c, kT0 + 2 * kHour, kT0 + 2 * kHour + kMinute, dup_own}})
                .size(),
            3u);
  Result<PerformerMergeResult> merged = store().MergePerformers(from, into);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  ASSERT_EQ(merged->moved.size(), 1u);
  EXPECT_EQ(merged->moved[0].id, dup_own);
  EXPECT_EQ(merged->moved[0].performer_id, into);
  EXPECT_EQ(merged->merged, (std::vector<std::pair<SongId, SongId>>{{dup_shared, target_shared}}));
  EXPECT_TRUE(store().GetPerformer(from).status().IsNotFound());
  EXPECT_TRUE(store().FindPerformer("Beatles").status().IsNotFound());
  EXPECT_EQ(store().FindSong(into, "Yesterday")->id, dup_own);
  EXPECT_TRUE(store().GetSong(dup_shared).status().IsNotFound());
  EXPECT_EQ(SongPlays(target_shared, kT0, kT0 + kHour * 5).size(), 2u);
  EXPECT_EQ(StoredCounts(store()), CountsOfPlays(store()));
  // A song created for the merged performer afterwards goes to the target.
  EXPECT_EQ(store().UpsertSong(from, "Let It Be", nullptr)->performer_id, into);
  EXPECT_EQ(store().UpsertSong(from, "Help", nullptr)->id, target_shared);
  Reopen();
  EXPECT_EQ(StoredCounts(store()), CountsOfPlays(store()));
}

TEST_P(StoreConformanceTest, SongsByTitleAcrossPerformersAndRecordsByCountry) {
  const SongId s1 = Song("Zed", "Hello");
  const SongId s2 = Song("Amy", "Hello");
  const SongId s3 = Song("Amy", "Help");
  const SongId s4 = Song("Bob", "Goodbye");
  std::vector<SongId> ids;
  auto collect = [&](const SongRecord& s) {
    ids.push_back(s.id);
    return true;
  };
  ASSERT_TRUE(store().SeekSongsByTitleAll({}, collect).ok());
  EXPECT_EQ(ids, (std::vector<SongId>{s4, s1, s2, s3}));
  ids.clear();
  ASSERT_TRUE(store().SeekSongsByTitleAll({"Hel", std::nullopt}, collect).ok());
  EXPECT_EQ(ids, (std::vector<SongId>{s1, s2, s3}));
  ids.clear();
  ASSERT_TRUE(store().SeekSongsByTitleAll({"Hel", std::make_pair("Hello", s1)}, collect).ok());
  EXPECT_EQ(ids, (std::vector<SongId>{s2, s3}));
  // A rename moves the song in the index.
  SongRecord renamed = *store().GetSong(s4);
  renamed.title = "Hi";
  ASSERT_TRUE(store().UpdateSong(renamed).ok());
  ids.clear();
  ASSERT_TRUE(store().SeekSongsByTitleAll({"H", std::nullopt}, collect).ok());
  EXPECT_EQ(ids, (std::vector<SongId>{s1, s2, s3, s4}));

  bool created = false;
  for (const char* name : {"Nova", "Alfa", "Mix"}) {
    PerformerRecord p = FullPerformer(name);
    p.country = std::string(name) == "Mix" ? "NO" : "SE";
    ASSERT_TRUE(store().CreatePerformer(p, &created).ok());
  }
  std::vector<std::string> names;
  ASSERT_TRUE(store()
                  .SeekPerformersByCountry("SE", {}, [&](const PerformerRecord& p) {
                    names.push_back(p.name);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(names, (std::vector<std::string>{"Alfa", "Nova"}));
  ChannelRecord channel = *store().UpsertChannel("P1", nullptr);
  channel.country = "SE";
  ASSERT_TRUE(store().UpdateChannel(channel).ok());
  channel = *store().UpsertChannel("P2", nullptr);
  channel.country = "SE";
  ASSERT_TRUE(store().UpdateChannel(channel).ok());
  channel.country = "DK";  // leaves SE
  ASSERT_TRUE(store().UpdateChannel(channel).ok());
  names.clear();
  ASSERT_TRUE(store()
                  .SeekChannelsByCountry("SE", {"P", std::nullopt}, [&](const ChannelRecord& c) {
                    names.push_back(c.name);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(names, (std::vector<std::string>{"P1"}));
}

// Channel attributes are text the store keeps as given (the domain makes it
// canonical JSON): every read returns it, updates replace it, a rename keeps
// it, "" means none, and records without it read as "".
TEST_P(StoreConformanceTest, ChannelAttributesAreKeptThroughEveryReadAndUpdate) {
  const std::string attributes = R"({"fm":true,"genre":"pop","tags":"a\u0000b","é":1.5})";
  ChannelRecord channel;
  channel.name = "P3";
  channel.attributes = attributes;  // no country, no audience
  bool created = false;
  Result<ChannelRecord> made = store().CreateChannel(channel, &created);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(made->attributes, attributes);
  channel.id = made->id;
  ChannelRecord other = channel;
  other.attributes = R"({"x":1})";
  EXPECT_EQ(store().CreateChannel(other, &created)->attributes, attributes);  // existing, unchanged
  EXPECT_FALSE(created);
  EXPECT_EQ(store().UpsertChannel("P3", &created)->attributes, attributes);
  const ChannelId plain = Channel("Plain");
  EXPECT_EQ(store().GetChannel(plain)->attributes, "");

  // The largest attributes the domain allows (8 KiB), with a country, renamed.
  ChannelRecord big = channel;
  big.name = "P3 renamed";
  big.country = "SE";
  big.audience = 7;
  big.attributes = "{\"v\":\"" + std::string(8192 - 8, 'v') + "\"}";
  ASSERT_TRUE(store().UpdateChannel(big).ok());
  const auto reads = [&](const ChannelRecord& expected) {
    EXPECT_EQ(*store().GetChannel(expected.id), expected);
    EXPECT_EQ(*store().FindChannel(expected.name), expected);
    std::vector<ChannelRecord> seen;
    const auto collect = [&](const ChannelRecord& c) {
      if (c.id == expected.id) seen.push_back(c);
      return true;
    };
    ASSERT_TRUE(store().SeekChannels(0, collect).ok());
    ASSERT_TRUE(store().SeekChannelsByName({}, collect).ok());
    ASSERT_TRUE(store().ForEachChannel([&](const ChannelRecord& c) { collect(c); }).ok());
    if (!expected.country.empty()) {
      ASSERT_TRUE(store().SeekChannelsByCountry(expected.country, {}, collect).ok());
    }
    EXPECT_EQ(seen, std::vector<ChannelRecord>(expected.country.empty() ? 3 : 4, expected));
  };
  reads(big);
  Reopen();
  reads(big);
  EXPECT_EQ(store().GetChannel(plain)->attributes, "");

  // Cleared: other fields stay.
  big.attributes = "";
  ASSERT_TRUE(store().UpdateChannel(big).ok());
  reads(big);
  // Set again on a channel with only a name.
  ChannelRecord named = *store().GetChannel(plain);
  named.attributes = R"({"a":"b"})";
  ASSERT_TRUE(store().UpdateChannel(named).ok());
  Reopen();
  reads(big);
  reads(named);
}

}  // namespace
}  // namespace spinlog::storage
