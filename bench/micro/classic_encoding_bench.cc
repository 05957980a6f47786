// Kernels of the classic read endpoints: encoding a week of a channel's plays
// (about 960 rows) and a chart answer, and the datetime formatting they use.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "api/classic/classic_responses.h"
#include "text/datetime.h"

namespace spinlog {
namespace {

std::vector<domain::PlayByNames> WeekOfPlays() {
  std::vector<domain::PlayByNames> plays;
  UnixMicros t = *text::ParseDatetime("2015-06-01T00:00:00");
  for (int i = 0; i < 960; ++i) {
    const UnixMicros length = (400 + (i * 37) % 500) * kMicrosPerSecond;
    // Ids as plays read from the store carry them.
    plays.push_back({"Channel1", "Performer" + std::to_string(i % 10),
                     "Song" + std::to_string(i % 30), t, t + length, 1,
                     static_cast<storage::SongId>(i % 30 + 1)});
    t += length;
  }
  return plays;
}

void BM_ChannelPlaysResponse(benchmark::State& state) {
  std::vector<domain::PlayByNames> plays = WeekOfPlays();
  std::size_t bytes = 0;
  for (auto _ : state) {
    http::Response response = api::classic::ChannelPlaysResponse(plays);
    bytes += response.body.size();
    benchmark::DoNotOptimize(response);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ChannelPlaysResponse);

void BM_TopResponse(benchmark::State& state) {
  std::vector<charts::ChartEntry> chart;
  for (int i = 0; i < 10; ++i) {
    charts::ChartEntry e;
    e.performer = "Performer" + std::to_string(i);
    e.title = "Song" + std::to_string(i);
    e.rank = i;
    e.plays = 1000 - i;
    if (i % 2) e.previous_rank = i + 1;
    chart.push_back(e);
  }
  for (auto _ : state) {
    http::Response response = api::classic::TopResponse(chart);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_TopResponse);

void BM_AppendDatetimeSeconds(benchmark::State& state) {
  UnixMicros t = *text::ParseDatetime("2015-06-01T00:00:00");
  std::string out;
  for (auto _ : state) {
    out.clear();
    text::AppendDatetimeSeconds(t, &out);
    t += 631 * kMicrosPerSecond;
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_AppendDatetimeSeconds);

}  // namespace
}  // namespace spinlog

BENCHMARK_MAIN();
