// Conformance suite, catalogue pages: SeekChannels/Performers/Songs in id
// order and the seeks by name through the name indexes, resuming after a
// key, filtered by a byte prefix, stopping when told. Lists of the
// catalogue page through these, so every Store backend must pass them.
#include <string>
#include <vector>

#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

// Collects what a seek visits, stopping after `max` records.
template <typename Record>
struct Collector {
  explicit Collector(std::size_t max_records = 1'000'000) : max(max_records) {}
  std::size_t max;
  std::vector<std::string> names;
  std::vector<std::uint32_t> ids;
  RecordVisitor<Record> Visitor() {
    return [this](const Record& record) {
      if constexpr (requires { record.title; }) {
        names.push_back(record.title);
      } else {
        names.push_back(record.name);
      }
      ids.push_back(record.id);
      return ids.size() < max;
    };
  }
};

using Names = std::vector<std::string>;
using Ids = std::vector<std::uint32_t>;

TEST_P(StoreConformanceTest, CatalogueSeeksInIdOrderResumeAfterAnIdAndStop) {
  for (const char* name : {"Nova", "Alfa", "Mix", "Beta"}) Channel(name);
  Collector<ChannelRecord> all;
  ASSERT_TRUE(store().SeekChannels(0, all.Visitor()).ok());
  EXPECT_EQ(all.ids, (Ids{1, 2, 3, 4}));
  EXPECT_EQ(all.names, (Names{"Nova", "Alfa", "Mix", "Beta"}));
  Collector<ChannelRecord> after_two(1);
  ASSERT_TRUE(store().SeekChannels(2, after_two.Visitor()).ok());
  EXPECT_EQ(after_two.ids, (Ids{3}));
  Collector<ChannelRecord> past_end;
  ASSERT_TRUE(store().SeekChannels(4, past_end.Visitor()).ok());
  EXPECT_TRUE(past_end.ids.empty());
  Collector<ChannelRecord> none;
  ASSERT_TRUE(store().SeekChannels(0xFFFFFFFFu, none.Visitor()).ok());
  EXPECT_TRUE(none.ids.empty());

  // Performers and songs, which share the catalogue with channels and groups.
  const SongId s1 = Song("Zed", "Yes");
  const SongId s2 = Song("Amy", "No");
  const SongId s3 = Song("Zed", "Maybe");
  ASSERT_TRUE(store().CreateChannelGroup("G", std::vector<ChannelId>{1}).ok());
  Collector<PerformerRecord> performers;
  ASSERT_TRUE(store().SeekPerformers(0, performers.Visitor()).ok());
  EXPECT_EQ(performers.names, (Names{"Zed", "Amy"}));
  Collector<SongRecord> songs;
  ASSERT_TRUE(store().SeekSongs(s1, songs.Visitor()).ok());
  EXPECT_EQ(songs.ids, (Ids{s2, s3}));
  EXPECT_EQ(songs.names, (Names{"No", "Maybe"}));
}

TEST_P(StoreConformanceTest, CatalogueSeeksByNameFollowBytewiseOrderAndPrefix) {
  // Bytewise: upper case before lower case, "Ab" before "Ab\0" before "Ab c".
  for (const std::string& name : {std::string("ab"), std::string("Ab c"), std::string("Ab"),
                                  std::string("Ab\0x", 4), std::string("B"),
                                  std::string("\xC3\x85sa")}) {
    EXPECT_TRUE(store().UpsertPerformer(name, nullptr).ok());
  }
  auto by_name = [&](NameSeek seek, std::size_t max = 1'000'000) {
    Collector<PerformerRecord> c(max);
    EXPECT_TRUE(store().SeekPerformersByName(seek, c.Visitor()).ok());
    return c.names;
  };
  const std::string nul("Ab\0x", 4);
  EXPECT_EQ(by_name({}), (Names{"Ab", nul, "Ab c", "B", "ab", "\xC3\x85sa"}));
  EXPECT_EQ(by_name({"Ab", {}}), (Names{"Ab", nul, "Ab c"}));
  EXPECT_EQ(by_name({"Ab", "Ab"}), (Names{nul, "Ab c"}));
  EXPECT_EQ(by_name({"", "Ab c"}, 2), (Names{"B", "ab"}));
  EXPECT_EQ(by_name({"", "Aa"}), by_name({}));  // `after` need not be stored
  EXPECT_EQ(by_name({"Ab", "B"}), Names{});
  EXPECT_EQ(by_name({"\xC3", {}}), (Names{"\xC3\x85sa"}));
  EXPECT_EQ(by_name({"\xFF", {}}), Names{});
  EXPECT_EQ(by_name({"C", {}}), Names{});

  Channel("Radio 2");
  Channel("Radio 1");
  Channel("P3");
  Collector<ChannelRecord> channels;
  ASSERT_TRUE(store().SeekChannelsByName({"Radio", {}}, channels.Visitor()).ok());
  EXPECT_EQ(channels.names, (Names{"Radio 1", "Radio 2"}));
  EXPECT_EQ(channels.ids, (Ids{2, 1}));
}

TEST_P(StoreConformanceTest, SongSeeksByTitleStayWithinTheirPerformer) {
  Song("A", "Intro");
  const SongId b_outro = Song("B", "Outro");
  const SongId b_intro = Song("B", "Intro");
  const SongId b_in = Song("B", "In");
  Song("C", "Intro");
  const PerformerId b = store().FindPerformer("B")->id;
  Collector<SongRecord> all;
  ASSERT_TRUE(store().SeekSongsByTitle(b, {}, all.Visitor()).ok());
  EXPECT_EQ(all.ids, (Ids{b_in, b_intro, b_outro}));
  Collector<SongRecord> in;
  ASSERT_TRUE(store().SeekSongsByTitle(b, {"In", "In"}, in.Visitor()).ok());
  EXPECT_EQ(in.names, (Names{"Intro"}));
  Collector<SongRecord> none;
  ASSERT_TRUE(store().SeekSongsByTitle(b + 100, {}, none.Visitor()).ok());
  EXPECT_TRUE(none.ids.empty());
  // The performer id 0xFFFFFFFF: its range must end at the end of the index.
  Collector<SongRecord> last;
  ASSERT_TRUE(store().SeekSongsByTitle(0xFFFFFFFFu, {}, last.Visitor()).ok());
  EXPECT_TRUE(last.ids.empty());
}

TEST_P(StoreConformanceTest, NameSeekShowsARenamedChannelUnderItsNewName) {
  const ChannelId id = Channel("Old");
  Channel("Other");
  ChannelRecord renamed = *store().GetChannel(id);
  renamed.name = "Zulu";
  ASSERT_TRUE(store().UpdateChannel(renamed).ok());
  Collector<ChannelRecord> channels;
  ASSERT_TRUE(store().SeekChannelsByName({}, channels.Visitor()).ok());
  EXPECT_EQ(channels.names, (Names{"Other", "Zulu"}));
  EXPECT_EQ(channels.ids, (Ids{2, id}));
}

}  // namespace
}  // namespace spinlog::storage
