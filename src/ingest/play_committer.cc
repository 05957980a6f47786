#include "ingest/play_committer.h"

#include <algorithm>
#include <utility>

#include "common/thread_name.h"

namespace spinlog::ingest {

PlayCommitter::PlayCommitter(storage::Store* store, PlayCommitterOptions options,
                             StoredListener on_stored, CommitterObserver* observer)
    : store_(store), options_(options), on_stored_(std::move(on_stored)), observer_(observer) {
  completion_thread_ = std::thread([this] {
    NameCurrentThread("play-answers");
    RunCompletions();
  });
  const std::size_t writers = std::max<std::size_t>(options_.writers, 1);
  for (std::size_t i = 0; i < writers; ++i) {
    writers_.emplace_back([this] {
      NameCurrentThread("play-commit");
      Run();
    });
  }
}

PlayCommitter::~PlayCommitter() { Stop(); }

Status PlayCommitter::Submit(std::vector<storage::PlayRecord> plays, CommitCallback done) {
  const std::size_t count = plays.size();
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status::Unavailable("the server is shutting down");
    // A batch larger than the whole queue is still taken when the queue is
    // empty, so that no valid batch is refused forever.
    full = queued_plays_ > 0 && queued_plays_ + count > options_.max_queued_plays;
    if (!full) {
      queued_plays_ += count;
      queue_.push_back(
          Pending{std::move(plays), std::move(done), std::chrono::steady_clock::now()});
    }
  }
  if (full) {
    if (observer_ != nullptr) observer_->OnRefused(count);
    return Status::ResourceExhausted("too many plays are waiting to be written");
  }
  wake_.notify_one();
  return Status::OK();
}

std::size_t PlayCommitter::QueuedPlays() const {
  std::lock_guard lock(mutex_);
  return queued_plays_;
}

void PlayCommitter::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && writers_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& writer : writers_) writer.join();
  writers_.clear();
  // Every commit is done: let the completion thread answer them and end.
  {
    std::lock_guard lock(completion_mutex_);
    completions_done_ = true;
  }
  completion_wake_.notify_one();
  if (completion_thread_.joinable()) completion_thread_.join();
}

void PlayCommitter::Complete(std::vector<Completion> finished) {
  {
    std::unique_lock lock(completion_mutex_);
    completion_room_.wait(lock, [this] {
      return completions_.size() < options_.max_pending_completions;
    });
    for (Completion& c : finished) completions_.push_back(std::move(c));
  }
  completion_wake_.notify_one();
}

void PlayCommitter::RunCompletions() {
  for (;;) {
    std::deque<Completion> batch;
    {
      std::unique_lock lock(completion_mutex_);
      completion_wake_.wait(lock, [this] { return completions_done_ || !completions_.empty(); });
      if (completions_.empty()) return;  // done, and everyone answered
      batch.swap(completions_);
    }
    completion_room_.notify_one();
    for (Completion& c : batch) {
      if (!c.created.empty() && on_stored_) on_stored_(c.created);
      c.done(std::move(c.results));
    }
  }
}

void PlayCommitter::Run() {
  std::vector<Pending> group;
  for (;;) {
    std::chrono::steady_clock::time_point taken_at;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is written
      // Take whole submissions up to the batch size (at least one).
      std::size_t taken = 0;
      while (!queue_.empty() &&
             (group.empty() || taken + queue_.front().plays.size() <= options_.max_batch_plays)) {
        taken += queue_.front().plays.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_plays_ -= taken;
      taken_at = std::chrono::steady_clock::now();
    }
    Commit(group, taken_at);
    group.clear();
  }
}

void PlayCommitter::Commit(std::vector<Pending>& group,
                           std::chrono::steady_clock::time_point taken_at) {
  std::vector<storage::PlayRecord> all;
  for (const Pending& p : group) all.insert(all.end(), p.plays.begin(), p.plays.end());

  const auto write_started = std::chrono::steady_clock::now();
  Result<std::vector<storage::PlayInsertResult>> results = store_->InsertPlays(all);
  if (observer_ != nullptr) {
    std::vector<std::chrono::nanoseconds> waits;
    waits.reserve(group.size());
    for (const Pending& p : group) waits.push_back(taken_at - p.queued_at);
    observer_->OnCommit(CommitReport{all.size(), waits,
                                     std::chrono::steady_clock::now() - write_started,
                                     results.ok()});
  }
  std::vector<Completion> finished;
  finished.reserve(group.size());
  if (!results.ok()) {
    for (Pending& p : group) finished.push_back({std::move(p.done), results.status(), {}});
    Complete(std::move(finished));
    return;
  }

  std::vector<storage::PlayRecord> created;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if ((*results)[i].outcome == storage::PlayInsertOutcome::kCreated) created.push_back(all[i]);
  }

  std::size_t offset = 0;
  for (Pending& p : group) {
    std::vector<storage::PlayInsertResult> mine(results->begin() + offset,
                                                results->begin() + offset + p.plays.size());
    offset += p.plays.size();
    finished.push_back({std::move(p.done), std::move(mine), {}});
  }
  finished.front().created = std::move(created);
  Complete(std::move(finished));
}

}  // namespace spinlog::ingest
