// PlaysInFlight: what InsertPlays calls that check later find of the plays
// being written, and when a write stops being in flight.
#include "storage/rocksdb/plays_in_flight.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace spinlog::storage::rocks {
namespace {

PlayRecord Play(ChannelId channel, UnixMicros start, SongId song = 7) {
  return {channel, start, start + 10, song};
}

TEST(PlaysInFlight, FindsThePlaysOfEveryWriteInAscendingOrder) {
  PlaysInFlight in_flight;
  EXPECT_TRUE(in_flight.empty());
  const std::shared_ptr<PlayWrite> first =
      in_flight.Begin({Play(1, 100), Play(1, 300), Play(3, 100)});
  const std::shared_ptr<PlayWrite> second = in_flight.Begin({Play(1, 200, 9), Play(2, 50, 9)});
  EXPECT_FALSE(in_flight.empty());

  PlaysInFlight::Lookup lookup(in_flight);
  std::shared_ptr<PlayWrite> holder;
  EXPECT_EQ(lookup.Find(1, 50, &holder), nullptr);
  const PlayRecord* found = lookup.Find(1, 100, &holder);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, Play(1, 100));
  EXPECT_EQ(holder, first);
  found = lookup.Find(1, 200, &holder);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->song_id, 9u);
  EXPECT_EQ(holder, second);
  EXPECT_EQ(lookup.Find(1, 250, &holder), nullptr);
  EXPECT_NE(lookup.Find(1, 300, &holder), nullptr);
  EXPECT_EQ(lookup.Find(2, 100, &holder), nullptr);  // past channel 2's only play
  EXPECT_NE(lookup.Find(3, 100, &holder), nullptr);
  EXPECT_EQ(lookup.Find(4, 0, &holder), nullptr);
}

TEST(PlaysInFlight, AnEndedWriteIsForgottenAndKeepsItsOutcome) {
  PlaysInFlight in_flight;
  const std::shared_ptr<PlayWrite> ok = in_flight.Begin({Play(1, 100)});
  const std::shared_ptr<PlayWrite> failed = in_flight.Begin({Play(2, 100)});
  in_flight.End(ok, true);
  EXPECT_TRUE(ok->done);
  EXPECT_TRUE(ok->ok);
  EXPECT_FALSE(failed->done);
  PlaysInFlight::Lookup lookup(in_flight);
  std::shared_ptr<PlayWrite> holder;
  EXPECT_EQ(lookup.Find(1, 100, &holder), nullptr);
  EXPECT_NE(lookup.Find(2, 100, &holder), nullptr);
  in_flight.End(failed, false);
  EXPECT_TRUE(failed->done);
  EXPECT_FALSE(failed->ok);
  EXPECT_TRUE(in_flight.empty());
}

}  // namespace
}  // namespace spinlog::storage::rocks
