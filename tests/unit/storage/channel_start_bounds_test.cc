// ChannelStartBounds: what InsertPlays knows of each channel's latest start.
#include "storage/rocksdb/channel_start_bounds.h"

#include <gtest/gtest.h>

#include <limits>

namespace spinlog::storage::rocks {
namespace {

TEST(ChannelStartBounds, KnowsOnlyWhatItWasTold) {
  ChannelStartBounds bounds;
  EXPECT_EQ(bounds.Find(1), std::nullopt);
  bounds.Learn(3, 100);
  EXPECT_EQ(bounds.Find(3), 100);
  EXPECT_EQ(bounds.Find(1), std::nullopt);
  EXPECT_EQ(bounds.Find(4), std::nullopt);
  EXPECT_EQ(bounds.Find(std::numeric_limits<ChannelId>::max()), std::nullopt);
}

TEST(ChannelStartBounds, RaisesKnownBoundsOnly) {
  ChannelStartBounds bounds;
  bounds.Learn(2, std::numeric_limits<UnixMicros>::min());  // no plays yet
  bounds.Raise(2, -5);
  EXPECT_EQ(bounds.Find(2), -5);
  bounds.Raise(2, -10);  // an earlier play: the bound stays
  EXPECT_EQ(bounds.Find(2), -5);
  // Unknown stays unknown: the store may hold later plays than this one.
  bounds.Raise(1, 50);
  bounds.Raise(9, 50);
  EXPECT_EQ(bounds.Find(1), std::nullopt);
  EXPECT_EQ(bounds.Find(9), std::nullopt);
}

TEST(ChannelStartBounds, ForgetsEverything) {
  ChannelStartBounds bounds;
  bounds.Learn(1, 10);
  bounds.Learn(2, 20);
  bounds.Forget();
  EXPECT_EQ(bounds.Find(1), std::nullopt);
  EXPECT_EQ(bounds.Find(2), std::nullopt);
  bounds.Learn(2, 30);
  EXPECT_EQ(bounds.Find(2), 30);
}

}  // namespace
}  // namespace spinlog::storage::rocks
