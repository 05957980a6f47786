// ChartService::Chart: a chart page with each entry's history (chart_query.h).
//
// The history walks the definition's periods back one by one and asks each
// period's ranking (RankingOf: counted once, then cached while its days do
// not change) for the page's songs. The walk stops at the channels' first
// day with plays: a weekly chart over two years of W1 reads about a hundred
// rankings, counting only those not cached.
#include <limits>
#include <unordered_map>

#include "charts/chart_service.h"

namespace spinlog::charts {
namespace {

// More periods than this are not walked: the peak and count then cover the
// most recent ones (a daily chart over 27 years).
constexpr std::int64_t kMaxHistoryPeriods = 10'000;

struct History {
  std::optional<std::int64_t> previous_rank;  // k = 1, from 1
  std::int64_t previous_plays = 0;
  std::int64_t previous_score = 0;
  bool ranked_earlier = false;  // in some period k >= 2
  std::int64_t peak_rank = 0;
  std::int64_t periods = 0;
};

}  // namespace

const char* MovementName(Movement movement) {
  switch (movement) {
    case Movement::kUp:
      return "up";
    case Movement::kDown:
      return "down";
    case Movement::kSame:
      return "same";
    case Movement::kNew:
      return "new";
    case Movement::kReEntry:
      return "re-entry";
  }
  return "new";
}

Result<ChartPage> ChartService::Chart(const ChartQuery& query) const {
  const UnixMicros length = query.to - query.from;
  ChartPage page;
  std::vector<std::int64_t> weights;
  if (query.weighted) weights = AudiencesOf(query.channels, &page.unweighted_channels);
  const std::vector<std::int64_t>* weighting = query.weighted ? &weights : nullptr;

  std::unordered_map<SongId, History> history;
  SPINLOG_ASSIGN_OR_RETURN(auto current, RankingOf(query.channels, query.from, query.to, weighting));
  page.total = current->size();
  labels_.Read([&](const SongLabels::Map& labels) {
    const std::vector<PeriodRanking::Entry> entries =
        current->Page(query.offset, query.limit, labels);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const PeriodRanking::Entry& e = entries[i];
      ChartRow row;
      row.song = e.song;
      row.title = e.label->title;
      row.performer = e.label->performer;
      row.performer_id = e.label->performer_id;
      row.rank = static_cast<std::int64_t>(query.offset + i) + 1;
      row.score = e.score;
      row.plays = e.plays;
      page.rows.push_back(std::move(row));
      History& h = history[e.song];
      h.peak_rank = static_cast<std::int64_t>(query.offset + i) + 1;
      h.periods = 1;
    }
  });
  if (page.rows.empty()) return page;

  std::vector<SongId> songs;
  songs.reserve(page.rows.size());
  for (const ChartRow& row : page.rows) songs.push_back(row.song);
  const std::optional<std::int64_t> first_day = rollup_.FirstDay(query.channels);
  // Every stored play starts on or after the first day in the rollup.
  const UnixMicros first_start =
      first_day ? *first_day * kMicrosPerDay : std::numeric_limits<UnixMicros>::max();
  UnixMicros from = query.from;
  for (std::int64_t k = 1; k <= kMaxHistoryPeriods; ++k) {
    if (from < std::numeric_limits<UnixMicros>::min() + length) break;  // no earlier time
    from -= length;
    const UnixMicros to = from + length;
    if (to <= first_start) break;  // nothing stored this early
    SPINLOG_ASSIGN_OR_RETURN(auto ranking, RankingOf(query.channels, from, to, weighting));
    const std::vector<PeriodRanking::Standing> standings = labels_.Read(
        [&](const SongLabels::Map& labels) { return ranking->StandingsOf(songs, labels); });
    for (std::size_t i = 0; i < songs.size(); ++i) {
      const PeriodRanking::Standing& s = standings[i];
      if (s.rank == 0) continue;
      History& h = history[songs[i]];
      if (k == 1) {
        h.previous_rank = s.rank;
        h.previous_score = s.score;
        h.previous_plays = s.plays;
      } else {
        h.ranked_earlier = true;
      }
      h.peak_rank = std::min(h.peak_rank, s.rank);
      ++h.periods;
    }
  }

  for (ChartRow& row : page.rows) {
    const History& h = history[row.song];
    row.previous_rank = h.previous_rank;
    row.previous_plays = h.previous_plays;
    row.previous_score = h.previous_score;
    row.peak_rank = h.peak_rank;
    row.periods_on_chart = h.periods;
    row.bullet = HasBullet(row.score, row.previous_score);
    if (h.previous_rank) {
      row.movement = row.rank < *h.previous_rank   ? Movement::kUp
                     : row.rank > *h.previous_rank ? Movement::kDown
                                                   : Movement::kSame;
    } else {
      row.movement = h.ranked_earlier ? Movement::kReEntry : Movement::kNew;
    }
  }
  return page;
}

Result<std::vector<ChartService::Standing>> ChartService::SongStandings(
    SongId song, std::span<const ChannelId> channels,
    std::span<const std::pair<UnixMicros, UnixMicros>> periods) const {
  std::vector<Standing> standings(periods.size());
  for (std::size_t i = 0; i < periods.size(); ++i) {
    SPINLOG_ASSIGN_OR_RETURN(auto ranking,
                             RankingOf(channels, periods[i].first, periods[i].second, nullptr));
    const PeriodRanking::Standing s = labels_.Read(
        [&](const SongLabels::Map& labels) { return ranking->StandingsOf({&song, 1}, labels)[0]; });
    standings[i] = {s.rank, s.plays};
  }
  return standings;
}

}  // namespace spinlog::charts
