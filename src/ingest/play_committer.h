// PlayCommitter: group commit for plays. Request threads submit batches of
// plays; a committer thread takes everything queued, writes it to the store
// as one durable write (one WAL sync for many requests), tells the listener
// what was stored, and only then calls each submitter back.
//
// Why one thread by default: the store's idempotency check and its write
// happen in one place, in order, so concurrent submissions of the same
// (channel, start) resolve to one created play and the others see it as
// duplicate or conflict. A store that resolves that itself across
// concurrent writes (Store::ConcurrentPlayWrites above 1: PostgreSQL, whose
// every write is a network round trip; RocksDB, which checks one group while
// it writes another) gets that many committer threads, each writing the
// group it took while the others write theirs.
//
// The queue is bounded: when it is full, Submit fails at once with
// ResourceExhausted instead of letting memory grow.
//
// Submitters are called back on a completion thread, in commit order: what they
// do with their results (build an answer of thousands of items) must not
// hold up the next commit. The listener hears of each commit on that thread
// too, before the commit's submitters: the committer thread is the one that
// limits bulk ingest (docs/benchmarks.md), so it only writes.
//
// Thread-safety: Submit and QueuedPlays may be called from any thread; Stop
// from one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "common/result.h"
#include "storage/store.h"

namespace spinlog::ingest {

struct PlayCommitterOptions {
  // Most plays waiting to be written; beyond it Submit fails. Default: 200000 plays
  std::size_t max_queued_plays = 200'000;
  // Most plays written in one store write. Default: 10000 plays
  std::size_t max_batch_plays = 10'000;
  // Most submissions written but not yet called back; beyond it the
  // committer waits, so a slow answerer cannot make memory grow.
  // Default: 10000 submissions
  std::size_t max_pending_completions = 10'000;
  // Committer threads, each writing one group at a time. More than one only
  // for a store whose concurrent InsertPlays stay exact
  // (Store::ConcurrentPlayWrites). Default: 1
  std::size_t writers = 1;
};

// What one store write of the committer held and took, for metrics.
struct CommitReport {
  std::size_t plays = 0;
  // Submissions written together, and how long each waited in the queue
  // (from Submit until the committer took it), in queue order.
  std::span<const std::chrono::nanoseconds> queue_waits;
  // The store write itself: the idempotency check, the write and its WAL sync.
  std::chrono::nanoseconds write_time{0};
  bool ok = true;  // false when the store answered an error
};

// Told of every commit and refusal, on the committer's own threads (several
// with PlayCommitterOptions::writers above 1): implementations must be
// thread-safe and cheap, since a slow one holds up the next commit.
class CommitterObserver {
 public:
  virtual ~CommitterObserver() = default;
  virtual void OnCommit(const CommitReport& report) = 0;
  // A submission of `plays` was refused because the queue was full.
  virtual void OnRefused(std::size_t plays) = 0;
};

// Called on the completion thread, once per commit in commit order (with
// several writers: in the order their writes ended), after the
// write is durable, with the plays that were created (not duplicates or
// conflicts), before any submitter of that commit hears.
using StoredListener = std::function<void(std::span<const storage::PlayRecord> created)>;

// Receives one result per submitted play, in order, or the store's error.
using CommitCallback = std::function<void(Result<std::vector<storage::PlayInsertResult>>)>;

class PlayCommitter {
 public:
  // REQUIRES: `store` and `observer` (may be null) outlive the committer.
  PlayCommitter(storage::Store* store, PlayCommitterOptions options, StoredListener on_stored,
                CommitterObserver* observer = nullptr);
  ~PlayCommitter();  // Stops (see Stop).
  PlayCommitter(const PlayCommitter&) = delete;
  PlayCommitter& operator=(const PlayCommitter&) = delete;

  // Queues `plays` to be written; `done` is called later on the completion
  // thread. Returns ResourceExhausted when the queue is full and Unavailable
  // after Stop; `done` is not called then.
  // REQUIRES: the plays satisfy Store::InsertPlays' requirements.
  Status Submit(std::vector<storage::PlayRecord> plays, CommitCallback done);

  // Plays submitted and not yet taken by a committer thread.
  std::size_t QueuedPlays() const;
  const PlayCommitterOptions& options() const { return options_; }

  // Writes everything already queued, answers its submitters, and ends the
  // committer thread. Later Submit calls fail with Unavailable.
  void Stop();

 private:
  struct Pending {
    std::vector<storage::PlayRecord> plays;
    CommitCallback done;
    std::chrono::steady_clock::time_point queued_at;
  };

  struct Completion {
    CommitCallback done;
    Result<std::vector<storage::PlayInsertResult>> results;
    // The plays the commit created, for the listener: on the first
    // completion of each commit only.
    std::vector<storage::PlayRecord> created;
  };

  void Run();
  // `taken_at`: when the group left the queue.
  void Commit(std::vector<Pending>& group, std::chrono::steady_clock::time_point taken_at);
  // Hands finished submissions to the completion thread.
  void Complete(std::vector<Completion> finished);
  void RunCompletions();

  storage::Store* store_;
  const PlayCommitterOptions options_;
  StoredListener on_stored_;
  CommitterObserver* const observer_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;      // guarded by mutex_
  std::size_t queued_plays_ = 0;   // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  std::vector<std::thread> writers_;

  std::mutex completion_mutex_;
  std::condition_variable completion_wake_;
  std::condition_variable completion_room_;  // the committer waits for room
  std::deque<Completion> completions_;  // guarded by completion_mutex_
  bool completions_done_ = false;       // guarded by completion_mutex_
  std::thread completion_thread_;
};

}  // namespace spinlog::ingest
