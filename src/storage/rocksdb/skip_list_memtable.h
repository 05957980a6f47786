// A memtable representation for RocksDB: an ordered skip list, written by
// one thread at a time and read by any number at once, that starts each
// insert from where the previous one of the same key prefix ended.
//
// Why not RocksDB's own skip list: Debian's librocksdb is built with its
// assertions on, and the skip list's insert checks its whole search path
// after every insert: about 37 key comparisons per insert where the insert
// itself needs 2 to 4 (counted with uprobes under bulk ingest: 3.3 million
// comparisons for 87,000 inserts). Memtable inserts were then a quarter of
// the server's CPU under bulk ingest (docs/benchmarks.md). This one does the
// same job through RocksDB's public MemTableRep interface, without the
// checks.
//
// Behaviour, as RocksDB's skip list:
// - Inserts: one writer at a time (DBOptions::allow_concurrent_memtable_write
//   must be false; DB::Open refuses otherwise). An insert with a hint (one
//   per key prefix, given by memtable_insert_with_hint_prefix_extractor)
//   starts from that prefix's previous insert; one without starts from the
//   previous hint-less insert. Either way it costs a few comparisons when
//   keys arrive in order, O(log n) otherwise. With insert_prefix_bytes
//   above 0 (at most 8), an insert without a hint starts from the previous
//   insert of the same first insert_prefix_bytes of the user key: the same
//   as a hint per prefix, kept in a flat table of the memtable instead of
//   RocksDB's hash map of slices (set no hint extractor then).
// - Readers (Get, iterators) run concurrently with the writer, without locks,
//   and see each entry whole or not at all.
// - Memory comes from the rep's own arena of huge pages (huge_page_arena.h);
//   the rep reports it as its memory usage, which RocksDB counts towards
//   write_buffer_size, and it is unmapped with the memtable (by whichever
//   thread drops the memtable's last reference).
#pragma once

#include <rocksdb/memtablerep.h>

#include <cstddef>
#include <memory>

namespace spinlog::storage::rocks {

// REQUIRES: insert_prefix_bytes <= 8.
std::shared_ptr<rocksdb::MemTableRepFactory> NewSkipListMemTableFactory(
    std::size_t insert_prefix_bytes = 0);

}  // namespace spinlog::storage::rocks
