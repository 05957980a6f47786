// The committer's store write in isolation: RocksDbStore::InsertPlays with
// the batches PlayCommitter hands it under bulk ingest (10,000 new plays: 100
// channels x 100 consecutive plays, random songs of 10,000), on a durable
// store that starts empty and grows. Reports CPU time of the calling thread
// per play (RocksDB's flushes and compactions run on their own threads and
// are not counted): on a shared machine this is steadier than throughput.
//
//   build/bench/insert_plays_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog::storage {
namespace {

constexpr int kChannels = 100;
constexpr int kSongs = 10'000;
constexpr int kPlaysPerChannel = 100;
constexpr UnixMicros kSecond = 1'000'000;

void BM_InsertPlays(benchmark::State& state) {
  const std::string path = "/tmp/insert_plays_bench." + std::to_string(::getpid());
  std::filesystem::remove_all(path);
  RocksDbStoreOptions options;
  options.path = path;
  Result<std::unique_ptr<Store>> opened = OpenRocksDbStore(options);
  if (!opened.ok()) {
    state.SkipWithError(opened.status().message().c_str());
    return;
  }
  Store& store = **opened;
  std::vector<ChannelId> channels;
  for (int c = 0; c < kChannels; ++c) {
    bool created = false;
    channels.push_back(store.UpsertChannel("Channel " + std::to_string(c), &created)->id);
  }
  bool created = false;
  const PerformerId performer = store.UpsertPerformer("Performer", &created)->id;
  std::vector<SongId> songs;
  for (int s = 0; s < kSongs; ++s) {
    songs.push_back(store.UpsertSong(performer, "Song " + std::to_string(s), &created)->id);
  }

  std::mt19937 random(1);
  std::uniform_int_distribution<int> pick(0, kSongs - 1);
  UnixMicros start = 2'208'988'800 * kSecond;  // 2040-01-01
  std::vector<PlayRecord> batch;
  std::int64_t plays = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    // Time-major, as requests from many channels arrive.
    for (int k = 0; k < kPlaysPerChannel; ++k) {
      for (ChannelId channel : channels) {
        batch.push_back({channel, start + k * 50 * kSecond, start + (k * 50 + 49) * kSecond,
                         songs[pick(random)]});
      }
    }
    start += kPlaysPerChannel * 50 * kSecond;
    state.ResumeTiming();
    Result<std::vector<PlayInsertResult>> results = store.InsertPlays(batch);
    if (!results.ok()) {
      state.SkipWithError(results.status().message().c_str());
      break;
    }
    plays += static_cast<std::int64_t>(batch.size());
  }
  state.counters["plays/s"] = benchmark::Counter(static_cast<double>(plays),
                                                 benchmark::Counter::kIsRate);
  state.counters["us/play"] = benchmark::Counter(
      static_cast<double>(plays) * 1e-6,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  opened->reset();
  std::filesystem::remove_all(path);
}
// A fixed count, so that every run ends with a store of the same size (1.5
// million plays): the cost per play grows with the memtable and the files.
BENCHMARK(BM_InsertPlays)->Iterations(150)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace spinlog::storage

BENCHMARK_MAIN();
