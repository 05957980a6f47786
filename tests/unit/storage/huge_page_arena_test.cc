// The skip list's arena (huge_page_arena.h): what it hands out is aligned,
// writable and never shared between two allocations, however the sizes mix.
#include "storage/rocksdb/huge_page_arena.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace spinlog::storage::rocks {
namespace {

constexpr std::size_t kAlign = alignof(std::max_align_t);

struct Allocation {
  char* memory;
  std::size_t bytes;
  unsigned char fill;
};

TEST(HugePageArena, AllocationsAreAlignedAndKeepTheirOwnBytes) {
  HugePageArena arena;
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> small(0, 300);
  std::vector<Allocation> allocations;
  for (int i = 0; i < 40000; ++i) {
    // Now and then a large one, which gets a mapping of its own.
    const std::size_t bytes = i % 5000 == 4999 ? HugePageArena::kBlockBytes + 12345 : small(random);
    char* memory = arena.Allocate(bytes);
    ASSERT_NE(memory, nullptr);
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(memory) % kAlign, 0u) << bytes;
    const auto fill = static_cast<unsigned char>(i);
    std::memset(memory, fill, bytes);
    allocations.push_back({memory, bytes, fill});
  }
  for (const Allocation& allocation : allocations) {
    for (std::size_t i = 0; i < allocation.bytes; ++i) {
      ASSERT_EQ(static_cast<unsigned char>(allocation.memory[i]), allocation.fill);
    }
  }
}

// What a memtable switches by: the bytes handed out, with earlier blocks and
// own mappings counted whole.
TEST(HugePageArena, CountsWhatItHandedOutAndKeepsFillingTheCurrentBlock) {
  constexpr std::size_t kHundred = (100 + kAlign - 1) / kAlign * kAlign;  // rounded up
  HugePageArena arena;
  EXPECT_EQ(arena.UsedBytes(), 0u);
  char* first = arena.Allocate(100);
  EXPECT_EQ(arena.UsedBytes(), kHundred);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(first) % HugePageArena::kBlockBytes, 0u);

  // A large allocation gets whole blocks of its own and does not end the
  // current block.
  char* large = arena.Allocate(HugePageArena::kBlockBytes + 1);
  EXPECT_EQ(arena.UsedBytes(), kHundred + 2 * HugePageArena::kBlockBytes);
  std::memset(large, 1, HugePageArena::kBlockBytes + 1);
  char* second = arena.Allocate(100);
  EXPECT_EQ(second, first + kHundred);
  EXPECT_EQ(arena.UsedBytes(), 2 * kHundred + 2 * HugePageArena::kBlockBytes);

  // Filling the block opens the next one, and the first counts whole.
  std::size_t in_first_block = 2 * kHundred;
  while (in_first_block + 4096 <= HugePageArena::kBlockBytes) {
    arena.Allocate(4096);
    in_first_block += 4096;
  }
  EXPECT_EQ(arena.UsedBytes(), in_first_block + 2 * HugePageArena::kBlockBytes);
  char* next_block = arena.Allocate(4096);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(next_block) % HugePageArena::kBlockBytes, 0u);
  EXPECT_EQ(arena.UsedBytes(), 3 * HugePageArena::kBlockBytes + 4096);
}

// RocksDB reads the figure from other threads (memtable size properties)
// while the writer allocates: it only grows, in whole allocations.
TEST(HugePageArena, UsedBytesCanBeReadWhileTheWriterAllocates) {
  HugePageArena arena;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::size_t last = 0;
    while (!done.load()) {
      const std::size_t now = arena.UsedBytes();
      EXPECT_GE(now, last);
      EXPECT_EQ(now % kAlign, 0u);
      last = now;
    }
  });
  for (int i = 0; i < 20000; ++i) arena.Allocate(208);
  done.store(true);
  reader.join();
  EXPECT_GE(arena.UsedBytes(), std::size_t{20000} * 208);
}

TEST(HugePageArena, EmptyAllocationsAreDistinct) {
  HugePageArena arena;
  char* a = arena.Allocate(0);
  char* b = arena.Allocate(0);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace spinlog::storage::rocks
