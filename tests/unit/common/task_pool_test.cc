// TaskPool: tasks run on the pool's threads, several at once, and every task
// posted before the pool is destroyed runs.
#include "common/task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace spinlog {
namespace {

TEST(TaskPool, RunsTasksOnItsThreadsSeveralAtOnce) {
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  bool overlapped = false;
  std::atomic<bool> on_caller{false};
  const std::thread::id caller = std::this_thread::get_id();
  {
    TaskPool pool(2, "test-pool");
    EXPECT_EQ(pool.size(), 2u);
    for (int i = 0; i < 2; ++i) {
      pool.Post([&] {
        if (std::this_thread::get_id() == caller) on_caller = true;
        std::unique_lock lock(mutex);
        ++running;
        changed.notify_all();
        // Each waits (at most 5 s) for the other: both must run at once.
        overlapped |= changed.wait_for(lock, std::chrono::seconds(5), [&] { return running == 2; });
      });
    }
  }
  EXPECT_TRUE(overlapped);
  EXPECT_FALSE(on_caller.load());
}

TEST(TaskPool, RunsEveryPostedTaskBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    TaskPool pool(1, "test-pool");
    for (int i = 0; i < 1000; ++i) pool.Post([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 1000);
}

}  // namespace
}  // namespace spinlog
