// Thread names (thread_name.h): what ps and perf show for a thread.
#include "common/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <string_view>
#include <thread>

#include "common/task_pool.h"

namespace spinlog {
namespace {

std::string CurrentName() {
  char name[64] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

// The name a new thread has after naming itself `name`.
std::string NameOfAThreadNamed(std::string_view name) {
  std::string seen;
  std::thread named([&] {
    NameCurrentThread(name);
    seen = CurrentName();
  });
  named.join();
  return seen;
}

TEST(ThreadName, NamesTheCallingThreadOnly) {
  const std::string before = CurrentName();
  EXPECT_EQ(NameOfAThreadNamed("play-commit"), "play-commit");
  EXPECT_EQ(CurrentName(), before);
}

TEST(ThreadName, CutsALongNameToWhatLinuxKeeps) {
  EXPECT_EQ(NameOfAThreadNamed("a-name-longer-than-fifteen-bytes"), "a-name-longer-t");
}

TEST(ThreadName, TaskPoolThreadsCarryThePoolsName) {
  std::string seen;
  {
    // A name that is gone once the pool is built: the pool keeps a copy.
    TaskPool pool(1, std::string("store-") + "waits");
    pool.Post([&] { seen = CurrentName(); });
  }
  EXPECT_EQ(seen, "store-waits");
}

}  // namespace
}  // namespace spinlog
