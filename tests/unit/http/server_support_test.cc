#include "http/server_support.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <regex>
#include <thread>

#include "http/in_flight_tracker.h"

namespace spinlog::http {
namespace {

using namespace std::chrono_literals;

TEST(ServerSupport, RequestIdsAreHexAndIncreasing) {
  const std::string first = NextRequestId();
  const std::string second = NextRequestId();
  EXPECT_TRUE(std::regex_match(first, std::regex("r-[0-9a-f]{10}"))) << first;
  EXPECT_LT(first, second);  // fixed width: string order is numeric order
}

TEST(ServerSupport, ConnectionLimitFitsTheOpenFileLimit) {
  EXPECT_EQ(FitConnectionLimit(1), 1u);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur != RLIM_INFINITY) {
    EXPECT_LT(FitConnectionLimit(static_cast<std::size_t>(limit.rlim_cur) + 1000),
              static_cast<std::size_t>(limit.rlim_cur));
  }
}

TEST(ServerSupport, EventLoopsLeaveOneCoreToStorageWork) {
  EXPECT_EQ(EventLoopThreadsFor(0), 1u);
  EXPECT_EQ(EventLoopThreadsFor(1), 1u);
  EXPECT_EQ(EventLoopThreadsFor(2), 1u);
  EXPECT_EQ(EventLoopThreadsFor(8), 7u);
}

TEST(ServerSupport, UsableCoresFollowTheAffinityMask) {
  cpu_set_t saved;
  CPU_ZERO(&saved);
  ASSERT_EQ(sched_getaffinity(0, sizeof(saved), &saved), 0);
  EXPECT_EQ(UsableCores(), static_cast<std::size_t>(CPU_COUNT(&saved)));
  // Pinned to one core (as `taskset -c N` does), one core counts. The test
  // runs this on its own thread so that the process keeps its mask.
  std::size_t pinned = 0;
  std::thread([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &saved)) {
        CPU_SET(cpu, &one);
        break;
      }
    }
    if (sched_setaffinity(0, sizeof(one), &one) == 0) pinned = UsableCores();
  }).join();
  EXPECT_EQ(pinned, 1u);
}

TEST(ServerSupport, ListenErrnoWording) {
  EXPECT_STREQ(DescribeListenErrno(EADDRINUSE), "address already in use");
  EXPECT_EQ(DescribeListenErrno(EIO), nullptr);
}

TEST(InFlightTracker, WaitIdleReturnsWhenLastRequestEnds) {
  InFlightTracker tracker;
  EXPECT_TRUE(tracker.WaitIdle(std::chrono::steady_clock::now()));
  tracker.Begin();
  tracker.Begin();
  EXPECT_FALSE(tracker.WaitIdle(std::chrono::steady_clock::now() + 20ms));
  std::thread ender([&tracker] {
    std::this_thread::sleep_for(50ms);
    tracker.End();
    tracker.End();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(tracker.WaitIdle(start + 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  ender.join();
  EXPECT_EQ(tracker.count(), 0);
}

}  // namespace
}  // namespace spinlog::http
