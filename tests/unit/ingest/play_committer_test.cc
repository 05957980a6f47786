// PlayCommitter over a real store: every submitter hears back once, in
// submission order, after its plays are stored and counted; Stop answers
// what was queued; a full queue refuses at once; several writers write at
// once and still create each play once.
#include "ingest/play_committer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"
#include "support/forwarding_store.h"
#include "support/temp_dir.h"

namespace spinlog::ingest {
namespace {

class PlayCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::RocksDbStoreOptions options;
    options.path = dir_.path() + "/db";
    options.sync_writes = false;
    store_ = std::move(storage::OpenRocksDbStore(options)).value();
    channel_ = store_->UpsertChannel("C", nullptr)->id;
    const storage::PerformerId p = store_->UpsertPerformer("P", nullptr)->id;
    song_ = store_->UpsertSong(p, "S", nullptr)->id;
  }
  storage::PlayRecord Play(int i) const {
    return {channel_, i * kMicrosPerSecond, (i + 1) * kMicrosPerSecond, song_};
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  storage::ChannelId channel_ = 0;
  storage::SongId song_ = 0;
};

TEST_F(PlayCommitterTest, AnswersInOrderAfterStoringAndCounting) {
  std::mutex mutex;
  std::vector<int> order;
  std::atomic<int> counted{0};
  {
    PlayCommitter committer(store_.get(), {}, [&](std::span<const storage::PlayRecord> created) {
      counted += static_cast<int>(created.size());
    });
    for (int i = 0; i < 200; ++i) {
      // Every third submission repeats the previous one: a duplicate.
      const int play = i % 3 == 2 ? i - 1 : i;
      ASSERT_TRUE(committer
                      .Submit({Play(play)},
                              [&, i, play](Result<std::vector<storage::PlayInsertResult>> r) {
                                ASSERT_TRUE(r.ok());
                                ASSERT_EQ(r->size(), 1u);
                                EXPECT_EQ((*r)[0].outcome, i % 3 == 2
                                                               ? storage::PlayInsertOutcome::kDuplicate
                                                               : storage::PlayInsertOutcome::kCreated);
                                // Counted before anyone hears.
                                EXPECT_GE(counted.load(), play - play / 3);
                                std::lock_guard lock(mutex);
                                order.push_back(i);
                              })
                      .ok());
    }
    committer.Stop();  // answers everything queued
    EXPECT_EQ(committer.Submit({Play(999)}, [](auto) { FAIL() << "called after Stop"; }).code(),
              StatusCode::kUnavailable);
  }
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(counted.load(), 200 - 200 / 3);
}

TEST_F(PlayCommitterTest, AFullQueueRefusesAtOnce) {
  PlayCommitterOptions options;
  options.max_queued_plays = 10;
  options.max_pending_completions = 1;
  std::atomic<bool> release{false};
  std::atomic<int> answered{0};
  PlayCommitter committer(store_.get(), options, [&](std::span<const storage::PlayRecord>) {
    // Hold the completion thread, so that completions pile up, the committer
    // waits for room, and then the queue fills.
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  auto done = [&](Result<std::vector<storage::PlayInsertResult>>) { ++answered; };
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
  ASSERT_TRUE(committer.Submit({Play(0)}, done).ok());  // its listener call waits
  settle();
  ASSERT_TRUE(committer.Submit({Play(1)}, done).ok());  // its completion takes the one slot
  settle();
  ASSERT_TRUE(committer.Submit({Play(2)}, done).ok());  // written; the committer waits for room
  settle();
  std::vector<storage::PlayRecord> ten;
  for (int i = 3; i <= 12; ++i) ten.push_back(Play(i));
  ASSERT_TRUE(committer.Submit(ten, done).ok());
  EXPECT_EQ(committer.Submit({Play(13)}, done).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(answered.load(), 0);
  release = true;
  committer.Stop();
  EXPECT_EQ(answered.load(), 4);
}

// A store whose InsertPlays waits (once, up to 5 s) until `expected` calls
// are in flight at once, and records the most it saw.
class OverlapStore final : public testing::ForwardingStore {
 public:
  OverlapStore(storage::Store* store, int expected) : ForwardingStore(store), expected_(expected) {}
  int most_at_once() const {
    std::lock_guard lock(mutex_);
    return most_;
  }
  // Waits (up to 5 s) until a call is in InsertPlays.
  void AwaitAWrite() {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, std::chrono::seconds(5), [this] { return now_ > 0; });
  }
  Result<std::vector<storage::PlayInsertResult>> InsertPlays(
      std::span<const storage::PlayRecord> plays) override {
    {
      std::unique_lock lock(mutex_);
      ++now_;
      most_ = std::max(most_, now_);
      arrived_.notify_all();
      // After one wait in vain, the others do not wait: the test fails fast.
      if (!arrived_.wait_for(lock, std::chrono::seconds(5),
                             [this] { return gave_up_ || most_ >= expected_; })) {
        gave_up_ = true;
      }
    }
    Result<std::vector<storage::PlayInsertResult>> results = store_->InsertPlays(plays);
    std::lock_guard lock(mutex_);
    --now_;
    return results;
  }

 private:
  const int expected_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  int now_ = 0;   // guarded by mutex_
  int most_ = 0;  // guarded by mutex_
  bool gave_up_ = false;  // guarded by mutex_
};

TEST_F(PlayCommitterTest, SeveralWritersWriteAtOnceAndCreateEachPlayOnce) {
  OverlapStore overlap(store_.get(), 2);
  PlayCommitterOptions options;
  options.writers = 2;
  std::atomic<int> counted{0};
  std::mutex mutex;
  std::map<int, int> created;  // play -> submissions answered created
  int answered = 0;
  {
    PlayCommitter committer(&overlap, options, [&](std::span<const storage::PlayRecord> plays) {
      counted += static_cast<int>(plays.size());
    });
    // A first write, which waits for a second one: the other submissions
    // can only reach the store through the second writer.
    ASSERT_TRUE(committer.Submit({Play(1000)}, [](auto) {}).ok());
    overlap.AwaitAWrite();
    // Every play is submitted twice, from two threads.
    std::vector<std::thread> submitters;
    for (int t = 0; t < 2; ++t) {
      submitters.emplace_back([&] {
        for (int i = 0; i < 100; ++i) {
          ASSERT_TRUE(committer
                          .Submit({Play(i)},
                                  [&, i](Result<std::vector<storage::PlayInsertResult>> r) {
                                    ASSERT_TRUE(r.ok());
                                    std::lock_guard lock(mutex);
                                    ++answered;
                                    if ((*r)[0].outcome == storage::PlayInsertOutcome::kCreated) {
                                      ++created[i];
                                    } else {
                                      EXPECT_EQ((*r)[0].outcome,
                                                storage::PlayInsertOutcome::kDuplicate);
                                    }
                                  })
                          .ok());
        }
      });
    }
    for (std::thread& t : submitters) t.join();
    committer.Stop();
  }
  EXPECT_EQ(overlap.most_at_once(), 2);
  EXPECT_EQ(answered, 200);
  EXPECT_EQ(created.size(), 100u);
  for (const auto& [play, times] : created) EXPECT_EQ(times, 1) << "play " << play;
  EXPECT_EQ(counted.load(), 101);
}

}  // namespace
}  // namespace spinlog::ingest

namespace spinlog::ingest {
namespace {

// Records what the committer reports.
class RecordingObserver final : public CommitterObserver {
 public:
  struct Commit {
    std::size_t plays;
    std::vector<std::chrono::nanoseconds> waits;
    std::chrono::nanoseconds write_time;
    bool ok;
  };
  void OnCommit(const CommitReport& report) override {
    std::lock_guard lock(mutex_);
    commits_.push_back({report.plays,
                        {report.queue_waits.begin(), report.queue_waits.end()},
                        report.write_time,
                        report.ok});
  }
  void OnRefused(std::size_t plays) override {
    std::lock_guard lock(mutex_);
    refused_.push_back(plays);
  }
  std::vector<Commit> commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }
  std::vector<std::size_t> refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Commit> commits_;      // guarded by mutex_
  std::vector<std::size_t> refused_;  // guarded by mutex_
};

// A store whose first InsertPlays waits until Release (or 5 s), so that
// later submissions pile up in the committer's queue; later calls fail when
// `fail_after_first` is set.
class GateStore final : public testing::ForwardingStore {
 public:
  GateStore(storage::Store* store, bool fail_after_first)
      : ForwardingStore(store), fail_after_first_(fail_after_first) {}
  void AwaitFirstWrite() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(5), [this] { return calls_ > 0; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  Result<std::vector<storage::PlayInsertResult>> InsertPlays(
      std::span<const storage::PlayRecord> plays) override {
    {
      std::unique_lock lock(mutex_);
      if (++calls_ > 1 && fail_after_first_) return Status::IOError("the disk is gone");
      changed_.notify_all();
      changed_.wait_for(lock, std::chrono::seconds(5), [this] { return released_; });
    }
    return store_->InsertPlays(plays);
  }

 private:
  const bool fail_after_first_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;          // guarded by mutex_
  bool released_ = false;  // guarded by mutex_
};

TEST_F(PlayCommitterTest, TellsTheObserverWhatEachCommitHeldAndHowLongItsSubmissionsWaited) {
  GateStore gate(store_.get(), /*fail_after_first=*/false);
  RecordingObserver observer;
  std::atomic<int> answered{0};
  auto done = [&](Result<std::vector<storage::PlayInsertResult>> r) {
    EXPECT_TRUE(r.ok());
    ++answered;
  };
  {
    PlayCommitter committer(&gate, {}, nullptr, &observer);
    ASSERT_TRUE(committer.Submit({Play(0)}, done).ok());
    gate.AwaitFirstWrite();  // the first commit holds one submission
    ASSERT_TRUE(committer.Submit({Play(1), Play(2)}, done).ok());
    ASSERT_TRUE(committer.Submit({Play(3), Play(4), Play(5)}, done).ok());
    EXPECT_EQ(committer.QueuedPlays(), 5u);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    gate.Release();
    committer.Stop();
    EXPECT_EQ(committer.QueuedPlays(), 0u);
  }
  EXPECT_EQ(answered.load(), 3);
  const std::vector<RecordingObserver::Commit> commits = observer.commits();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].plays, 1u);
  EXPECT_EQ(commits[0].waits.size(), 1u);
  EXPECT_TRUE(commits[0].ok);
  // The first write waited for the release, the two queued behind it at
  // least the 20 ms before it: both measured.
  EXPECT_GE(commits[0].write_time, std::chrono::milliseconds(20));
  EXPECT_EQ(commits[1].plays, 5u);
  ASSERT_EQ(commits[1].waits.size(), 2u);
  for (const std::chrono::nanoseconds wait : commits[1].waits) {
    EXPECT_GE(wait, std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(commits[1].ok);
  EXPECT_TRUE(observer.refused().empty());
}

TEST_F(PlayCommitterTest, TellsTheObserverOfRefusalsAndFailedWrites) {
  GateStore gate(store_.get(), /*fail_after_first=*/true);
  RecordingObserver observer;
  PlayCommitterOptions options;
  options.max_queued_plays = 3;
  std::atomic<int> failed{0};
  {
    PlayCommitter committer(&gate, options, nullptr, &observer);
    ASSERT_TRUE(committer.Submit({Play(0)}, [](auto) {}).ok());
    gate.AwaitFirstWrite();
    ASSERT_TRUE(committer
                    .Submit({Play(1), Play(2)},
                            [&](Result<std::vector<storage::PlayInsertResult>> r) {
                              if (!r.ok()) ++failed;
                            })
                    .ok());
    EXPECT_EQ(committer.Submit({Play(3), Play(4)}, [](auto) { FAIL() << "refused"; }).code(),
              StatusCode::kResourceExhausted);
    gate.Release();
    committer.Stop();
  }
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(observer.refused(), std::vector<std::size_t>{2});
  const std::vector<RecordingObserver::Commit> commits = observer.commits();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_TRUE(commits[0].ok);
  EXPECT_FALSE(commits[1].ok);
  EXPECT_EQ(commits[1].plays, 2u);
}

}  // namespace
}  // namespace spinlog::ingest
