// The RocksDB tuning of the backend, in one place: database options and the
// column families with their per-family options.
//
// Column families (names are persistent: never rename):
//   "default"     catalogue: records, name indexes, id counters, meta.
//                 Small and read by point lookups: whole-key bloom filter.
//   "plays"       (channel id, start) -> (song id, duration). The bulk of the
//                 data; point lookups on insert of plays not after their
//                 channel's latest (whole-key bloom in the files, none over
//                 the memtable) and scans of one channel (prefix bloom on
//                 the channel id).
//   "song_plays"  (song id, start, channel id) -> duration, a covering index
//                 for scans of one song; never read by point lookups, so only
//                 the prefix (song id) goes into its filter.
//   "daily_counts" (channel id, day) -> plays per song (daily_counts.h),
//                 written by merge operands, read in full at start.
// Separate families let plays compact without rewriting the catalogue and
// give each key shape its own filter; one WriteBatch still spans them all
// atomically through the shared WAL.
//
// Thread-safety: free functions over values.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <string>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog::storage::rocks {

inline constexpr char kPlaysFamily[] = "plays";
inline constexpr char kSongPlaysFamily[] = "song_plays";

// The index of each family in the handles that DB::Open returns.
enum class Family : std::size_t { kCatalogue = 0, kPlays = 1, kSongPlays = 2, kDailyCounts = 3 };

struct DbLayout {
  rocksdb::DBOptions db;
  // In Family order.
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
};

DbLayout MakeDbLayout(const RocksDbStoreOptions& options);

}  // namespace spinlog::storage::rocks
