// The work POST /api/v1/plays does per play outside the committer, on a batch
// shaped like bench/load/v1_plays.lua's (1,000 new plays on 100 channels, one
// minute apart per channel, random W1 songs: a third of the performers and
// some titles are not ASCII):
//   BM_DecodePlayBatch  the event loop: the body into items, names
//                       normalised (DecodePlayBatch)
//   BM_PlayBatchAnswer  the completion thread: the per-item JSON answer
//   BM_RollupAddPlays   the completion thread: the chart rollup's update
// Each has an "iterations:200" twin that runs exactly 200 batches, so that
// instructions per play can be counted without timing noise:
//   valgrind --tool=callgrind build/bench/play_batch_bench
//       --benchmark_filter='BM_DecodePlayBatch/iterations:200'   (one line)
// (total instructions / 200,000, less the program's start-up and set-up).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "api/v1/play_batch_answer.h"
#include "api/v1/play_batch_decoding.h"
#include "api/v1/play_item.h"
#include "charts/play_rollup.h"

namespace spinlog {
namespace {

constexpr int kBatch = 1000;
constexpr int kChannels = 100;
constexpr std::int64_t kFirstStart = 2208988800;  // 2040-01-01T00:00:00Z, as v1_plays.lua

// W1's songs (bench/load/common.lua): 30 titles by 10 performers.
struct Song {
  std::string performer;
  std::string title;
};
std::vector<Song> W1Songs() {
  std::vector<Song> songs;
  for (int s = 1; s <= 30; ++s) {
    const int p = (s - 1) % 10 + 1;
    std::string performer = p == 3   ? "P\xC3\xAArformer3"
                            : p == 7 ? "Perf\xC3\xB3rmer7"
                            : p == 9 ? "\xD0\x98\xD1\x81\xD0\xBF\xD0\xBE\xD0\xBB\xD0\xBD\xD0\xB8"
                                       "\xD1\x82\xD0\xB5\xD0\xBB\xD1\x8C"
                                       "9"
                                     : "Performer" + std::to_string(p);
    std::string title = s == 3    ? "S\xC3\xB6ng3"
                        : s == 13 ? "S\xC3\xB3ng13"
                        : s == 17 ? "Song 17 & More"
                        : s == 23 ? "Song23 \xE2\x99\xAA"
                                  : "Song" + std::to_string(s);
    songs.push_back({std::move(performer), std::move(title)});
  }
  return songs;
}

std::string Time(std::int64_t unix_seconds) {
  const std::int64_t days = unix_seconds / 86400;
  const std::int64_t of_day = unix_seconds % 86400;
  // Civil date from days since 1970 (Howard Hinnant's algorithm).
  const std::int64_t z = days + 719468;
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  char text[32];
  std::snprintf(text, sizeof(text), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(of_day / 3600), static_cast<long long>(of_day / 60 % 60),
                static_cast<long long>(of_day % 60));
  return text;
}

// Batch `k` (from 0) as a JSON array, like v1_plays.lua's request().
std::string BatchBody(int k) {
  static const std::vector<Song> songs = W1Songs();
  std::mt19937 random(static_cast<unsigned>(k) + 1);
  std::string body = "[";
  for (int i = 0; i < kBatch; ++i) {
    const int n = k * kBatch + i;
    const std::int64_t start = kFirstStart + n / kChannels * 60;
    const Song& song = songs[random() % songs.size()];
    if (i > 0) body += ',';
    body += "{\"channel\":\"Ingest" + std::to_string(n % kChannels + 1) + "\",\"performer\":\"" +
            song.performer + "\",\"title\":\"" + song.title + "\",\"start\":\"" + Time(start) +
            "\",\"end\":\"" + Time(start + 50) + "\"}";
  }
  return body + "]";
}

std::vector<api::v1::PlayItem> Decode(std::string_view body) {
  return api::v1::DecodePlayBatch(body, /*ndjson=*/false).value();
}

void BM_DecodePlayBatch(benchmark::State& state) {
  const std::vector<std::string> bodies = {BatchBody(0), BatchBody(1), BatchBody(2), BatchBody(3)};
  std::size_t i = 0;
  for (auto _ : state) {
    std::vector<api::v1::PlayItem> items = Decode(bodies[i++ % bodies.size()]);
    benchmark::DoNotOptimize(items.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}
BENCHMARK(BM_DecodePlayBatch);
BENCHMARK(BM_DecodePlayBatch)->Iterations(200);

void BM_PlayBatchAnswer(benchmark::State& state) {
  const std::vector<api::v1::PlayItem> items = Decode(BatchBody(0));
  std::vector<domain::PlayResult> stored;
  for (const api::v1::PlayItem& item : items) {
    domain::PlayResult result;
    result.play = {item.play->channel, item.play->performer, item.play->title, item.play->start,
                   item.play->end};
    stored.push_back(std::move(result));
  }
  for (auto _ : state) {
    http::Response response = api::v1::PlayBatchAnswer(items, stored);
    benchmark::DoNotOptimize(response.body.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}
BENCHMARK(BM_PlayBatchAnswer);
BENCHMARK(BM_PlayBatchAnswer)->Iterations(200);

void BM_RollupAddPlays(benchmark::State& state) {
  // Ids as the server would give them: channels 1..100, songs 1..30.
  charts::PlayRollup rollup;
  std::mt19937 random(1);
  std::vector<storage::PlayRecord> plays(kBatch);
  std::int64_t k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) {
      const std::int64_t n = k * kBatch + i;
      const UnixMicros start = (kFirstStart + n / kChannels * 60) * 1'000'000;
      plays[i] = {static_cast<storage::ChannelId>(n % kChannels + 1), start, start + 50'000'000,
                  static_cast<storage::SongId>(random() % 30 + 1)};
    }
    ++k;
    state.ResumeTiming();
    rollup.AddPlays(plays);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}
BENCHMARK(BM_RollupAddPlays);
BENCHMARK(BM_RollupAddPlays)->Iterations(200);

}  // namespace
}  // namespace spinlog

BENCHMARK_MAIN();
