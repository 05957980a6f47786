#include "charts/song_labels.h"

#include <algorithm>

namespace spinlog::charts {

void SongLabels::Set(storage::SongId song, SongLabel label) {
  {
    // Songs are registered on every play; most are known already, and a
    // shared lock keeps those calls from contending.
    std::shared_lock lock(mutex_);
    auto it = labels_.find(song);
    if (it != labels_.end() && it->second == label) return;
  }
  std::unique_lock lock(mutex_);
  auto [it, inserted] = labels_.try_emplace(song);
  if (!inserted && it->second.performer_id != label.performer_id) {
    std::erase(songs_by_performer_[it->second.performer_id], song);
  }
  if (inserted || it->second.performer_id != label.performer_id) {
    std::vector<storage::SongId>& songs = songs_by_performer_[label.performer_id];
    songs.insert(std::upper_bound(songs.begin(), songs.end(), song), song);
  }
  it->second = std::move(label);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

void SongLabels::Erase(storage::SongId song) {
  std::unique_lock lock(mutex_);
  auto it = labels_.find(song);
  if (it == labels_.end()) return;
  std::erase(songs_by_performer_[it->second.performer_id], song);
  labels_.erase(it);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

std::vector<storage::SongId> SongLabels::SongsOf(storage::PerformerId performer) const {
  std::shared_lock lock(mutex_);
  auto it = songs_by_performer_.find(performer);
  return it == songs_by_performer_.end() ? std::vector<storage::SongId>{} : it->second;
}

}  // namespace spinlog::charts
