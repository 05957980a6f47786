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

// The label of `song`, or an empty one for a song without a label.
const SongLabel* LabelOf(const SongLabels::Map& labels, SongId song);

// True when `a` ranks before `b`.
bool RanksBefore(const RankedSong& a, const RankedSong& b);

}  // namespace spinlog::charts
