// The whole /metrics page from real sources: every family is there once,
// with a HELP and a TYPE line, and sources left null leave theirs out.
#include "observability/metrics_page.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <sstream>
#include <string>

#include "support/scratch_store.h"
#include "support/temp_dir.h"

namespace spinlog::observability {
namespace {

// The names of the families on `page` (its TYPE lines), each checked to
// appear once.
std::set<std::string> Families(const std::string& page) {
  std::set<std::string> names;
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) != 0) continue;
    const std::string name = line.substr(7, line.find(' ', 7) - 7);
    EXPECT_TRUE(names.insert(name).second) << "family twice: " << name;
  }
  return names;
}

TEST(MetricsPage, ProcessFamiliesAlwaysThere) {
  MetricsSources sources;
  sources.version = "1.2.3";
  sources.started_at = std::chrono::system_clock::now();
  sources.started_steady = std::chrono::steady_clock::now();
  const std::string page = RenderMetricsPage(sources);
  EXPECT_EQ(Families(page),
            (std::set<std::string>{"spinlog_build_info", "spinlog_process_start_time_seconds",
                                   "spinlog_uptime_seconds"}));
  EXPECT_NE(page.find("spinlog_build_info{version=\"1.2.3\"} 1\n"), std::string::npos) << page;
}

TEST(MetricsPage, ChartsAndStoreFigures) {
  spinlog::testing::TempDir dir;
  auto store = spinlog::testing::OpenScratchStore(dir.path());
  charts::ChartService charts(store.get());
  ASSERT_TRUE(charts.Rebuild().ok());
  charts.OnPlaysStored(std::vector<storage::PlayRecord>{{1, 0, 60, 7}, {1, 60, 120, 8}});

  MetricsSources sources;
  sources.charts = &charts;
  sources.store = store.get();
  const std::string page = RenderMetricsPage(sources);
  const std::set<std::string> families = Families(page);
  for (const char* name :
       {"spinlog_chart_rollup_channel_days", "spinlog_chart_rollup_counts",
        "spinlog_chart_cache_bytes", "spinlog_chart_cache_rankings",
        "spinlog_store_live_data_bytes", "spinlog_store_memtable_bytes",
        "spinlog_store_pending_compaction_bytes", "spinlog_store_block_cache_usage_bytes",
        "spinlog_store_background_errors_total"}) {
    EXPECT_EQ(families.count(name), 1u) << name << " missing from\n" << page;
  }
  EXPECT_NE(page.find("spinlog_chart_rollup_channel_days 1\n"), std::string::npos) << page;
  EXPECT_NE(page.find("spinlog_chart_rollup_counts 2\n"), std::string::npos) << page;
  EXPECT_NE(page.find("# TYPE spinlog_store_background_errors_total counter\n"), std::string::npos);
  EXPECT_EQ(families.count("spinlog_http_requests_total"), 0u);
  EXPECT_EQ(families.count("spinlog_plays_total"), 0u);
}

TEST(MetricsPage, IngestFiguresFollowTheCommitter) {
  spinlog::testing::TempDir dir;
  auto store = spinlog::testing::OpenScratchStore(dir.path());
  const storage::ChannelId channel = store->UpsertChannel("C", nullptr)->id;
  const storage::SongId song =
      store->UpsertSong(store->UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
  IngestMetrics ingest;
  ingest::PlayCommitterOptions options;
  options.max_queued_plays = 1234;
  {
    ingest::PlayCommitter committer(store.get(), options, nullptr, &ingest);
    MetricsSources sources;
    sources.ingest = &ingest;
    sources.committer = &committer;
    std::atomic<int> answered{0};
    for (int i = 0; i < 3; ++i) {
      const storage::PlayRecord play{channel, i * 60, i * 60 + 50, song};
      ASSERT_TRUE(committer.Submit({play, play}, [&](auto) { ++answered; }).ok());
    }
    committer.Stop();
    ASSERT_EQ(answered.load(), 3);
    // An observer is told of refusals by the committer; told directly here,
    // since filling a real queue needs a store that holds writes back
    // (play_committer_test.cc does that).
    ingest.OnRefused(7);

    const std::string page = RenderMetricsPage(sources);
    const std::set<std::string> families = Families(page);
    for (const char* name :
         {"spinlog_ingest_queued_plays", "spinlog_ingest_queue_limit_plays",
          "spinlog_ingest_refused_total", "spinlog_ingest_refused_plays_total",
          "spinlog_ingest_commit_errors_total", "spinlog_ingest_queue_wait_seconds",
          "spinlog_ingest_commit_seconds", "spinlog_ingest_commit_plays"}) {
      EXPECT_EQ(families.count(name), 1u) << name << " missing from\n" << page;
    }
    EXPECT_NE(page.find("spinlog_ingest_queued_plays 0\n"), std::string::npos) << page;
    EXPECT_NE(page.find("spinlog_ingest_queue_limit_plays 1234\n"), std::string::npos) << page;
    EXPECT_NE(page.find("spinlog_ingest_refused_total 1\n"), std::string::npos) << page;
    EXPECT_NE(page.find("spinlog_ingest_refused_plays_total 7\n"), std::string::npos) << page;
    EXPECT_NE(page.find("spinlog_ingest_commit_errors_total 0\n"), std::string::npos) << page;
    // Every submission waited once; every play went through some commit.
    EXPECT_NE(page.find("spinlog_ingest_queue_wait_seconds_count 3\n"), std::string::npos)
        << page;
    EXPECT_NE(page.find("spinlog_ingest_commit_plays_sum 6\n"), std::string::npos) << page;
    EXPECT_NE(page.find("# TYPE spinlog_ingest_commit_seconds histogram\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace spinlog::observability
