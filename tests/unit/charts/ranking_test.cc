#include "charts/ranking.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "charts/period_ranking.h"

namespace spinlog::charts {
namespace {

SongLabels::Map Labels() {
  return {
      {1, {"Performer1", "Song1"}}, {2, {"Performer2", "Song2"}}, {3, {"Pêrformer3", "Söng3"}},
      {4, {"Performer1", "Song0"}}, {5, {"performer1", "Song1"}},  // case matters
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
  EXPECT_EQ(Order({{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}), (std::vector<SongId>{4, 1, 2, 3, 5}));
}

TEST(Ranking, SongsWithoutPlaysAreLeftOut) {
  EXPECT_EQ(Order({{1, 0}, {2, 1}, {3, -1}}), (std::vector<SongId>{2}));
}

}  // namespace
}  // namespace spinlog::charts

namespace spinlog::charts {
namespace {

// PeriodRanking's pages and standings against the full ranking, on random
// tallies where plays tie often and names tie sometimes.
TEST(PeriodRanking, PagesAndStandingsAgreeWithTheFullRanking) {
  std::mt19937 random(11);
  for (int round = 0; round < 300; ++round) {
    SongLabels::Map labels;
    SongTally scores;
    SongTally plays;
    const int songs = static_cast<int>(random() % 60) + 1;
    // Some rounds with scores too large to sort by counting (weighted
    // charts), some with ids far apart (few songs of a large catalogue).
    const std::int64_t scale = round % 3 == 2 ? 1'000'000'007 : 1;
    const SongId spacing = round % 4 == 3 ? 5'003 : 1;
    std::vector<SongId> ids;
    for (int i = 1; i <= songs; ++i) ids.push_back(static_cast<SongId>(i) * spacing);
    for (SongId song : ids) {
      labels[song] = {std::string(1, static_cast<char>('a' + random() % 3)),
                      std::string(1, static_cast<char>('x' + random() % 2)), 1};
      const int score = static_cast<int>(random() % 5) - 1;  // -1..3: some without a score
      if (score != 0 || random() % 2 == 0) scores.Add(song, score * scale);
      plays.Add(song, 100 + song);
    }
    const bool weighted = round % 2 == 1;
    const PeriodRanking ranking(scores, weighted ? &plays : nullptr);
    const std::vector<RankedSong> full = RankSongs(scores, labels);
    ASSERT_EQ(ranking.size(), full.size());
    EXPECT_GT(ranking.bytes(), 0u);
    for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{4}, full.size()}) {
      for (std::size_t count :
           {std::size_t{0}, std::size_t{1}, std::size_t{5}, full.size(), full.size() + 3}) {
        const std::vector<PeriodRanking::Entry> page = ranking.Page(offset, count, labels);
        const std::size_t expected =
            offset >= full.size() ? 0 : std::min(count, full.size() - offset);
        ASSERT_EQ(page.size(), expected) << "offset " << offset << " count " << count;
        for (std::size_t i = 0; i < page.size(); ++i) {
          const RankedSong& want = full[offset + i];
          EXPECT_EQ(page[i].song, want.song) << "rank " << offset + i + 1 << " round " << round;
          EXPECT_EQ(page[i].score, want.plays);
          EXPECT_EQ(page[i].plays, weighted ? plays.Get(want.song) : want.plays);
          EXPECT_EQ(page[i].label, &labels.at(want.song));
        }
      }
    }
    std::vector<SongId> asked;
    for (SongId song : ids) {
      if (random() % 3 == 0) asked.push_back(song);
    }
    asked.push_back(static_cast<SongId>(songs + 1) * spacing);                // never counted
    if (!asked.empty() && random() % 2 == 0) asked.push_back(asked.front());  // asked twice
    const std::vector<PeriodRanking::Standing> standings = ranking.StandingsOf(asked, labels);
    ASSERT_EQ(standings.size(), asked.size());
    for (std::size_t i = 0; i < asked.size(); ++i) {
      PeriodRanking::Standing expected;
      for (std::size_t r = 0; r < full.size(); ++r) {
        if (full[r].song != asked[i]) continue;
        expected = {static_cast<std::int64_t>(r) + 1, full[r].plays,
                    weighted ? plays.Get(asked[i]) : full[r].plays};
      }
      EXPECT_EQ(standings[i].rank, expected.rank) << "song " << asked[i] << " round " << round;
      EXPECT_EQ(standings[i].score, expected.score);
      EXPECT_EQ(standings[i].plays, expected.plays);
    }
  }
}

}  // namespace
}  // namespace spinlog::charts
