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

namespace spinlog::storage {
namespace {

TEST_P(StoreConformanceTest, UpdateChannelRenamesAndKeepsIdAndPlays) {
  const ChannelId radio = Channel("Radio");
  const ChannelId other = Channel("Other");
  const SongId song = Song("P", "S");
  const PlayRecord play{radio, 0, kMicrosPerSecond, song};
  ASSERT_TRUE(store().InsertPlays(std::vector<PlayRecord>{play}).ok());

  ChannelRecord changed{radio, "Radio One", "SE", 120000, ""};
  Result<ChannelRecord> updated = store().UpdateChannel(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(*updated, changed);
  EXPECT_EQ(*store().GetChannel(radio), changed);
  EXPECT_EQ(*store().FindChannel("Radio One"), changed);
  EXPECT_TRUE(store().FindChannel("Radio").status().IsNotFound());
  bool created = true;
  EXPECT_EQ(store().UpsertChannel("Radio One", &created)->id, radio);
  EXPECT_FALSE(created);

  EXPECT_EQ(store().UpdateChannel({radio, "Other", "", -1, ""}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(store().UpdateChannel({99, "X", "", -1, ""}).status().IsNotFound());
  // Dropping the extra fields again.
  ASSERT_TRUE(store().UpdateChannel({other, "Other", "", -1, ""}).ok());
  Reopen();
  EXPECT_EQ(*store().GetChannel(radio), changed);
  std::vector<PlayRecord> plays;
  ASSERT_TRUE(store()
                  .ScanChannelPlays(radio, 0, kMicrosPerSecond,
                                    [&](const PlayRecord& p) {
                                      plays.push_back(p);
                                      return true;
                                    })
                  .ok());
  EXPECT_EQ(plays, std::vector<PlayRecord>{play});
}

}  // namespace
}  // namespace spinlog::storage
