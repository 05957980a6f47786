// DayTotals: plays per song per UTC day summed over every channel, so that a
// chart over all channels (or nearly all: the others are taken away) adds up
// one list per day instead of one per channel and day (W2: 1 list instead of
// 2,000).
//
// Each day keeps a list sorted by song and a log of changes appended since it
// was last folded in; the log is folded in once it holds a quarter as many
// entries as the list (at least kMinLogToFold), so that adding stays O(1)
// amortised while the current day fills, and reading walks at most 5/4 of
// the distinct songs.
//
// Memory: 8 bytes per distinct (day, song) plus at most a quarter more for
// the log (W2, 30 days of ~150,000 songs: about 45 MB).
//
// Every day carries a version that every change increases, so that a result
// computed from some days can tell later whether any of them changed
// (Version).
//
// Thread-safety: none; PlayRollup guards it with its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "charts/song_tally.h"
#include "storage/records.h"

namespace spinlog::charts {

class DayTotals {
 public:
  struct Count {
    storage::SongId song;
    std::int32_t plays;
  };

  // Adds `delta` plays of `song` on `day` and bumps the day's version.
  void Add(std::int64_t day, storage::SongId song, std::int32_t delta);
  // Adds every change of `changes` (songs in any order, repeats allowed) to
  // `day`, as many Add calls would, bumping the day's version once.
  void Add(std::int64_t day, std::span<const Count> changes);

  // Replaces the counts of `day` (at start, from the per-channel counts).
  // REQUIRES: `counts` sorted by song, songs distinct.
  void Set(std::int64_t day, std::vector<Count> counts);

  // Adds to *tally the plays of the days in [from_day, to_day).
  void Accumulate(std::int64_t from_day, std::int64_t to_day, SongTally* tally) const;

  // A number that grows whenever a count of a day in [from_day, to_day)
  // changes or such a day gets its first count: the sum of the days'
  // versions, each of which only grows. Equal numbers at two times mean no
  // count of the range changed in between.
  std::uint64_t Version(std::int64_t from_day, std::int64_t to_day) const;

  // The first day with a count other than 0; nullopt when there is none.
  std::optional<std::int64_t> FirstDay() const;

  // Distinct (day, song) counts held, logged changes included (for tests).
  std::size_t size() const;

 private:
  // Folding sorts the log and merges it into the list; below this many
  // entries the log is cheaper to just read.
  static constexpr std::size_t kMinLogToFold = 1024;

  struct Day {
    std::vector<Count> sorted;  // by song, distinct, no zero counts
    std::vector<Count> log;     // changes since the last fold, any order
    std::uint64_t version = 0;
  };
  static void Fold(Day* day);

  std::map<std::int64_t, Day> days_;
};

}  // namespace spinlog::charts
