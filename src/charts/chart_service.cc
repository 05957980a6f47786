#include "charts/chart_service.h"

#include <algorithm>
#include <unordered_map>

#include "charts/ranking.h"

namespace spinlog::charts {
namespace {

// The first midnight at or after t.
std::int64_t CeilDay(UnixMicros t) {
  // Not day * kMicrosPerDay == t: that product overflows for the first day.
  return t % kMicrosPerDay == 0 ? DayOf(t) : DayOf(t) + 1;
}

}  // namespace

ChartService::ChartService(storage::Store* store) : store_(store) {}

Status ChartService::Rebuild() {
  std::unordered_map<storage::PerformerId, std::string> performers;
  SPINLOG_RETURN_IF_ERROR(store_->ForEachPerformer(
      [&](const storage::PerformerRecord& p) { performers[p.id] = p.name; }));
  SPINLOG_RETURN_IF_ERROR(store_->ForEachChannel(
      [&](const storage::ChannelRecord& c) { SetChannelAudience(c.id, c.audience); }));
  SPINLOG_RETURN_IF_ERROR(store_->ForEachSong([&](const storage::SongRecord& s) {
    labels_.Set(s.id, SongLabel{performers[s.performer_id], s.title, s.performer_id});
  }));
  // The store keeps the counts per (channel, day): loading them is all of
  // the rebuild, without reading a single play (W2: 30 million plays).
  SPINLOG_RETURN_IF_ERROR(store_->ScanDailyCounts(
      [&](ChannelId channel, std::int64_t day, std::span<const storage::SongPlayCount> counts) {
        rollup_.Load(channel, day, counts);
        return true;
      }));
  // Day by day from the rollup, so that every song's list only grows at its end.
  song_days_.Build([this](const auto& add) { rollup_.VisitByDay(add); });
  return Status::OK();
}

void ChartService::RegisterSong(SongId song, std::string performer, std::string title,
                                storage::PerformerId performer_id) {
  labels_.Set(song, SongLabel{std::move(performer), std::move(title), performer_id});
}

void ChartService::OnPlaysStored(std::span<const storage::PlayRecord> plays) {
  rollup_.AddPlays(plays);
  song_days_.AddPlays(plays);
}

Status ChartService::CountByScan(std::span<const ChannelId> channels, UnixMicros from,
                                 UnixMicros to, SongTally* tally,
                                 const std::vector<std::int64_t>* weights) const {
  if (from >= to) return Status::OK();
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const std::int64_t weight = weights == nullptr ? 1 : (*weights)[i];
    if (weight == 0) continue;
    SPINLOG_RETURN_IF_ERROR(
        store_->ScanChannelPlays(channels[i], from, to, [&](const storage::PlayRecord& play) {
          tally->Add(play.song_id, weight);
          return true;
        }));
  }
  return Status::OK();
}

Status ChartService::CountPlays(std::span<const ChannelId> channels, UnixMicros from,
                                UnixMicros to, SongTally* tally,
                                const std::vector<std::int64_t>* weights) const {
  if (from >= to) return Status::OK();
  const std::int64_t first_day = CeilDay(from);
  const std::int64_t end_day = DayOf(to);
  if (first_day >= end_day) {
    // No whole day inside: the range is shorter than two days, scan it.
    return CountByScan(channels, from, to, tally, weights);
  }
  if (weights == nullptr) {
    rollup_.Accumulate(channels, first_day, end_day, tally);
  } else {
    for (std::size_t i = 0; i < channels.size(); ++i) {
      if ((*weights)[i] != 0) {
        rollup_.Accumulate({&channels[i], 1}, first_day, end_day, tally, (*weights)[i]);
      }
    }
  }
  SPINLOG_RETURN_IF_ERROR(CountByScan(channels, from, first_day * kMicrosPerDay, tally, weights));
  return CountByScan(channels, end_day * kMicrosPerDay, to, tally, weights);
}

void ChartService::SetChannelAudience(ChannelId channel, std::int64_t audience) {
  std::unique_lock lock(audiences_mutex_);
  if (audience < 0) {
    audiences_.erase(channel);
  } else {
    audiences_[channel] = audience;
  }
}

std::vector<std::int64_t> ChartService::AudiencesOf(std::span<const ChannelId> channels,
                                                    std::vector<ChannelId>* unweighted) const {
  std::shared_lock lock(audiences_mutex_);
  std::vector<std::int64_t> audiences(channels.size(), 0);
  for (std::size_t i = 0; i < channels.size(); ++i) {
    auto it = audiences_.find(channels[i]);
    if (it != audiences_.end()) {
      audiences[i] = it->second;
    } else if (unweighted != nullptr) {
      unweighted->push_back(channels[i]);
    }
  }
  return audiences;
}

Result<std::vector<ChartEntry>> ChartService::Top(std::span<const ChannelId> channels,
                                                  UnixMicros from, UnixMicros to,
                                                  std::size_t limit) const {
  const UnixMicros length = to - from;
  // Reused per thread: a tally is as large as the highest song id, and
  // clearing it costs nothing.
  thread_local SongTally current;
  thread_local SongTally previous;
  current.Clear();  // an earlier call may have returned early
  previous.Clear();
  SPINLOG_RETURN_IF_ERROR(CountPlays(channels, from, to, &current));
  SPINLOG_RETURN_IF_ERROR(CountPlays(channels, from - length, from, &previous));

  return labels_.Read([&](const SongLabels::Map& labels) {
    // Only the songs that make the list are ranked in full; the previous
    // period is asked for just their ranks (ranking.h).
    std::size_t total = 0;
    const std::vector<RankedSong> now = TopSongs(current, labels, limit, &total);
    std::vector<SongId> songs;
    songs.reserve(now.size());
    for (const RankedSong& r : now) songs.push_back(r.song);
    const std::vector<std::int64_t> previous_ranks = RanksIn(previous, labels, songs);

    std::vector<ChartEntry> chart;
    chart.reserve(now.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
      ChartEntry entry;
      entry.song = now[i].song;
      entry.performer = now[i].label->performer;
      entry.title = now[i].label->title;
      entry.rank = static_cast<std::int64_t>(i);
      entry.plays = now[i].plays;
      if (previous_ranks[i] > 0) {
        entry.previous_rank = previous_ranks[i] - 1;  // the classic ranks count from 0
        entry.previous_plays = previous.Get(entry.song);
      }
      chart.push_back(std::move(entry));
    }
    return chart;
  });
}

}  // namespace spinlog::charts
