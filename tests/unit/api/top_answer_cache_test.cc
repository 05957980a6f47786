// get_top's caches: an answer is served only for its key at its stamp, the
// key does not depend on the channels' order, and both caches stay bounded.
#include "api/classic/top_answer_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace spinlog::api::classic {
namespace {

using Stamp = charts::ChartService::TopStamp;

TEST(TopAnswerCacheTest, ServesAnAnswerOnlyForItsKeyAtItsStamp) {
  TopAnswerCache cache;
  const std::vector<storage::ChannelId> channels = {3, 1, 2};
  cache.Insert(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{7, 1}, "answer");

  const std::vector<storage::ChannelId> reordered = {2, 3, 1};
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(reordered, 100, 10), Stamp{7, 1}), "answer");
  // Any change of the days or labels: not served.
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{8, 1}), std::nullopt);
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{7, 2}), std::nullopt);
  // Another key: not served.
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 101, 10), Stamp{7, 1}), std::nullopt);
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 100, 11), Stamp{7, 1}), std::nullopt);
  const std::vector<storage::ChannelId> fewer = {1, 2};
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(fewer, 100, 10), Stamp{7, 1}), std::nullopt);

  // A newer answer replaces the older one.
  cache.Insert(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{8, 1}, "newer");
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{8, 1}), "newer");
  EXPECT_EQ(cache.Find(TopAnswerCache::MakeKey(channels, 100, 10), Stamp{7, 1}), std::nullopt);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(TopAnswerCacheTest, StaysWithinItsBudget) {
  TopAnswerCache cache(10'000);
  const std::vector<storage::ChannelId> channels = {1};
  for (int i = 0; i < 1000; ++i) {
    cache.Insert(TopAnswerCache::MakeKey(channels, i, 10), Stamp{1, 1}, std::string(500, 'x'));
    EXPECT_LE(cache.bytes(), 10'000u);
  }
  // The last one is kept; a body over the whole budget is not.
  EXPECT_TRUE(cache.Find(TopAnswerCache::MakeKey(channels, 999, 10), Stamp{1, 1}).has_value());
  cache.Insert(TopAnswerCache::MakeKey(channels, 5000, 10), Stamp{1, 1}, std::string(20'000, 'x'));
  EXPECT_FALSE(cache.Find(TopAnswerCache::MakeKey(channels, 5000, 10), Stamp{1, 1}).has_value());
}

TEST(TopQueryMemoTest, KeepsDecodedQueriesBoundedInCountAndLength) {
  TopQueryMemo memo;
  auto decoded = std::make_shared<TopQuery>(std::vector<std::string>{"Channel1"}, 100, 10);
  memo.Insert("channels=x&start=y", decoded);
  EXPECT_EQ(memo.Find("channels=x&start=y"), decoded);
  EXPECT_EQ(memo.Find("channels=x&start=z"), nullptr);

  const std::string too_long(TopQueryMemo::kMaxQueryBytes + 1, 'q');
  memo.Insert(too_long, decoded);
  EXPECT_EQ(memo.Find(too_long), nullptr);

  for (std::size_t i = 0; i < 3 * TopQueryMemo::kMaxEntries; ++i) {
    memo.Insert("q" + std::to_string(i), decoded);
    ASSERT_LE(memo.size(), TopQueryMemo::kMaxEntries);
  }
}

TEST(ResolvedChannelsTest, ServesIdsOnlyAtTheGenerationTheyWereResolvedAt) {
  ResolvedChannels resolved;
  EXPECT_EQ(resolved.Find(0), std::nullopt);
  resolved.Set(4, {7, 3});
  EXPECT_EQ(resolved.Find(4), (std::vector<storage::ChannelId>{7, 3}));
  EXPECT_EQ(resolved.Find(5), std::nullopt);
  resolved.Set(5, {3});
  EXPECT_EQ(resolved.Find(5), (std::vector<storage::ChannelId>{3}));
  EXPECT_EQ(resolved.Find(4), std::nullopt);
}

}  // namespace
}  // namespace spinlog::api::classic
