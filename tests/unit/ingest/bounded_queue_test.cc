#include "ingest/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace spinlog::ingest {
namespace {

TEST(BoundedQueue, DeliversInOrderThenEndsAfterClose) {
  BoundedQueue<int> queue(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(queue.Push(i));
    queue.Close();
  });
  std::vector<int> got;
  int item;
  while (queue.Pop(&item)) got.push_back(item);
  producer.join();
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[i], i);
}

TEST(BoundedQueue, FullQueueBlocksUntilClosed) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  std::atomic<bool> returned{false};
  bool pushed = true;
  std::thread producer([&] {
    pushed = queue.Push(2);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(returned);
  // A consumer that gives up releases the producer.
  queue.Close();
  producer.join();
  EXPECT_FALSE(pushed);
  // What was queued before the close is still delivered.
  int item = 0;
  EXPECT_TRUE(queue.Pop(&item));
  EXPECT_EQ(item, 1);
  EXPECT_FALSE(queue.Pop(&item));
}

}  // namespace
}  // namespace spinlog::ingest
