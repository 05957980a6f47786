// /api/v1/channels/{id} and audience-weighted charts over real HTTP.
#include <gtest/gtest.h>

#include <signal.h>

#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class V1Channels : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    // Big (1): A x1. Small (2): B x3. Silent (3): A x1, B x1.
    Play("Big", "A", "2024-03-04T10:00:00");
    Play("Small", "B", "2024-03-04T10:00:00");
    Play("Small", "B", "2024-03-05T10:00:00");
    Play("Small", "B", "2024-03-06T10:00:00");
    Play("Silent", "A", "2024-03-07T10:00:00");
    Play("Silent", "B", "2024-03-07T11:00:00");
  }
  void Play(const std::string& channel, const std::string& title, const std::string& start) {
    const std::string body = R"({"channel":")" + channel + R"(","performer":"P","title":")" +
                             title + R"(","start":")" + start + R"(","end":")" +
                             start.substr(0, 17) + R"(30"})";
    ASSERT_EQ(Post(server_.port(), "/api/v1/plays", body, "application/json").status, 200);
  }
  HttpResponse Patch(const std::string& target, const std::string& body) {
    HttpConnection connection(server_.port());
    return connection.Request("PATCH", target, body, "application/json");
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1Channels, PatchSetsCountryAndAudienceAndRenamesKeepingPlays) {
  EXPECT_EQ(Get(server_.port(), "/api/v1/channels/1").body,
            R"({"id":1,"name":"Big","country":null,"audience":null,"attributes":{}})");
  HttpResponse r = Patch("/api/v1/channels/1", R"({"name":"Big FM","country":"se","audience":1000})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"id":1,"name":"Big FM","country":"SE","audience":1000,"attributes":{}})");
  // The plays follow the id; the old name is free for a new channel.
  HttpResponse plays = Get(server_.port(), "/get_channel_plays?channel=Big%20FM&start=2024-03-01&end=2024-04-01");
  EXPECT_NE(plays.body.find("\"title\":\"A\""), std::string::npos) << plays.body;
  EXPECT_EQ(Get(server_.port(), "/get_channel_plays?channel=Big&start=2024-03-01&end=2024-04-01").status,
            404);
  EXPECT_EQ(Patch("/api/v1/channels/1", R"({"country":null,"audience":null})").body,
            R"({"id":1,"name":"Big FM","country":null,"audience":null,"attributes":{}})");
  struct Case {
    std::string target, body;
    int status;
    std::string problem;
  } cases[] = {
      {"/api/v1/channels/1", R"({"country":"Sweden"})", 400, R"({"field":"country")"},
      {"/api/v1/channels/1", R"({"audience":-5})", 400, R"({"field":"audience")"},
      {"/api/v1/channels/1", R"({"audience":"many"})", 400, R"({"field":"audience")"},
      {"/api/v1/channels/1", R"({"audience":99999999999})", 400, R"({"field":"audience")"},
      {"/api/v1/channels/1", R"({"name":"Small"})", 409, R"("code":"conflict")"},
      {"/api/v1/channels/1", R"({"name":"  "})", 400, R"({"field":"name","problem":"must not be empty"})"},
      {"/api/v1/channels/1", R"({})", 400, R"({"field":"body","problem":"give name, country, audience or attributes"})"},
      {"/api/v1/channels/9", R"({"audience":1})", 404, R"("message":"no channel has id 9")"},
      {"/api/v1/channels/x", R"({"audience":1})", 404, R"("code":"not_found")"},
  };
  for (const Case& c : cases) {
    HttpResponse bad = Patch(c.target, c.body);
    EXPECT_EQ(bad.status, c.status) << c.body << "\n" << bad.body;
    EXPECT_NE(bad.body.find(c.problem), std::string::npos) << c.body << "\n" << bad.body;
  }
}

TEST_F(V1Channels, WeightedChartsRankByPlaysTimesAudience) {
  const std::string chart = "/api/v1/charts?channel_id=1,2,3&period=week&start=2024-03-04";
  // By plays, B (4) leads A (2).
  HttpResponse plain = Get(server_.port(), chart);
  EXPECT_NE(plain.body.find(R"("rank":1,"song":{"id":2,"title":"B")"), std::string::npos)
      << plain.body;
  ASSERT_EQ(Patch("/api/v1/channels/1", R"({"audience":1000})").status, 200);
  ASSERT_EQ(Patch("/api/v1/channels/2", R"({"audience":10})").status, 200);
  // Weighted: A = 1 x 1000, B = 3 x 10; channel 3 has no audience and weighs 0.
  HttpResponse weighted = Get(server_.port(), chart + "&weighted=true");
  ASSERT_EQ(weighted.status, 200) << weighted.body;
  EXPECT_NE(weighted.body.find(R"("weighted":true,"unweighted_channel_ids":[3]})"),
            std::string::npos)
      << weighted.body;
  EXPECT_NE(weighted.body.find(R"("rank":1,"song":{"id":1,"title":"A","performer":{"id":1,"name":"P"}},"plays":2,"previous_plays":0,"score":1000,)"),
            std::string::npos)
      << weighted.body;
  EXPECT_NE(weighted.body.find(R"("rank":2,"song":{"id":2,"title":"B","performer":{"id":1,"name":"P"}},"plays":4,"previous_plays":0,"score":30,)"),
            std::string::npos)
      << weighted.body;
  EXPECT_EQ(Get(server_.port(), chart + "&weighted=maybe").status, 400);
  // Audiences survive a restart.
  server_.Signal(SIGTERM);
  ASSERT_EQ(server_.Wait(), 0);
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir_.path())) << restarted.Log();
  EXPECT_EQ(Get(restarted.port(), chart + "&weighted=true").body, weighted.body);
}

}  // namespace
}  // namespace spinlog::e2e
