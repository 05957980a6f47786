// Slow clients against the spinlog binary (slowloris-style): many
// connections that dribble their request a byte at a time are closed once
// --read-timeout has passed since they started, however steadily they
// dribble, and they hold no thread meanwhile: ordinary clients are answered
// promptly throughout. Bounded: each test takes under 15 s.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/raw_socket.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kReadTimeout = 2s;
// RESTinio checks its timers about once a second.
constexpr auto kCutOffSlack = 2500ms;

// Requests /healthz on fresh and kept-alive connections until `stop`,
// recording the slowest answer and any failure.
struct PromptnessProbe {
  explicit PromptnessProbe(std::uint16_t port)
      : thread([this, port] {
          HttpConnection kept(port);
          while (!stop.load()) {
            for (bool fresh : {true, false}) {
              const auto start = Clock::now();
              const int status =
                  fresh ? Get(port, "/healthz").status : kept.Request("GET", "/healthz").status;
              slowest = std::max(slowest, Clock::now() - start);
              ++answered;
              if (status != 200) ++failed;
            }
            std::this_thread::sleep_for(50ms);
          }
        }) {}
  ~PromptnessProbe() { Stop(); }
  void Stop() {
    stop.store(true);
    if (thread.joinable()) thread.join();
  }

  std::atomic<bool> stop{false};
  Clock::duration slowest{0};
  int answered = 0;
  int failed = 0;
  std::thread thread;
};

class SlowClients : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path(), {"--read-timeout", "2", "--threads", "2"}))
        << server_.Log();
  }

  // Opens `count` connections, sends each `prefix`, then dribbles one byte
  // of `dribble` per connection every 100 ms until the server closes it.
  // Expects each to be closed between the read timeout and the timeout plus
  // slack after it started, while a probe sees prompt answers.
  void ExpectDribblersCutOff(int count, const std::string& prefix, const std::string& dribble) {
    std::vector<RawSocket> sockets;
    std::vector<Clock::time_point> started;
    for (int i = 0; i < count; ++i) {
      sockets.emplace_back(server_.port());
      ASSERT_TRUE(sockets.back().connected()) << "connection " << i;
      ASSERT_TRUE(sockets.back().Send(prefix));
      started.push_back(Clock::now());
    }
    PromptnessProbe probe(server_.port());
    std::vector<Clock::duration> lived(count, Clock::duration::zero());
    int open = count;
    std::size_t next_byte = 0;
    const auto deadline = Clock::now() + kReadTimeout + kCutOffSlack + 2s;
    while (open > 0 && Clock::now() < deadline) {
      const char byte = dribble[next_byte++ % dribble.size()];
      for (int i = 0; i < count; ++i) {
        if (lived[i] != Clock::duration::zero()) continue;
        const bool closed =
            !sockets[i].Send(std::string_view(&byte, 1), 100ms) || sockets[i].ClosedWithin(0ms);
        if (closed) {
          lived[i] = Clock::now() - started[i];
          --open;
        }
      }
      std::this_thread::sleep_for(100ms);
    }
    probe.Stop();
    EXPECT_EQ(open, 0) << "slow connections still open past the read timeout";
    for (int i = 0; i < count; ++i) {
      if (lived[i] == Clock::duration::zero()) continue;
      EXPECT_GE(lived[i], kReadTimeout - 200ms) << "connection " << i << " cut off early";
      EXPECT_LE(lived[i], kReadTimeout + kCutOffSlack) << "connection " << i;
      // Nothing was ever answered to a request that never completed.
      EXPECT_EQ(sockets[i].received(), "") << "connection " << i;
    }
    EXPECT_GT(probe.answered, 10);
    EXPECT_EQ(probe.failed, 0);
    EXPECT_LT(probe.slowest, 500ms) << "ordinary clients waited behind slow ones";
    EXPECT_EQ(Get(server_.port(), "/healthz").status, 200);
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(SlowClients, DribbledHeadersAreCutOffAfterTheReadTimeout) {
  // Slowloris: an endless header, a byte at a time.
  ExpectDribblersCutOff(300,
                        "GET /get_channels HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "abcdefgh");
}

TEST_F(SlowClients, DribbledBodiesAreCutOffAfterTheReadTimeout) {
  ExpectDribblersCutOff(100,
                        "POST /add_channel HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        "application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nname=",
                        "slowname");
}

TEST_F(SlowClients, IdleKeepAliveConnectionsAreClosedAfterTheReadTimeout) {
  // The read timeout also bounds the wait for the next request.
  RawSocket idle(server_.port());
  ASSERT_TRUE(idle.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_EQ(idle.ReadAnswer(5s), 200);
  const auto start = Clock::now();
  EXPECT_TRUE(idle.ClosedWithin(kReadTimeout + kCutOffSlack + 1s));
  EXPECT_GE(Clock::now() - start, kReadTimeout - 200ms);
}

}  // namespace
}  // namespace spinlog::e2e
