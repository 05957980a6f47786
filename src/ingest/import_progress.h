// The progress line of a bulk import on a terminal, e.g.
//   "1,234,567 records  812,345 records/s  45%  ETA 3s"
// (percentage and ETA only when the input's size is known), refreshed in
// place a few times a second by a thread of its own, so that a reader thread
// blocked on a full queue still shows time passing.
//
// Thread-safety: Update may be called from any thread while the reporter
// runs; Stop from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace spinlog::ingest {

struct ProgressSnapshot {
  std::uint64_t records = 0;
  // Input bytes consumed so far.
  std::uint64_t bytes = 0;
  // Input bytes in all, when known.
  std::optional<std::uint64_t> total_bytes;
  // Time since the import started.
  double seconds = 0;
};

// "1234567" -> "1,234,567".
std::string FormatCount(std::uint64_t n);

// The progress line for `snapshot`, without line break or control codes.
// The rate is the average since the start; the ETA assumes it holds.
std::string FormatProgress(const ProgressSnapshot& snapshot);

class ProgressReporter {
 public:
  // Starts the thread that writes FormatProgress to `out` every `interval`,
  // each time over the previous line ("\r", then "\x1b[K" to clear its end).
  // REQUIRES: `out` is a terminal (the control codes mean nothing elsewhere)
  // and outlives the reporter.
  ProgressReporter(std::FILE* out, std::optional<std::uint64_t> total_bytes,
                   std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  ~ProgressReporter();  // Stops (see Stop).
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  // Sets the totals shown next time (not increments).
  void Update(std::uint64_t records, std::uint64_t bytes) {
    records_.store(records, std::memory_order_relaxed);
    bytes_.store(bytes, std::memory_order_relaxed);
  }

  // Stops the thread and erases the line. Idempotent.
  void Stop();

 private:
  void Run();

  std::FILE* const out_;
  const std::optional<std::uint64_t> total_bytes_;
  const std::chrono::milliseconds interval_;
  const std::chrono::steady_clock::time_point start_;
  std::atomic<std::uint64_t> records_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace spinlog::ingest
