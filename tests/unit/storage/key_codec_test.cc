// The RocksDB backend's encodings: byte order must be numeric order, and
// every value must decode to what was encoded.
#include "storage/rocksdb/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

#include "storage/rocksdb/record_codec.h"

namespace spinlog::storage::rocks {
namespace {

using namespace std::string_literals;
constexpr UnixMicros kMin = std::numeric_limits<UnixMicros>::min();
constexpr UnixMicros kMax = std::numeric_limits<UnixMicros>::max();

std::vector<UnixMicros> SampleTimes() {
  std::vector<UnixMicros> times = {kMin, kMin + 1, -(UnixMicros{1} << 32), -256,     -255, -1, 0, 1,
                                   255,  256,      UnixMicros{1} << 32,    kMax - 1, kMax};
  std::mt19937_64 random(42);
  for (int i = 0; i < 200; ++i) times.push_back(static_cast<UnixMicros>(random()));
  return times;
}

TEST(KeyCodec, TimeBytesSortLikeTimes) {
  const std::vector<UnixMicros> times = SampleTimes();
  for (UnixMicros a : times) {
    std::string ea;
    AppendTime(&ea, a);
    ASSERT_EQ(ea.size(), 8u);
    EXPECT_EQ(ReadTime(ea.data()), a);
    for (UnixMicros b : times) {
      std::string eb;
      AppendTime(&eb, b);
      EXPECT_EQ(ea < eb, a < b) << a << " vs " << b;
    }
  }
  std::string zero;
  AppendTime(&zero, 0);
  EXPECT_EQ(zero, "\x80\0\0\0\0\0\0\0"s);
}

TEST(KeyCodec, ChannelPlayKeysSortByChannelThenStart) {
  std::vector<std::pair<ChannelId, UnixMicros>> tuples;
  for (ChannelId c : {1u, 255u, 256u, 0x01000000u, 0xFFFFFFFFu}) {
    for (UnixMicros t : SampleTimes()) tuples.emplace_back(c, t);
  }
  std::vector<std::string> keys;
  for (const auto& [c, t] : tuples) keys.push_back(ChannelPlayKey(c, t));
  std::vector<std::size_t> by_key(keys.size());
  std::vector<std::size_t> by_tuple(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) by_key[i] = by_tuple[i] = i;
  std::stable_sort(by_key.begin(), by_key.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::stable_sort(by_tuple.begin(), by_tuple.end(),
                   [&](std::size_t a, std::size_t b) { return tuples[a] < tuples[b]; });
  EXPECT_EQ(by_key, by_tuple);

  ChannelId channel = 0;
  UnixMicros start = 0;
  ASSERT_TRUE(ParseChannelPlayKey(ChannelPlayKey(256, -5), &channel, &start));
  EXPECT_EQ(channel, 256u);
  EXPECT_EQ(start, -5);
  EXPECT_EQ(ChannelPlayKey(1, 0).size(), kChannelPlayKeySize);
  EXPECT_FALSE(ParseChannelPlayKey("short", &channel, &start));
}

TEST(KeyCodec, SongPlayKeysSortBySongThenStartThenChannel) {
  using Tuple = std::tuple<SongId, UnixMicros, ChannelId>;
  std::vector<Tuple> tuples;
  for (SongId s : {1u, 256u, 0xFFFFFFFFu}) {
    for (UnixMicros t : {kMin, UnixMicros{-1}, UnixMicros{0}, UnixMicros{1} << 40, kMax}) {
      for (ChannelId c : {0u, 1u, 256u, 0xFFFFFFFFu}) tuples.emplace_back(s, t, c);
    }
  }
  std::vector<Tuple> by_key = tuples;
  std::sort(by_key.begin(), by_key.end(), [](const Tuple& a, const Tuple& b) {
    return SongPlayKey(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           SongPlayKey(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  std::sort(tuples.begin(), tuples.end());
  EXPECT_EQ(by_key, tuples);

  SongId song = 0;
  UnixMicros start = 0;
  ChannelId channel = 0;
  const std::string key = SongPlayKey(7, kMin, 9);
  ASSERT_EQ(key.size(), kSongPlayKeySize);
  ASSERT_TRUE(ParseSongPlayKey(key, &song, &start, &channel));
  EXPECT_EQ(std::make_tuple(song, start, channel), std::make_tuple(7u, kMin, 9u));
}

TEST(KeyCodec, CatalogueKeysAreExact) {
  EXPECT_EQ(RecordKey(CatalogueTag::kSong, 0x01020304), "\x12\x01\x02\x03\x04");
  EXPECT_EQ(CounterKey(CatalogueTag::kPerformer), "\x02\x11");
  EXPECT_EQ(MetaKey("format_version"),
            "\x01"
            "format_version");
  EXPECT_EQ(ChannelNameKey("a\0b"s),
            "\x20"
            "a\0b"s);
  EXPECT_EQ(PerformerNameKey(""), "\x21");
  EXPECT_EQ(SongTitleKey(1, "T"), "\x22\0\0\0\x01T"s);
  std::uint32_t id = 0;
  EXPECT_TRUE(ParseRecordKey(RecordKey(CatalogueTag::kChannel, 300), CatalogueTag::kChannel, &id));
  EXPECT_EQ(id, 300u);
  EXPECT_FALSE(ParseRecordKey(RecordKey(CatalogueTag::kChannel, 3), CatalogueTag::kSong, &id));
}

TEST(RecordCodec, ValuesRoundTrip) {
  ChannelRecord channel;
  ChannelRecord named;
  named.name = "Ch\0é"s;
  EXPECT_EQ(EncodeChannelValue(named), "\x01" + named.name) << "version 1 while only named";
  ASSERT_TRUE(DecodeChannelValue(EncodeChannelValue(named), &channel));
  EXPECT_EQ(channel.name, "Ch\0é"s);
  EXPECT_EQ(channel.country, "");
  EXPECT_EQ(channel.audience, -1);
  ChannelRecord full = named;
  full.country = "SE";
  full.audience = 0;
  ASSERT_TRUE(DecodeChannelValue(EncodeChannelValue(full), &channel));
  EXPECT_EQ(channel, full);
  full.audience = std::numeric_limits<std::int64_t>::max() - 1;
  full.country = "";
  ASSERT_TRUE(DecodeChannelValue(EncodeChannelValue(full), &channel));
  EXPECT_EQ(channel, full);
  EXPECT_FALSE(DecodeChannelValue(EncodeChannelValue(full) + "x", &channel));
  SongRecord song;
  SongRecord plain;
  plain.performer_id = 0xABCDEF01;
  plain.title = "Söng";
  // A song with only performer and title keeps the version 1 value.
  EXPECT_EQ(EncodeSongValue(plain), "\x01\xAB\xCD\xEF\x01Söng"s);
  ASSERT_TRUE(DecodeSongValue(EncodeSongValue(plain), &song));
  EXPECT_EQ(song.performer_id, 0xABCDEF01u);
  EXPECT_EQ(song.title, "Söng");
  SongRecord detailed = plain;
  detailed.title = "T\0x"s;
  detailed.duration_seconds = 245;
  detailed.release = "2024-05-01";
  detailed.isrc = "SEABC2400001";
  const std::string detailed_value = EncodeSongValue(detailed);
  EXPECT_EQ(detailed_value[0], '\x02');
  ASSERT_TRUE(DecodeSongValue(detailed_value, &song));
  EXPECT_EQ(song, detailed);
  ASSERT_TRUE(DecodeSongValue(EncodeSongValue(plain), &song));  // details cleared
  EXPECT_EQ(song, plain);
  EXPECT_FALSE(DecodeSongValue("\x02\0\0\0\x01\x05\x09"s, &song));  // release cut short
  EXPECT_FALSE(DecodeSongValue("\x01\0\0"s, &song));
  EXPECT_FALSE(DecodeChannelValue("\x02name", &channel));

  PerformerRecord performer;
  performer.name = "Name";
  EXPECT_EQ(EncodePerformerValue(performer), "\x01Name");
  performer.country = "SE";
  performer.description = "Band\0"s;
  performer.date_of_birth = "1970-01-02";
  performer.website = "https://example.com/";
  performer.picture_url = "http://example.com/p.jpg";
  PerformerRecord decoded_performer;
  ASSERT_TRUE(DecodePerformerValue(EncodePerformerValue(performer), &decoded_performer));
  EXPECT_EQ(decoded_performer, performer);
  EXPECT_FALSE(DecodePerformerValue(EncodePerformerValue(performer) + "x", &decoded_performer));
  performer.website.clear();
  ASSERT_TRUE(DecodePerformerValue(EncodePerformerValue(performer), &decoded_performer));
  EXPECT_EQ(decoded_performer, performer);

  for (const PlayRecord& play : {PlayRecord{1, 0, 1, 1}, PlayRecord{1, kMin, kMax, 0xFFFFFFFF},
                                 PlayRecord{1, -10, 5, 300}}) {
    const std::string value = EncodePlayValue(play);
    PlayRecord decoded{play.channel_id, play.start, 0, 0};
    ASSERT_TRUE(DecodePlayValue(value, &decoded));
    EXPECT_EQ(decoded, play);
    PlayRecord from_index{play.channel_id, play.start, 0, play.song_id};
    ASSERT_TRUE(DecodeSongPlayValue(EncodeSongPlayValue(play), &from_index));
    EXPECT_EQ(from_index, play);
  }
  // A 3-minute play costs 5 bytes: one for a small song id, four for 180 s.
  EXPECT_EQ(EncodePlayValue({1, 0, 180'000'000, 5}).size(), 5u);
  PlayRecord play{1, 0, 0, 0};
  EXPECT_FALSE(DecodePlayValue("\x05", &play));          // truncated
  EXPECT_FALSE(DecodePlayValue("\x05\x00", &play));      // zero duration
  EXPECT_FALSE(DecodePlayValue("\x05\x01\x01", &play));  // trailing byte
}

// Attributes are an optional last field of version 2 channel values: values
// written before attributes existed (byte by byte as those builds wrote
// them) still decode, with no attributes; a channel without attributes
// keeps exactly its old value.
TEST(RecordCodec, ChannelAttributesAreAnOptionalLastField) {
  ChannelRecord channel;
  channel.attributes = "stale";
  ASSERT_TRUE(DecodeChannelValue("\x01" "Plain"s, &channel));  // version 1: a name only
  EXPECT_EQ(channel.name, "Plain");
  EXPECT_EQ(channel.attributes, "");
  channel.attributes = "stale";
  ASSERT_TRUE(DecodeChannelValue("\x02\x02P4\x02SE\x06"s, &channel));  // before attributes
  EXPECT_EQ(channel.name, "P4");
  EXPECT_EQ(channel.country, "SE");
  EXPECT_EQ(channel.audience, 5);
  EXPECT_EQ(channel.attributes, "");
  EXPECT_EQ(EncodeChannelValue(channel), "\x02\x02P4\x02SE\x06"s) << "unchanged without attributes";

  ChannelRecord with;
  with.name = "P4";
  with.attributes = R"({"a":1})";
  // Attributes alone make a version 2 value: no country, no audience.
  EXPECT_EQ(EncodeChannelValue(with), "\x02\x02P4\x00\x00\x07{\"a\":1}"s);
  ASSERT_TRUE(DecodeChannelValue(EncodeChannelValue(with), &channel));
  EXPECT_EQ(channel, with);
  with.country = "SE";
  with.audience = 1'000'000;
  with.attributes = "{\"k\":\"" + std::string(300, 'v') + "\\u0000\"}";  // a two-byte size
  ASSERT_TRUE(DecodeChannelValue(EncodeChannelValue(with), &channel));
  EXPECT_EQ(channel, with);
  // A value decoded after one with attributes has none of them.
  ASSERT_TRUE(DecodeChannelValue("\x01" "Plain"s, &channel));
  EXPECT_EQ(channel.attributes, "");

  const std::string good = EncodeChannelValue(with);
  EXPECT_FALSE(DecodeChannelValue(good.substr(0, good.size() - 1), &channel));  // cut short
  EXPECT_FALSE(DecodeChannelValue(good + "x", &channel));                       // trailing byte
  EXPECT_FALSE(DecodeChannelValue("\x02\x02P4\x02SE\x06\x85"s, &channel));   // size truncated
}

// The title index of format 3 orders (title, id) bytewise, titles with NUL
// bytes included, and round-trips.
TEST(KeyCodec, TitleIndexKeysOrderByTitleThenId) {
  const std::vector<std::pair<std::string, SongId>> in_order = {
      {"", 7},      {"a"s, 1},     {"a"s, 0x100}, {"a\0"s, 1}, {"a\0\x01"s, 1},
      {"ab"s, 2},   {"b"s, 0}, {"\xFF"s, 3}};
  for (std::size_t i = 0; i < in_order.size(); ++i) {
    const std::string key = SongTitleAllKey(in_order[i].first, in_order[i].second);
    std::string title;
    SongId song = 0;
    ASSERT_TRUE(ParseSongTitleAllKey(key, &title, &song));
    EXPECT_EQ(title, in_order[i].first);
    EXPECT_EQ(song, in_order[i].second);
    EXPECT_TRUE(key.starts_with(SongTitleAllPrefix(in_order[i].first.substr(0, 1))));
    if (i > 0) {
      EXPECT_LT(SongTitleAllKey(in_order[i - 1].first, in_order[i - 1].second), key) << i;
    }
  }
  // "a" as a prefix takes "a\0" but not "b"; "a\0" does not take "a".
  EXPECT_TRUE(SongTitleAllKey("a\0"s, 1).starts_with(SongTitleAllPrefix("a")));
  EXPECT_FALSE(SongTitleAllKey("a"s, 1).starts_with(SongTitleAllPrefix("a\0"s)));
  std::string title;
  SongId song = 0;
  EXPECT_FALSE(ParseSongTitleAllKey("\x24" "a\0\x02\0\0\0\x01"s, &title, &song));
  EXPECT_EQ(ChannelCountryKey("SE", "P4"), "\x25SEP4");
  EXPECT_EQ(PerformerCountryKey("GB", "X"), "\x26GBX");
}

}  // namespace
}  // namespace spinlog::storage::rocks
