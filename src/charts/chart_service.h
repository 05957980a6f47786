// ChartService: charts over any set of channels and any time range, computed
// from the in-memory PlayRollup (whole UTC days) plus a store scan of the
// partial days at either end of a range that does not start or end at
// midnight. Exact: every stored play counts once, in the range holding its start.
//
// Thread-safety: every method may be called concurrently. OnPlaysStored must
// be called once for every play stored (after it is durable) so that charts
// stay exact; RegisterSong before the song's first play is stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <span>
#include <string>
#include <vector>

#include "charts/chart_query.h"
#include "charts/period_ranking.h"
#include "charts/play_rollup.h"
#include "charts/ranking_cache.h"
#include "charts/song_day_index.h"
#include "charts/song_labels.h"
#include "common/result.h"
#include "storage/store.h"

namespace spinlog::charts {

struct ChartEntry {
  SongId song = 0;
  std::string performer;
  std::string title;
  std::int64_t rank = 0;  // 0-based position in the chart order
  std::int64_t plays = 0;
  std::optional<std::int64_t> previous_rank;  // null when not played in the previous period
  std::int64_t previous_plays = 0;
};

class ChartService {
 public:
  // Default budget of the cache of counted periods (RankingCache).
  static constexpr std::size_t kDefaultRankingCacheBytes = 256u << 20;

  // REQUIRES: `store` outlives the service; ranking_cache_bytes > 0.
  explicit ChartService(storage::Store* store,
                        std::size_t ranking_cache_bytes = kDefaultRankingCacheBytes);

  // Loads song labels and the store's daily counts (never the plays
  // themselves). Call once before serving.
  // Returns the store's error if a scan fails.
  Status Rebuild();

  // Records the names that rank `song` (and its performer's id, for answers).
  void RegisterSong(SongId song, std::string performer, std::string title,
                    storage::PerformerId performer_id = 0);

  // Whether RegisterSong (or Rebuild) named `song`.
  bool KnowsSong(SongId song) const {
    return labels_.Read([song](const SongLabels::Map& labels) { return labels.contains(song); });
  }

  // Records a channel's audience for weighted charts (-1: none given).
  void SetChannelAudience(ChannelId channel, std::int64_t audience);
  // The audience of each of `channels` (0 for those without one), and in
  // *unweighted (may be null) the channels without one.
  std::vector<std::int64_t> AudiencesOf(std::span<const ChannelId> channels,
                                        std::vector<ChannelId>* unweighted) const;

  // Counts plays that were just stored. Plays of a song merged away
  // (MergeSong) count for its target.
  void OnPlaysStored(std::span<const storage::PlayRecord> plays);

  // After the store merged song `from` into `into` (Store::MergeSongs):
  // moves the counts of `from` to `into` in the rollup and the song-day
  // index (bumping the versions of the days that change, so that cached
  // rankings of them are counted again) and forgets `from`'s label. Plays of
  // `from` reported later (resolved before the merge) count for `into`.
  void MergeSong(SongId from, SongId into);
  // After the store deleted `song`: forgets its label.
  void ForgetSong(SongId song);

  // Adds to *tally the plays per song on `channels` (distinct) with start
  // in [from, to). Returns the store's error when an edge scan fails.
  // With `weights` (one per channel), each play counts that channel's weight.
  Status CountPlays(std::span<const ChannelId> channels, UnixMicros from, UnixMicros to,
                    SongTally* tally, const std::vector<std::int64_t>* weights = nullptr) const;

  // The chart of [from, to) with each entry's standing in the period of the
  // same length just before. At most `limit` entries; the previous period is
  // ranked in full whatever the limit.
  Result<std::vector<ChartEntry>> Top(std::span<const ChannelId> channels, UnixMicros from,
                                      UnixMicros to, std::size_t limit) const;

  // What Top over [from, to) reads that can change: the counts of the days
  // of both periods, and the songs' labels. Two equal stamps taken at two
  // times mean that Top, for the same channels and limit, answered the same
  // then and now; so an answer kept with the stamp read *before* computing
  // it may be served while the stamp is unchanged (api/classic keeps
  // get_top's encoded answers so). Only for periods of whole UTC days
  // (partial days are scanned from the store): nullopt otherwise.
  struct TopStamp {
    std::uint64_t days = 0;
    std::uint64_t labels = 0;
    bool operator==(const TopStamp&) const = default;
  };
  std::optional<TopStamp> TopStampOf(UnixMicros from, UnixMicros to) const;

  // Series (chart_series.cc): one point per step, each step a run of whole
  // UTC days [first_day, end_day), steps consecutive and ascending.
  using Step = SongDayIndex::Step;
  struct SeriesPoint {
    std::int64_t plays = 0;
    std::int64_t songs = 0;  // distinct songs (channel series only)
  };
  // Plays of `songs` (one song, or all of a performer's) per step, on
  // `channels`, or on every channel when `channels` is null.
  std::vector<SeriesPoint> SongSeries(std::span<const SongId> songs,
                                      const std::vector<ChannelId>* channels,
                                      std::span<const Step> steps) const;
  // Plays and distinct songs per step on `channels`.
  std::vector<SeriesPoint> ChannelSeries(std::span<const ChannelId> channels,
                                         std::span<const Step> steps) const;
  // A song's standing in the charts of `channels` over consecutive periods:
  // its rank (from 1; 0 when it had no play) and plays in each
  // [periods[i].first, periods[i].second).
  struct Standing {
    std::int64_t rank = 0;
    std::int64_t plays = 0;
  };
  Result<std::vector<Standing>> SongStandings(
      SongId song, std::span<const ChannelId> channels,
      std::span<const std::pair<UnixMicros, UnixMicros>> periods) const;

  // The songs of `performer` known to charts, in id order.
  std::vector<SongId> SongsOf(storage::PerformerId performer) const {
    return labels_.SongsOf(performer);
  }

  // The page [offset, offset + limit) of the chart of `query` with each
  // entry's history (chart_query.h). Cost grows with the number of periods
  // back to the channels' first play (chart_history.cc).
  Result<ChartPage> Chart(const ChartQuery& query) const;

  // What the in-memory structures hold, for metrics.
  struct Sizes {
    PlayRollup::Size rollup;
    std::size_t ranking_cache_bytes = 0;
    std::size_t ranking_cache_entries = 0;
  };
  Sizes Measure() const { return {rollup_.Measure(), rankings_.bytes(), rankings_.size()}; }

 private:
  // The chart of [from, to) on `channels`, ranked by plays times `weights`
  // (one per channel) or by plays when null: from the cache when the period
  // is whole days none of which changed since it was counted, else counted
  // (and cached when whole days).
  Result<std::shared_ptr<const PeriodRanking>> RankingOf(
      std::span<const ChannelId> channels, UnixMicros from, UnixMicros to,
      const std::vector<std::int64_t>* weights) const;

  // Adds the plays of [from, to) found by scanning the store.
  Status CountByScan(std::span<const ChannelId> channels, UnixMicros from, UnixMicros to,
                     SongTally* tally, const std::vector<std::int64_t>* weights) const;

  storage::Store* store_;
  PlayRollup rollup_;
  SongDayIndex song_days_;
  SongLabels labels_;
  mutable RankingCache rankings_;
  // OnPlaysStored shares it, MergeSong holds it alone: a play of a merged
  // song is either counted before the move (and moved) or redirected.
  std::shared_mutex merge_mutex_;
  std::unordered_map<SongId, SongId> merged_;  // from -> into; guarded by merge_mutex_
  mutable std::shared_mutex audiences_mutex_;
  std::unordered_map<ChannelId, std::int64_t> audiences_;  // guarded by audiences_mutex_
};

}  // namespace spinlog::charts
