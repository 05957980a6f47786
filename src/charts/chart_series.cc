// ChartService's series: plays per step of a song, a performer or channels,
// from the in-memory counts (whole UTC days), never from the plays.
#include "charts/chart_service.h"

namespace spinlog::charts {

std::vector<ChartService::SeriesPoint> ChartService::SongSeries(
    std::span<const SongId> songs, const std::vector<ChannelId>* channels,
    std::span<const Step> steps) const {
  std::vector<SeriesPoint> points(steps.size());
  if (channels == nullptr) {
    std::vector<std::int64_t> plays(steps.size(), 0);
    for (SongId song : songs) song_days_.Accumulate(song, steps, plays);
    for (std::size_t i = 0; i < steps.size(); ++i) points[i].plays = plays[i];
    return points;
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (SongId song : songs) {
      points[i].plays += rollup_.SongPlays(*channels, steps[i].first_day, steps[i].end_day, song);
    }
  }
  return points;
}

std::vector<ChartService::SeriesPoint> ChartService::ChannelSeries(
    std::span<const ChannelId> channels, std::span<const Step> steps) const {
  std::vector<SeriesPoint> points(steps.size());
  thread_local SongTally tally;
  tally.Clear();  // per-thread: an earlier call may have returned early
  for (std::size_t i = 0; i < steps.size(); ++i) {
    rollup_.Accumulate(channels, steps[i].first_day, steps[i].end_day, &tally);
    for (SongId song : tally.songs()) {
      const std::int64_t plays = tally.Get(song);
      if (plays <= 0) continue;
      points[i].plays += plays;
      ++points[i].songs;
    }
    tally.Clear();
  }
  return points;
}

}  // namespace spinlog::charts
