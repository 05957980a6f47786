// ChartService::Chart against a brute-force reference over the raw plays:
// every field of every entry (rank, plays, previous, movement, peak, periods
// on chart, bullet) for random small datasets, ranges that do and do not
// start at midnight, and pages at every offset.
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
#include "support/temp_dir.h"

namespace spinlog::charts {
namespace {

struct Song {
  storage::SongId id;
  storage::PerformerId performer_id;
  std::string performer;
  std::string title;
};

// The chart of one period as the spec defines it: songs with plays, by
// plays descending, performer, title, song id.
using Weights = std::map<storage::ChannelId, std::int64_t>;  // missing: weight 0

// Plays of each song in [from, to) on `channels`, each counting its
// channel's weight when `weights` is given; songs at 0 left out.
std::map<storage::SongId, std::int64_t> Count(const std::vector<storage::PlayRecord>& plays,
                                              const std::vector<storage::ChannelId>& channels,
                                              UnixMicros from, UnixMicros to,
                                              const Weights* weights) {
  std::map<storage::SongId, std::int64_t> counts;
  for (const storage::PlayRecord& p : plays) {
    if (p.start >= from && p.start < to &&
        std::find(channels.begin(), channels.end(), p.channel_id) != channels.end()) {
      std::int64_t weight = 1;
      if (weights != nullptr) {
        auto it = weights->find(p.channel_id);
        weight = it == weights->end() ? 0 : it->second;
      }
      counts[p.song_id] += weight;
    }
  }
  std::erase_if(counts, [](const auto& c) { return c.second == 0; });
  return counts;
}

std::vector<std::pair<storage::SongId, std::int64_t>> Rank(
    const std::vector<storage::PlayRecord>& plays, const std::vector<storage::ChannelId>& channels,
    UnixMicros from, UnixMicros to, const std::map<storage::SongId, Song>& songs,
    const Weights* weights = nullptr) {
  const std::map<storage::SongId, std::int64_t> counts = Count(plays, channels, from, to, weights);
  std::vector<std::pair<storage::SongId, std::int64_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    const Song& sa = songs.at(a.first);
    const Song& sb = songs.at(b.first);
    return std::make_tuple(-a.second, sa.performer, sa.title, a.first) <
           std::make_tuple(-b.second, sb.performer, sb.title, b.first);
  });
  return ranked;
}

std::vector<ChartRow> Reference(const std::vector<storage::PlayRecord>& plays,
                                const std::vector<storage::ChannelId>& channels, UnixMicros from,
                                UnixMicros to, std::size_t offset, std::size_t limit,
                                const std::map<storage::SongId, Song>& songs, std::size_t* total,
                                const Weights* weights = nullptr) {
  const UnixMicros length = to - from;
  UnixMicros earliest = to;
  for (const storage::PlayRecord& p : plays) earliest = std::min(earliest, p.start);
  std::vector<std::vector<std::pair<storage::SongId, std::int64_t>>> periods;  // k = 0, 1, ...
  periods.push_back(Rank(plays, channels, from, to, songs, weights));
  for (UnixMicros f = from - length; f + length > earliest; f -= length) {
    periods.push_back(Rank(plays, channels, f, f + length, songs, weights));
  }
  const auto raw_now = Count(plays, channels, from, to, nullptr);
  const auto raw_before = Count(plays, channels, from - length, from, nullptr);
  *total = periods[0].size();
  auto rank_in = [&](std::size_t k, storage::SongId song) -> std::optional<std::int64_t> {
    if (k >= periods.size()) return std::nullopt;
    for (std::size_t i = 0; i < periods[k].size(); ++i) {
      if (periods[k][i].first == song) return static_cast<std::int64_t>(i) + 1;
    }
    return std::nullopt;
  };
  std::vector<ChartRow> rows;
  for (std::size_t i = offset; i < periods[0].size() && rows.size() < limit; ++i) {
    ChartRow row;
    row.song = periods[0][i].first;
    const Song& song = songs.at(row.song);
    row.title = song.title;
    row.performer = song.performer;
    row.performer_id = song.performer_id;
    row.rank = static_cast<std::int64_t>(i) + 1;
    row.score = periods[0][i].second;
    row.plays = raw_now.count(row.song) != 0 ? raw_now.at(row.song) : 0;
    row.previous_rank = rank_in(1, row.song);
    if (row.previous_rank) {
      row.previous_score = periods[1][*row.previous_rank - 1].second;
      row.previous_plays = raw_before.at(row.song);
    }
    bool earlier = false;
    row.peak_rank = row.rank;
    row.periods_on_chart = 0;
    for (std::size_t k = 0; k < periods.size(); ++k) {
      if (std::optional<std::int64_t> r = rank_in(k, row.song)) {
        ++row.periods_on_chart;
        row.peak_rank = std::min(row.peak_rank, *r);
        if (k >= 2) earlier = true;
      }
    }
    row.movement = row.previous_rank ? (row.rank < *row.previous_rank   ? Movement::kUp
                                        : row.rank > *row.previous_rank ? Movement::kDown
                                                                        : Movement::kSame)
                                     : (earlier ? Movement::kReEntry : Movement::kNew);
    row.bullet = row.previous_score > 0 && row.score * 4 >= row.previous_score * 5;
    rows.push_back(row);
  }
  return rows;
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
  for (int dataset = 0; dataset < 60; ++dataset) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " dataset " << dataset);
    testing::TempDir dir;
    storage::RocksDbStoreOptions options;
    options.path = dir.path() + "/db";
    options.sync_writes = false;
    std::unique_ptr<storage::Store> store = std::move(storage::OpenRocksDbStore(options)).value();
    ChartService charts(store.get());
    std::vector<storage::ChannelId> all_channels;
    // Every fourth dataset has 20 channels, so that charts over most of them
    // add the all-channel day totals.
    const int channel_count = dataset % 4 == 1 ? 20 : 3;
    for (int c = 0; c < channel_count; ++c) {
      all_channels.push_back(store->UpsertChannel("C" + std::to_string(c), nullptr)->id);
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
