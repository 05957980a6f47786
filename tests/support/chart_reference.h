// A brute-force chart over a plain list of plays, as the spec defines it
// (src/charts/chart_query.h): for the unit and end-to-end tests that compare
// spinlog's charts with it. Slow on purpose: every period is counted from
// every play and ranked by a full sort, with none of the service's shortcuts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "charts/chart_query.h"
#include "storage/records.h"

namespace spinlog::testing {

struct ReferenceSong {
  storage::SongId id = 0;
  storage::PerformerId performer_id = 0;
  std::string performer;
  std::string title;
};

// Audience per channel for weighted charts; a channel missing weighs 0.
using ReferenceWeights = std::map<storage::ChannelId, std::int64_t>;

// Plays (times the channel's weight when `weights` is given) of each song
// starting in [from, to) on `channels`; songs at 0 left out.
inline std::map<storage::SongId, std::int64_t> ReferenceCount(
    const std::vector<storage::PlayRecord>& plays, const std::vector<storage::ChannelId>& channels,
    UnixMicros from, UnixMicros to, const ReferenceWeights* weights) {
  std::map<storage::SongId, std::int64_t> counts;
  for (const storage::PlayRecord& p : plays) {
    if (p.start < from || p.start >= to ||
        std::find(channels.begin(), channels.end(), p.channel_id) == channels.end()) {
      continue;
    }
    std::int64_t weight = 1;
    if (weights != nullptr) {
      auto it = weights->find(p.channel_id);
      weight = it == weights->end() ? 0 : it->second;
    }
    counts[p.song_id] += weight;
  }
  std::erase_if(counts, [](const auto& c) { return c.second == 0; });
  return counts;
}

// The songs of [from, to) in chart order: score descending, then performer
// name, title (bytes, unsigned) and song id.
inline std::vector<std::pair<storage::SongId, std::int64_t>> ReferenceRank(
    const std::vector<storage::PlayRecord>& plays, const std::vector<storage::ChannelId>& channels,
    UnixMicros from, UnixMicros to, const std::map<storage::SongId, ReferenceSong>& songs,
    const ReferenceWeights* weights) {
  const auto counts = ReferenceCount(plays, channels, from, to, weights);
  std::vector<std::pair<storage::SongId, std::int64_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    const ReferenceSong& sa = songs.at(a.first);
    const ReferenceSong& sb = songs.at(b.first);
    return std::make_tuple(-a.second, sa.performer, sa.title, a.first) <
           std::make_tuple(-b.second, sb.performer, sb.title, b.first);
  });
  return ranked;
}

// The rows [offset, offset + limit) of the chart of [from, to) on
// `channels`, with every history field, and in *total the songs on it. The
// history walks back period by period while a period can hold any play.
inline std::vector<charts::ChartRow> ReferenceChart(
    const std::vector<storage::PlayRecord>& plays, const std::vector<storage::ChannelId>& channels,
    UnixMicros from, UnixMicros to, std::size_t offset, std::size_t limit,
    const std::map<storage::SongId, ReferenceSong>& songs, std::size_t* total,
    const ReferenceWeights* weights = nullptr) {
  const UnixMicros length = to - from;
  UnixMicros earliest = to;
  for (const storage::PlayRecord& p : plays) earliest = std::min(earliest, p.start);
  std::vector<std::vector<std::pair<storage::SongId, std::int64_t>>> periods;  // k = 0, 1, ...
  periods.push_back(ReferenceRank(plays, channels, from, to, songs, weights));
  for (UnixMicros f = from - length; f + length > earliest; f -= length) {
    periods.push_back(ReferenceRank(plays, channels, f, f + length, songs, weights));
  }
  const auto raw_now = ReferenceCount(plays, channels, from, to, nullptr);
  const auto raw_before = ReferenceCount(plays, channels, from - length, from, nullptr);
  *total = periods[0].size();
  auto rank_in = [&](std::size_t k, storage::SongId song) -> std::optional<std::int64_t> {
    if (k >= periods.size()) return std::nullopt;
    for (std::size_t i = 0; i < periods[k].size(); ++i) {
      if (periods[k][i].first == song) return static_cast<std::int64_t>(i) + 1;
    }
    return std::nullopt;
  };
  std::vector<charts::ChartRow> rows;
  for (std::size_t i = offset; i < periods[0].size() && rows.size() < limit; ++i) {
    charts::ChartRow row;
    row.song = periods[0][i].first;
    const ReferenceSong& song = songs.at(row.song);
    row.title = song.title;
    row.performer = song.performer;
    row.performer_id = song.performer_id;
    row.rank = static_cast<std::int64_t>(i) + 1;
    row.score = periods[0][i].second;
    row.plays = raw_now.count(row.song) != 0 ? raw_now.at(row.song) : 0;
    row.previous_rank = rank_in(1, row.song);
    if (row.previous_rank) {
      row.previous_score = periods[1][*row.previous_rank - 1].second;
      row.previous_plays = raw_before.at(row.song);
    }
    bool earlier = false;
    row.peak_rank = row.rank;
    row.periods_on_chart = 0;
    for (std::size_t k = 0; k < periods.size(); ++k) {
      if (std::optional<std::int64_t> r = rank_in(k, row.song)) {
        ++row.periods_on_chart;
        row.peak_rank = std::min(row.peak_rank, *r);
        if (k >= 2) earlier = true;
      }
    }
    row.movement = row.previous_rank ? (row.rank < *row.previous_rank   ? charts::Movement::kUp
                                        : row.rank > *row.previous_rank ? charts::Movement::kDown
                                                                        : charts::Movement::kSame)
                                     : (earlier ? charts::Movement::kReEntry
                                                : charts::Movement::kNew);
    row.bullet = row.previous_score > 0 && row.score * 4 >= row.previous_score * 5;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace spinlog::testing
