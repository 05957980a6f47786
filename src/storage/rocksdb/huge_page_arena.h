// Memory for one memtable's skip list: bump allocation from blocks of 2 MiB
// that are aligned to, and advised as, transparent huge pages.
//
// Why not the memtable's own arena: its blocks come from malloc, so every
// memtable touches fresh 4 KiB pages, and on this kind of virtual machine
// each first touch is a trap costing microseconds (under bulk ingest, page
// faults taken while allocating skip-list nodes were 4 % of the server's
// CPU, docs/benchmarks.md). One huge page is one fault for 512 small ones,
// and one TLB entry for the list's walks over it. Where the kernel has
// transparent huge pages off (or cannot find one), the blocks work as
// ordinary memory.
//
// The memory is the rep's, not the memtable arena's: RocksDB counts it
// through MemTableRep::ApproximateMemoryUsage (when to switch memtables,
// the memtable size properties), but a WriteBufferManager (a memory budget
// shared by column families or charged to the block cache) would not see
// it. db_options.cc sets none.
#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

namespace spinlog::storage::rocks {

class HugePageArena {
 public:
  static constexpr std::size_t kBlockBytes = std::size_t{2} << 20;

  HugePageArena() = default;
  HugePageArena(const HugePageArena&) = delete;
  HugePageArena& operator=(const HugePageArena&) = delete;
  // Unmaps every block: what Allocate returned is invalid afterwards.
  ~HugePageArena();

  // `bytes` of writable memory aligned to alignof(std::max_align_t), valid
  // until the arena is destroyed. One writer at a time. Throws
  // std::bad_alloc when the system refuses memory. More than a quarter
  // block gets a mapping of its own, of whole blocks (memtable entries that
  // large are not expected: values of a few KiB at most).
  char* Allocate(std::size_t bytes);

  // Bytes handed out so far: what the current block has handed out, and
  // every earlier block and own mapping whole (what a block could not fit
  // is lost). What a memtable switches by. Safe to call from any thread.
  std::size_t UsedBytes() const { return used_bytes_.load(std::memory_order_relaxed); }

 private:
  struct Mapping {
    void* address;
    std::size_t bytes;
  };

  // Maps `bytes` (a multiple of kBlockBytes) aligned to kBlockBytes.
  char* Map(std::size_t bytes);
  // Sets the figure UsedBytes reads (from any thread) to what has been
  // handed out so far.
  void PublishUsedBytes();

  std::vector<Mapping> mappings_;
  char* block_ = nullptr;  // the current block
  char* next_ = nullptr;   // its free part
  char* end_ = nullptr;
  std::size_t retired_bytes_ = 0;  // earlier blocks and own mappings, whole
  std::atomic<std::size_t> used_bytes_{0};
};

}  // namespace spinlog::storage::rocks
