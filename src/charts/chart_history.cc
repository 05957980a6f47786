// ChartService::Chart: a chart page with each entry's history (chart_query.h).
//
// The history walks the definition's periods back one by one, counting and
// ranking each, and keeps only what the page's songs need. The walk stops at
// the channels' first day with plays, so its cost is one chart per period
// that has data: a weekly chart over two years of W1 is about a hundred.
#include <limits>
#include <unordered_map>

#include "charts/chart_service.h"
#include "charts/ranking.h"

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
  // `tally` holds what ranks (plays, or plays times audience when weighted),
  // `raw` the plays of a weighted chart.
  thread_local SongTally tally;
  thread_local SongTally raw;
  // Per-thread and cleared in constant time: clear before use, so that an
  // earlier call that returned early leaves nothing behind.
  tally.Clear();
  raw.Clear();
  ChartPage page;
  std::vector<std::int64_t> weights;
  if (query.weighted) weights = AudiencesOf(query.channels, &page.unweighted_channels);
  const std::vector<std::int64_t>* weighting = query.weighted ? &weights : nullptr;
  // Counts [from, to) into `tally`, and into `raw` too when weighted and asked.
  auto count = [&](UnixMicros from, UnixMicros to, bool with_raw) -> Status {
    SPINLOG_RETURN_IF_ERROR(CountPlays(query.channels, from, to, &tally, weighting));
    if (query.weighted && with_raw) return CountPlays(query.channels, from, to, &raw);
    return Status::OK();
  };
  auto plays_of = [&](SongId song) { return query.weighted ? raw.Get(song) : tally.Get(song); };

  std::unordered_map<SongId, History> history;
  SPINLOG_RETURN_IF_ERROR(count(query.from, query.to, true));
  labels_.Read([&](const SongLabels::Map& labels) {
    const std::vector<RankedSong> ranked = TopSongs(tally, labels, query.offset + query.limit,
                                                    &page.total);
    for (std::size_t i = query.offset; i < ranked.size(); ++i) {
      ChartRow row;
      row.song = ranked[i].song;
      row.title = ranked[i].label->title;
      row.performer = ranked[i].label->performer;
      row.performer_id = ranked[i].label->performer_id;
      row.rank = static_cast<std::int64_t>(i) + 1;
      row.score = ranked[i].plays;
      row.plays = plays_of(ranked[i].song);
      page.rows.push_back(std::move(row));
      History& h = history[ranked[i].song];
      h.peak_rank = static_cast<std::int64_t>(i) + 1;
      h.periods = 1;
    }
  });
  tally.Clear();
  raw.Clear();
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
    SPINLOG_RETURN_IF_ERROR(count(from, to, k == 1));
    const std::vector<std::int64_t> ranks = labels_.Read(
        [&](const SongLabels::Map& labels) { return RanksIn(tally, labels, songs); });
    for (std::size_t i = 0; i < songs.size(); ++i) {
      if (ranks[i] == 0) continue;
      History& h = history[songs[i]];
      if (k == 1) {
        h.previous_rank = ranks[i];
        h.previous_score = tally.Get(songs[i]);
        h.previous_plays = plays_of(songs[i]);
      } else {
        h.ranked_earlier = true;
      }
      h.peak_rank = std::min(h.peak_rank, ranks[i]);
      ++h.periods;
    }
    tally.Clear();
    raw.Clear();
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
  thread_local SongTally tally;
  tally.Clear();
  std::vector<Standing> standings(periods.size());
  for (std::size_t i = 0; i < periods.size(); ++i) {
    SPINLOG_RETURN_IF_ERROR(CountPlays(channels, periods[i].first, periods[i].second, &tally));
    standings[i].plays = tally.Get(song);
    if (standings[i].plays > 0) {
      standings[i].rank = labels_.Read([&](const SongLabels::Map& labels) {
        return RanksIn(tally, labels, {&song, 1}).front();
      });
    }
    tally.Clear();
  }
  return standings;
}

}  // namespace spinlog::charts
