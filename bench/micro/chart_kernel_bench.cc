// Kernels of a chart without HTTP or store: adding up a week of the rollup
// into a SongTally (PlayRollup::Accumulate: channel by channel for 10, the
// all-channel day totals for all 2,000), ranking the tally (RankSongs in
// full, then the first `limit` entries), counting it into a PeriodRanking,
// and reading a page and standings from one, as ChartService does for a
// chart that starts at midnight.
//
// Data: W2-like density. 200,000 songs (4 per performer) with Zipf (s = 1)
// popularity over a fixed random order of song ids; every (channel, day)
// holds 400 distinct songs, drawn by popularity with repeats counted (about
// 585 plays a day). The rollup holds 9 days per channel: the week charted and
// one day either side. Seeded; built once per channel count and shared by
// the benchmarks that use it.
//
//   chart_kernel_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "charts/period_ranking.h"
#include "charts/play_rollup.h"
#include "charts/ranking.h"
#include "charts/song_labels.h"
#include "charts/song_tally.h"
#include "common/time.h"

namespace spinlog::charts {
namespace {

constexpr std::uint64_t kSeed = 2024;
constexpr std::uint32_t kSongs = 200'000;
constexpr std::uint32_t kSongsPerPerformer = 4;
constexpr std::size_t kSongsPerChannelDay = 400;
constexpr std::int64_t kFirstDay = 19'783;  // 2024-03-01
constexpr std::int64_t kRollupDays = 9;     // kFirstDay - 1 .. kFirstDay + 7
constexpr std::int64_t kWeekDays = 7;

// Songs by popularity: song_by_rank[r] is the song of rank r (0 = most played).
struct Catalogue {
  std::vector<SongId> song_by_rank;
  std::vector<double> cdf;  // Zipf s = 1 over ranks
  SongLabels::Map labels;
};

std::string Words(std::mt19937_64& rng, int count) {
  static const char* const kWords[] = {
      "Midnight", "Rain",  "Over",   "Tokyo",  "Velvet", "Harbor", "Blue",    "Electric",
      "Dreams",   "Fire",  "Golden", "Hearts", "Silver", "Lights", "Summer",  "Road",
      "Echo",     "Stone", "Wild",   "River",  "Neon",   "Ghost",  "Paper",   "Moon",
      "Crystal",  "Storm", "Little", "Garden", "Broken", "Wings",  "Château", "Señorita"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ' ';
    out += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
  }
  return out;
}

const Catalogue& GetCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto* c = new Catalogue;
    std::mt19937_64 rng(kSeed);
    c->song_by_rank.resize(kSongs);
    std::iota(c->song_by_rank.begin(), c->song_by_rank.end(), SongId{1});
    for (std::size_t i = kSongs; i > 1; --i)
      std::swap(c->song_by_rank[i - 1], c->song_by_rank[rng() % i]);
    c->cdf.resize(kSongs);
    double sum = 0;
    for (std::uint32_t r = 0; r < kSongs; ++r) c->cdf[r] = (sum += 1.0 / (r + 1));
    for (double& p : c->cdf) p /= sum;
    // Performer names are shared by kSongsPerPerformer consecutive ids; a
    // number keeps them distinct, after words so that comparisons go deep.
    c->labels.reserve(kSongs);
    std::string performer;
    for (SongId song = 1; song <= kSongs; ++song) {
      if ((song - 1) % kSongsPerPerformer == 0) {
        performer = "The " + Words(rng, 2) + " " + std::to_string((song - 1) / kSongsPerPerformer);
      }
      c->labels.emplace(song, SongLabel{performer, Words(rng, 3)});
    }
    return c;
  }();
  return *catalogue;
}

struct Dataset {
  PlayRollup rollup;
  std::vector<ChannelId> channels;
  std::int64_t plays = 0;    // in the rollup, all days
  std::int64_t entries = 0;  // (channel, day, song) counts in the charted week
};

// The rollup of `channel_count` channels, built once per channel count.
const Dataset& GetDataset(int channel_count) {
  static std::map<int, std::unique_ptr<Dataset>> datasets;
  std::unique_ptr<Dataset>& slot = datasets[channel_count];
  if (slot != nullptr) return *slot;
  const Catalogue& catalogue = GetCatalogue();
  slot = std::make_unique<Dataset>();
  std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(channel_count));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::unordered_map<SongId, std::int64_t> day;
  std::vector<storage::SongPlayCount> counts;
  for (int c = 1; c <= channel_count; ++c) {
    const auto channel = static_cast<ChannelId>(c);
    slot->channels.push_back(channel);
    for (std::int64_t d = kFirstDay - 1; d < kFirstDay - 1 + kRollupDays; ++d) {
      day.clear();
      while (day.size() < kSongsPerChannelDay) {
        const auto rank = static_cast<std::size_t>(
            std::lower_bound(catalogue.cdf.begin(), catalogue.cdf.end(), unit(rng)) -
            catalogue.cdf.begin());
        ++day[catalogue.song_by_rank[std::min<std::size_t>(rank, kSongs - 1)]];
      }
      counts.clear();
      for (const auto& [song, plays] : day) {
        counts.push_back({song, plays});
        slot->plays += plays;
      }
      std::sort(counts.begin(), counts.end(),
                [](const auto& a, const auto& b) { return a.song < b.song; });
      slot->rollup.Load(channel, d, counts);
      if (d >= kFirstDay && d < kFirstDay + kWeekDays) {
        slot->entries += static_cast<std::int64_t>(counts.size());
      }
    }
  }
  slot->rollup.FinishLoad();
  return *slot;
}

// PlayRollup::Accumulate of one week over every channel, then SongTally::Clear
// (the service clears its per-thread tally after each chart).
void BM_Accumulate(benchmark::State& state) {
  const Dataset& data = GetDataset(static_cast<int>(state.range(0)));
  SongTally tally;
  std::size_t songs = 0;
  for (auto _ : state) {
    data.rollup.Accumulate(data.channels, kFirstDay, kFirstDay + kWeekDays, &tally);
    songs = tally.songs().size();
    benchmark::DoNotOptimize(tally);
    tally.Clear();
  }
  state.SetItemsProcessed(state.iterations() * data.entries);  // (channel, day, song) counts
  state.counters["songs"] = static_cast<double>(songs);
  state.counters["day_entries"] = static_cast<double>(data.entries);
}
BENCHMARK(BM_Accumulate)->ArgName("channels")->Arg(10)->Arg(2000)->Unit(benchmark::kMicrosecond);

// RankSongs over the week's tally and the first `limit` entries: how Top
// built the current chart before TopSongs (and ranked the previous week the
// same way, in full). Kept to compare.
void BM_RankTop(benchmark::State& state) {
  const Dataset& data = GetDataset(static_cast<int>(state.range(0)));
  const auto limit = static_cast<std::size_t>(state.range(1));
  const SongLabels::Map& labels = GetCatalogue().labels;
  SongTally tally;
  data.rollup.Accumulate(data.channels, kFirstDay, kFirstDay + kWeekDays, &tally);
  for (auto _ : state) {
    std::vector<RankedSong> ranked = RankSongs(tally, labels);
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) sum += ranked[i].plays;
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(ranked.data());
  }
  const auto songs = static_cast<std::int64_t>(tally.songs().size());
  state.SetItemsProcessed(state.iterations() * songs);  // songs ranked
  state.counters["songs"] = static_cast<double>(songs);
}
BENCHMARK(BM_RankTop)
    ->ArgNames({"channels", "limit"})
    ->Args({10, 10})
    ->Args({10, 40})
    ->Args({2000, 10})
    ->Args({2000, 40})
    ->Unit(benchmark::kMicrosecond);

// Counting a period into a PeriodRanking: what a chart pays for a period
// the ranking cache does not hold (the tally is counted already here).
void BM_BuildRanking(benchmark::State& state) {
  const Dataset& data = GetDataset(static_cast<int>(state.range(0)));
  SongTally tally;
  data.rollup.Accumulate(data.channels, kFirstDay, kFirstDay + kWeekDays, &tally);
  for (auto _ : state) {
    PeriodRanking ranking(tally, nullptr);
    benchmark::DoNotOptimize(ranking.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tally.songs().size()));
}
BENCHMARK(BM_BuildRanking)->ArgName("channels")->Arg(10)->Arg(2000)->Unit(benchmark::kMicrosecond);

// What a chart pays per period the cache holds: the page of the current
// period and the standings of its songs in an earlier one (here the same
// ranking, which costs the same).
void BM_PageAndStandings(benchmark::State& state) {
  const Dataset& data = GetDataset(static_cast<int>(state.range(0)));
  const auto limit = static_cast<std::size_t>(state.range(1));
  const SongLabels::Map& labels = GetCatalogue().labels;
  SongTally tally;
  data.rollup.Accumulate(data.channels, kFirstDay, kFirstDay + kWeekDays, &tally);
  const PeriodRanking ranking(tally, nullptr);
  std::vector<SongId> songs;
  for (auto _ : state) {
    const std::vector<PeriodRanking::Entry> page = ranking.Page(0, limit, labels);
    songs.clear();
    for (const PeriodRanking::Entry& e : page) songs.push_back(e.song);
    const std::vector<PeriodRanking::Standing> standings = ranking.StandingsOf(songs, labels);
    benchmark::DoNotOptimize(standings.data());
  }
}
BENCHMARK(BM_PageAndStandings)
    ->ArgNames({"channels", "limit"})
    ->Args({10, 10})
    ->Args({10, 40})
    ->Args({2000, 10})
    ->Args({2000, 40})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace spinlog::charts

BENCHMARK_MAIN();
