#include "charts/ranking.h"

#include <algorithm>
#include <cstddef>

namespace spinlog::charts {
namespace {

const SongLabel& EmptyLabel() {
  static const SongLabel kEmpty;
  return kEmpty;
}

}  // namespace

const SongLabel* LabelOf(const SongLabels::Map& labels, SongId song) {
  auto it = labels.find(song);
  return it == labels.end() ? &EmptyLabel() : &it->second;
}

bool RanksBefore(const RankedSong& a, const RankedSong& b) {
  if (a.plays != b.plays) return a.plays > b.plays;
  // std::string compares through char_traits<char>, which orders as unsigned
  // bytes: code-point order for UTF-8.
  if (int c = a.label->performer.compare(b.label->performer); c != 0) return c < 0;
  if (int c = a.label->title.compare(b.label->title); c != 0) return c < 0;
  return a.song < b.song;
}

std::vector<RankedSong> RankSongs(const SongTally& tally, const SongLabels::Map& labels) {
  std::vector<RankedSong> ranked;
  ranked.reserve(tally.songs().size());
  for (SongId song : tally.songs()) {
    const std::int64_t plays = tally.Get(song);
    if (plays <= 0) continue;
    auto it = labels.find(song);
    ranked.push_back({song, plays, it == labels.end() ? &EmptyLabel() : &it->second});
  }
  std::sort(ranked.begin(), ranked.end(), RanksBefore);
  return ranked;
}

}  // namespace spinlog::charts
