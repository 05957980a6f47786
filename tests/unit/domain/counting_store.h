// CountingStore: a Store that forwards every call to another one and counts
// the plays its ordered seeks hand to visitors, so that tests can check what
// a list costs in reads.
#pragma once

#include <atomic>
#include <cstdint>

#include "support/forwarding_store.h"

namespace spinlog::domain {

class CountingStore final : public testing::ForwardingStore {
 public:
  // REQUIRES: `store` outlives this one.
  explicit CountingStore(storage::Store* store) : ForwardingStore(store) {}

  // Plays visited by SeekChannelPlays and SeekSongPlays so far.
  std::int64_t plays_read() const { return plays_read_; }
  void Reset() { plays_read_ = 0; }

  Status SeekChannelPlays(storage::ChannelId channel, const storage::PlaySeek& seek,
                          const storage::PlayVisitor& visit) override {
    return store_->SeekChannelPlays(channel, seek, Counted(visit));
  }
  Status SeekSongPlays(storage::SongId song, const storage::PlaySeek& seek,
                       const storage::PlayVisitor& visit) override {
    return store_->SeekSongPlays(song, seek, Counted(visit));
  }

 private:
  storage::PlayVisitor Counted(const storage::PlayVisitor& visit) {
    return [this, &visit](const storage::PlayRecord& play) {
      ++plays_read_;
      return visit(play);
    };
  }

  std::atomic<std::int64_t> plays_read_{0};
};

}  // namespace spinlog::domain
