// Whether the RocksDB store can write, and a few of RocksDB's own figures.
//
// Why a probe write rather than reading a state: RocksDB 7.8 has no public
// getter for its background error. After a failed write (the disk is full,
// read-only or failing) it stops the database and fails every later write
// with that error; "rocksdb.background-errors" only counts errors ever seen,
// so it stays non-zero after a recovery. A write is the one check that sees
// exactly what the next play would meet, and it costs one small record
// (plus a WAL sync with durable writes).
#include <rocksdb/db.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "storage/rocksdb/key_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

// Meta entry that CheckWritable overwrites (docs/storage-format.md); no code
// reads it.
constexpr char kWriteProbeName[] = "write_probe";

struct PropertyStatistic {
  const std::string& property;
  // Per column family and summed over them; false for database-wide
  // figures, which every family reports alike (the block cache is shared).
  bool per_family;
  const char* name;
  const char* help;
  bool is_counter;
};

using Props = rocksdb::DB::Properties;

const PropertyStatistic kStatistics[] = {
    {Props::kEstimateLiveDataSize, true, "live_data_bytes",
     "Estimated bytes of live data in the store's files (RocksDB estimate-live-data-size).", false},
    {Props::kTotalSstFilesSize, true, "sst_files_bytes",
     "Bytes of every table file, including those waiting to be deleted.", false},
    {Props::kCurSizeAllMemTables, true, "memtable_bytes",
     "Bytes held in memtables (writes not yet flushed to table files).", false},
    {Props::kEstimatePendingCompactionBytes, true, "pending_compaction_bytes",
     "Estimated bytes that compaction must rewrite to settle the levels; writes slow "
     "down and then stop as it grows.",
     false},
    {Props::kEstimateNumKeys, true, "estimated_keys",
     "Estimated number of keys (plays count twice: by channel and by song).", false},
    {Props::kBlockCacheUsage, false, "block_cache_usage_bytes",
     "Bytes in the block cache (data, index and filter blocks).", false},
    {Props::kBlockCacheCapacity, false, "block_cache_capacity_bytes",
     "Capacity of the block cache.", false},
    {Props::kNumRunningCompactions, false, "running_compactions", "Compactions running now.",
     false},
    {Props::kNumRunningFlushes, false, "running_flushes", "Memtable flushes running now.", false},
    {Props::kIsWriteStopped, false, "write_stopped",
     "1 while RocksDB holds writes back until compaction catches up, else 0.", false},
    {Props::kBackgroundErrors, false, "background_errors_total",
     "Errors RocksDB met in background work (flush, compaction, WAL) since the store opened.",
     true},
};

}  // namespace

Status RocksDbStore::CheckWritable() {
  rocksdb::WriteOptions options = WriteOptions();
  // A stall would otherwise block the probe (and its caller) until
  // compaction catches up; Incomplete then means "accepted, later".
  options.no_slowdown = true;
  const rocksdb::Status written =
      db_->Put(options, family(Family::kCatalogue), MetaKey(kWriteProbeName), "");
  if (written.IsIncomplete()) return Status::OK();
  return FromRocksDb(written, "cannot write to the store in " + path_);
}

std::vector<StoreStatistic> RocksDbStore::Statistics() {
  std::vector<StoreStatistic> statistics;
  statistics.reserve(std::size(kStatistics));
  for (const PropertyStatistic& s : kStatistics) {
    std::uint64_t value = 0;
    const bool found = s.per_family ? db_->GetAggregatedIntProperty(s.property, &value)
                                    : db_->GetIntProperty(s.property, &value);
    // Every property above exists in RocksDB 7.8; one that a later version
    // dropped is left out rather than shown as 0.
    if (!found) continue;
    statistics.push_back({s.name, s.help, s.is_counter, value});
  }
  std::uint64_t level0_files = 0;
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    std::string files;
    if (db_->GetProperty(handle, Props::kNumFilesAtLevelPrefix + "0", &files)) {
      level0_files += std::strtoull(files.c_str(), nullptr, 10);
    }
  }
  statistics.push_back({"level0_files",
                        "Table files in level 0, over all families: every read consults each. "
                        "Imports and flushes add them; the server compacts them once writes "
                        "pause for a second.",
                        false, level0_files});
  return statistics;
}

}  // namespace spinlog::storage::rocks
