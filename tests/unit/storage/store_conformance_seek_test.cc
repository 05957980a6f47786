// Conformance suite, ordered seeks: SeekChannelPlays and SeekSongPlays in
// both directions, resuming after a position, stopping when told. Lists of
// plays page through these, so every Store backend must pass them.
#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

constexpr UnixMicros kMinTime = std::numeric_limits<UnixMicros>::min();
constexpr UnixMicros kMaxTime = std::numeric_limits<UnixMicros>::max();
constexpr auto kForward = ScanDirection::kForward;
constexpr auto kBackward = ScanDirection::kBackward;

// Hours since kT0 of each play's start.
std::vector<UnixMicros> Hours(const std::vector<PlayRecord>& plays) {
  std::vector<UnixMicros> hours;
  for (const PlayRecord& p : plays) hours.push_back((p.start - kT0) / kHour);
  return hours;
}

TEST_P(StoreConformanceTest, ChannelSeekGoesEitherWayInsideItsRange) {
  const ChannelId channel = Channel("C");
  const ChannelId other = Channel("Other");
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (int i = 4; i >= 0; --i) {
    plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + kMinute, song});
    plays.push_back({other, kT0 + i * kHour, kT0 + i * kHour + kMinute, song});
  }
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  using H = std::vector<UnixMicros>;
  EXPECT_EQ(Hours(SeekChannel(channel, {kT0 + kHour, kT0 + 4 * kHour, kForward, {}})),
            (H{1, 2, 3}));
  EXPECT_EQ(Hours(SeekChannel(channel, {kT0 + kHour, kT0 + 4 * kHour, kBackward, {}})),
            (H{3, 2, 1}));
  EXPECT_EQ(Hours(SeekChannel(channel, {kT0 + 1, kT0 + 4 * kHour + 1, kBackward, {}})),
            (H{4, 3, 2, 1}));
  EXPECT_EQ(Hours(SeekChannel(channel, {kMinTime, kMaxTime, kBackward, {}})), (H{4, 3, 2, 1, 0}));
  EXPECT_EQ(SeekChannel(channel, {kT0 + kHour, kT0 + kHour, kBackward, {}}),
            std::vector<PlayRecord>{});
  EXPECT_EQ(SeekChannel(channel, {kT0 + 3 * kHour, kT0, kBackward, {}}), std::vector<PlayRecord>{});
  for (const PlayRecord& p : SeekChannel(channel, {kMinTime, kMaxTime, kBackward, {}})) {
    EXPECT_EQ(p.channel_id, channel);
    EXPECT_EQ(p.end, p.start + kMinute);
    EXPECT_EQ(p.song_id, song);
  }
}

TEST_P(StoreConformanceTest, ChannelSeekResumesAfterAPositionOfAnyChannel) {
  const ChannelId low = Channel("Low");
  const ChannelId channel = Channel("C");
  const ChannelId high = Channel("High");
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (int i = 0; i < 5; ++i)
    plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + 1, song});
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  using H = std::vector<UnixMicros>;
  const UnixMicros two = kT0 + 2 * kHour;
  auto seek = [&](ScanDirection direction, PlayPosition after) {
    return Hours(SeekChannel(channel, {kMinTime, kMaxTime, direction, after}));
  };
  // (start, channel id) order: at the same start, a lower channel id comes
  // first, so the play at 2h is after (2h, low) and before (2h, high).
  EXPECT_EQ(seek(kForward, {two, channel}), (H{3, 4}));
  EXPECT_EQ(seek(kForward, {two, low}), (H{2, 3, 4}));
  EXPECT_EQ(seek(kForward, {two, high}), (H{3, 4}));
  EXPECT_EQ(seek(kBackward, {two, channel}), (H{1, 0}));
  EXPECT_EQ(seek(kBackward, {two, low}), (H{1, 0}));
  EXPECT_EQ(seek(kBackward, {two, high}), (H{2, 1, 0}));
  // Positions between plays, and outside the range.
  EXPECT_EQ(seek(kForward, {two + 1, channel}), (H{3, 4}));
  EXPECT_EQ(seek(kBackward, {two + 1, channel}), (H{2, 1, 0}));
  EXPECT_EQ(seek(kForward, {kT0 + 9 * kHour, channel}), H{});
  EXPECT_EQ(seek(kBackward, {kT0 - kHour, channel}), H{});
  EXPECT_EQ(seek(kBackward, {kMaxTime, std::numeric_limits<ChannelId>::max()}), (H{4, 3, 2, 1, 0}));
  EXPECT_EQ(seek(kForward, {kMinTime, 0}), (H{0, 1, 2, 3, 4}));
  // `after` narrows the range, never widens it.
  EXPECT_EQ(
      Hours(SeekChannel(channel, {kT0 + kHour, two + 1, kForward, PlayPosition{kT0, channel}})),
      (H{1, 2}));
  EXPECT_EQ(Hours(SeekChannel(channel, {kT0 + kHour, two + 1, kBackward,
                                        PlayPosition{kT0 + 4 * kHour, channel}})),
            (H{2, 1}));
}

TEST_P(StoreConformanceTest, SongSeekResumesAfterStartThenChannel) {
  const ChannelId c1 = Channel("C1");
  const ChannelId c2 = Channel("C2");
  const ChannelId c3 = Channel("C3");
  const SongId song = Song("P", "S");
  const SongId other = Song("P", "Other");
  const std::vector<PlayRecord> plays = {
      {c3, kT0, kT0 + kMinute, song},           {c1, kT0, kT0 + kMinute, song},
      {c2, kT0, kT0 + kMinute, song},           {c1, kT0 + kHour, kT0 + kHour + kMinute, song},
      {c2, kT0 - kHour, kT0 - kHour + 1, song}, {c2, kT0 + kHour, kT0 + kHour + 1, other},
  };
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  const std::vector<PlayRecord> ascending = {plays[4], plays[1], plays[2], plays[0], plays[3]};
  std::vector<PlayRecord> descending(ascending.rbegin(), ascending.rend());
  EXPECT_EQ(SeekSong(song, {kMinTime, kMaxTime, kForward, {}}), ascending);
  EXPECT_EQ(SeekSong(song, {kMinTime, kMaxTime, kBackward, {}}), descending);
  EXPECT_EQ(SeekSong(song, {kMinTime, kMaxTime, kForward, PlayPosition{kT0, c2}}),
            (std::vector<PlayRecord>{plays[0], plays[3]}));
  EXPECT_EQ(SeekSong(song, {kMinTime, kMaxTime, kBackward, PlayPosition{kT0, c2}}),
            (std::vector<PlayRecord>{plays[1], plays[4]}));
  EXPECT_EQ(SeekSong(song, {kT0, kT0 + 1, kBackward, PlayPosition{kT0, c3}}),
            (std::vector<PlayRecord>{plays[2], plays[1]}));
  EXPECT_EQ(SeekSong(song, {kT0, kT0 + 1, kForward, PlayPosition{kT0, c3}}),
            std::vector<PlayRecord>{});
  EXPECT_EQ(SeekSong(other, {kMinTime, kMaxTime, kBackward, {}}),
            std::vector<PlayRecord>{plays[5]});
}

TEST_P(StoreConformanceTest, SeeksStopWhenTheVisitorSaysSo) {
  const ChannelId channel = Channel("C");
  const SongId song = Song("P", "S");
  std::vector<PlayRecord> plays;
  for (int i = 0; i < 50; ++i)
    plays.push_back({channel, kT0 + i * kHour, kT0 + i * kHour + 1, song});
  ASSERT_EQ(Insert(plays).size(), plays.size());
  for (ScanDirection direction : {kForward, kBackward}) {
    std::vector<PlayRecord> seen;
    auto take_three = [&seen](const PlayRecord& p) {
      seen.push_back(p);
      return seen.size() < 3;
    };
    const PlaySeek seek{kMinTime, kMaxTime, direction, PlayPosition{kT0 + 10 * kHour, channel}};
    ASSERT_TRUE(store().SeekChannelPlays(channel, seek, take_three).ok());
    EXPECT_EQ(Hours(seen), direction == kForward ? (std::vector<UnixMicros>{11, 12, 13})
                                                 : (std::vector<UnixMicros>{9, 8, 7}));
    seen.clear();
    ASSERT_TRUE(store().SeekSongPlays(song, seek, take_three).ok());
    EXPECT_EQ(seen.size(), 3u);
  }
}

TEST_P(StoreConformanceTest, BackwardSeeksStayInsideTheirChannelAndSong) {
  // Ids 255, 256 and 257 differ in more than the last byte; starts at the
  // ends of time make the keys border on the neighbours' keys.
  for (int i = 1; i <= 257; ++i) Channel(Numbered("C", i));
  std::vector<SongId> songs;
  for (int i = 1; i <= 257; ++i) songs.push_back(Song("P", Numbered("S", i)));
  std::vector<PlayRecord> plays;
  for (ChannelId c : {255u, 256u, 257u}) {
    plays.push_back({c, kMinTime, kMinTime + 1, c});
    plays.push_back({c, kMaxTime - 1, kMaxTime, c});
  }
  ASSERT_EQ(Insert(plays), std::vector<Outcome>(plays.size(), Outcome::kCreated));
  EXPECT_EQ(SeekChannel(256, {kMinTime, kMaxTime, kBackward, {}}),
            (std::vector<PlayRecord>{plays[3], plays[2]}));
  EXPECT_EQ(SeekSong(256, {kMinTime, kMaxTime, kBackward, {}}),
            (std::vector<PlayRecord>{plays[3], plays[2]}));
  const PlayPosition last{kMaxTime, std::numeric_limits<ChannelId>::max()};
  EXPECT_EQ(SeekSong(256, {kMinTime, kMaxTime, kBackward, last}),
            (std::vector<PlayRecord>{plays[3], plays[2]}));
  EXPECT_EQ(SeekChannel(256, {kMinTime, kMaxTime, kForward, PlayPosition{kMinTime, 256}}),
            std::vector<PlayRecord>{plays[3]});
}

TEST_P(StoreConformanceTest, SeeksMatchASortedModelOfThePlays) {
  std::mt19937 random(7);
  const std::vector<ChannelId> channels = {Channel("A"), Channel("B"), Channel("C")};
  const std::vector<SongId> songs = {Song("P", "X"), Song("P", "Y")};
  std::vector<PlayRecord> plays;
  // Starts on a coarse grid so that plays of different channels share starts.
  for (ChannelId channel : channels) {
    for (int slot = 0; slot < 60; ++slot) {
      if (random() % 3 == 0) continue;
      const UnixMicros start = kT0 + slot * kMinute;
      plays.push_back({channel, start, start + kMinute, songs[random() % songs.size()]});
    }
  }
  // Half before a reopen, half after: a backend with layers (RocksDB's
  // files and memtable) must merge them in either direction.
  std::shuffle(plays.begin(), plays.end(), random);
  const std::size_t half = plays.size() / 2;
  ASSERT_EQ(Insert({plays.begin(), plays.begin() + half}),
            std::vector<Outcome>(half, Outcome::kCreated));
  Reopen();
  ASSERT_EQ(Insert({plays.begin() + half, plays.end()}),
            std::vector<Outcome>(plays.size() - half, Outcome::kCreated));
  auto model = [&](bool by_song, std::uint32_t id, const PlaySeek& seek) {
    std::vector<PlayRecord> expected;
    for (const PlayRecord& p : plays) {
      if ((by_song ? p.song_id : p.channel_id) != id) continue;
      if (p.start < seek.from || p.start >= seek.to) continue;
      if (seek.after && (seek.direction == kForward ? PositionOf(p) <= *seek.after
                                                    : PositionOf(p) >= *seek.after)) {
        continue;
      }
      expected.push_back(p);
    }
    std::sort(expected.begin(), expected.end(), [&](const PlayRecord& a, const PlayRecord& b) {
      return seek.direction == kForward ? PositionOf(a) < PositionOf(b)
                                        : PositionOf(a) > PositionOf(b);
    });
    return expected;
  };
  auto some_time = [&] { return kT0 + (static_cast<UnixMicros>(random() % 62) - 1) * kMinute; };
  std::size_t visited = 0;
  for (int i = 0; i < 400; ++i) {
    PlaySeek seek{some_time(), some_time(), random() % 2 ? kForward : kBackward, {}};
    if (random() % 4 != 0) {
      seek.after = PlayPosition{some_time() + (random() % 5 == 0 ? 1 : 0),
                                static_cast<ChannelId>(random() % (channels.size() + 2))};
    }
    const ChannelId channel = channels[random() % channels.size()];
    const std::vector<PlayRecord> by_channel = SeekChannel(channel, seek);
    EXPECT_EQ(by_channel, model(false, channel, seek)) << "seek " << i;
    const SongId song = songs[random() % songs.size()];
    const std::vector<PlayRecord> by_song = SeekSong(song, seek);
    EXPECT_EQ(by_song, model(true, song, seek)) << "seek " << i;
    visited += by_channel.size() + by_song.size();
  }
  EXPECT_GT(visited, 2000u) << "the random seeks should mostly find plays";
}

}  // namespace
}  // namespace spinlog::storage
