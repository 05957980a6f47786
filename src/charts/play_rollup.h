// PlayRollup: an in-memory count of plays per (channel, day, song), where a
// play belongs to the UTC day in which it starts. Charts add these counts up
// instead of scanning plays.
//
// Memory: one map node per (channel, day) plus 8 bytes per distinct song
// played that day on that channel (W1: 10 channels x 730 days x 30 songs,
// under 2 MiB), and the same sums over all channels per day (DayTotals).
//
// Thread-safety: every method may be called concurrently; Add takes a write
// lock briefly, reads share a lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "charts/day_totals.h"
#include "charts/song_tally.h"
#include "storage/records.h"

namespace spinlog::charts {

using storage::ChannelId;
using storage::SongId;


class PlayRollup {
 public:
  struct Size {
    std::size_t channel_days = 0;  // (channel, day) lists
    std::size_t counts = 0;        // distinct (channel, day, song) counts
  };

  // Counts one more play (or `delta` plays; negative to remove) of `song` on
  // `channel` starting on `day` (days since 1970-01-01).
  void Add(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta = 1);
  // Counts one play each of `plays`, under one lock.
  void AddPlays(std::span<const storage::PlayRecord> plays);

  // Moves every count of song `from` to song `into` (a merge of songs):
  // afterwards the rollup is what counting the plays of `from` as plays of
  // `into` gives, and every day that changed has a new version.
  void MoveSong(SongId from, SongId into);

  // Sets the counts of (channel, day) at start, from the store's daily counts.
  // Fastest with days in increasing order per channel. Call FinishLoad after
  // the last.
  // REQUIRES: `counts` sorted by song, songs distinct.
  void Load(ChannelId channel, std::int64_t day, std::span<const storage::SongPlayCount> counts);
  // Sums the loaded counts over all channels per day (DayTotals).
  void FinishLoad();

  // The plays of `song` on `channels` whose day is in [from_day, to_day).
  std::int64_t SongPlays(std::span<const ChannelId> channels, std::int64_t from_day,
                         std::int64_t to_day, SongId song) const;

  // Calls visit(day, song, plays) for every count of every channel, days in
  // non-decreasing order (channels in no particular order within a day).
  void VisitByDay(
      const std::function<void(std::int64_t day, SongId song, std::int64_t plays)>& visit) const;

  // Some day on or before the first day with plays on any of `channels`;
  // nullopt only when none of them has plays. (For most of the channels it
  // is the first day with plays on any channel: cheaper than a look at each.)
  std::optional<std::int64_t> FirstDay(std::span<const ChannelId> channels) const;

  // Adds to *tally the plays on `channels` whose day is in [from_day, to_day).
  // A channel listed twice is counted twice: callers pass distinct channels.
  // Each play counts `weight` (audience-weighted charts). When `channels`
  // hold most of the channels with plays, the day totals are added and the
  // other channels taken away, so *tally may list songs whose count is 0.
  void Accumulate(std::span<const ChannelId> channels, std::int64_t from_day,
                  std::int64_t to_day, SongTally* tally, std::int64_t weight = 1) const;

  // A number that grows whenever a count of a day in [from_day, to_day)
  // changes, on any channel (DayTotals::Version).
  std::uint64_t Version(std::int64_t from_day, std::int64_t to_day) const;

  // What the rollup holds, for metrics. Walks every (channel, day) under the
  // shared lock (W2: 60,000 of them, well under a millisecond).
  Size Measure() const;

 private:
  struct SongCount {
    SongId song;
    std::int32_t plays;
  };
  // Sorted by song id, so that Add finds its slot by binary search.
  using DayCounts = std::vector<SongCount>;
  using ChannelDays = std::map<std::int64_t, DayCounts>;

  void AddLocked(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta);
  // Adds `delta` plays of `song` to one (channel, day) list, not to the totals.
  static void AddToDay(DayCounts* counts, SongId song, std::int32_t delta);

  // True when adding the totals and taking the other channels away reads
  // less than adding `channels` one by one.
  bool PreferTotals(std::span<const ChannelId> channels) const;

  mutable std::shared_mutex mutex_;
  std::unordered_map<ChannelId, ChannelDays> channels_;
  DayTotals totals_;
  // False between Load and FinishLoad: the totals miss loaded counts.
  bool totals_complete_ = true;
};

}  // namespace spinlog::charts
