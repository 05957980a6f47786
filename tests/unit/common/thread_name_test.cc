// Thread names (thread_name.h): what ps and perf show for a thread.
#include "common/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

#include "common/task_pool.h"

namespace spinlog {
namespace {

std::string CurrentName() {
  char name[64] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

TEST(ThreadName, NamesTheCallingThreadOnly) {
  const std::string before = CurrentName();
  std::string seen;
  std::thread named([&] {
    NameCurrentThread("play-commit");
    seen = CurrentName();
  });
  named.join();
  EXPECT_EQ(seen, "play-commit");
  EXPECT_EQ(CurrentName(), before);
}

TEST(ThreadName, CutsALongNameToWhatLinuxKeeps) {
  std::string seen;
  std::thread named([&] {
    NameCurrentThread("a-name-longer-than-fifteen-bytes");
    seen = CurrentName();
  });
  named.join();
  EXPECT_EQ(seen, "a-name-longer-t");
}

TEST(ThreadName, TaskPoolThreadsCarryThePoolsName) {
  std::string seen;
  {
    TaskPool pool(1, "store-waits");
    pool.Post([&] { seen = CurrentName(); });
  }
  EXPECT_EQ(seen, "store-waits");
}

}  // namespace
}  // namespace spinlog
