#include "charts/song_day_index.h"

#include <algorithm>
#include <mutex>

namespace spinlog::charts {

void SongDayIndex::AddLocked(storage::SongId song, std::int64_t day, std::int64_t delta) {
  if (song >= songs_.size()) songs_.resize(std::max<std::size_t>(song + 1, songs_.size() * 2));
  std::vector<DayPlays>& days = songs_[song];
  // Plays mostly arrive for the latest day: look there first.
  if (!days.empty() && days.back().day == day) {
    days.back().plays += delta;
    return;
  }
  auto it = std::lower_bound(days.begin(), days.end(), day,
                             [](const DayPlays& d, std::int64_t value) { return d.day < value; });
  if (it != days.end() && it->day == day) {
    it->plays += delta;
  } else {
    days.insert(it, DayPlays{day, delta});
  }
}

void SongDayIndex::Add(storage::SongId song, std::int64_t day, std::int64_t delta) {
  std::unique_lock lock(mutex_);
  AddLocked(song, day, delta);
}

void SongDayIndex::MoveSong(storage::SongId from, storage::SongId into) {
  std::unique_lock lock(mutex_);
  if (from >= songs_.size()) return;
  std::vector<DayPlays> moved = std::move(songs_[from]);
  songs_[from].clear();
  for (const DayPlays& d : moved) AddLocked(into, d.day, d.plays);
}

void SongDayIndex::AddPlays(std::span<const storage::PlayRecord> plays) {
  std::unique_lock lock(mutex_);
  for (const storage::PlayRecord& play : plays) AddLocked(play.song_id, DayOf(play.start), 1);
}

void SongDayIndex::Build(
    const std::function<void(const std::function<void(std::int64_t, storage::SongId,
                                                       std::int64_t)>&)>& feed) {
  std::unique_lock lock(mutex_);
  feed([this](std::int64_t day, storage::SongId song, std::int64_t plays) {
    // Days arrive in order: the count belongs at the end of the list.
    if (song >= songs_.size()) songs_.resize(std::max<std::size_t>(song + 1, songs_.size() * 2));
    std::vector<DayPlays>& days = songs_[song];
    if (!days.empty() && days.back().day == day) {
      days.back().plays += plays;
    } else {
      days.push_back(DayPlays{day, plays});
    }
  });
}

void SongDayIndex::Accumulate(storage::SongId song, std::span<const Step> steps,
                              std::span<std::int64_t> plays) const {
  std::shared_lock lock(mutex_);
  if (song >= songs_.size() || steps.empty()) return;
  const std::vector<DayPlays>& days = songs_[song];
  auto it = std::lower_bound(days.begin(), days.end(), steps.front().first_day,
                             [](const DayPlays& d, std::int64_t value) { return d.day < value; });
  // Steps are consecutive and ascending: one walk over the song's days.
  for (std::size_t i = 0; i < steps.size() && it != days.end(); ++i) {
    while (it != days.end() && it->day < steps[i].first_day) ++it;
    for (; it != days.end() && it->day < steps[i].end_day; ++it) plays[i] += it->plays;
  }
}

}  // namespace spinlog::charts
