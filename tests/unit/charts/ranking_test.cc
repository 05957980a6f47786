#include "charts/ranking.h"

#include <gtest/gtest.h>

namespace spinlog::charts {
namespace {

SongLabels::Map Labels() {
  return {
      {1, {"Performer1", "Song1"}},
      {2, {"Performer2", "Song2"}},
      {3, {"Pêrformer3", "Söng3"}},
      {4, {"Performer1", "Song0"}},
      {5, {"performer1", "Song1"}},  // case matters
  };
}

std::vector<SongId> Order(std::vector<std::pair<SongId, std::int64_t>> plays) {
  SongTally counts;
  for (auto [song, n] : plays) counts.Add(song, n);
  SongLabels::Map labels = Labels();
  std::vector<SongId> ids;
  for (const RankedSong& r : RankSongs(counts, labels)) ids.push_back(r.song);
  return ids;
}

TEST(Ranking, MorePlaysRankFirst) {
  EXPECT_EQ(Order({{1, 2}, {2, 5}, {3, 3}}), (std::vector<SongId>{2, 3, 1}));
}

TEST(Ranking, TiesBreakByPerformerThenTitleInCodePointOrder) {
  // Byte order of UTF-8 is code-point order: "Performer1" < "Performer2" <
  // "Pêrformer3" ('e' 0x65 < 'ê' 0xC3) < "performer1" ('P' 0x50 < 'p' 0x70).
  EXPECT_EQ(Order({{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}),
            (std::vector<SongId>{4, 1, 2, 3, 5}));
}

TEST(Ranking, SongsWithoutPlaysAreLeftOut) {
  EXPECT_EQ(Order({{1, 0}, {2, 1}, {3, -1}}), (std::vector<SongId>{2}));
}

}  // namespace
}  // namespace spinlog::charts
