// ChannelStartBounds: for each channel, a start that no play of the channel
// stored or being written comes after, once InsertPlays has learnt it.
//
// Why: a play that starts after its channel's bound is new, and needs no
// existence check (a MultiGet that probes the memtable and every level's
// filters). Radio channels air in time order and loggers send their plays
// in that order, so nearly every play of a live or bulk ingest is such a
// play; only re-sends and backfills are looked up.
//
// A bound may be too high (a failed write, a deleted play): that only costs
// a lookup. It must never be too low, so every writer of the plays family
// other than InsertPlays forgets the bounds (RocksDbStore::PlaysQuiet).
//
// Thread-safety: none of its own; every call is made holding the store's
// plays mutex (rocksdb_store_impl.h).
#pragma once

#include <optional>
#include <vector>

#include "storage/records.h"

namespace spinlog::storage::rocks {

class ChannelStartBounds {
 public:
  // Every stored or in-flight play of `channel` starts at or before the
  // result; nullopt when not known. A channel without plays has the lowest
  // start as its bound.
  std::optional<UnixMicros> Find(ChannelId channel) const {
    return channel < bounds_.size() ? bounds_[channel] : std::nullopt;
  }
  // Sets the bound of `channel`, read from the store. REQUIRES: no play of
  // `channel` in flight that starts after `bound`.
  void Learn(ChannelId channel, UnixMicros bound);
  // Raises a known bound to `start` (a play about to be written); an
  // unknown one stays unknown.
  void Raise(ChannelId channel, UnixMicros start);
  // Makes every bound unknown.
  void Forget() { bounds_.clear(); }

 private:
  // By channel id: ids are handed out densely from 1.
  std::vector<std::optional<UnixMicros>> bounds_;
};

}  // namespace spinlog::storage::rocks
