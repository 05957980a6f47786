// GET /api/v1/charts over real HTTP: calendar periods, every entry field on a
// small known history, paging by cursor, and each error path.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class V1Charts : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }

  // One play of `title` by P on `channel` starting at `start` (which ends in
  // ":00"), 30 seconds long.
  void Play(const std::string& channel, const std::string& title, const std::string& start) {
    const std::string end = start.substr(0, 17) + "30";
    const std::string body = R"({"channel":")" + channel + R"(","performer":"P","title":")" +
                             title + R"(","start":")" + start + R"(","end":")" + end + R"("})";
    ASSERT_EQ(Post(server_.port(), "/api/v1/plays", body, "application/json").status, 200);
  }
  HttpResponse Chart(const std::string& query) {
    return Get(server_.port(), "/api/v1/charts?" + query);
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1Charts, WeeklyChartWithMovementPeakAndBullet) {
  // Channel R (id 1). Week 1 (2024-03-04, a Monday): A x2, B x1. Week 2: B x1.
  // Week 3: B x3, A x1, C x1.
  Play("R", "A", "2024-03-04T10:00:00");
  Play("R", "A", "2024-03-05T10:00:00");
  Play("R", "B", "2024-03-06T10:00:00");
  Play("R", "B", "2024-03-12T10:00:00");
  Play("R", "B", "2024-03-18T10:00:00");
  Play("R", "B", "2024-03-19T10:00:00");
  Play("R", "B", "2024-03-20T10:00:00");
  Play("R", "A", "2024-03-21T10:00:00");
  Play("R", "C", "2024-03-24T23:59:00");
  HttpResponse r = Chart("channel_id=1&period=week&start=2024-03-20T15:00:00%2B02:00");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  const std::string expected =
      R"({"chart":{"channel_ids":[1],"from":"2024-03-18T00:00:00Z","to":"2024-03-25T00:00:00Z",)"
      R"("previous_from":"2024-03-11T00:00:00Z","total":3,"weighted":false},"entries":[)"
      R"({"rank":1,"song":{"id":2,"title":"B","performer":{"id":1,"name":"P"}},"plays":3,)"
      R"("previous_plays":1,"previous_rank":1,"movement":"same","peak_rank":1,"periods_on_chart":3,"bullet":true},)"
      R"({"rank":2,"song":{"id":1,"title":"A","performer":{"id":1,"name":"P"}},"plays":1,)"
      R"("previous_plays":0,"previous_rank":null,"movement":"re-entry","peak_rank":1,"periods_on_chart":2,"bullet":false},)"
      R"({"rank":3,"song":{"id":3,"title":"C","performer":{"id":1,"name":"P"}},"plays":1,)"
      R"("previous_plays":0,"previous_rank":null,"movement":"new","peak_rank":3,"periods_on_chart":1,"bullet":false}],)"
      R"("next":null})";
  EXPECT_EQ(r.body, expected);
  // The same week as a from/to range.
  HttpResponse range = Chart("channel_id=1&from=2024-03-18&to=2024-03-25");
  EXPECT_EQ(range.body, expected);
  // Week 1 had A above B; in week 2, B moved up from 2 to 1.
  HttpResponse week2 = Chart("channel_id=1&period=week&start=2024-03-12");
  EXPECT_NE(week2.body.find(R"("plays":1,"previous_plays":1,"previous_rank":2,"movement":"up")"),
            std::string::npos)
      << week2.body;
}

TEST_F(V1Charts, CursorPagesThroughTheWholeChartOnce) {
  for (int song = 0; song < 23; ++song) {
    for (int play = 0; play <= song % 5; ++play) {
      char start[32];
      std::snprintf(start, sizeof(start), "2024-03-%02dT%02d:%02d:00", 4 + play, song % 24,
                    song);
      Play(song % 2 == 0 ? "R" : "S", "T" + std::to_string(song), start);
    }
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  int last_rank = 0;
  do {
    HttpResponse r = Chart("channel_id=1,2&period=month&start=2024-03-01&limit=5" +
                           (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    for (std::size_t at = r.body.find("\"rank\":"); at != std::string::npos;
         at = r.body.find("\"rank\":", at + 1)) {
      const int rank = std::stoi(r.body.substr(at + 7));
      EXPECT_EQ(rank, last_rank + 1);
      last_rank = rank;
      const std::size_t title = r.body.find("\"title\":\"", at);
      EXPECT_TRUE(seen.insert(r.body.substr(title + 9, r.body.find('"', title + 9) - title - 9))
                      .second);
    }
    const std::size_t next = r.body.find("\"next\":\"");
    cursor = next == std::string::npos ? "" : r.body.substr(next + 8, r.body.find('"', next + 8) - next - 8);
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(pages, 5);
  // A cursor of this chart is refused for another one.
  HttpResponse first = Chart("channel_id=1,2&period=month&start=2024-03-01&limit=5");
  const std::size_t next = first.body.find("\"next\":\"");
  const std::string other = first.body.substr(next + 8, first.body.find('"', next + 8) - next - 8);
  HttpResponse wrong = Chart("channel_id=1&period=month&start=2024-03-01&cursor=" + other);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find(R"({"field":"cursor","problem":"belongs to another chart)"),
            std::string::npos)
      << wrong.body;
}

TEST_F(V1Charts, BadRequestsNameTheirFields) {
  Play("R", "A", "2024-03-04T10:00:00");
  struct Case {
    std::string query;
    std::string problem;
  } cases[] = {
      {"period=week&start=2024-03-04", R"({"field":"channel_id","problem":"missing)"},
      {"channel_id=1,x&period=week&start=2024-03-04", R"({"field":"channel_id","problem":"must be positive whole numbers)"},
      {"channel_id=0&period=week&start=2024-03-04", R"({"field":"channel_id")"},
      {"channel_id=1,7&period=week&start=2024-03-04", R"({"field":"channel_id","problem":"no channel has id 7"})"},
      {"channel_id=1", R"({"field":"period","problem":"missing)"},
      {"channel_id=1&period=fortnight&start=2024-03-04", R"({"field":"period","problem":"must be day, week, month or year)"},
      {"channel_id=1&period=week", R"({"field":"start","problem":"missing"})"},
      {"channel_id=1&period=week&start=2024-03-04&from=2024-03-01&to=2024-03-02", R"({"field":"period","problem":"give either)"},
      {"channel_id=1&from=2024-03-02&to=2024-03-01", R"({"field":"to","problem":"must be after from"})"},
      {"channel_id=1&from=2024-03-02", R"({"field":"to","problem":"missing"})"},
      {"channel_id=1&period=week&start=2024-03-04&limit=0", R"({"field":"limit")"},
      {"channel_id=1&period=week&start=2024-03-04&limit=1001", R"({"field":"limit")"},
      {"channel_id=1&period=week&start=2024-03-04&cursor=abc", R"({"field":"cursor","problem":"is not a cursor of this API"})"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Chart(c.query);
    EXPECT_EQ(r.status, 400) << c.query << "\n" << r.body;
    EXPECT_NE(r.body.find(R"({"error":{"status":400,"code":"invalid_argument")"), std::string::npos)
        << c.query << "\n" << r.body;
    EXPECT_NE(r.body.find(c.problem), std::string::npos) << c.query << "\n" << r.body;
  }
  EXPECT_EQ(Post(server_.port(), "/api/v1/charts", "", "application/json").status, 405);
}

}  // namespace
}  // namespace spinlog::e2e
