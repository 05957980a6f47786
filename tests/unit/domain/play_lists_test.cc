// PlayService's lists of plays over a real store: the overlap rule, both
// orders, pages that join up to the whole list, a performer's songs merged,
// and what a page costs in store reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "charts/chart_service.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"
#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"
#include "text/datetime.h"
#include "unit/domain/counting_store.h"

namespace spinlog::domain {
namespace {

using storage::PlayRecord;
constexpr UnixMicros kMinute = 60 * kMicrosPerSecond;
constexpr UnixMicros kHour = 60 * kMinute;

UnixMicros T(const char* iso) { return *text::ParseDatetime(iso); }

using List = std::function<Result<PlayListPage>(const PlayListQuery&)>;

PlayListQuery Query(UnixMicros from, UnixMicros to, PlayOrder order = PlayOrder::kNewestFirst,
                    std::size_t limit = 100) {
  PlayListQuery query;
  query.from = from;
  query.to = to;
  query.order = order;
  query.limit = limit;
  return query;
}

class PlayListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::RocksDbStoreOptions options;
    options.path = dir_.path() + "/db";
    options.sync_writes = false;
    real_store_ = std::move(storage::OpenRocksDbStore(options)).value();
    store_ = std::make_unique<CountingStore>(real_store_.get());
    charts_ = std::make_unique<charts::ChartService>(store_.get());
    catalogue_ = std::make_unique<CatalogueService>(store_.get(), charts_.get());
    // Lists never write: no committer.
    plays_ = std::make_unique<PlayService>(store_.get(), catalogue_.get(), nullptr);
  }

  storage::ChannelId Channel(const std::string& name) { return catalogue_->AddChannel(name)->id; }
  storage::SongId Song(const std::string& performer, const std::string& title) {
    return catalogue_->AddSong(performer, title)->id;
  }
  storage::PerformerId Performer(const std::string& name) {
    return catalogue_->AddPerformer(name)->id;
  }
  void Play(storage::ChannelId channel, storage::SongId song, UnixMicros start,
            UnixMicros length = 3 * kMinute) {
    const PlayRecord play{channel, start, start + length, song};
    ASSERT_TRUE(store_->InsertPlays({&play, 1}).ok());
    stored_.push_back(play);
  }

  List ChannelList(storage::ChannelId id) {
    return [this, id](const PlayListQuery& q) { return plays_->ListChannelPlays(id, q); };
  }
  List SongList(storage::SongId id) {
    return [this, id](const PlayListQuery& q) { return plays_->ListSongPlays(id, q); };
  }
  List PerformerList(storage::PerformerId id) {
    return [this, id](const PlayListQuery& q) { return plays_->ListPerformerPlays(id, q); };
  }

  // Every page of `list` from the start, following each page's last play.
  std::vector<PlayListPage> Pages(const List& list, PlayListQuery query) {
    std::vector<PlayListPage> pages;
    for (int guard = 0; guard < 10'000; ++guard) {
      Result<PlayListPage> page = list(query);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      pages.push_back(std::move(page).value());
      if (!pages.back().more) break;
      const PlayByNames& last = pages.back().plays.back();
      query.after = storage::PlayPosition{last.start, last.channel_id};
    }
    return pages;
  }

  // The stored plays that `keep` selects and that overlap [from, to), in
  // `order`: what a list must show, computed the slow way.
  std::vector<PlayRecord> Expected(const std::function<bool(const PlayRecord&)>& keep,
                                   const PlayListQuery& query) const {
    std::vector<PlayRecord> expected;
    for (const PlayRecord& p : stored_) {
      if (keep(p) && p.start < query.to && p.end > query.from) expected.push_back(p);
    }
    std::sort(expected.begin(), expected.end(), [&](const PlayRecord& a, const PlayRecord& b) {
      return query.order == PlayOrder::kOldestFirst ? PositionOf(a) < PositionOf(b)
                                                    : PositionOf(a) > PositionOf(b);
    });
    return expected;
  }

  static std::vector<PlayRecord> Records(const std::vector<PlayListPage>& pages) {
    std::vector<PlayRecord> plays;
    for (const PlayListPage& page : pages) {
      for (const PlayByNames& p : page.plays) {
        plays.push_back({p.channel_id, p.start, p.end, p.song_id});
      }
    }
    return plays;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Store> real_store_;
  std::unique_ptr<CountingStore> store_;
  std::unique_ptr<charts::ChartService> charts_;
  std::unique_ptr<CatalogueService> catalogue_;
  std::unique_ptr<PlayService> plays_;
  std::vector<PlayRecord> stored_;
};

TEST_F(PlayListsTest, ListsKeepThePlaysThatOverlapTheWindow) {
  const storage::ChannelId c = Channel("C");
  const storage::SongId s = Song("P", "S");
  Play(c, s, T("2024-03-01T09:00:00"), 2 * kHour);   // runs into the window
  Play(c, s, T("2024-03-01T09:57:00"));              // ends at its start: out
  Play(c, s, T("2024-03-01T10:30:00"));              // inside
  Play(c, s, T("2024-03-01T11:00:00"));              // starts at its end: out
  Play(c, s, T("2024-02-29T10:30:00"), 24 * kHour);  // a day long, ends inside
  PlayListQuery query = Query(T("2024-03-01T10:00:00"), T("2024-03-01T11:00:00"));
  const auto starts = [&](PlayOrder order) {
    query.order = order;
    std::vector<std::string> out;
    const Result<PlayListPage> page = plays_->ListChannelPlays(c, query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return out;
    for (const PlayByNames& p : page->plays) out.push_back(text::FormatDatetimeSeconds(p.start));
    return out;
  };
  EXPECT_EQ(starts(PlayOrder::kNewestFirst),
            (std::vector<std::string>{"2024-03-01T10:30:00", "2024-03-01T09:00:00",
                                      "2024-02-29T10:30:00"}));
  EXPECT_EQ(starts(PlayOrder::kOldestFirst),
            (std::vector<std::string>{"2024-02-29T10:30:00", "2024-03-01T09:00:00",
                                      "2024-03-01T10:30:00"}));
  query.order = PlayOrder::kNewestFirst;
  const PlayListPage page = *plays_->ListSongPlays(s, query);
  ASSERT_EQ(page.plays.size(), 3u);
  EXPECT_FALSE(page.more);
  EXPECT_EQ(page.plays.front(), (PlayByNames{"C", "P", "S", T("2024-03-01T10:30:00"),
                                             T("2024-03-01T10:33:00"), c, s, 1}));
}

TEST_F(PlayListsTest, APerformersListMergesItsSongsByStartThenChannel) {
  const storage::ChannelId c1 = Channel("C1");
  const storage::ChannelId c2 = Channel("C2");
  const storage::SongId x = Song("P", "X");
  const storage::SongId y = Song("P", "Y");
  const storage::SongId other = Song("Q", "Z");
  const UnixMicros t = T("2024-03-01T10:00:00");
  Play(c2, x, t);
  Play(c1, y, t);
  Play(c1, x, t + kHour);
  Play(c2, other, t + kHour);
  Play(c2, y, t + 2 * kHour);
  const PlayListQuery query = Query(t - kHour, t + 3 * kHour, PlayOrder::kOldestFirst);
  const storage::PerformerId p = catalogue_->AddPerformer("P")->id;
  EXPECT_EQ(Records(Pages(PerformerList(p), query)),
            (std::vector<PlayRecord>{stored_[1], stored_[0], stored_[2], stored_[4]}));
  PlayListQuery newest = query;
  newest.order = PlayOrder::kNewestFirst;
  newest.limit = 2;
  const std::vector<PlayListPage> pages = Pages(PerformerList(p), newest);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Records(pages),
            (std::vector<PlayRecord>{stored_[4], stored_[2], stored_[0], stored_[1]}));
  EXPECT_TRUE(pages[0].more);
  EXPECT_FALSE(pages[1].more);
  // A performer without songs has no plays.
  EXPECT_TRUE(plays_->ListPerformerPlays(Performer("Nobody"), query)->plays.empty());
}

TEST_F(PlayListsTest, PagesJoinUpToTheWholeListInEitherOrder) {
  std::mt19937 random(3);
  std::vector<storage::ChannelId> channels;
  for (const char* name : {"A", "B", "C", "D"}) channels.push_back(Channel(name));
  std::vector<storage::SongId> songs;
  for (const char* title : {"X", "Y", "Z"}) songs.push_back(Song("P", title));
  songs.push_back(Song("Q", "W"));
  const UnixMicros t0 = T("2024-03-01");
  // Plays on a coarse grid so that channels share starts; some long ones
  // reach into windows from before them.
  for (storage::ChannelId channel : channels) {
    for (int slot = 0; slot < 120; ++slot) {
      if (random() % 4 == 0) continue;
      const UnixMicros length = random() % 10 == 0 ? 5 * kHour : 10 * kMinute;
      Play(channel, songs[random() % songs.size()], t0 + slot * 10 * kMinute, length);
    }
  }
  const storage::PerformerId p = catalogue_->AddPerformer("P")->id;
  for (int round = 0; round < 60; ++round) {
    PlayListQuery query;
    query.from = t0 + static_cast<UnixMicros>(random() % 1300) * kMinute - 2 * kHour;
    query.to = query.from + static_cast<UnixMicros>(1 + random() % 900) * kMinute;
    query.order = random() % 2 ? PlayOrder::kOldestFirst : PlayOrder::kNewestFirst;
    query.limit = std::vector<std::size_t>{1, 3, 17, 1000}[random() % 4];
    const storage::ChannelId channel = channels[random() % channels.size()];
    const storage::SongId song = songs[random() % songs.size()];
    const std::pair<List, std::function<bool(const PlayRecord&)>> lists[] = {
        {ChannelList(channel), [&](const PlayRecord& r) { return r.channel_id == channel; }},
        {SongList(song), [&](const PlayRecord& r) { return r.song_id == song; }},
        {PerformerList(p), [&](const PlayRecord& r) { return r.song_id != songs.back(); }},
    };
    for (const auto& [list, keep] : lists) {
      const std::vector<PlayListPage> pages = Pages(list, query);
      EXPECT_EQ(Records(pages), Expected(keep, query)) << "round " << round;
      for (std::size_t i = 0; i + 1 < pages.size(); ++i) {
        EXPECT_EQ(pages[i].plays.size(), query.limit) << "round " << round << ", page " << i;
      }
      EXPECT_FALSE(pages.back().plays.empty() && pages.size() > 1) << "an empty last page";
    }
  }
}

TEST_F(PlayListsTest, APageCostsAboutAsManyReadsAsItHolds) {
  const storage::ChannelId c = Channel("C");
  std::vector<storage::SongId> songs;
  for (int i = 0; i < 10; ++i) songs.push_back(Song("P", "S" + std::to_string(i)));
  const UnixMicros t0 = T("2024-03-01");
  // 4,000 back-to-back plays of 3 minutes (480 a day), songs in turn.
  for (int i = 0; i < 4000; ++i) Play(c, songs[i % songs.size()], t0 + i * 3 * kMinute);
  const UnixMicros end = t0 + 4000 * 3 * kMinute;

  PlayListQuery query = Query(t0, end);
  store_->Reset();
  ASSERT_EQ(plays_->ListChannelPlays(c, query)->plays.size(), 100u);
  EXPECT_LE(store_->plays_read(), 101);  // the page and one to tell there is more

  // Oldest first also reads the day before the window, where plays that
  // run into it would start.
  query = Query(t0 + 2000 * 3 * kMinute, end, PlayOrder::kOldestFirst);
  store_->Reset();
  ASSERT_EQ(plays_->ListChannelPlays(c, query)->plays.size(), 100u);
  EXPECT_LE(store_->plays_read(), 101 + 480);

  // A performer's songs are merged: each song reads about its share of the page.
  query = Query(t0, end);
  store_->Reset();
  ASSERT_EQ(plays_->ListPerformerPlays(catalogue_->AddPerformer("P")->id, query)->plays.size(),
            100u);
  EXPECT_LE(store_->plays_read(), 400);  // 306 when written; the whole range is 4,000
}

TEST_F(PlayListsTest, UnknownSubjectsAreNotFoundAndEmptyWindowsEmpty) {
  const PlayListQuery query = Query(T("2024-03-01"), T("2024-03-02"));
  EXPECT_EQ(plays_->ListChannelPlays(9, query).status().message(), "no channel has id 9");
  EXPECT_EQ(plays_->ListSongPlays(9, query).status().message(), "no song has id 9");
  EXPECT_EQ(plays_->ListPerformerPlays(9, query).status().message(), "no performer has id 9");
  const storage::ChannelId c = Channel("C");
  Play(c, Song("P", "S"), T("2024-03-01T10:00:00"));
  const PlayListQuery empty = Query(T("2024-03-01T10:01:00"), T("2024-03-01T10:01:00"));
  const Result<PlayListPage> page = plays_->ListChannelPlays(c, empty);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->plays.empty());
  EXPECT_FALSE(page->more);
}

}  // namespace
}  // namespace spinlog::domain
