#include "charts/ranking.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

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

namespace spinlog::charts {
namespace {

// TopSongs and RanksIn against the full ranking, on random tallies where
// plays tie often and names tie sometimes.
TEST(Ranking, TopSongsAndRanksInAgreeWithTheFullRanking) {
  std::mt19937 random(11);
  for (int round = 0; round < 300; ++round) {
    SongLabels::Map labels;
    SongTally tally;
    const int songs = static_cast<int>(random() % 60) + 1;
    for (SongId song = 1; song <= static_cast<SongId>(songs); ++song) {
      labels[song] = {std::string(1, static_cast<char>('a' + random() % 3)),
                      std::string(1, static_cast<char>('x' + random() % 2)), 1};
      const int plays = static_cast<int>(random() % 5) - 1;  // -1..3: some without plays
      if (plays != 0 || random() % 2 == 0) tally.Add(song, plays);
    }
    const std::vector<RankedSong> full = RankSongs(tally, labels);
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{5}, full.size(),
                              full.size() + 3}) {
      std::size_t total = 0;
      const std::vector<RankedSong> top = TopSongs(tally, labels, count, &total);
      EXPECT_EQ(total, full.size());
      ASSERT_EQ(top.size(), std::min(count, full.size()));
      for (std::size_t i = 0; i < top.size(); ++i) EXPECT_EQ(top[i].song, full[i].song) << i;
    }
    std::vector<SongId> asked;
    for (SongId song = 1; song <= static_cast<SongId>(songs) + 2; ++song) {
      if (random() % 3 == 0) asked.push_back(song);
    }
    const std::vector<std::int64_t> ranks = RanksIn(tally, labels, asked);
    ASSERT_EQ(ranks.size(), asked.size());
    for (std::size_t i = 0; i < asked.size(); ++i) {
      std::int64_t expected = 0;
      for (std::size_t r = 0; r < full.size(); ++r) {
        if (full[r].song == asked[i]) expected = static_cast<std::int64_t>(r) + 1;
      }
      EXPECT_EQ(ranks[i], expected) << "song " << asked[i] << " round " << round;
    }
  }
}

}  // namespace
}  // namespace spinlog::charts
