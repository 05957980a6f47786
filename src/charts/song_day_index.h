// SongDayIndex: plays per song per UTC day over all channels, for song and
// performer series without visiting every channel (W2: 2,000 channels).
//
// Memory: 16 bytes per (song, day) with plays plus a vector per song (W2,
// 30 days: about 4.5 million pairs, 70 MB).
//
// Thread-safety: every method may be called concurrently; writes take the
// lock exclusively, reads share it.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <span>
#include <functional>
#include <vector>

#include "storage/records.h"

namespace spinlog::charts {

class SongDayIndex {
 public:
  // Adds `delta` plays of `song` on `day`.
  void Add(storage::SongId song, std::int64_t day, std::int64_t delta);
  // Moves every count of song `from` to song `into` (a merge of songs).
  void MoveSong(storage::SongId from, storage::SongId into);
  // Adds one play each of `plays`, under one lock.
  void AddPlays(std::span<const storage::PlayRecord> plays);
  // Fills the index from scratch at start: `feed` calls its argument with
  // (day, song, plays) for every count, days in non-decreasing order, so
  // that every count lands at the end of its song's list.
  // REQUIRES: the index is empty.
  void Build(const std::function<void(const std::function<void(std::int64_t, storage::SongId,
                                                                std::int64_t)>&)>& feed);

  // Adds to plays[i] the plays of `song` on the days of steps[i], where each
  // step is [first_day, end_day).
  struct Step {
    std::int64_t first_day;
    std::int64_t end_day;
  };
  void Accumulate(storage::SongId song, std::span<const Step> steps,
                  std::span<std::int64_t> plays) const;

 private:
  struct DayPlays {
    std::int64_t day;
    std::int64_t plays;
  };
  void AddLocked(storage::SongId song, std::int64_t day, std::int64_t delta);

  mutable std::shared_mutex mutex_;
  // Indexed by song id (ids are dense): days ascending.
  std::vector<std::vector<DayPlays>> songs_;
};

}  // namespace spinlog::charts
