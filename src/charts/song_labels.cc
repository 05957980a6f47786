#include "charts/song_labels.h"

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
  labels_[song] = std::move(label);
}

}  // namespace spinlog::charts
