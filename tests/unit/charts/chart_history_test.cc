// ChartService::Chart against a brute-force reference over the raw plays
// (tests/support/chart_reference.h): every field of every entry (rank, plays,
// score, previous, movement, peak, periods on chart, bullet) for 1,000
// random small datasets (SPINLOG_CHART_DATASETS to change; SPINLOG_CHART_SEED
// to replay), weighted or not, ranges that do and do not start at midnight,
// pages at every offset, queries part way through the plays and after a
// rebuild from the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "charts/chart_service.h"
#include "storage/rocksdb/rocksdb_store.h"
#include "support/chart_reference.h"
#include "support/temp_dir.h"

namespace spinlog::charts {
namespace {

using Song = testing::ReferenceSong;
using Weights = testing::ReferenceWeights;

std::vector<ChartRow> Reference(const std::vector<storage::PlayRecord>& plays,
                                const std::vector<storage::ChannelId>& channels, UnixMicros from,
                                UnixMicros to, std::size_t offset, std::size_t limit,
                                const std::map<storage::SongId, Song>& songs, std::size_t* total,
                                const Weights* weights = nullptr) {
  return testing::ReferenceChart(plays, channels, from, to, offset, limit, songs, total, weights);
}

std::string Describe(const ChartRow& r) {
  return "#" + std::to_string(r.rank) + " song " + std::to_string(r.song) + " (" + r.performer +
         "/" + r.title + " p" + std::to_string(r.performer_id) + ") plays " +
         std::to_string(r.plays) + " score " + std::to_string(r.score) + " prev " +
         (r.previous_rank ? std::to_string(*r.previous_rank) : "null") + "/" +
         std::to_string(r.previous_plays) + "/" + std::to_string(r.previous_score) + " " +
         MovementName(r.movement) + " peak " + std::to_string(r.peak_rank) + " periods " +
         std::to_string(r.periods_on_chart) + (r.bullet ? " bullet" : "");
}

TEST(ChartHistory, EqualsBruteForceOnRandomDatasets) {
  const unsigned seed = std::getenv("SPINLOG_CHART_SEED") != nullptr
                            ? static_cast<unsigned>(std::atoi(std::getenv("SPINLOG_CHART_SEED")))
                            : 7u;
  std::mt19937 random(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  constexpr UnixMicros kHour = 3600 * kMicrosPerSecond;
  const UnixMicros t0 = 1'420'070'400 * kMicrosPerSecond;  // 2015-01-01, a Thursday
  const int datasets = std::getenv("SPINLOG_CHART_DATASETS") != nullptr
                           ? std::atoi(std::getenv("SPINLOG_CHART_DATASETS"))
                           : 1000;
  // Datasets share a store, 50 at a time, each with channels of its own:
  // opening a store per dataset would cost more than the checks. Songs are
  // shared (the same names), which only means more songs in a rebuild.
  constexpr int kDatasetsPerStore = 50;
  testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  for (int dataset = 0; dataset < datasets; ++dataset) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " dataset " << dataset);
    if (dataset % kDatasetsPerStore == 0) {
      store.reset();
      storage::RocksDbStoreOptions options;
      options.path = dir.path() + "/db" + std::to_string(dataset / kDatasetsPerStore);
      options.sync_writes = false;
      options.block_cache_bytes = std::size_t{8} << 20;
      store = std::move(storage::OpenRocksDbStore(options)).value();
    }
    ChartService charts(store.get());
    std::vector<storage::ChannelId> all_channels;
    // Every fourth dataset has 20 channels, so that charts over most of them
    // add the all-channel day totals.
    const int channel_count = dataset % 4 == 1 ? 20 : 3;
    for (int c = 0; c < channel_count; ++c) {
      all_channels.push_back(
          store->UpsertChannel("d" + std::to_string(dataset) + "C" + std::to_string(c), nullptr)
              ->id);
    }
    // Audiences: some channels have none (weight 0), one may be 0.
    Weights audiences;
    for (storage::ChannelId c : all_channels) {
      const int pick_audience = pick(0, 3);
      if (pick_audience == 0) continue;
      audiences[c] = pick_audience == 1 ? 0 : pick(1, 1000);
      charts.SetChannelAudience(c, audiences[c]);
    }
    std::map<storage::SongId, Song> songs;
    for (int s = 0; s < 5; ++s) {
      const std::string performer = std::string(1, static_cast<char>('A' + s % 2));
      const storage::PerformerId p = store->UpsertPerformer(performer, nullptr)->id;
      const std::string title = "t" + std::to_string(s % 3);
      Result<storage::SongRecord> song = store->UpsertSong(p, title, nullptr);
      if (songs.count(song->id) != 0) continue;
      songs[song->id] = {song->id, p, performer, title};
      charts.RegisterSong(song->id, performer, title, p);
    }
    std::vector<storage::PlayRecord> stored;
    auto check_queries = [&](int count) {
      for (int q = 0; q < count; ++q) {
        std::vector<storage::ChannelId> channels;
        for (storage::ChannelId c : all_channels) {
          if (pick(0, channel_count > 3 ? 9 : 2) != 0) channels.push_back(c);
        }
        if (channels.empty()) channels.push_back(all_channels[0]);
        // Periods of whole days (cached rankings) now and then.
        const bool whole_days = pick(0, 4) < 2;
        const UnixMicros length = whole_days   ? pick(1, 7) * 24 * kHour
                                  : pick(0, 1) ? 7 * 24 * kHour
                                               : pick(1, 72) * kHour + pick(0, 1);
        const UnixMicros from =
            whole_days ? t0 + pick(0, 35) * 24 * kHour
                       : t0 + pick(0, 24 * 35) * kHour + pick(-1, 1) * kMicrosPerSecond;
        const std::size_t offset = static_cast<std::size_t>(pick(0, 3));
        const std::size_t limit = static_cast<std::size_t>(pick(1, 5));
        SCOPED_TRACE(::testing::Message() << "query " << q << " from " << from << " length "
                                          << length << " offset " << offset << " limit " << limit);
        const bool weighted = q % 2 == 1;
        const ChartPage page =
            charts.Chart({channels, from, from + length, offset, limit, weighted}).value();
        std::size_t total = 0;
        const std::vector<ChartRow> expected =
            Reference(stored, channels, from, from + length, offset, limit, songs, &total,
                      weighted ? &audiences : nullptr);
        EXPECT_EQ(page.total, total);
        ASSERT_EQ(page.rows.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
          EXPECT_EQ(Describe(page.rows[i]), Describe(expected[i]));
        }
      }
    };
    const int play_count = pick(0, 60);
    for (int i = 0; i < play_count; ++i) {
      // Part way, so that cached rankings meet plays stored after them.
      if (i == play_count / 2) check_queries(3);
      storage::PlayRecord play;
      play.channel_id = all_channels[pick(0, channel_count - 1)];
      play.start = t0 + pick(0, 24 * 35) * kHour + pick(-1, 1) * kMicrosPerSecond;
      play.end = play.start + kMicrosPerSecond * 60;
      auto it = songs.begin();
      std::advance(it, pick(0, static_cast<int>(songs.size()) - 1));
      play.song_id = it->first;
      std::vector<storage::PlayInsertResult> results =
          store->InsertPlays(std::vector<storage::PlayRecord>{play}).value();
      if (results[0].outcome == storage::PlayInsertOutcome::kCreated) {
        stored.push_back(play);
        charts.OnPlaysStored({&play, 1});
      }
    }
    if (dataset % 3 == 0) {  // the restart path: counts from the store
      ChartService rebuilt(store.get());
      ASSERT_TRUE(rebuilt.Rebuild().ok());
      // Compare one query of the rebuilt service too (below uses `charts`).
      const std::vector<storage::ChannelId> channels = all_channels;
      const ChartPage page =
          rebuilt.Chart({channels, t0 + 14 * 24 * kHour, t0 + 21 * 24 * kHour, 0, 100}).value();
      std::size_t total = 0;
      const std::vector<ChartRow> expected = Reference(stored, channels, t0 + 14 * 24 * kHour,
                                                       t0 + 21 * 24 * kHour, 0, 100, songs, &total);
      ASSERT_EQ(page.rows.size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(Describe(page.rows[i]), Describe(expected[i]));
      }
    }
    check_queries(8);
  }
}

}  // namespace
}  // namespace spinlog::charts
