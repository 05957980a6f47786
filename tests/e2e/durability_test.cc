// What is answered stays stored: across a clean restart, and across kill -9
// of a server under write load (every acknowledged add_play must be there).
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

std::string Start(int minute_of_day_index) {
  // Minutes from 2020-03-01T00:00:00 onward, as ISO strings.
  int day = 1 + minute_of_day_index / 1440;
  int minute = minute_of_day_index % 1440;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "2020-03-%02dT%02d:%02d:00", day, minute / 60, minute % 60);
  return buffer;
}

std::string End(int index) {
  std::string s = Start(index);
  s[17] = '3';  // :30 seconds: a 30-second play
  return s;
}

std::string AddPlayForm(const std::string& channel, int index) {
  return Form({{"channel", channel}, {"performer", "P" + std::to_string(index % 7)},
               {"title", "T" + std::to_string(index % 5)}, {"start", Start(index)},
               {"end", End(index)}});
}

// The set of play starts that get_channel_plays returns for March 2020.
std::set<std::string> StoredStarts(std::uint16_t port, const std::string& channel) {
  HttpResponse r = Get(port, "/get_channel_plays?channel=" + UrlEncode(channel) +
                                 "&start=2020-03-01&end=2020-04-01");
  std::set<std::string> starts;
  std::size_t pos = 0;
  const std::string key = "\"start\":\"";
  while ((pos = r.body.find(key, pos)) != std::string::npos) {
    pos += key.size();
    starts.insert(r.body.substr(pos, 19));
  }
  return starts;
}

TEST(Durability, CleanRestartKeepsEverything) {
  TempDir dir;
  std::string before_top, before_plays;
  const std::string top_query =
      "/get_top?channels=%5B%22R1%22%5D&start=2020-03-01T00:00:00&limit=100";
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(dir.path())) << server.Log();
    for (int i = 0; i < 50; ++i) {
      ASSERT_EQ(Post(server.port(), "/add_play", AddPlayForm("R1", i)).status, 200);
    }
    before_top = Get(server.port(), top_query).body;
    before_plays = Get(server.port(), "/get_channel_plays?channel=R1&start=2020-03-01&end=2020-04-01").body;
    server.Signal(SIGTERM);
    ASSERT_EQ(server.Wait(), 0);
  }
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  EXPECT_EQ(Get(server.port(), top_query).body, before_top);
  EXPECT_EQ(Get(server.port(), "/get_channel_plays?channel=R1&start=2020-03-01&end=2020-04-01").body,
            before_plays);
  EXPECT_EQ(StoredStarts(server.port(), "R1").size(), 50u);
}

TEST(Durability, KillNineUnderLoadLosesNoAcknowledgedPlay) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();

  constexpr int kWriters = 8;
  constexpr int kMaxPerWriter = 5000;  // bounded in count...
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);  // ...and time
  std::atomic<int> acknowledged{0};
  std::mutex mutex;
  std::vector<std::set<std::string>> acked(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      HttpConnection connection(server.port());
      const std::string channel = "K" + std::to_string(w);
      for (int i = 0; i < kMaxPerWriter && std::chrono::steady_clock::now() < deadline; ++i) {
        HttpResponse r = connection.Request("POST", "/add_play", AddPlayForm(channel, i),
                                            "application/x-www-form-urlencoded");
        if (r.status != 200) return;  // the server is gone
        std::lock_guard lock(mutex);
        acked[w].insert(Start(i));
        ++acknowledged;
      }
    });
  }
  // Kill in the middle of the load.
  while (acknowledged.load() < 2000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.Signal(SIGKILL);
  for (std::thread& t : writers) t.join();
  ASSERT_EQ(server.Wait(), 128 + SIGKILL);
  ASSERT_GE(acknowledged.load(), 2000);

  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir.path())) << restarted.Log();
  for (int w = 0; w < kWriters; ++w) {
    std::set<std::string> stored = StoredStarts(restarted.port(), "K" + std::to_string(w));
    for (const std::string& start : acked[w]) {
      EXPECT_TRUE(stored.count(start)) << "acknowledged play lost: K" << w << " " << start;
    }
  }
}

}  // namespace
}  // namespace spinlog::e2e
