// The /metrics page: everything spinlog shows Prometheus, gathered from its
// sources when the page is asked for (nothing is kept twice):
//   spinlog_build_info{version}                gauge, always 1
//   spinlog_process_start_time_seconds         gauge, Unix time
//   spinlog_uptime_seconds                     gauge
//   spinlog_http_*                             see http_metrics.h
//   spinlog_plays_total{outcome}               counter: created, duplicate, conflict, invalid
//   spinlog_ingest_*                           see ingest_metrics.h
//   spinlog_chart_rollup_channel_days          gauge
//   spinlog_chart_rollup_counts                gauge
//   spinlog_chart_cache_bytes                  gauge
//   spinlog_chart_cache_rankings               gauge
//   spinlog_store_<statistic>                  one per Store::Statistics() figure
// docs/operations.md ("Health and metrics") says what each one means.
//
// Thread-safety: RenderMetricsPage may run concurrently; the sources are
// only read.
#pragma once

#include <chrono>
#include <string>

#include "api/access_gate.h"
#include "charts/chart_service.h"
#include "domain/play_service.h"
#include "ingest/play_committer.h"
#include "observability/http_metrics.h"
#include "observability/ingest_metrics.h"
#include "storage/store.h"

namespace spinlog::observability {

struct MetricsSources {
  // Each source may be null: its families are left out. Not owned.
  const HttpMetrics* http = nullptr;
  const domain::PlayService* plays = nullptr;
  // Both or neither.
  const IngestMetrics* ingest = nullptr;
  const ingest::PlayCommitter* committer = nullptr;
  const charts::ChartService* charts = nullptr;
  storage::Store* store = nullptr;
  const api::AccessGate* gate = nullptr;
  // The build's version, e.g. "0.1.0".
  std::string version;
  // When the process started, on both clocks: the wall clock for the start
  // time, the steady one for the uptime (immune to clock changes).
  std::chrono::system_clock::time_point started_at;
  std::chrono::steady_clock::time_point started_steady;
};

// The page in the Prometheus text format (PrometheusText::kContentType).
std::string RenderMetricsPage(const MetricsSources& sources);

}  // namespace spinlog::observability
