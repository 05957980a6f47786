// The spinlog binary as an operator meets it: flags, start-up failures,
// stopping on signals, and what --durability relaxed keeps.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

int CountLines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

TEST(Cli, VersionPrintsTheVersion) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"--version"}, &out), 0);
  EXPECT_EQ(out.rfind("spinlog ", 0), 0u) << out;
}

TEST(Cli, HelpListsServe) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"--help"}, &out), 0);
  EXPECT_NE(out.find("serve"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"serve", "--help"}, &out), 0);
  EXPECT_NE(out.find("--listen"), std::string::npos) << out;
  EXPECT_NE(out.find("--data"), std::string::npos) << out;
}

TEST(Cli, UnknownFlagFailsWithOneLine) {
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--no-such-flag"}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find("--no-such-flag"), std::string::npos) << out;
}

TEST(Cli, BadListenAddressFailsWithOneLine) {
  TempDir dir;
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:99999", "--data", dir.path()}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find("--listen"), std::string::npos) << out;
}

TEST(Cli, PortInUseFailsWithOneLine) {
  TempDir first_dir, second_dir;
  ServerProcess first;
  ASSERT_TRUE(first.Start(first_dir.path())) << first.Log();
  std::string out;
  const std::string listen = "127.0.0.1:" + std::to_string(first.port());
  EXPECT_NE(RunSpinlog({"serve", "--listen", listen, "--data", second_dir.path()}, &out), 0);
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
}

TEST(Cli, DataDirectoryOfARunningServerIsRefused) {
  TempDir dir;
  ServerProcess first;
  ASSERT_TRUE(first.Start(dir.path())) << first.Log();
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", dir.path()}, &out), 0);
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
  // The first server is unharmed.
  EXPECT_EQ(Get(first.port(), "/get_top?channels=%5B%22x%22%5D&start=2014-01-01").status, 404);
}

TEST(Cli, UncreatableDataDirectoryFailsWithOneLine) {
  TempDir dir;
  const std::string file = dir.path() + "/a-file";
  std::ofstream(file) << "not a directory";
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", file + "/data"}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find(file), std::string::npos) << out;
}

TEST(Cli, BadDurabilityFailsWithOneLineNamingTheFlag) {
  TempDir dir;
  for (const char* bad : {"fast", "Relaxed", ""}) {
    std::string out;
    EXPECT_EQ(
        RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", dir.path(), "--durability", bad},
                   &out),
        2)
        << bad;
    EXPECT_EQ(CountLines(out), 1) << out;
    EXPECT_NE(out.find("--durability"), std::string::npos) << out;
  }
  std::string out;
  EXPECT_EQ(RunSpinlog({"serve", "--durability"}, &out), 2);
  EXPECT_NE(out.find("--durability"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"serve", "--help"}, &out), 0);
  EXPECT_NE(out.find("--durability"), std::string::npos) << out;
}

TEST(Cli, ChartCacheSizeIsCheckedAndUsed) {
  TempDir dir;
  for (const char* bad : {"0", "-1", "lots", "2097152"}) {
    std::string out;
    EXPECT_EQ(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", dir.path(),
                          "--chart-cache-mb", bad},
                         &out),
              2)
        << bad;
    EXPECT_EQ(CountLines(out), 1) << out;
    EXPECT_NE(out.find("--chart-cache-mb"), std::string::npos) << out;
  }
  // The smallest budget is accepted (charts then count more; exactness is
  // the property tests' concern).
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--chart-cache-mb", "1"})) << server.Log();
}

TEST(Cli, StartLogNamesTheDurability) {
  TempDir durable_dir, relaxed_dir;
  ServerProcess durable, relaxed;
  ASSERT_TRUE(durable.Start(durable_dir.path())) << durable.Log();
  ASSERT_TRUE(relaxed.Start(relaxed_dir.path(), {"--durability", "relaxed"})) << relaxed.Log();
  EXPECT_NE(durable.Log().find("(durability: durable)"), std::string::npos) << durable.Log();
  EXPECT_NE(relaxed.Log().find("(durability: relaxed)"), std::string::npos) << relaxed.Log();
  // The warning follows the "serving on" line that Start waits for.
  EXPECT_TRUE(relaxed.WaitForLog("power loss")) << relaxed.Log();
}

TEST(Cli, StartLogNamesVersionAddressAndData) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  const std::string log = server.Log();
  EXPECT_NE(log.find("spinlog "), std::string::npos) << log;
  EXPECT_NE(log.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos) << log;
  EXPECT_NE(log.find(dir.path()), std::string::npos) << log;
}

class StopSignal : public ::testing::TestWithParam<int> {};

TEST_P(StopSignal, StopsCleanlyWithExitZero) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  ASSERT_EQ(Post(server.port(), "/add_channel", "name=C").status, 200);
  server.Signal(GetParam());
  EXPECT_EQ(server.Wait(), 0) << server.Log();
  EXPECT_NE(server.Log().find("stopped"), std::string::npos) << server.Log();
}

INSTANTIATE_TEST_SUITE_P(Signals, StopSignal, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return param_info.param == SIGINT ? "Sigint" : "Sigterm";
                         });

// --durability relaxed: answers come before the WAL sync, but the WAL has
// reached the operating system, so a clean stop (which syncs) and a kill -9
// of spinlog (the kernel still holds the pages) both keep every answered play.

// The NDJSON body of `count` plays on `channel`, one a minute from
// 2021-05-01T00:00:00 + first minutes, 30 s long; titles repeat every 7 so
// that new songs (catalogue writes) come with the plays.
std::string PlaysNdjson(const std::string& channel, int first, int count) {
  std::string body;
  for (int m = first; m < first + count; ++m) {
    char start[32], end[32];
    std::snprintf(start, sizeof(start), "2021-05-%02dT%02d:%02d:00", 1 + m / 1440, m / 60 % 24,
                  m % 60);
    std::snprintf(end, sizeof(end), "2021-05-%02dT%02d:%02d:30", 1 + m / 1440, m / 60 % 24, m % 60);
    body += R"({"channel":")" + channel + R"(","performer":"P )" + channel + R"(","title":"T)" +
            std::to_string(m % 7) + R"(","start":")" + start + R"(","end":")" + end + "\"}\n";
  }
  return body;
}

std::string Counts(int created, int duplicate) {
  return "\"counts\":{\"created\":" + std::to_string(created) +
         ",\"duplicate\":" + std::to_string(duplicate) + ",\"conflict\":0,\"invalid\":0}";
}

HttpResponse PostPlays(std::uint16_t port, const std::string& ndjson) {
  return Post(port, "/api/v1/plays", ndjson, "application/x-ndjson");
}

TEST(RelaxedDurability, CleanRestartKeepsEverything) {
  TempDir dir;
  const std::string batch = PlaysNdjson("R1", 0, 500);
  const std::string plays_query = "/get_channel_plays?channel=R2&start=2021-05-01&end=2021-06-01";
  std::string before;
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(dir.path(), {"--durability", "relaxed"})) << server.Log();
    HttpResponse r = PostPlays(server.port(), batch);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_NE(r.body.find(Counts(500, 0)), std::string::npos) << r.body.substr(r.body.size() - 200);
    for (int i = 0; i < 20; ++i) {
      char start[32];
      std::snprintf(start, sizeof(start), "2021-05-01T00:%02d:00", i);
      ASSERT_EQ(Post(server.port(), "/add_play",
                     Form({{"channel", "R2"},
                           {"performer", "Q"},
                           {"title", "S" + std::to_string(i)},
                           {"start", start},
                           {"end", std::string(start, 17) + "40"}}))
                    .status,
                200);
    }
    before = Get(server.port(), plays_query).body;
    server.Signal(SIGTERM);
    ASSERT_EQ(server.Wait(), 0) << server.Log();
  }
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--durability", "relaxed"})) << server.Log();
  HttpResponse again = PostPlays(server.port(), batch);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find(Counts(0, 500)), std::string::npos)
      << again.body.substr(again.body.size() - 200);
  EXPECT_EQ(Get(server.port(), plays_query).body, before);
}

TEST(RelaxedDurability, KillNineUnderLoadLosesNoAnsweredPlay) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--durability", "relaxed"})) << server.Log();

  constexpr int kWriters = 4;
  constexpr int kBatch = 100;
  constexpr int kMaxBatchesPerWriter = 60;  // bounded in count...
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);  // ...and time
  std::atomic<int> answered{0};
  std::mutex mutex;
  std::vector<std::vector<int>> acked(kWriters);  // first minute of each answered batch
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      HttpConnection connection(server.port());
      const std::string channel = "K" + std::to_string(w);
      for (int b = 0; b < kMaxBatchesPerWriter && std::chrono::steady_clock::now() < deadline;
           ++b) {
        HttpResponse r =
            connection.Request("POST", "/api/v1/plays", PlaysNdjson(channel, b * kBatch, kBatch),
                               "application/x-ndjson");
        if (r.status != 200) return;  // the server is gone
        if (r.body.find(Counts(kBatch, 0)) == std::string::npos) {
          ADD_FAILURE() << "not all created: " << r.body.substr(r.body.size() - 200);
          return;
        }
        std::lock_guard lock(mutex);
        acked[w].push_back(b * kBatch);
        ++answered;
      }
    });
  }
  // Kill in the middle of the load, with requests in flight.
  while (answered.load() < 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  server.Signal(SIGKILL);
  for (std::thread& t : writers) t.join();
  ASSERT_EQ(server.Wait(), 128 + SIGKILL);
  ASSERT_GE(answered.load(), 40);

  // Every answered batch is there, as it was answered: posting it again
  // finds only duplicates.
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir.path())) << restarted.Log();
  for (int w = 0; w < kWriters; ++w) {
    for (int first : acked[w]) {
      HttpResponse r =
          PostPlays(restarted.port(), PlaysNdjson("K" + std::to_string(w), first, kBatch));
      EXPECT_NE(r.body.find(Counts(0, kBatch)), std::string::npos)
          << "answered batch lost: K" << w << " from minute " << first << ": "
          << r.body.substr(r.body.size() > 200 ? r.body.size() - 200 : 0);
    }
  }
}

}  // namespace
}  // namespace spinlog::e2e
