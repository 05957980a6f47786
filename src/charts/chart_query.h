// A chart with its history, as GET /api/v1/charts answers it: each entry's
// standing in the previous period, its movement, its peak rank and the
// number of periods it has been on this chart.
//
// A chart definition is a set of channels and a period length. The periods
// of a definition are the chain [from - k*len, to - k*len) for k = 0, 1, 2...
// back to the first day with plays on those channels. A song is on the
// chart of a period when it has at least one play in it; its rank there is
// its place in the chart order (charts/ranking.h), from 1.
//
// Movement compares with the period just before (k = 1):
//   up / down / same  the song was ranked there, higher / lower / equal;
//   re-entry          not ranked there, but in an earlier period (k >= 2);
//   new               never ranked in an earlier period.
// Bullet: the song's score grew by at least a quarter over the previous
// period, in which it had a score (score * 4 >= previous_score * 5).
//
// A chart ranks by score: plays, or for an audience-weighted chart the sum
// over its channels of plays times the channel's audience (listeners), where
// channels without an audience figure weigh 0. A song is on a weighted chart
// when its score is above 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/time.h"
#include "storage/records.h"

namespace spinlog::charts {

enum class Movement { kUp, kDown, kSame, kNew, kReEntry };

// "up", "down", "same", "new", "re-entry".
const char* MovementName(Movement movement);

struct ChartQuery {
  std::span<const storage::ChannelId> channels;  // distinct
  UnixMicros from = 0;
  UnixMicros to = 0;  // REQUIRES: from < to
  std::size_t offset = 0;  // entries to skip (ranks offset+1 onwards)
  std::size_t limit = 40;
  bool weighted = false;  // rank by plays times channel audience
};

struct ChartRow {
  storage::SongId song = 0;
  std::string title;
  storage::PerformerId performer_id = 0;
  std::string performer;
  std::int64_t rank = 0;  // from 1
  std::int64_t plays = 0;
  std::int64_t score = 0;  // plays, or plays times audience when weighted
  std::optional<std::int64_t> previous_rank;  // from 1; null when not ranked then
  std::int64_t previous_plays = 0;
  std::int64_t previous_score = 0;
  Movement movement = Movement::kNew;
  std::int64_t peak_rank = 0;         // best rank over this and earlier periods
  std::int64_t periods_on_chart = 0;  // this one included
  bool bullet = false;
};

struct ChartPage {
  std::vector<ChartRow> rows;
  std::size_t total = 0;  // songs on this period's chart
  // Weighted charts: the channels without an audience figure (weight 0).
  std::vector<storage::ChannelId> unweighted_channels;
};

// Whether a song with this score gets a bullet (see above).
inline bool HasBullet(std::int64_t score, std::int64_t previous_score) {
  return previous_score > 0 && score * 4 >= previous_score * 5;
}

}  // namespace spinlog::charts
