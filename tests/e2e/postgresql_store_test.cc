// spinlog serve --store postgresql://... over real HTTP: nodes that share one
// database see each other's writes, and a PostgreSQL that goes away gives
// clean 503s (and /readyz 503) until it is back.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"
#include "support/pg_test_server.h"

namespace spinlog::e2e {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields PlayFields(const std::string& channel, const std::string& start, const std::string& end) {
  return {{"channel", channel},
          {"performer", "Performer1"},
          {"title", "Song1"},
          {"start", start},
          {"end", end}};
}

HttpResponse AddPlay(std::uint16_t port, const Fields& fields) {
  return Post(port, "/add_play", Form(fields));
}

HttpResponse ChannelPlays(std::uint16_t port, const std::string& channel) {
  return Get(port, "/get_channel_plays?" + Form({{"channel", channel},
                                                 {"start", "2014-01-01T00:00:00"},
                                                 {"end", "2014-02-01T00:00:00"}}));
}

class PostgresServe : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!database_.skip_reason().empty()) GTEST_SKIP() << database_.skip_reason();
    ASSERT_FALSE(database_.url().empty()) << database_.error();
  }

  testing::PgScratchDatabase database_;
  TempDir dir_;
};

TEST_F(PostgresServe, TwoNodesOverOneDatabaseSeeEachOthersWrites) {
  ServerProcess a;
  ServerProcess b;
  ASSERT_TRUE(a.Start(dir_.path() + "/a", {"--store", database_.url()})) << a.Log();
  ASSERT_TRUE(b.Start(dir_.path() + "/b", {"--store", database_.url()})) << b.Log();
  EXPECT_NE(a.Log().find("with store postgresql://"), std::string::npos) << a.Log();

  // Written through a, read through b at once; and the other way round.
  ASSERT_EQ(AddPlay(a.port(), PlayFields("Channel1", "2014-01-01T01:00:00", "2014-01-01T01:10:00"))
                .status,
            200);
  HttpResponse read = ChannelPlays(b.port(), "Channel1");
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, R"({"code":0,"result":[{"performer":"Performer1","title":"Song1",)"
                       R"("start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"}]})");
  // The same play through b is a duplicate (200, nothing new); another end
  // at the same (channel, start) a conflict, whichever node judges it.
  EXPECT_EQ(AddPlay(b.port(), PlayFields("Channel1", "2014-01-01T01:00:00", "2014-01-01T01:10:00"))
                .status,
            200);
  EXPECT_EQ(AddPlay(b.port(), PlayFields("Channel1", "2014-01-01T01:00:00", "2014-01-01T01:11:00"))
                .status,
            409);
  ASSERT_EQ(AddPlay(b.port(), PlayFields("Channel2", "2014-01-02T01:00:00", "2014-01-02T01:10:00"))
                .status,
            200);
  read = ChannelPlays(a.port(), "Channel2");
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_NE(read.body.find("2014-01-02T01:00:00"), std::string::npos) << read.body;
  EXPECT_EQ(Get(a.port(), "/readyz").status, 200);
  EXPECT_EQ(Get(b.port(), "/readyz").status, 200);
}

// The top of week 2014-01-08 on Channel1, as get_top answers it.
std::string WeekTop(std::uint16_t port) {
  return Get(port, "/get_top?" + Form({{"channels", R"(["Channel1"])"},
                                       {"start", "2014-01-08T00:00:00"},
                                       {"limit", "10"}}))
      .body;
}

Fields SongPlay(const std::string& title, int day, int hour) {
  char start[32];
  char end[32];
  std::snprintf(start, sizeof start, "2014-01-%02dT%02d:00:00", day, hour);
  std::snprintf(end, sizeof end, "2014-01-%02dT%02d:05:00", day, hour);
  return {{"channel", "Channel1"},
          {"performer", "Performer1"},
          {"title", title},
          {"start", start},
          {"end", end}};
}

// Charts are counted in each node's memory; a node counts the plays of the
// others from the play feed, within a second, and a node that starts later
// counts every play once (daily counts, then the feed).
TEST_F(PostgresServe, EveryNodeCountsEveryNodesPlaysInItsChartsWithinASecond) {
  ServerProcess a;
  ServerProcess b;
  ASSERT_TRUE(a.Start(dir_.path() + "/a", {"--store", database_.url()})) << a.Log();
  ASSERT_TRUE(b.Start(dir_.path() + "/b", {"--store", database_.url()})) << b.Log();
  for (int day = 8; day <= 10; ++day) {
    ASSERT_EQ(AddPlay(a.port(), SongPlay("Song1", day, 1)).status, 200);
  }
  for (int day = 8; day <= 9; ++day) {
    ASSERT_EQ(AddPlay(b.port(), SongPlay("Song2", day, 2)).status, 200);
  }
  const std::string expected =
      R"({"code":0,"result":[{"performer":"Performer1","title":"Song1","rank":0,)"
      R"("previous_rank":null,"plays":3,"previous_plays":0},)"
      R"({"performer":"Performer1","title":"Song2","rank":1,"previous_rank":null,)"
      R"("plays":2,"previous_plays":0}]})";
  const auto written = std::chrono::steady_clock::now();
  EXPECT_TRUE(Eventually([&] { return WeekTop(a.port()) == expected; }, std::chrono::seconds(1)))
      << WeekTop(a.port());
  EXPECT_TRUE(Eventually([&] { return WeekTop(b.port()) == expected; }, std::chrono::seconds(1)))
      << WeekTop(b.port());
  const auto lag = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - written);
  std::printf("charts of both nodes agreed %lld ms after the last write\n",
              static_cast<long long>(lag.count()));

  ServerProcess c;
  ASSERT_TRUE(c.Start(dir_.path() + "/c", {"--store", database_.url()})) << c.Log();
  EXPECT_EQ(WeekTop(c.port()), expected) << "counted once, from the daily counts";
  ASSERT_EQ(AddPlay(a.port(), SongPlay("Song2", 11, 3)).status, 200);
  ASSERT_EQ(AddPlay(b.port(), SongPlay("Song2", 12, 3)).status, 200);
  const std::string after =
      R"({"code":0,"result":[{"performer":"Performer1","title":"Song2","rank":0,)"
      R"("previous_rank":null,"plays":4,"previous_plays":0},)"
      R"({"performer":"Performer1","title":"Song1","rank":1,"previous_rank":null,)"
      R"("plays":3,"previous_plays":0}]})";
  for (ServerProcess* node : {&a, &b, &c}) {
    EXPECT_TRUE(Eventually([&] { return WeekTop(node->port()) == after; }, std::chrono::seconds(1)))
        << WeekTop(node->port());
  }
}

// A cluster of its own, stopped and started again under the server.
TEST_F(PostgresServe, AnUnreachableDatabaseAnswers503UntilItIsBack) {
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  const std::string cluster = dir_.path() + "/pg";
  const std::string script = SPINLOG_PG_CLUSTER_SCRIPT;
  ASSERT_EQ(std::system((script + " start '" + cluster + "' >/dev/null").c_str()), 0);
  struct StopCluster {
    std::string command;
    ~StopCluster() { static_cast<void>(std::system(command.c_str())); }
  } stop_cluster{script + " stop '" + cluster + "' >/dev/null 2>&1"};
  std::string url;
  std::ifstream(cluster + "/url") >> url;
  ASSERT_FALSE(url.empty());

  ServerProcess server;
  ASSERT_TRUE(server.Start(dir_.path() + "/data", {"--store", url})) << server.Log();
  ASSERT_EQ(
      AddPlay(server.port(), PlayFields("Channel1", "2014-01-01T01:00:00", "2014-01-01T01:10:00"))
          .status,
      200);

  ASSERT_EQ(std::system((script + " pause '" + cluster + "'").c_str()), 0);
  EXPECT_TRUE(Eventually([&] { return Get(server.port(), "/readyz").status == 503; }))
      << server.Log();
  const HttpResponse refused =
      AddPlay(server.port(), PlayFields("Channel1", "2014-01-01T02:00:00", "2014-01-01T02:10:00"));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  EXPECT_EQ(ChannelPlays(server.port(), "Channel1").status, 503);
  EXPECT_EQ(Get(server.port(), "/healthz").status, 200) << "the process itself is fine";

  ASSERT_EQ(std::system((script + " resume '" + cluster + "'").c_str()), 0);
  EXPECT_TRUE(Eventually([&] { return Get(server.port(), "/readyz").status == 200; }))
      << server.Log();
  // The refused play was not stored; the one before was, and writes work.
  const HttpResponse read = ChannelPlays(server.port(), "Channel1");
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body.find("02:00:00"), std::string::npos) << read.body;
  EXPECT_NE(read.body.find("01:00:00"), std::string::npos) << read.body;
  EXPECT_EQ(
      AddPlay(server.port(), PlayFields("Channel1", "2014-01-01T03:00:00", "2014-01-01T03:10:00"))
          .status,
      200);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << server.Log();
}

TEST_F(PostgresServe, MigrateCreatesTheSchemaAndServeRefusesANewerOne) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"migrate", "--store", database_.url()}, &out), 0) << out;
  EXPECT_NE(out.find("schema version 0 -> "), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"migrate", "--store", database_.url()}, &out), 0) << out;
  ASSERT_EQ(testing::RunSql(database_.url(),
                            "INSERT INTO schema_migrations (version, description) "
                            "VALUES (1000, 'from a newer spinlog')"),
            "");
  EXPECT_EQ(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--store", database_.url()}, &out), 1);
  EXPECT_NE(out.find("newer than this build"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"migrate", "--store", database_.url()}, &out), 1) << out;
  EXPECT_EQ(RunSpinlog({"migrate", "--store", "/var/lib/spinlog"}, &out), 1) << out;
  EXPECT_EQ(RunSpinlog({"serve", "--store", "/var/lib/spinlog"}, &out), 1) << out;
  EXPECT_NE(out.find("--store: expected postgresql://"), std::string::npos) << out;
}

}  // namespace
}  // namespace spinlog::e2e
