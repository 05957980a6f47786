#include "observability/metrics_page.h"

#include "observability/prometheus_text.h"

namespace spinlog::observability {
namespace {

using Type = PrometheusText::Type;

double Seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

void WriteProcess(const MetricsSources& sources, PrometheusText& page) {
  page.Family("spinlog_build_info", Type::kGauge,
              "Always 1; the labels say which build is running.");
  page.Sample("spinlog_build_info", {{"version", sources.version}}, std::uint64_t{1});
  page.Family("spinlog_process_start_time_seconds", Type::kGauge,
              "When the process started, in seconds since the Unix epoch.");
  page.Sample("spinlog_process_start_time_seconds", {},
              Seconds(sources.started_at.time_since_epoch()));
  page.Family("spinlog_uptime_seconds", Type::kGauge, "Seconds since the process started.");
  page.Sample("spinlog_uptime_seconds", {},
              Seconds(std::chrono::steady_clock::now() - sources.started_steady));
}

void WritePlays(const domain::PlayService& plays, PrometheusText& page) {
  page.Family("spinlog_plays_total", Type::kCounter,
              "Plays given an outcome by the play service (single and batch writes), by "
              "outcome; plays whose fields did not decode are not counted.");
  const auto counts = plays.OutcomeCounts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    page.Sample("spinlog_plays_total",
                {{"outcome", domain::PlayOutcomeName(static_cast<domain::PlayOutcome>(i))}},
                counts[i]);
  }
}

void WriteCharts(const charts::ChartService& charts, PrometheusText& page) {
  const charts::ChartService::Sizes sizes = charts.Measure();
  const struct {
    const char* name;
    const char* help;
    std::size_t value;
  } figures[] = {
      {"spinlog_chart_rollup_channel_days",
       "(channel, day) lists of play counts held in memory for charts.", sizes.rollup.channel_days},
      {"spinlog_chart_rollup_counts",
       "Play counts held in memory for charts, one per distinct (channel, day, song).",
       sizes.rollup.counts},
      {"spinlog_chart_cache_bytes",
       "Bytes of counted chart periods kept for reuse (bounded by --chart-cache-mb).",
       sizes.ranking_cache_bytes},
      {"spinlog_chart_cache_rankings", "Counted chart periods kept for reuse.",
       sizes.ranking_cache_entries},
  };
  for (const auto& figure : figures) {
    page.Family(figure.name, Type::kGauge, figure.help);
    page.Sample(figure.name, {}, static_cast<std::uint64_t>(figure.value));
  }
}

void WriteStore(storage::Store& store, PrometheusText& page) {
  for (const storage::StoreStatistic& statistic : store.Statistics()) {
    const std::string name = "spinlog_store_" + statistic.name;
    page.Family(name, statistic.is_counter ? Type::kCounter : Type::kGauge, statistic.help);
    page.Sample(name, {}, statistic.value);
  }
}

void WriteGate(const api::AccessGate& gate, PrometheusText& page) {
  page.Family("spinlog_requests_refused_total", Type::kCounter,
              "Requests refused before their handler, by reason: unauthorized (401, no valid "
              "token), forbidden (403, a token without the scope) and rate_limited (429).");
  page.Sample("spinlog_requests_refused_total", {{"reason", "unauthorized"}}, gate.unauthorized());
  page.Sample("spinlog_requests_refused_total", {{"reason", "forbidden"}}, gate.forbidden());
  page.Sample("spinlog_requests_refused_total", {{"reason", "rate_limited"}}, gate.rate_limited());
}

}  // namespace

std::string RenderMetricsPage(const MetricsSources& sources) {
  PrometheusText page;
  WriteProcess(sources, page);
  if (sources.http != nullptr) sources.http->Write(page);
  if (sources.plays != nullptr) WritePlays(*sources.plays, page);
  if (sources.ingest != nullptr && sources.committer != nullptr) {
    sources.ingest->Write(*sources.committer, page);
  }
  if (sources.charts != nullptr) WriteCharts(*sources.charts, page);
  if (sources.store != nullptr) WriteStore(*sources.store, page);
  if (sources.gate != nullptr) WriteGate(*sources.gate, page);
  return page.Take();
}

}  // namespace spinlog::observability
