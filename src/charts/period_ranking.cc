#include "charts/period_ranking.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace spinlog::charts {

PeriodRanking::PeriodRanking(const SongTally& scores, const SongTally* plays) {
  by_song_.reserve(scores.songs().size());
  for (SongId song : scores.songs()) {
    const std::int64_t score = scores.Get(song);
    if (score > 0) by_song_.push_back({song, score, plays == nullptr ? score : plays->Get(song)});
  }
  std::sort(by_song_.begin(), by_song_.end(),
            [](const Scored& a, const Scored& b) { return a.song < b.song; });
  scores_.reserve(by_song_.size());
  for (const Scored& s : by_song_) scores_.push_back(s.score);
  std::sort(scores_.begin(), scores_.end(), std::greater<>());
}

std::size_t PeriodRanking::bytes() const {
  return sizeof(*this) + by_song_.capacity() * sizeof(Scored) +
         scores_.capacity() * sizeof(std::int64_t);
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
  const std::int64_t cut = scores_[end - 1];
  std::vector<RankedSong> candidates;
  for (const Scored& s : by_song_) {
    if (s.score >= cut) candidates.push_back({s.song, s.score, LabelOf(labels, s.song)});
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
  // Songs that share their score with others, by that score: their place
  // among those is decided by name, in one pass below.
  std::unordered_map<std::int64_t, std::vector<std::size_t>> tied;
  for (std::size_t i = 0; i < songs.size(); ++i) {
    const Scored* s = Find(songs[i]);
    if (s == nullptr) continue;
    const auto first = std::lower_bound(scores_.begin(), scores_.end(), s->score, std::greater<>());
    const auto last = std::upper_bound(first, scores_.end(), s->score, std::greater<>());
    standings[i] = {first - scores_.begin() + 1, s->score, s->plays};
    if (last - first > 1) tied[s->score].push_back(i);
  }
  if (tied.empty()) return standings;
  for (const Scored& s : by_song_) {
    auto group = tied.find(s.score);
    if (group == tied.end()) continue;
    const RankedSong candidate{s.song, s.score, LabelOf(labels, s.song)};
    for (std::size_t i : group->second) {
      const RankedSong target{songs[i], s.score, LabelOf(labels, songs[i])};
      if (candidate.song != target.song && RanksBefore(candidate, target)) ++standings[i].rank;
    }
  }
  return standings;
}

}  // namespace spinlog::charts
