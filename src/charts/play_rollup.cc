#include "charts/play_rollup.h"

#include <algorithm>
#include <compare>
#include <mutex>

namespace spinlog::charts {

void PlayRollup::Add(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta) {
  std::unique_lock lock(mutex_);
  AddLocked(channel, day, song, delta);
}

void PlayRollup::AddPlays(std::span<const storage::PlayRecord> plays) {
  // In (day, channel, song) order a batch's plays come in runs: each
  // (channel, day) list is found once, not once per play, each song's plays
  // on it are counted at once, and each day's totals take their changes at
  // once (the ingest path spends its completion thread here).
  struct Key {
    std::int64_t day;
    ChannelId channel;
    SongId song;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys;
  keys.reserve(plays.size());
  for (const storage::PlayRecord& play : plays) {
    keys.push_back({DayOf(play.start), play.channel_id, play.song_id});
  }
  std::sort(keys.begin(), keys.end());
  std::vector<DayTotals::Count> day_changes;
  std::unique_lock lock(mutex_);
  for (std::size_t day_begin = 0; day_begin < keys.size();) {
    const std::int64_t day = keys[day_begin].day;
    day_changes.clear();
    std::size_t i = day_begin;
    while (i < keys.size() && keys[i].day == day) {
      const ChannelId channel = keys[i].channel;
      DayCounts& counts = channels_[channel][day];
      while (i < keys.size() && keys[i].day == day && keys[i].channel == channel) {
        const SongId song = keys[i].song;
        std::size_t end = i + 1;
        while (end < keys.size() && keys[end] == keys[i]) ++end;
        const auto count = static_cast<std::int32_t>(end - i);
        AddToDay(&counts, song, count);
        day_changes.push_back({song, count});
        i = end;
      }
    }
    totals_.Add(day, day_changes);
    day_begin = i;
  }
}

void PlayRollup::AddLocked(ChannelId channel, std::int64_t day, SongId song, std::int32_t delta) {
  totals_.Add(day, song, delta);
  AddToDay(&channels_[channel][day], song, delta);
}

void PlayRollup::AddToDay(DayCounts* counts, SongId song, std::int32_t delta) {
  auto it = std::lower_bound(counts->begin(), counts->end(), song,
                             [](const SongCount& c, SongId s) { return c.song < s; });
  if (it != counts->end() && it->song == song) {
    it->plays += delta;
  } else {
    counts->insert(it, SongCount{song, delta});
  }
}

void PlayRollup::MoveSong(SongId from, SongId into) {
  std::unique_lock lock(mutex_);
  const auto by_song = [](const SongCount& c, SongId s) { return c.song < s; };
  for (auto& [channel, days] : channels_) {
    for (auto& [day, counts] : days) {
      auto it = std::lower_bound(counts.begin(), counts.end(), from, by_song);
      if (it == counts.end() || it->song != from) continue;
      const std::int32_t plays = it->plays;
      counts.erase(it);
      if (plays == 0) continue;
      totals_.Add(day, from, -plays);
      // AddLocked adds to the totals too.
      AddLocked(channel, day, into, plays);
    }
  }
}

PlayRollup::Size PlayRollup::Measure() const {
  std::shared_lock lock(mutex_);
  Size size;
  for (const auto& [channel, days] : channels_) {
    size.channel_days += days.size();
    for (const auto& [day, counts] : days) size.counts += counts.size();
  }
  return size;
}

void PlayRollup::Load(ChannelId channel, std::int64_t day,
                      std::span<const storage::SongPlayCount> counts) {
  DayCounts loaded;
  loaded.reserve(counts.size());
  for (const storage::SongPlayCount& c : counts) {
    loaded.push_back({c.song, static_cast<std::int32_t>(c.plays)});
  }
  std::unique_lock lock(mutex_);
  totals_complete_ = false;
  ChannelDays& days = channels_[channel];
  days.insert_or_assign(days.end(), day, std::move(loaded));
}

void PlayRollup::FinishLoad() {
  std::unique_lock lock(mutex_);
  // Day by day through a tally: one pass over the counts, no sorted inserts.
  std::map<std::int64_t, std::vector<const DayCounts*>> by_day;
  for (const auto& [channel, days] : channels_) {
    for (const auto& [day, counts] : days) by_day[day].push_back(&counts);
  }
  SongTally tally;
  for (const auto& [day, lists] : by_day) {
    tally.Clear();
    for (const DayCounts* counts : lists) {
      for (const SongCount& c : *counts) tally.Add(c.song, c.plays);
    }
    std::vector<DayTotals::Count> sums;
    sums.reserve(tally.songs().size());
    for (SongId song : tally.songs()) {
      sums.push_back({song, static_cast<std::int32_t>(tally.Get(song))});
    }
    std::sort(sums.begin(), sums.end(),
              [](const DayTotals::Count& a, const DayTotals::Count& b) { return a.song < b.song; });
    totals_.Set(day, std::move(sums));
  }
  totals_complete_ = true;
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
  if (PreferTotals(channels)) {
    // Most channels: the first day of all is as good a bound, and cheaper
    // than a look at each channel.
    std::optional<std::int64_t> first = totals_.FirstDay();
    if (first) return first;
  }
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

std::uint64_t PlayRollup::Version(std::int64_t from_day, std::int64_t to_day) const {
  std::shared_lock lock(mutex_);
  return totals_.Version(from_day, to_day);
}

bool PlayRollup::PreferTotals(std::span<const ChannelId> channels) const {
  // Below this many channels the totals rarely pay: a few lists per day.
  constexpr std::size_t kMinChannels = 16;
  if (!totals_complete_) return false;
  if (channels.size() < kMinChannels || channels_.size() < kMinChannels) return false;
  std::size_t present = 0;
  for (ChannelId channel : channels) present += channels_.count(channel);
  // Totals plus the others read about as much as the others; adding
  // `channels` one by one reads `present`.
  return channels_.size() - present < present;
}

void PlayRollup::Accumulate(std::span<const ChannelId> channels, std::int64_t from_day,
                            std::int64_t to_day, SongTally* tally, std::int64_t weight) const {
  std::shared_lock lock(mutex_);
  auto add_channel = [&](const ChannelDays& days, std::int64_t factor) {
    for (auto it = days.lower_bound(from_day); it != days.end() && it->first < to_day; ++it) {
      for (const SongCount& c : it->second) {
        if (c.plays != 0) tally->Add(c.song, c.plays * factor);
      }
    }
  };
  if (weight == 1 && PreferTotals(channels)) {
    totals_.Accumulate(from_day, to_day, tally);
    std::vector<ChannelId> wanted(channels.begin(), channels.end());
    std::sort(wanted.begin(), wanted.end());
    for (const auto& [channel, days] : channels_) {
      if (!std::binary_search(wanted.begin(), wanted.end(), channel)) add_channel(days, -1);
    }
    return;
  }
  for (ChannelId channel : channels) {
    auto found = channels_.find(channel);
    if (found != channels_.end()) add_channel(found->second, weight);
  }
}

}  // namespace spinlog::charts
