// Series over real HTTP: songs, performers and channels, by day, week and
// month, with every step present (zeros included), a channel filter, and the
// error paths.
#include <gtest/gtest.h>

#include <signal.h>

#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class V1Series : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    // Channel A (1), B (2); songs X (1) and Y (2) by P (1), Z (3) by Q (2).
    Play("A", "P", "X", "2024-03-01T10:00:00");  // Friday
    Play("A", "P", "X", "2024-03-01T11:00:00");
    Play("B", "P", "X", "2024-03-01T10:00:00");
    Play("A", "P", "Y", "2024-03-03T23:59:00");  // Sunday
    Play("B", "Q", "Z", "2024-03-04T00:00:00");  // Monday
    Play("A", "P", "X", "2024-04-02T12:00:00");
  }
  void Play(const std::string& channel, const std::string& performer, const std::string& title,
            const std::string& start) {
    const std::string body = R"({"channel":")" + channel + R"(","performer":")" + performer +
                             R"(","title":")" + title + R"(","start":")" + start +
                             R"(","end":")" + start.substr(0, 17) + R"(30"})";
    ASSERT_EQ(Post(server_.port(), "/api/v1/plays", body, "application/json").status, 200);
  }
  HttpResponse Series(const std::string& target) { return Get(server_.port(), target); }

  TempDir dir_;
  ServerProcess server_;
};

// "plays,plays,..." of a series answer, in order.
std::string Plays(const std::string& body, const std::string& key = "\"plays\":") {
  std::string out;
  for (std::size_t at = body.find(key); at != std::string::npos; at = body.find(key, at + 1)) {
    if (!out.empty()) out += ",";
    out += std::to_string(std::stol(body.substr(at + key.size())));
  }
  return out;
}

TEST_F(V1Series, SongByDayWithZerosAndChannelFilter) {
  HttpResponse r = Series("/api/v1/songs/1/series?from=2024-02-29&to=2024-03-05");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string head =
      R"({"song":{"id":1,"title":"X","performer":{"id":1,"name":"P"}},"from":"2024-02-29T00:00:00Z","to":"2024-03-05T00:00:00Z","step":"day","channel_ids":null,"points":[{)";
  EXPECT_EQ(r.body.substr(0, head.size()), head);
  EXPECT_EQ(Plays(r.body), "0,3,0,0,0");  // Feb 29 to Mar 4
  EXPECT_EQ(Plays(Series("/api/v1/songs/1/series?from=2024-02-29&to=2024-03-05&channel_id=2").body),
            "0,1,0,0,0");
}

TEST_F(V1Series, PerformerByWeekAndMonthCutAtTheEnds) {
  // Weeks run Monday to Monday: [Feb 29, Mar 4) is cut at `from`.
  HttpResponse weeks = Series("/api/v1/performers/1/series?from=2024-02-29&to=2024-03-12&step=week");
  ASSERT_EQ(weeks.status, 200) << weeks.body;
  EXPECT_NE(weeks.body.find(R"({"from":"2024-02-29T00:00:00Z","to":"2024-03-04T00:00:00Z","plays":4})"),
            std::string::npos)
      << weeks.body;
  EXPECT_EQ(Plays(weeks.body), "4,0,0");  // and [Mar 11, Mar 12) cut at `to`
  HttpResponse months = Series("/api/v1/performers/1/series?from=2024-01-01&to=2024-05-01&step=month");
  EXPECT_EQ(Plays(months.body), "0,0,4,1");
  EXPECT_EQ(Plays(Series("/api/v1/performers/2/series?from=2024-03-01&to=2024-03-08&step=week").body),
            "0,1");
}

TEST_F(V1Series, ChannelPlaysAndDistinctSongs) {
  HttpResponse r = Series("/api/v1/channels/1/series?from=2024-03-01&to=2024-03-11&step=week");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Plays(r.body), "3,0");
  EXPECT_EQ(Plays(r.body, "\"songs\":"), "2,0");
}

TEST_F(V1Series, ARestartShowsTheSameSeries) {
  const std::string song = "/api/v1/songs/1/series?from=2024-02-01&to=2024-05-01&step=week";
  const std::string performer = "/api/v1/performers/1/series?from=2024-02-01&to=2024-05-01";
  const std::string channel = "/api/v1/channels/2/series?from=2024-02-01&to=2024-05-01&step=month";
  const std::string before = Series(song).body + Series(performer).body + Series(channel).body;
  server_.Signal(SIGTERM);
  ASSERT_EQ(server_.Wait(), 0);
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir_.path())) << restarted.Log();
  auto get = [&](const std::string& target) { return Get(restarted.port(), target).body; };
  EXPECT_EQ(get(song) + get(performer) + get(channel), before);
}

TEST_F(V1Series, ChartHistoryGivesRankAndPlaysPerPeriod) {
  // Week of Feb 26: on A, X has 2 plays (rank 1) and Y 1; week of Mar 4:
  // nothing on A; week of Apr 1: X once.
  HttpResponse r =
      Series("/api/v1/songs/2/chart-history?channel_id=1&period=week&from=2024-02-28&to=2024-03-05");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            R"({"song":{"id":2,"title":"Y","performer":{"id":1,"name":"P"}},"chart":{"channel_ids":[1],"period":"week"},)"
            R"("points":[{"from":"2024-02-26T00:00:00Z","to":"2024-03-04T00:00:00Z","rank":2,"plays":1},)"
            R"({"from":"2024-03-04T00:00:00Z","to":"2024-03-11T00:00:00Z","rank":null,"plays":0}]})");
  HttpResponse months =
      Series("/api/v1/songs/1/chart-history?group=none&period=month&from=2024-03-01&to=2024-05-01");
  EXPECT_EQ(months.status, 400) << months.body;
  HttpResponse both = Series(
      "/api/v1/songs/1/chart-history?channel_id=1,2&period=month&from=2024-03-01&to=2024-05-01");
  EXPECT_NE(both.body.find(R"("rank":1,"plays":3},{"from":"2024-04-01T00:00:00Z","to":"2024-05-01T00:00:00Z","rank":1,"plays":1}]})"),
            std::string::npos)
      << both.body;
  EXPECT_EQ(Series("/api/v1/songs/1/chart-history?period=week&from=2024-03-01&to=2024-03-02").status,
            400);
  EXPECT_EQ(Series("/api/v1/songs/7/chart-history?channel_id=1&from=2024-03-01&to=2024-03-02").status,
            404);
}

TEST_F(V1Series, ErrorsNameTheirFields) {
  struct Case {
    std::string target;
    int status;
    std::string problem;
  } cases[] = {
      {"/api/v1/songs/9/series?from=2024-03-01&to=2024-03-02", 404, R"("message":"no song has id 9")"},
      {"/api/v1/performers/x/series?from=2024-03-01&to=2024-03-02", 404, R"("code":"not_found")"},
      {"/api/v1/channels/0/series?from=2024-03-01&to=2024-03-02", 404, R"("code":"not_found")"},
      {"/api/v1/songs/1/series?to=2024-03-02", 400, R"({"field":"from","problem":"missing"})"},
      {"/api/v1/songs/1/series?from=2024-03-01T12:00:00&to=2024-03-02", 400, R"x({"field":"from","problem":"must be a UTC midnight (a date)"})x"},
      {"/api/v1/songs/1/series?from=2024-03-02&to=2024-03-02", 400, R"({"field":"to","problem":"must be after from"})"},
      {"/api/v1/songs/1/series?from=2024-03-01&to=2024-03-02&step=hour", 400, R"({"field":"step")"},
      {"/api/v1/songs/1/series?from=1990-01-01&to=2024-03-02", 400, R"({"field":"to","problem":"a series has at most 10000 steps"})"},
      {"/api/v1/songs/1/series?from=2024-03-01&to=2024-03-02&channel_id=7", 400, R"({"field":"channel_id","problem":"no channel has id 7"})"},
      {"/api/v1/channels/1/series?from=2024-03-01&to=2024-03-02&channel_id=2", 400, R"({"field":"channel_id")"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Series(c.target);
    EXPECT_EQ(r.status, c.status) << c.target << "\n" << r.body;
    EXPECT_NE(r.body.find(c.problem), std::string::npos) << c.target << "\n" << r.body;
  }
}

}  // namespace
}  // namespace spinlog::e2e
