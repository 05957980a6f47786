#include "charts/period_ranking.h"

#include <algorithm>

namespace spinlog::charts {

PeriodRanking::PeriodRanking(const SongTally& scores, const SongTally* plays) {
  by_song_.reserve(scores.songs().size());
  std::int64_t max_score = 0;
  scores.ForEachInIdOrder([&](SongId song, std::int64_t score) {
    if (score <= 0) return;
    by_song_.push_back({song, score, plays == nullptr ? score : plays->Get(song)});
    max_score = std::max(max_score, score);
  });
  // By score descending, equal scores in id order. Plays per period are
  // mostly small numbers: a counting sort then costs one pass, where a
  // comparison sort of a W2 week (200,000 songs) took over 10 ms.
  by_score_.resize(by_song_.size());
  const std::size_t n = by_song_.size();
  if (max_score <= static_cast<std::int64_t>(4 * n + 1024)) {
    // starts[score]: where the songs of that score begin, from the highest.
    std::vector<std::uint32_t> starts(static_cast<std::size_t>(max_score) + 2, 0);
    for (const Scored& s : by_song_) ++starts[static_cast<std::size_t>(max_score - s.score) + 1];
    for (std::size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    for (const Scored& s : by_song_) {
      by_score_[starts[static_cast<std::size_t>(max_score - s.score)]++] = {s.score, s.song};
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) by_score_[i] = {by_song_[i].score, by_song_[i].song};
    std::sort(by_score_.begin(), by_score_.end(), [](const ByScore& a, const ByScore& b) {
      return a.score != b.score ? a.score > b.score : a.song < b.song;
    });
  }
}

std::size_t PeriodRanking::bytes() const {
  return sizeof(*this) + by_song_.capacity() * sizeof(Scored) +
         by_score_.capacity() * sizeof(ByScore);
}

std::pair<std::size_t, std::size_t> PeriodRanking::Tied(std::int64_t score) const {
  const auto first = std::partition_point(by_score_.begin(), by_score_.end(),
                                          [score](const ByScore& b) { return b.score > score; });
  const auto last = std::partition_point(first, by_score_.end(),
                                         [score](const ByScore& b) { return b.score >= score; });
  return {static_cast<std::size_t>(first - by_score_.begin()),
          static_cast<std::size_t>(last - by_score_.begin())};
}

const PeriodRanking::Scored* PeriodRanking::Find(SongId song) const {
  auto it = std::lower_bound(by_song_.begin(), by_song_.end(), song,
                             [](const Scored& s, SongId id) { return s.song < id; });
  return it != by_song_.end() && it->song == song ? &*it : nullptr;
}

std::vector<PeriodRanking::Entry> PeriodRanking::Page(std::size_t offset, std::size_t count,
                                                      const SongLabels::Map& labels) const {
  std::vector<Entry> page;
  if (count == 0 || offset >= by_song_.size()) return page;
  const std::size_t end = std::min(offset + count, by_song_.size());
  // Songs scoring below the end's score cannot make the page; those at it
  // compete by name.
  const std::size_t candidate_count = Tied(by_score_[end - 1].score).second;
  std::vector<RankedSong> candidates;
  candidates.reserve(candidate_count);
  for (std::size_t i = 0; i < candidate_count; ++i) {
    const ByScore& b = by_score_[i];
    candidates.push_back({b.song, b.score, LabelOf(labels, b.song)});
  }
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(end),
                    candidates.end(), RanksBefore);
  page.reserve(end - offset);
  for (std::size_t i = offset; i < end; ++i) {
    const Scored* s = Find(candidates[i].song);
    page.push_back({s->song, s->score, s->plays, candidates[i].label});
  }
  return page;
}

std::vector<PeriodRanking::Standing> PeriodRanking::StandingsOf(
    std::span<const SongId> songs, const SongLabels::Map& labels) const {
  std::vector<Standing> standings(songs.size());
  for (std::size_t i = 0; i < songs.size(); ++i) {
    const Scored* s = Find(songs[i]);
    if (s == nullptr) continue;
    const auto [first, last] = Tied(s->score);
    standings[i] = {static_cast<std::int64_t>(first) + 1, s->score, s->plays};
    // Among equal scores, names decide.
    const RankedSong target{s->song, s->score, LabelOf(labels, s->song)};
    for (std::size_t t = first; t < last; ++t) {
      const SongId other = by_score_[t].song;
      if (other != s->song && RanksBefore({other, s->score, LabelOf(labels, other)}, target)) {
        ++standings[i].rank;
      }
    }
  }
  return standings;
}

}  // namespace spinlog::charts
