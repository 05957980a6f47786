// The whole /metrics page from real sources: every family is there once,
// with a HELP and a TYPE line, and sources left null leave theirs out.
#include "observability/metrics_page.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace spinlog::observability
