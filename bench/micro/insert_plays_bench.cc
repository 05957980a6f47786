// The committer's store write in isolation: RocksDbStore::InsertPlays with
// the batches PlayCommitter hands it under bulk ingest (10,000 new plays: 100
// channels x 100 consecutive plays, random songs of 10,000), on a durable
// store that starts empty and grows; or, as a backfill, the same batches
// between plays stored before. Reports CPU time of the calling thread
// per play ("us/play": on a shared machine this is steadier than
// throughput) and, apart, the CPU of RocksDB's own threads per play
// ("background us/play": flushes and compactions, until the store is closed),
// since both come out of the same two cores under ingest.
//
//   build/bench/insert_plays_bench   (names: BM_InsertPlays/<stored>/<backfill>)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog::storage {
namespace {

constexpr int kChannels = 100;
constexpr int kSongs = 10'000;
constexpr int kPlaysPerChannel = 100;
constexpr UnixMicros kSecond = 1'000'000;

double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double ThreadCpuSeconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// state.range(0): plays already stored (bulk-inserted, two years before the
// measured new plays, on the same channels and songs) when the measured
// batches start, so that flushes compact against existing data as they do
// on a server that holds history.
// state.range(1): 0 for new plays after everything stored, as live and bulk
// ingest send them; 1 for a backfill: every measured play falls between two
// stored ones (REQUIRES plays stored), so each is looked up before it is
// created.
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
  std::vector<PlayRecord> batch;
  const std::int64_t history = state.range(0);
  if (history > 0) {
    constexpr UnixMicros kHistoryStart = 2'145'916'800 * kSecond;  // 2038-01-01
    for (std::int64_t n = 0; n < history; ++n) {
      const UnixMicros at = kHistoryStart + (n / kChannels) * 50 * kSecond;
      batch.push_back({channels[static_cast<std::size_t>(n % kChannels)], at, at + 49 * kSecond,
                       songs[pick(random)]});
    }
    Result<std::vector<PlayInsertResult>> stored = store.BulkInsertPlays(batch);
    if (!stored.ok()) {
      state.SkipWithError(stored.status().message().c_str());
      return;
    }
    batch.clear();
  }
  const bool backfill = state.range(1) != 0;
  if (backfill && history < kChannels * 10'000) {
    state.SkipWithError("a backfill needs 10,000 stored plays per channel");
    return;
  }
  // A backfill's plays start half a second off the stored ones' whole
  // seconds, 33 s apart: 15,000 per channel fit in the stored 500,000 s.
  const UnixMicros step = (backfill ? 33 : 50) * kSecond;
  UnixMicros start =
      backfill ? 2'145'916'800 * kSecond + kSecond / 2 : 2'208'988'800 * kSecond;  // 2038, 2040
  std::int64_t plays = 0;
  const double process_before = ProcessCpuSeconds();
  const double thread_before = ThreadCpuSeconds();
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    // Time-major, as requests from many channels arrive.
    for (int k = 0; k < kPlaysPerChannel; ++k) {
      for (ChannelId channel : channels) {
        batch.push_back(
            {channel, start + k * step, start + k * step + 49 * kSecond, songs[pick(random)]});
      }
    }
    start += kPlaysPerChannel * step;
    state.ResumeTiming();
    Result<std::vector<PlayInsertResult>> results = store.InsertPlays(batch);
    if (!results.ok()) {
      state.SkipWithError(results.status().message().c_str());
      break;
    }
    // Every play is new in both shapes: anything else measures another path.
    if (std::any_of(results->begin(), results->end(), [](const PlayInsertResult& r) {
          return r.outcome != PlayInsertOutcome::kCreated;
        })) {
      state.SkipWithError("a play was not created");
      break;
    }
    plays += static_cast<std::int64_t>(batch.size());
  }
  // Closing waits for the flushes and compactions under way.
  opened->reset();
  const double background =
      (ProcessCpuSeconds() - process_before) - (ThreadCpuSeconds() - thread_before);
  state.counters["background us/play"] =
      benchmark::Counter(plays > 0 ? background * 1e6 / static_cast<double>(plays) : 0);
  state.counters["plays/s"] = benchmark::Counter(static_cast<double>(plays),
                                                 benchmark::Counter::kIsRate);
  state.counters["us/play"] = benchmark::Counter(
      static_cast<double>(plays) * 1e-6,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  std::filesystem::remove_all(path);
}
// A fixed count, so that every run ends with a store of the same size (1.5
// million plays): the cost per play grows with the memtable and the files.
// Args: plays stored before (none, or as many as W1); new plays or a backfill.
BENCHMARK(BM_InsertPlays)
    ->Args({0, 0})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Iterations(150)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace spinlog::storage

BENCHMARK_MAIN();
