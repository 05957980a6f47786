// IngestMetrics: what the play committer (group commit of plays) did, for
// the /metrics page: how long submissions waited in its queue, how long
// each store write took and how many plays it held, and how often the queue
// was full. An operator reads from them where ingest time goes (queue or
// store) and whether writers are being turned away (503).
//   spinlog_ingest_queued_plays            gauge: plays waiting now
//   spinlog_ingest_queue_limit_plays       gauge: most that may wait
//   spinlog_ingest_refused_total           counter: submissions refused, queue full
//   spinlog_ingest_refused_plays_total     counter: the plays they held
//   spinlog_ingest_commit_errors_total     counter: store writes that failed
//   spinlog_ingest_queue_wait_seconds      histogram, per submission
//   spinlog_ingest_commit_seconds          histogram, per store write
//   spinlog_ingest_commit_plays            histogram, plays per store write
//
// Thread-safety: the observer calls may come from several committer threads
// at once, and Write may run concurrently with them (relaxed atomics).
#pragma once

#include <atomic>
#include <cstdint>

#include "ingest/play_committer.h"
#include "observability/histogram.h"
#include "observability/prometheus_text.h"

namespace spinlog::observability {

class IngestMetrics : public ingest::CommitterObserver {
 public:
  IngestMetrics();

  void OnCommit(const ingest::CommitReport& report) override;
  void OnRefused(std::size_t plays) override;

  // Writes the families above; the gauges come from `committer`.
  void Write(const ingest::PlayCommitter& committer, PrometheusText& page) const;

 private:
  Histogram queue_wait_;   // microseconds
  Histogram commit_time_;  // microseconds
  Histogram commit_plays_;
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> refused_plays_{0};
  std::atomic<std::uint64_t> commit_errors_{0};
};

}  // namespace spinlog::observability
