// The chart order: plays descending, then performer name, then title, both in
// code-point order of their NFC UTF-8 bytes (byte order is code-point order
// for UTF-8), then song id so that the order is total.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "charts/play_rollup.h"
#include "charts/song_labels.h"

namespace spinlog::charts {

struct RankedSong {
  SongId song = 0;
  std::int64_t plays = 0;
  // Points into the SongLabels map: valid while its Read lock is held.
  const SongLabel* label = nullptr;
};

// Returns the songs of `tally` with plays > 0 in chart order. Songs without
// a label sort as if named "" (they cannot occur when labels are kept up to date).
// REQUIRES: called inside SongLabels::Read with that map as `labels`.
std::vector<RankedSong> RankSongs(const SongTally& tally, const SongLabels::Map& labels);

// True when `a` ranks before `b`.
bool RanksBefore(const RankedSong& a, const RankedSong& b);

// The first `count` songs of the chart of `tally`, in chart order, and in
// *total the number of songs with plays. Cheaper than RankSongs when `count`
// is small: plays alone pick the candidates, and only those near the cut
// are compared by name.
// REQUIRES: called inside SongLabels::Read with that map as `labels`.
std::vector<RankedSong> TopSongs(const SongTally& tally, const SongLabels::Map& labels,
                                 std::size_t count, std::size_t* total);

// The rank (from 1) of each of `songs` in the chart of `tally`; 0 for a song
// without plays there. One pass over the tally, whatever the number of songs
// asked for; names are compared only between songs with equal plays.
// REQUIRES: called inside SongLabels::Read with that map as `labels`.
std::vector<std::int64_t> RanksIn(const SongTally& tally, const SongLabels::Map& labels,
                                  std::span<const SongId> songs);

}  // namespace spinlog::charts
