// Kernel of every JSON answer: JsonWriter writing an answer shaped like a
// page of a v1 chart (40 entries of 15 keys, nested objects, short names).
// BM_ChartLikeAnswer runs as long as Google Benchmark decides; its
// "fixed" twin runs exactly 2,000 answers, so that instructions per answer
// can be counted without timing noise:
//   valgrind --tool=callgrind build/bench/json_writer_bench
//       --benchmark_filter=BM_ChartLikeAnswer/iterations:2000   (one line)
// (total instructions / 2,000, less the program's start-up).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "json/json_writer.h"

namespace spinlog {
namespace {

std::string ChartLikeAnswer() {
  json::JsonWriter w;
  w.StartObject();
  w.Key("entries");
  w.StartArray();
  for (int i = 0; i < 40; ++i) {
    w.StartObject();
    w.Key("rank");
    w.Int(i);
    w.Key("song");
    w.StartObject();
    w.Key("id");
    w.Uint(static_cast<std::uint64_t>(i) * 7);
    w.Key("title");
    w.String("He Heard My Circus");
    w.Key("performer");
    w.StartObject();
    w.Key("id");
    w.Uint(static_cast<std::uint64_t>(i));
    w.Key("name");
    w.String("Sam Ward & The Ramblers");
    w.EndObject();
    w.EndObject();
    w.Key("plays");
    w.Int(13793);
    w.Key("previous_plays");
    w.Int(13550);
    w.Key("previous_rank");
    w.Int(1);
    w.Key("movement");
    w.String("same");
    w.Key("peak_rank");
    w.Int(1);
    w.Key("periods_on_chart");
    w.Int(3);
    w.Key("bullet");
    w.Bool(false);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

void BM_ChartLikeAnswer(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = ChartLikeAnswer();
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ChartLikeAnswer);
BENCHMARK(BM_ChartLikeAnswer)->Iterations(2000);

}  // namespace
}  // namespace spinlog

BENCHMARK_MAIN();
