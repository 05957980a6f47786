// PeriodRanking: the chart of one period, counted once and kept, so that the
// same period's page, and the ranks of a page's songs in earlier periods
// (movement, peak, periods on chart), are answered without counting again.
//
// It holds every song with a score above 0 (plays, or plays times audience)
// twice: by id, and by score. A rank is then a binary search for the songs
// with a higher score, plus a comparison of names with the songs of equal
// score only (the chart order of ranking.h), which lie side by side: nothing
// is sorted by name until a page is asked for, and then only the songs that
// can make that page.
//
// Memory: 24 bytes per song by id plus 16 by score (a week over W2's 2,000
// channels: ~150,000 songs, ~6 MB).
//
// Thread-safety: immutable after construction; every method may be called
// concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "charts/ranking.h"
#include "charts/song_labels.h"
#include "charts/song_tally.h"

namespace spinlog::charts {

class PeriodRanking {
 public:
  struct Standing {
    std::int64_t rank = 0;  // from 1; 0 when the song has no score here
    std::int64_t score = 0;
    std::int64_t plays = 0;
  };
  struct Entry {
    SongId song = 0;
    std::int64_t score = 0;
    std::int64_t plays = 0;
    const SongLabel* label = nullptr;  // valid while the labels' lock is held
  };

  // The songs of `scores` with a score above 0; each one's plays are its
  // count in `plays`, or its score when `plays` is null.
  PeriodRanking(const SongTally& scores, const SongTally* plays);

  // Songs on the chart.
  std::size_t size() const { return by_song_.size(); }
  // Bytes held, for a cache's budget.
  std::size_t bytes() const;

  // Ranks [offset, offset + count) of the chart, in chart order.
  // REQUIRES: called inside SongLabels::Read with that map as `labels`.
  std::vector<Entry> Page(std::size_t offset, std::size_t count,
                          const SongLabels::Map& labels) const;

  // The standing of each of `songs` (one pass over the songs with the same
  // score as one of them, whatever their number).
  // REQUIRES: called inside SongLabels::Read with that map as `labels`.
  std::vector<Standing> StandingsOf(std::span<const SongId> songs,
                                    const SongLabels::Map& labels) const;

 private:
  struct Scored {
    SongId song;
    std::int64_t score;
    std::int64_t plays;
  };
  const Scored* Find(SongId song) const;

  struct ByScore {
    std::int64_t score;
    SongId song;
  };
  // The songs with a score of `score`, a range of by_score_.
  std::pair<std::size_t, std::size_t> Tied(std::int64_t score) const;

  std::vector<Scored> by_song_;    // by song id
  std::vector<ByScore> by_score_;  // the same songs, by score descending, then id
};

}  // namespace spinlog::charts
