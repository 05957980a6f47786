#include "charts/play_rollup.h"

#include <algorithm>
#include <mutex>

namespace spinlog::charts {

void PlayRollup::Add(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta) {
  std::unique_lock lock(mutex_);
  AddLocked(channel, day, song, delta);
}

void PlayRollup::AddPlays(std::span<const storage::PlayRecord> plays) {
  std::unique_lock lock(mutex_);
  for (const storage::PlayRecord& play : plays) {
    AddLocked(play.channel_id, DayOf(play.start), play.song_id, 1);
  }
}

void PlayRollup::AddLocked(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta) {
  DayCounts& counts = channels_[channel][day];
  auto it = std::lower_bound(counts.begin(), counts.end(), song,
                             [](const SongCount& c, SongId s) { return c.song < s; });
  if (it != counts.end() && it->song == song) {
    it->plays += delta;
  } else {
    counts.insert(it, SongCount{song, delta});
  }
}

void PlayRollup::Load(ChannelId channel, std::int64_t day,
                      std::span<const storage::SongPlayCount> counts) {
  DayCounts loaded;
  loaded.reserve(counts.size());
  for (const storage::SongPlayCount& c : counts) {
    loaded.push_back({c.song, static_cast<std::int32_t>(c.plays)});
  }
  std::unique_lock lock(mutex_);
  ChannelDays& days = channels_[channel];
  days.insert_or_assign(days.end(), day, std::move(loaded));
}

void PlayRollup::VisitByDay(
    const std::function<void(std::int64_t day, SongId song, std::int64_t plays)>& visit) const {
  std::shared_lock lock(mutex_);
  std::map<std::int64_t, std::vector<const DayCounts*>> by_day;
  for (const auto& [channel, days] : channels_) {
    for (const auto& [day, counts] : days) by_day[day].push_back(&counts);
  }
  for (const auto& [day, lists] : by_day) {
    for (const DayCounts* counts : lists) {
      for (const SongCount& c : *counts) {
        if (c.plays != 0) visit(day, c.song, c.plays);
      }
    }
  }
}

std::optional<std::int64_t> PlayRollup::FirstDay(std::span<const ChannelId> channels) const {
  std::shared_lock lock(mutex_);
  std::optional<std::int64_t> first;
  for (ChannelId channel : channels) {
    auto found = channels_.find(channel);
    if (found == channels_.end()) continue;
    for (const auto& [day, counts] : found->second) {
      // Counts can be all zero (plays taken away): the first real day counts.
      const bool any = std::any_of(counts.begin(), counts.end(),
                                   [](const SongCount& c) { return c.plays != 0; });
      if (!any) continue;
      if (!first || day < *first) first = day;
      break;
    }
  }
  return first;
}

std::int64_t PlayRollup::SongPlays(std::span<const ChannelId> channels, std::int64_t from_day,
                                   std::int64_t to_day, SongId song) const {
  std::shared_lock lock(mutex_);
  std::int64_t plays = 0;
  for (ChannelId channel : channels) {
    auto found = channels_.find(channel);
    if (found == channels_.end()) continue;
    const ChannelDays& days = found->second;
    for (auto it = days.lower_bound(from_day); it != days.end() && it->first < to_day; ++it) {
      auto c = std::lower_bound(it->second.begin(), it->second.end(), song,
                                [](const SongCount& count, SongId s) { return count.song < s; });
      if (c != it->second.end() && c->song == song) plays += c->plays;
    }
  }
  return plays;
}

void PlayRollup::Accumulate(std::span<const ChannelId> channels, std::int64_t from_day,
                            std::int64_t to_day, SongTally* tally, std::int64_t weight) const {
  std::shared_lock lock(mutex_);
  for (ChannelId channel : channels) {
    auto found = channels_.find(channel);
    if (found == channels_.end()) continue;
    const ChannelDays& days = found->second;
    for (auto it = days.lower_bound(from_day); it != days.end() && it->first < to_day; ++it) {
      for (const SongCount& c : it->second) {
        if (c.plays != 0) tally->Add(c.song, c.plays * weight);
      }
    }
  }
}

}  // namespace spinlog::charts
