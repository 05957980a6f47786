#include "observability/histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace spinlog::observability {
namespace {

constexpr std::uint64_t kBounds[] = {10, 100, 1000};

TEST(Histogram, ValueEqualToABoundCountsInThatBucket) {
  Histogram histogram(kBounds);
  histogram.Observe(10);
  histogram.Observe(11);
  histogram.Observe(1000);
  histogram.Observe(1001);
  const Histogram::Snapshot snapshot = histogram.Take();
  EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(snapshot.count(), 4u);
  EXPECT_EQ(snapshot.sum, 10u + 11u + 1000u + 1001u);
}

TEST(Histogram, EmptyHistogramHasZeroEverywhere) {
  Histogram histogram(kBounds);
  const Histogram::Snapshot snapshot = histogram.Take();
  EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(snapshot.count(), 0u);
  EXPECT_EQ(snapshot.sum, 0u);
}

TEST(Histogram, ConcurrentObservationsAreAllCounted) {
  Histogram histogram(kBounds);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&histogram, t] {
      for (int i = 0; i < kPerThread; ++i) histogram.Observe(static_cast<std::uint64_t>(t * 400));
    });
  }
  for (std::thread& thread : threads) thread.join();
  const Histogram::Snapshot snapshot = histogram.Take();
  // Values 0, 400, 800, 1200: one thread each in buckets <=10, <=1000 (two), +Inf.
  EXPECT_EQ(snapshot.cumulative,
            (std::vector<std::uint64_t>{kPerThread, kPerThread, 3 * kPerThread, 4 * kPerThread}));
  EXPECT_EQ(snapshot.sum, std::uint64_t{kPerThread} * (0 + 400 + 800 + 1200));
}

}  // namespace
}  // namespace spinlog::observability
