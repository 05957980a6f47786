#include "charts/ranking.h"

#include <algorithm>
#include <cstddef>

namespace spinlog::charts {
namespace {

const SongLabel& EmptyLabel() {
  static const SongLabel kEmpty;
  return kEmpty;
}

const SongLabel* LabelOf(const SongLabels::Map& labels, SongId song) {
  auto it = labels.find(song);
  return it == labels.end() ? &EmptyLabel() : &it->second;
}

}  // namespace

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

std::vector<RankedSong> TopSongs(const SongTally& tally, const SongLabels::Map& labels,
                                 std::size_t count, std::size_t* total) {
  struct Plays {
    SongId song;
    std::int64_t plays;
  };
  std::vector<Plays> all;
  all.reserve(tally.songs().size());
  for (SongId song : tally.songs()) {
    const std::int64_t plays = tally.Get(song);
    if (plays > 0) all.push_back({song, plays});
  }
  *total = all.size();
  std::vector<RankedSong> top;
  if (count == 0 || all.empty()) return top;
  if (count < all.size()) {
    // The count-th most plays is the cut: songs above it are in, songs at it
    // compete by name, songs below are out.
    const auto nth = all.begin() + static_cast<std::ptrdiff_t>(count - 1);
    std::nth_element(all.begin(), nth, all.end(),
                     [](const Plays& a, const Plays& b) { return a.plays > b.plays; });
    const std::int64_t cut = nth->plays;
    std::erase_if(all, [cut](const Plays& p) { return p.plays < cut; });
  }
  top.reserve(all.size());
  for (const Plays& p : all) top.push_back({p.song, p.plays, LabelOf(labels, p.song)});
  const std::size_t kept = std::min(count, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(kept), top.end(),
                    RanksBefore);
  top.resize(kept);
  return top;
}

std::vector<std::int64_t> RanksIn(const SongTally& tally, const SongLabels::Map& labels,
                                  std::span<const SongId> songs) {
  // The songs that have plays, by plays descending: a song of the tally with
  // more plays than target i ranks before every target from i on (fewer
  // plays), which a difference array adds up in one step.
  std::vector<RankedSong> targets;
  for (std::size_t i = 0; i < songs.size(); ++i) {
    const std::int64_t plays = tally.Get(songs[i]);
    if (plays > 0) targets.push_back({songs[i], plays, LabelOf(labels, songs[i])});
  }
  std::vector<std::size_t> order(targets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return targets[a].plays > targets[b].plays; });
  std::vector<std::int64_t> before(targets.size() + 1, 0);  // difference array over `order`
  for (SongId song : tally.songs()) {
    const std::int64_t plays = tally.Get(song);
    if (plays <= 0) continue;
    // First target (in `order`) with fewer plays than this song.
    const auto fewer = std::partition_point(order.begin(), order.end(), [&](std::size_t i) {
      return targets[i].plays >= plays;
    });
    ++before[static_cast<std::size_t>(fewer - order.begin())];
    // Targets with as many plays: decided by name (and id).
    const auto same = std::partition_point(order.begin(), fewer, [&](std::size_t i) {
      return targets[i].plays > plays;
    });
    if (same == fewer) continue;
    const RankedSong candidate{song, plays, LabelOf(labels, song)};
    for (auto it = same; it != fewer; ++it) {
      if (candidate.song != targets[*it].song && RanksBefore(candidate, targets[*it])) {
        ++before[static_cast<std::size_t>(it - order.begin())];
        --before[static_cast<std::size_t>(it - order.begin()) + 1];
      }
    }
  }
  std::vector<std::int64_t> ranks(songs.size(), 0);
  std::int64_t running = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    running += before[i];
    const SongId song = targets[order[i]].song;
    for (std::size_t j = 0; j < songs.size(); ++j) {
      if (songs[j] == song && ranks[j] == 0) ranks[j] = running + 1;
    }
  }
  return ranks;
}

}  // namespace spinlog::charts
