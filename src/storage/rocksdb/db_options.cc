#include "storage/rocksdb/db_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/key_codec.h"
#include "storage/rocksdb/rocksdb_logger.h"
#include "storage/rocksdb/skip_list_memtable.h"

namespace spinlog::storage::rocks {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr double kBloomBitsPerKey = 10;  // about 1% false positives

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache,
                                           std::size_t write_buffer_bytes, std::size_t block_bytes,
                                           bool whole_key_filter, bool prefix) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = block_bytes;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  table.whole_key_filtering = whole_key_filter;
  // Index and filter blocks count against the cache, so memory stays bounded
  // by block_cache_bytes as plays grow; L0's stay pinned since every read
  // touches them.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;

  rocksdb::ColumnFamilyOptions family;
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Not RocksDB's skip list: Debian builds it with assertions that cost
  // about ten times the insert itself (skip_list_memtable.h). Its nodes live
  // outside the memtable's arena: a WriteBufferManager would not count
  // them (huge_page_arena.h), so none is set.
  family.memtable_factory = NewSkipListMemTableFactory(prefix ? kPlayKeyPrefixSize : 0);
  family.write_buffer_size = write_buffer_bytes;
  // LZ4 is cheap enough for flushes and upper levels; the bottom level holds
  // most of the data and rarely changes, so it pays for ZSTD's better ratio.
  family.compression = rocksdb::kLZ4Compression;
  family.bottommost_compression = rocksdb::kZSTD;
  family.level_compaction_dynamic_level_bytes = true;
  if (prefix) {
    family.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kPlayKeyPrefixSize));
    // InsertPlays puts each family's keys in key order, so consecutive keys
    // of one channel (or song) land next to each other in the memtable: the
    // skip list starts each insert at the previous one of the same channel
    // (or song) instead of searching from the top (its insert_prefix_bytes).
  }
  // No bloom filter over the memtable: InsertPlays looks up only plays that
  // do not start after their channel's latest (channel_start_bounds.h), so
  // under ingest in time order the filter was only written, a random cache
  // line per put. Without it the committer takes 12-18 % less CPU per new
  // play and a backfill, where every play is looked up, about 10 % more
  // (insert_plays_bench; docs/benchmarks.md).
  return family;
}

}  // namespace

DbLayout MakeDbLayout(const RocksDbStoreOptions& options) {
  DbLayout layout;
  rocksdb::DBOptions& db = layout.db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  // Two background threads (flush + compaction) suit the 2-core machines we
  // target; more would compete with request handling.
  db.max_background_jobs = 2;
  // Writes back SST and WAL data in 1 MiB steps instead of one large fsync.
  db.bytes_per_sync = kMiB;
  db.wal_bytes_per_sync = kMiB;
  // The catalogue family is written rarely, and a WAL file cannot be deleted
  // while any family still has unflushed data in it: cap the WAL so that the
  // catalogue gets flushed instead of pinning gigabytes of play log.
  db.max_total_wal_size = 256 * kMiB;
  // The memtables take one writer at a time (skip_list_memtable.h). RocksDB
  // wrote plays one group at a time anyway: it never grouped the two
  // committer threads' writes (docs/benchmarks.md).
  db.allow_concurrent_memtable_write = false;
  // No LOG file: RocksDB's warnings and errors go to spinlog's log
  // (rocksdb_logger.h says why).
  db.info_log = NewSpinlogRocksDbLogger();

  // Four shards, not RocksDB's default 64: a whole-file bloom filter must fit
  // in one shard to stay cached, and a 70 MB plays file has a 6 MB filter.
  // With 2 MiB shards (128 MiB / 64) such filters were never kept, every
  // insert's existence check read them from disk, and bulk ingest fell from
  // 130,000 to 18,000 plays/s once compaction wrote files that large.
  constexpr int kCacheShardBits = 2;
  const std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes, kCacheShardBits);
  layout.families.emplace_back(
      rocksdb::kDefaultColumnFamilyName,
      FamilyOptions(cache, 16 * kMiB, 4 * 1024, /*whole_key_filter=*/true, /*prefix=*/false));
  // Every flush of plays spans every channel written to, and of song plays
  // every song, so each compaction from level 0 rewrites most of the bottom
  // level: fewer, larger flushes mean fewer such rewrites. 128 MiB instead
  // of 64 gave bulk ingest 5-19 % more plays/s (docs/benchmarks.md), for at
  // most 256 MiB more memory while writes arrive (two buffers per family).
  constexpr std::size_t kPlaysWriteBufferBytes = 128 * kMiB;
  // Plays are scanned by range far more than looked up: larger blocks
  // compress better and cost one read per 16 KiB of a channel's timeline.
  layout.families.emplace_back(kPlaysFamily,
                               FamilyOptions(cache, kPlaysWriteBufferBytes, 16 * 1024,
                                             /*whole_key_filter=*/true, /*prefix=*/true));
  layout.families.emplace_back(kSongPlaysFamily,
                               FamilyOptions(cache, kPlaysWriteBufferBytes, 16 * 1024,
                                             /*whole_key_filter=*/false, /*prefix=*/true));
  // Small (a value per channel and day) and only ever read whole.
  rocksdb::ColumnFamilyOptions counts =
      FamilyOptions(cache, 16 * kMiB, 16 * 1024, /*whole_key_filter=*/false, /*prefix=*/false);
  counts.merge_operator = NewDailyCountsMergeOperator();
  // InsertPlays merges one operand per (channel, day) of its batch, in key
  // order, and the next batch's operands for a channel land next to the last
  // ones: starting each insert from the channel's previous one spares each
  // merge a search of the memtable from the top (under bulk ingest merges
  // took 7% of the server's CPU without it, 2.4% with it;
  // docs/benchmarks.md). Inserts only: reads and iterators of this family
  // stay in total order, with no prefix extractor.
  counts.memtable_factory = NewSkipListMemTableFactory(kPlayKeyPrefixSize);
  layout.families.emplace_back(kDailyCountsFamily, counts);
  return layout;
}

}  // namespace spinlog::storage::rocks
