// ChartService over a real store: the ranking and previous-period rules of
// the classic get_top, and exact counts for ranges that do not start at midnight.
#include "charts/chart_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"
#include "text/datetime.h"

namespace spinlog::charts {
namespace {

UnixMicros T(const char* iso) { return *text::ParseDatetime(iso); }

class ChartServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::RocksDbStoreOptions options;
    options.path = dir_.path() + "/db";
    options.sync_writes = false;
    store_ = std::move(storage::OpenRocksDbStore(options)).value();
    charts_ = std::make_unique<ChartService>(store_.get());
    for (const char* name : {"C1", "C2"}) channels_.push_back(store_->UpsertChannel(name, nullptr)->id);
  }

  storage::SongId Song(const std::string& performer, const std::string& title) {
    storage::PerformerId p = store_->UpsertPerformer(performer, nullptr)->id;
    storage::SongId id = store_->UpsertSong(p, title, nullptr)->id;
    charts_->RegisterSong(id, performer, title);
    return id;
  }

  void Play(int channel_index, storage::SongId song, const char* start) {
    storage::PlayRecord play{channels_[channel_index], T(start), T(start) + 60'000'000, song};
    ASSERT_TRUE(store_->InsertPlays({&play, 1}).ok());
    charts_->OnPlaysStored({&play, 1});
  }

  std::vector<ChartEntry> Week(const char* start, std::size_t limit = 40) {
    return charts_->Top(channels_, T(start), T(start) + kMicrosPerWeek, limit).value();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<ChartService> charts_;
  std::vector<storage::ChannelId> channels_;
};

TEST_F(ChartServiceTest, TiesRankByPerformerThenTitle) {
  storage::SongId b = Song("B", "x"), a2 = Song("A", "y"), a1 = Song("A", "x");
  Play(0, b, "2014-01-08T01:00:00");
  Play(0, a2, "2014-01-08T02:00:00");
  Play(1, a1, "2014-01-09T02:00:00");
  std::vector<ChartEntry> top = Week("2014-01-08");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].song, a1);
  EXPECT_EQ(top[1].song, a2);
  EXPECT_EQ(top[2].song, b);
  EXPECT_EQ(top[2].rank, 2);
}

TEST_F(ChartServiceTest, PreviousRankIsNullWhenNotPlayedTheWeekBefore) {
  storage::SongId old_song = Song("P", "old"), new_song = Song("P", "new");
  Play(0, old_song, "2014-01-02T00:00:00");
  Play(0, old_song, "2014-01-09T00:00:00");
  Play(0, new_song, "2014-01-09T01:00:00");
  Play(0, new_song, "2014-01-09T02:00:00");
  std::vector<ChartEntry> top = Week("2014-01-08");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].song, new_song);
  EXPECT_FALSE(top[0].previous_rank.has_value());
  EXPECT_EQ(top[0].previous_plays, 0);
  EXPECT_EQ(top[1].previous_rank, 0);
  EXPECT_EQ(top[1].previous_plays, 1);
}

TEST_F(ChartServiceTest, LimitCutsTheListNotThePreviousRanking) {
  std::vector<storage::SongId> songs;
  for (int i = 0; i < 5; ++i) songs.push_back(Song("P", "s" + std::to_string(i)));
  // Previous week: s4 x5, s3 x4, ... s0 x1. Current week: only s0 once.
  for (int i = 0; i < 5; ++i) {
    for (int n = 0; n <= i; ++n) {
      std::string start = "2014-01-0" + std::to_string(1 + n) + "T0" + std::to_string(i) + ":00:00";
      Play(0, songs[i], start.c_str());
    }
  }
  Play(1, songs[0], "2014-01-10T00:00:00");
  std::vector<ChartEntry> top = Week("2014-01-08", 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].song, songs[0]);
  EXPECT_EQ(top[0].previous_rank, 4);
  EXPECT_EQ(top[0].previous_plays, 1);
}

TEST_F(ChartServiceTest, WeekNotStartingAtMidnightCountsByPlayStart) {
  storage::SongId s = Song("P", "s");
  Play(0, s, "2014-01-08T05:59:59");  // previous week
  Play(0, s, "2014-01-08T06:00:00");  // first instant of the week
  Play(0, s, "2014-01-12T12:00:00");  // a whole day inside
  Play(0, s, "2014-01-15T05:59:59");  // last second of the week
  Play(0, s, "2014-01-15T06:00:00");  // next week
  std::vector<ChartEntry> top = Week("2014-01-08T06:00:00");
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].plays, 3);
  EXPECT_EQ(top[0].previous_plays, 1);
}

TEST_F(ChartServiceTest, RebuildCountsWhatIsStored) {
  storage::SongId s = Song("P", "s");
  Play(0, s, "2014-01-08T00:00:00");
  Play(1, s, "2014-01-09T00:00:00");
  ChartService rebuilt(store_.get());
  ASSERT_TRUE(rebuilt.Rebuild().ok());
  std::vector<ChartEntry> top =
      rebuilt.Top(channels_, T("2014-01-08"), T("2014-01-15"), 10).value();
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].plays, 2);
  EXPECT_EQ(top[0].performer, "P");
  EXPECT_EQ(top[0].title, "s");
}

// The stamp that get_top's answer cache relies on (api/classic/top_answer_cache.h):
// it changes with every play on a day of either week, backdated or not, and
// with every label change, and with nothing outside the two weeks.
TEST_F(ChartServiceTest, TopStampChangesWithEveryPlayOfBothWeeksAndEveryLabel) {
  const UnixMicros from = T("2014-01-08"), to = from + kMicrosPerWeek;
  storage::SongId s = Song("P", "s");
  std::optional<ChartService::TopStamp> stamp = charts_->TopStampOf(from, to);
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(charts_->TopStampOf(from, to), stamp);

  Play(0, s, "2014-01-14T23:59:59");  // last day of the week
  std::optional<ChartService::TopStamp> after = charts_->TopStampOf(from, to);
  EXPECT_NE(after, stamp);
  stamp = after;
  Play(1, s, "2014-01-01T00:00:00");  // first day of the previous week
  after = charts_->TopStampOf(from, to);
  EXPECT_NE(after, stamp);
  stamp = after;
  Play(0, s, "2014-01-08T00:00:00");  // a day that already had plays
  Play(0, s, "2014-01-08T00:00:00");
  after = charts_->TopStampOf(from, to);
  EXPECT_NE(after, stamp);
  stamp = after;

  Play(0, s, "2013-12-31T23:59:59");  // before both weeks
  Play(0, s, "2014-01-15T00:00:00");  // after
  EXPECT_EQ(charts_->TopStampOf(from, to), stamp);

  charts_->RegisterSong(s, "P", "s");  // the same label: nothing changes
  EXPECT_EQ(charts_->TopStampOf(from, to), stamp);
  charts_->RegisterSong(s, "P", "renamed");
  after = charts_->TopStampOf(from, to);
  EXPECT_NE(after, stamp);
  stamp = after;
  charts_->ForgetSong(s);
  EXPECT_NE(charts_->TopStampOf(from, to), stamp);

  // Partial days are scanned from the store: no stamp.
  EXPECT_FALSE(charts_->TopStampOf(from + 1, to + 1).has_value());
}

}  // namespace
}  // namespace spinlog::charts
