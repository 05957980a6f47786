#include "observability/ingest_metrics.h"

#include <chrono>

namespace spinlog::observability {
namespace {

// Queue waits and store writes, in microseconds: a durable write of one
// play takes a WAL sync (a fraction of a millisecond on a local SSD), a
// group of 10,000 plays some tens of milliseconds; waits grow with the
// queue up to seconds when writers outrun the store.
constexpr std::uint64_t kTimeBoundsMicros[] = {
    50,    100,    250,    500,    1000,    2500,    5000,   10000,
    25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000};
// Plays per store write: one for a lone add_play, up to the committer's
// batch limit (10,000 by default) under bulk ingest.
constexpr std::uint64_t kPlayBounds[] = {1, 2, 5, 10, 50, 100, 500, 1000, 2000, 5000, 10000};
constexpr double kMicrosPerSecond = 1e6;

std::uint64_t Micros(std::chrono::nanoseconds duration) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return micros > 0 ? static_cast<std::uint64_t>(micros) : 0;
}

using Type = PrometheusText::Type;

}  // namespace

IngestMetrics::IngestMetrics()
    : queue_wait_(kTimeBoundsMicros), commit_time_(kTimeBoundsMicros), commit_plays_(kPlayBounds) {}

void IngestMetrics::OnCommit(const ingest::CommitReport& report) {
  for (const std::chrono::nanoseconds wait : report.queue_waits) queue_wait_.Observe(Micros(wait));
  commit_time_.Observe(Micros(report.write_time));
  commit_plays_.Observe(report.plays);
  if (!report.ok) commit_errors_.fetch_add(1, std::memory_order_relaxed);
}

void IngestMetrics::OnRefused(std::size_t plays) {
  refused_.fetch_add(1, std::memory_order_relaxed);
  refused_plays_.fetch_add(plays, std::memory_order_relaxed);
}

void IngestMetrics::Write(const ingest::PlayCommitter& committer, PrometheusText& page) const {
  page.Family("spinlog_ingest_queued_plays", Type::kGauge,
              "Plays accepted by a write request and waiting for the committer (group commit).");
  page.Sample("spinlog_ingest_queued_plays", {},
              static_cast<std::uint64_t>(committer.QueuedPlays()));
  page.Family("spinlog_ingest_queue_limit_plays", Type::kGauge,
              "Most plays that may wait for the committer; a write that would pass it is "
              "answered 503 with Retry-After.");
  page.Sample("spinlog_ingest_queue_limit_plays", {},
              static_cast<std::uint64_t>(committer.options().max_queued_plays));
  page.Family("spinlog_ingest_refused_total", Type::kCounter,
              "Write requests refused (503) because the committer's queue was full.");
  page.Sample("spinlog_ingest_refused_total", {}, refused_.load(std::memory_order_relaxed));
  page.Family("spinlog_ingest_refused_plays_total", Type::kCounter,
              "Plays in the write requests refused because the committer's queue was full.");
  page.Sample("spinlog_ingest_refused_plays_total", {},
              refused_plays_.load(std::memory_order_relaxed));
  page.Family("spinlog_ingest_commit_errors_total", Type::kCounter,
              "Store writes of the committer that failed (their requests were answered 5xx).");
  page.Sample("spinlog_ingest_commit_errors_total", {},
              commit_errors_.load(std::memory_order_relaxed));

  page.Family("spinlog_ingest_queue_wait_seconds", Type::kHistogram,
              "Time a write request's plays waited in the committer's queue before their "
              "store write began.");
  page.HistogramSamples("spinlog_ingest_queue_wait_seconds", {}, queue_wait_.Take(),
                        kTimeBoundsMicros, kMicrosPerSecond);
  page.Family("spinlog_ingest_commit_seconds", Type::kHistogram,
              "Time of each store write of the committer: the idempotency check, the write and, "
              "when durable, its log sync.");
  page.HistogramSamples("spinlog_ingest_commit_seconds", {}, commit_time_.Take(),
                        kTimeBoundsMicros, kMicrosPerSecond);
  page.Family("spinlog_ingest_commit_plays", Type::kHistogram,
              "Plays in each store write of the committer (the requests it grouped).");
  page.HistogramSamples("spinlog_ingest_commit_plays", {}, commit_plays_.Take(), kPlayBounds, 1);
}

}  // namespace spinlog::observability
