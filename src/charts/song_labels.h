// SongLabels: performer name and title per song id, held in memory because
// chart ranking breaks ties by these names and must not ask the store for
// every song of a chart.
//
// Thread-safety: Set and Read may be called concurrently. Read holds a shared
// lock while its callback runs: the callback must not call Set.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/records.h"

namespace spinlog::charts {

struct SongLabel {
  std::string performer;
  std::string title;
  storage::PerformerId performer_id = 0;
  bool operator==(const SongLabel&) const = default;
};

class SongLabels {
 public:
  using Map = std::unordered_map<storage::SongId, SongLabel>;

  // Records (or replaces) the label of `song`.
  void Set(storage::SongId song, SongLabel label);

  // Forgets `song` (deleted, or merged into another).
  void Erase(storage::SongId song);

  // A number that grows whenever a label is set to something new or erased:
  // equal numbers at two times mean no label changed in between.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // The songs of `performer`, in id order.
  std::vector<storage::SongId> SongsOf(storage::PerformerId performer) const;

  // Calls read(map) under a shared lock and returns what it returns.
  template <typename F>
  auto Read(F&& read) const {
    std::shared_lock lock(mutex_);
    return read(labels_);
  }

 private:
  mutable std::shared_mutex mutex_;
  // Bumped under the exclusive lock, after the change.
  std::atomic<std::uint64_t> generation_{0};
  Map labels_;
  std::unordered_map<storage::PerformerId, std::vector<storage::SongId>> songs_by_performer_;
};

}  // namespace spinlog::charts
