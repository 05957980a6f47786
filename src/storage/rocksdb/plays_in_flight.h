// PlaysInFlight: the plays that InsertPlays calls have checked and are
// writing to RocksDB, visible to the calls that check after them.
//
// Why: InsertPlays checks (channel, start) for existence and builds its
// batch under the store's plays mutex, but writes the batch (WAL, memtable,
// sync) after releasing it, so that the next group is checked while this
// one is written and both share one WAL sync. A play checked then is not yet
// in the database: later checks find it here instead and judge against it.
//
// Thread-safety: none of its own; every call is made holding the store's
// plays mutex (rocksdb_store_impl.h).
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <vector>

#include "storage/store.h"

namespace spinlog::storage::rocks {

// The created plays of one InsertPlays call while its batch is written.
struct PlayWrite {
  // Sorted by (channel_id, start), each key once.
  std::vector<PlayRecord> plays;
  bool done = false;  // the write returned
  bool ok = false;    // ... and succeeded: the plays are in the database
};

class PlaysInFlight {
 public:
  // Registers a write of `plays`. REQUIRES: sorted by (channel_id, start),
  // distinct, none of their keys in flight or stored.
  std::shared_ptr<PlayWrite> Begin(std::vector<PlayRecord> plays);
  // Marks `write` done and forgets its plays: from now on the database has
  // them (ok) or never will (not ok).
  void End(const std::shared_ptr<PlayWrite>& write, bool ok);
  bool empty() const { return writes_.empty(); }

  // Finds plays in flight for keys asked for in ascending (channel_id,
  // start) order, walking each write's sorted plays once.
  class Lookup {
   public:
    explicit Lookup(const PlaysInFlight& in_flight);
    // The play in flight at (channel, start), with the write that holds it
    // in *write; nullptr when none.
    // REQUIRES: keys ascend across calls; the PlaysInFlight is unchanged.
    const PlayRecord* Find(ChannelId channel, UnixMicros start,
                           std::shared_ptr<PlayWrite>* write);

   private:
    struct Cursor {
      std::shared_ptr<PlayWrite> write;
      std::size_t next = 0;
    };
    std::vector<Cursor> cursors_;
  };

 private:
  std::list<std::shared_ptr<PlayWrite>> writes_;
};

}  // namespace spinlog::storage::rocks
