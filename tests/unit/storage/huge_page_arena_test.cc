// The skip list's arena (huge_page_arena.h): what it hands out is aligned,
// writable and never shared between two allocations, however the sizes mix.
#include "storage/rocksdb/huge_page_arena.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
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

TEST(HugePageArena, CountsWholeBlocksAndKeepsFillingTheCurrentOne) {
  HugePageArena arena;
  EXPECT_EQ(arena.MappedBytes(), 0u);
  char* first = arena.Allocate(100);
  EXPECT_EQ(arena.MappedBytes(), HugePageArena::kBlockBytes);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(first) % HugePageArena::kBlockBytes, 0u);

  // A large allocation does not end the current block.
  char* large = arena.Allocate(HugePageArena::kBlockBytes);
  EXPECT_EQ(arena.MappedBytes(), 2 * HugePageArena::kBlockBytes);
  std::memset(large, 1, HugePageArena::kBlockBytes);
  char* second = arena.Allocate(100);
  EXPECT_EQ(second, first + 112);  // 100 rounded up to the alignment

  // Filling the block opens the next one.
  while (arena.MappedBytes() == 2 * HugePageArena::kBlockBytes) arena.Allocate(4096);
  EXPECT_EQ(arena.MappedBytes(), 3 * HugePageArena::kBlockBytes);
}

TEST(HugePageArena, EmptyAllocationsAreDistinct) {
  HugePageArena arena;
  char* a = arena.Allocate(0);
  char* b = arena.Allocate(0);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace spinlog::storage::rocks
