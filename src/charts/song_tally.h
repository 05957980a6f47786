// SongTally: plays per song while a chart is being counted. Song ids are
// dense (handed out from 1), so counts live in a vector indexed by id, each
// stamped with the generation that wrote it, so that clearing is a counter
// increment; the ids touched are listed so that reading costs only what was
// counted. Adding is the inner loop of every chart: an index, no hashing.
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
    if (song >= cells_.size()) Grow(song);
    Cell& cell = cells_[song];
    if (cell.generation != generation_) {
      cell.generation = generation_;
      cell.count = plays;
      touched_.push_back(song);
    } else {
      cell.count += plays;
    }
  }

  // Plays of `song` (0 when never added).
  std::int64_t Get(storage::SongId song) const {
    if (song >= cells_.size()) return 0;
    const Cell& cell = cells_[song];
    return cell.generation == generation_ ? cell.count : 0;
  }

  // Every song added since the last Clear, in the order first added.
  const std::vector<storage::SongId>& songs() const { return touched_; }

  // Calls visit(song, count) for every song added since the last Clear, in
  // id order. Walks every cell unless few songs were added (then sorts those).
  template <typename Visit>
  void ForEachInIdOrder(Visit&& visit) const {
    if (touched_.size() * 32 >= cells_.size()) {  // a sort costs ~30 cell reads per song
      for (std::size_t song = 0; song < cells_.size(); ++song) {
        if (cells_[song].generation == generation_) {
          visit(static_cast<storage::SongId>(song), cells_[song].count);
        }
      }
      return;
    }
    std::vector<storage::SongId> sorted = touched_;
    std::sort(sorted.begin(), sorted.end());
    for (storage::SongId song : sorted) visit(song, cells_[song].count);
  }

  // Forgets every count in constant time: a cell counts only when it was
  // written in the current generation.
  void Clear() {
    touched_.clear();
    if (++generation_ == 0) {  // wrapped: old stamps could look current
      for (Cell& cell : cells_) cell.generation = 0;
      generation_ = 1;
    }
  }

 private:
  // Count and stamp side by side: one cache line serves both.
  struct Cell {
    std::int64_t count = 0;
    std::uint32_t generation = 0;
  };

  void Grow(storage::SongId song) {
    cells_.resize(std::max<std::size_t>(song + 1, cells_.size() * 2));
  }

  std::vector<Cell> cells_;
  std::uint32_t generation_ = 1;
  std::vector<storage::SongId> touched_;
};

}  // namespace spinlog::charts
