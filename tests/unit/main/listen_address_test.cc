#include "main/listen_address.h"

#include <gtest/gtest.h>

namespace spinlog {
namespace {

TEST(ListenAddress, LoopbackHostsAreOnlyThoseThatStayOnTheMachine) {
  for (const char* host : {"localhost", "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "128.0.0.1", "::2",
                           "::ffff:10.0.0.1", "example.com", "", "127.0.0.1.evil"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace spinlog
