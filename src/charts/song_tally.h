// SongTally: plays per song while a chart is being counted. Song ids are
// dense (handed out from 1), so counts live in a vector indexed by id, and
// the ids touched are listed so that reading and clearing cost only what
// was counted. Adding is the inner loop of every chart: an index, no hashing.
//
// Thread-safety: none; one tally per thread (ChartService keeps them
// thread_local and clears them after use).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "storage/records.h"

namespace spinlog::charts {

class SongTally {
 public:
  void Add(storage::SongId song, std::int64_t plays) {
    if (song >= counts_.size()) Grow(song);
    if (!seen_[song]) {
      seen_[song] = true;
      touched_.push_back(song);
    }
    counts_[song] += plays;
  }

  // Plays of `song` (0 when never added).
  std::int64_t Get(storage::SongId song) const {
    return song < counts_.size() ? counts_[song] : 0;
  }

  // Every song added since the last Clear, in the order first added.
  const std::vector<storage::SongId>& songs() const { return touched_; }

  // Forgets every count, in time proportional to the songs touched.
  void Clear() {
    for (storage::SongId song : touched_) {
      counts_[song] = 0;
      seen_[song] = false;
    }
    touched_.clear();
  }

 private:
  void Grow(storage::SongId song) {
    const std::size_t size = std::max<std::size_t>(song + 1, counts_.size() * 2);
    counts_.resize(size, 0);
    seen_.resize(size, false);
  }

  std::vector<std::int64_t> counts_;
  std::vector<bool> seen_;
  std::vector<storage::SongId> touched_;
};

}  // namespace spinlog::charts
