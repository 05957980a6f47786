// PlayCommitter over a real store: every submitter hears back once, in
// submission order, after its plays are stored and counted; Stop answers
// what was queued; a full queue refuses at once.
#include "ingest/play_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/rocksdb/rocksdb_store.h"
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

}  // namespace
}  // namespace spinlog::ingest
