#include "charts/ranking_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace spinlog::charts {
namespace {

std::shared_ptr<const PeriodRanking> RankingOf(int songs) {
  SongTally tally;
  for (int i = 1; i <= songs; ++i) tally.Add(static_cast<SongId>(i), i);
  return std::make_shared<const PeriodRanking>(tally, nullptr);
}

RankingCache::Key KeyOf(std::vector<storage::ChannelId> channels, std::int64_t from_day = 0) {
  return RankingCache::MakeKey(channels, nullptr, from_day, from_day + 7);
}

TEST(RankingCache, ServesARankingOnlyAtTheVersionItWasCountedAt) {
  RankingCache cache(1 << 20);
  auto ranking = RankingOf(3);
  EXPECT_EQ(cache.Find(KeyOf({1, 2}), 5), nullptr);
  cache.Insert(KeyOf({1, 2}), 5, ranking);
  EXPECT_EQ(cache.Find(KeyOf({1, 2}), 5), ranking);
  EXPECT_EQ(cache.Find(KeyOf({2, 1}), 5), ranking) << "the channels' order does not matter";
  EXPECT_EQ(cache.Find(KeyOf({1, 2}, 7), 5), nullptr) << "another period";
  EXPECT_EQ(cache.Find(KeyOf({1}), 5), nullptr) << "other channels";
  EXPECT_EQ(cache.Find(KeyOf({1, 2}), 6), nullptr) << "a play was stored since";
  EXPECT_EQ(cache.size(), 0u) << "a stale ranking is dropped";
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(RankingCache, WeightsArePartOfTheKeyAndFollowTheirChannels) {
  RankingCache cache(1 << 20);
  const std::vector<storage::ChannelId> channels{3, 1};
  const std::vector<std::int64_t> weights{30, 10};
  const std::vector<storage::ChannelId> reordered{1, 3};
  const std::vector<std::int64_t> reordered_weights{10, 30};
  const std::vector<std::int64_t> swapped{30, 10};
  cache.Insert(RankingCache::MakeKey(channels, &weights, 0, 7), 1, RankingOf(2));
  EXPECT_NE(cache.Find(RankingCache::MakeKey(reordered, &reordered_weights, 0, 7), 1), nullptr);
  EXPECT_EQ(cache.Find(RankingCache::MakeKey(reordered, &swapped, 0, 7), 1), nullptr);
  EXPECT_EQ(cache.Find(RankingCache::MakeKey(channels, nullptr, 0, 7), 1), nullptr);
}

TEST(RankingCache, DropsTheLeastRecentlyUsedBeyondItsBudget) {
  auto ranking = RankingOf(100);
  // Room for three rankings of this size, not four.
  RankingCache cache(ranking->bytes() * 3 + ranking->bytes() / 2);
  cache.Insert(KeyOf({1}), 1, RankingOf(100));
  cache.Insert(KeyOf({2}), 1, RankingOf(100));
  cache.Insert(KeyOf({3}), 1, RankingOf(100));
  ASSERT_NE(cache.Find(KeyOf({1}), 1), nullptr);  // 1 is now the most recently used
  cache.Insert(KeyOf({4}), 1, RankingOf(100));
  EXPECT_NE(cache.Find(KeyOf({1}), 1), nullptr);
  EXPECT_EQ(cache.Find(KeyOf({2}), 1), nullptr) << "the least recently used goes";
  EXPECT_NE(cache.Find(KeyOf({3}), 1), nullptr);
  EXPECT_NE(cache.Find(KeyOf({4}), 1), nullptr);
  EXPECT_LE(cache.bytes(), ranking->bytes() * 3 + ranking->bytes() / 2);
}

TEST(RankingCache, KeepsNothingLargerThanTheWholeBudget) {
  RankingCache cache(64);
  cache.Insert(KeyOf({1}), 1, RankingOf(1000));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find(KeyOf({1}), 1), nullptr);
}

TEST(RankingCache, ReplacesWhatWasStoredForTheSameKey) {
  RankingCache cache(1 << 20);
  cache.Insert(KeyOf({1}), 1, RankingOf(3));
  auto newer = RankingOf(4);
  cache.Insert(KeyOf({1}), 2, newer);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(KeyOf({1}), 2), newer);
}

}  // namespace
}  // namespace spinlog::charts
