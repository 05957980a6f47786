#include "storage/rocksdb/huge_page_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <new>

namespace spinlog::storage::rocks {
namespace {

constexpr std::size_t kAlign = alignof(std::max_align_t);

constexpr std::size_t RoundUp(std::size_t bytes, std::size_t unit) {
  return (bytes + unit - 1) / unit * unit;
}

}  // namespace

HugePageArena::~HugePageArena() {
  for (const Mapping& mapping : mappings_) munmap(mapping.address, mapping.bytes);
}

char* HugePageArena::Allocate(std::size_t bytes) {
  bytes = RoundUp(bytes == 0 ? 1 : bytes, kAlign);
  if (static_cast<std::size_t>(end_ - next_) < bytes) {
    // An allocation larger than a quarter block gets its own mapping, so the
    // rest of the current block is not thrown away for it.
    if (bytes > kBlockBytes / 4) {
      const std::size_t own = RoundUp(bytes, kBlockBytes);
      char* memory = Map(own);
      retired_bytes_ += own;
      PublishUsedBytes();
      return memory;
    }
    char* block = Map(kBlockBytes);
    if (block_ != nullptr) retired_bytes_ += kBlockBytes;
    block_ = next_ = block;
    end_ = block + kBlockBytes;
  }
  char* memory = next_;
  next_ += bytes;
  PublishUsedBytes();
  return memory;
}

void HugePageArena::PublishUsedBytes() {
  used_bytes_.store(retired_bytes_ + static_cast<std::size_t>(next_ - block_),
                    std::memory_order_relaxed);
}

char* HugePageArena::Map(std::size_t bytes) {
  // Room first, so that a mapping is never lost to a failed push_back.
  if (mappings_.size() == mappings_.capacity()) {
    mappings_.reserve(std::max<std::size_t>(8, 2 * mappings_.size()));
  }
  // mmap aligns to pages only: map a block more and unmap what lies outside
  // the aligned range.
  const std::size_t span = bytes + kBlockBytes;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = RoundUp(start, kBlockBytes);
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t tail = aligned + bytes;
  if (start + span > tail) munmap(reinterpret_cast<void*>(tail), start + span - tail);
  auto* memory = reinterpret_cast<char*>(aligned);
  // Advice only: without transparent huge pages this fails and the block
  // is ordinary memory.
  madvise(memory, bytes, MADV_HUGEPAGE);
  mappings_.push_back({memory, bytes});
  return memory;
}

}  // namespace spinlog::storage::rocks
