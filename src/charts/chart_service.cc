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

ChartService::ChartService(storage::Store* store, std::size_t ranking_cache_bytes)
    : store_(store), rankings_(ranking_cache_bytes) {}

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
  rollup_.FinishLoad();
  // Day by day from the rollup, so that every song's list only grows at its end.
  song_days_.Build([this](const auto& add) { rollup_.VisitByDay(add); });
  return Status::OK();
}

void ChartService::RegisterSong(SongId song, std::string performer, std::string title,
                                storage::PerformerId performer_id) {
  labels_.Set(song, SongLabel{std::move(performer), std::move(title), performer_id});
}

void ChartService::OnPlaysStored(std::span<const storage::PlayRecord> plays) {
  std::shared_lock lock(merge_mutex_);
  std::vector<storage::PlayRecord> redirected;
  if (!merged_.empty()) {
    for (std::size_t i = 0; i < plays.size(); ++i) {
      auto it = merged_.find(plays[i].song_id);
      if (it == merged_.end()) continue;
      if (redirected.empty()) redirected.assign(plays.begin(), plays.end());
      redirected[i].song_id = it->second;
    }
    if (!redirected.empty()) plays = redirected;
  }
  rollup_.AddPlays(plays);
  song_days_.AddPlays(plays);
}

void ChartService::MergeSong(SongId from, SongId into) {
  std::unique_lock lock(merge_mutex_);
  rollup_.MoveSong(from, into);
  song_days_.MoveSong(from, into);
  labels_.Erase(from);
  for (auto& [merged, target] : merged_) {
    if (target == from) target = into;
  }
  merged_[from] = into;
}

void ChartService::ForgetSong(SongId song) { labels_.Erase(song); }

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

Result<std::shared_ptr<const PeriodRanking>> ChartService::RankingOf(
    std::span<const ChannelId> channels, UnixMicros from, UnixMicros to,
    const std::vector<std::int64_t>* weights) const {
  const bool whole_days = from % kMicrosPerDay == 0 && to % kMicrosPerDay == 0;
  RankingCache::Key key;
  std::uint64_t version = 0;
  if (whole_days) {
    key = RankingCache::MakeKey(channels, weights, DayOf(from), DayOf(to));
    // Read before counting: a play stored meanwhile makes the version newer
    // than the one kept, so the ranking is counted again next time.
    version = rollup_.Version(key.from_day, key.to_day);
    if (auto cached = rankings_.Find(key, version)) return cached;
  }
  // Per thread: a tally is as large as the highest song id, and clearing it
  // costs nothing. Cleared before use: an earlier call may have returned early.
  thread_local SongTally scores;
  thread_local SongTally plays;
  scores.Clear();
  plays.Clear();
  SPINLOG_RETURN_IF_ERROR(CountPlays(channels, from, to, &scores, weights));
  if (weights != nullptr) SPINLOG_RETURN_IF_ERROR(CountPlays(channels, from, to, &plays));
  auto ranking =
      std::make_shared<const PeriodRanking>(scores, weights != nullptr ? &plays : nullptr);
  scores.Clear();
  plays.Clear();
  if (whole_days) rankings_.Insert(std::move(key), version, ranking);
  return ranking;
}

std::optional<ChartService::TopStamp> ChartService::TopStampOf(UnixMicros from,
                                                              UnixMicros to) const {
  if (from % kMicrosPerDay != 0 || to % kMicrosPerDay != 0 || to < from) return std::nullopt;
  TopStamp stamp;
  // Labels first: a label set while the days are read then shows in the
  // next stamp either way.
  stamp.labels = labels_.generation();
  // The previous period has the same length and ends at `from`: one range
  // of days covers both.
  stamp.days = rollup_.Version(DayOf(from - (to - from)), DayOf(to));
  return stamp;
}

Result<std::vector<ChartEntry>> ChartService::Top(std::span<const ChannelId> channels,
                                                  UnixMicros from, UnixMicros to,
                                                  std::size_t limit) const {
  const UnixMicros length = to - from;
  SPINLOG_ASSIGN_OR_RETURN(auto current, RankingOf(channels, from, to, nullptr));
  SPINLOG_ASSIGN_OR_RETURN(auto previous, RankingOf(channels, from - length, from, nullptr));
  return labels_.Read([&](const SongLabels::Map& labels) {
    const std::vector<PeriodRanking::Entry> now = current->Page(0, limit, labels);
    std::vector<SongId> songs;
    songs.reserve(now.size());
    for (const PeriodRanking::Entry& e : now) songs.push_back(e.song);
    const std::vector<PeriodRanking::Standing> before = previous->StandingsOf(songs, labels);

    std::vector<ChartEntry> chart;
    chart.reserve(now.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
      ChartEntry entry;
      entry.song = now[i].song;
      entry.performer = now[i].label->performer;
      entry.title = now[i].label->title;
      entry.rank = static_cast<std::int64_t>(i);
      entry.plays = now[i].plays;
      if (before[i].rank > 0) {
        entry.previous_rank = before[i].rank - 1;  // the classic ranks count from 0
        entry.previous_plays = before[i].plays;
      }
      chart.push_back(std::move(entry));
    }
    return chart;
  });
}

}  // namespace spinlog::charts
