// Conformance suite, channel groups: unique names, sorted channels, updates,
// deletes, paging in id order, ids never reused, and durability.
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

TEST_P(StoreConformanceTest, ChannelGroupsLiveAndDie) {
  const std::vector<ChannelId> given = {5, 2, 9, 2};
  Result<ChannelGroupRecord> nordic = store().CreateChannelGroup("Nordic", given);
  ASSERT_TRUE(nordic.ok()) << nordic.status().ToString();
  EXPECT_EQ(nordic->id, 1u);
  EXPECT_EQ(nordic->channels, (std::vector<ChannelId>{2, 5, 9}));
  EXPECT_EQ(store().CreateChannelGroup("Nordic", given).status().code(),
            StatusCode::kAlreadyExists);
  Result<ChannelGroupRecord> empty = store().CreateChannelGroup("Empty", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->id, 2u);

  EXPECT_EQ(*store().GetChannelGroup(1), *nordic);
  EXPECT_EQ(*store().FindChannelGroup("Nordic"), *nordic);
  EXPECT_TRUE(store().GetChannelGroup(3).status().IsNotFound());
  EXPECT_TRUE(store().FindChannelGroup("nordic").status().IsNotFound());

  // Rename and new channels; the old name is free again, a taken one is not.
  ChannelGroupRecord changed{1, "Scandinavia", {7, 1}};
  Result<ChannelGroupRecord> updated = store().UpdateChannelGroup(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->channels, (std::vector<ChannelId>{1, 7}));
  EXPECT_TRUE(store().FindChannelGroup("Nordic").status().IsNotFound());
  EXPECT_EQ(store().FindChannelGroup("Scandinavia")->id, 1u);
  EXPECT_EQ(store().UpdateChannelGroup({1, "Empty", {}}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(store().UpdateChannelGroup({9, "X", {}}).status().IsNotFound());

  std::vector<ChannelGroupId> ids;
  ASSERT_TRUE(store().ForEachChannelGroup(0, [&](const ChannelGroupRecord& g) {
    ids.push_back(g.id);
    return true;
  }).ok());
  EXPECT_EQ(ids, (std::vector<ChannelGroupId>{1, 2}));
  ids.clear();
  ASSERT_TRUE(store().ForEachChannelGroup(1, [&](const ChannelGroupRecord& g) {
    ids.push_back(g.id);
    return true;
  }).ok());
  EXPECT_EQ(ids, (std::vector<ChannelGroupId>{2}));

  ASSERT_TRUE(store().DeleteChannelGroup(2).ok());
  EXPECT_TRUE(store().DeleteChannelGroup(2).IsNotFound());
  EXPECT_TRUE(store().GetChannelGroup(2).status().IsNotFound());
  Reopen();
  EXPECT_EQ(*store().GetChannelGroup(1), *updated);
  // The name of a deleted group is free; its id is not handed out again.
  Result<ChannelGroupRecord> again =
      store().CreateChannelGroup("Empty", std::vector<ChannelId>{3});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, 3u);
}

}  // namespace
}  // namespace spinlog::storage
