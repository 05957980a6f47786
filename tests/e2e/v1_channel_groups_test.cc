// /api/v1/channel-groups over real HTTP: create (201 + Location, 200 for the
// same group again, 409 for the name with other channels), read, list by
// cursor, patch, delete, every error path, and charts asked for by group.
#include <gtest/gtest.h>

#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class V1ChannelGroups : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    // Channels 1..4; songs by P; one play each on 2024-03-05.
    for (int c = 1; c <= 4; ++c) {
      const std::string body = R"({"channel":"R)" + std::to_string(c) +
                               R"(","performer":"P","title":"S)" + std::to_string(c % 2) +
                               R"(","start":"2024-03-05T10:00:00","end":"2024-03-05T10:03:00"})";
      ASSERT_EQ(Post(server_.port(), "/api/v1/plays", body, "application/json").status, 200);
    }
  }
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "") {
    HttpConnection connection(server_.port());
    return connection.Request(method, target, body, "application/json");
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1ChannelGroups, CreateReadPatchDelete) {
  HttpResponse created = Call("POST", "/api/v1/channel-groups",
                              R"({"name":" Nordic ","channel_ids":[3,1,3]})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Location"), "/api/v1/channel-groups/1");
  EXPECT_EQ(created.body, R"({"id":1,"name":"Nordic","channel_ids":[1,3]})");
  // The same group again is answered with it; the name with other channels is a conflict.
  HttpResponse again = Call("POST", "/api/v1/channel-groups", R"({"name":"Nordic","channel_ids":[1,3]})");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, created.body);
  HttpResponse conflict =
      Call("POST", "/api/v1/channel-groups", R"({"name":"Nordic","channel_ids":[2]})");
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_NE(conflict.body.find(R"("code":"conflict")"), std::string::npos) << conflict.body;

  EXPECT_EQ(Call("GET", "/api/v1/channel-groups/1").body, created.body);
  HttpResponse patched =
      Call("PATCH", "/api/v1/channel-groups/1",
           R"({"name":"North","add_channel_ids":[4,2],"remove_channel_ids":[1]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body, R"({"id":1,"name":"North","channel_ids":[2,3,4]})");
  EXPECT_EQ(Call("GET", "/api/v1/channel-groups/1").body, patched.body);

  // Charts by group id or name equal the chart of its channels.
  const std::string week = "&period=week&start=2024-03-05";
  HttpResponse by_channels = Call("GET", "/api/v1/charts?channel_id=2,3,4" + week);
  ASSERT_EQ(by_channels.status, 200) << by_channels.body;
  EXPECT_EQ(Call("GET", "/api/v1/charts?group=1" + week).body, by_channels.body);
  EXPECT_EQ(Call("GET", "/api/v1/charts?group=North" + week).body, by_channels.body);
  EXPECT_NE(by_channels.body.find(R"("total":2)"), std::string::npos) << by_channels.body;

  HttpResponse deleted = Call("DELETE", "/api/v1/channel-groups/1");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(Call("GET", "/api/v1/channel-groups/1").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/channel-groups/1").status, 404);
  HttpResponse gone = Call("GET", "/api/v1/charts?group=North" + week);
  EXPECT_EQ(gone.status, 400);
  EXPECT_NE(gone.body.find(R"({"field":"group","problem":"no channel group is named 'North'"})"),
            std::string::npos)
      << gone.body;
}

TEST_F(V1ChannelGroups, GroupsSurviveARestartAndListByCursor) {
  for (int g = 1; g <= 5; ++g) {
    ASSERT_EQ(Call("POST", "/api/v1/channel-groups",
                   R"({"name":"G)" + std::to_string(g) + R"(","channel_ids":[1]})")
                  .status,
              201);
  }
  server_.Signal(SIGTERM);
  ASSERT_EQ(server_.Wait(), 0);
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir_.path())) << restarted.Log();
  HttpConnection connection(restarted.port());
  std::string names;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    HttpResponse r = connection.Request(
        "GET", "/api/v1/channel-groups?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), "",
        "");
    ASSERT_EQ(r.status, 200) << r.body;
    for (std::size_t at = r.body.find("\"name\":\""); at != std::string::npos;
         at = r.body.find("\"name\":\"", at + 1)) {
      names += r.body.substr(at + 8, 2) + " ";
    }
    const std::size_t next = r.body.find("\"next\":\"");
    if (next == std::string::npos) break;
    cursor = r.body.substr(next + 8, r.body.find('"', next + 8) - next - 8);
  }
  EXPECT_EQ(names, "G1 G2 G3 G4 G5 ");
  EXPECT_EQ(connection.Request("GET", "/api/v1/channel-groups?cursor=zzz", "", "").status, 400);
}

TEST_F(V1ChannelGroups, BadRequestsNameTheirFields) {
  struct Case {
    std::string method, target, body;
    int status;
    std::string problem;
  } cases[] = {
      {"POST", "/api/v1/channel-groups", R"({"channel_ids":[1]})", 400, R"({"field":"name","problem":"missing"})"},
      {"POST", "/api/v1/channel-groups", R"({"name":"  ","channel_ids":[1]})", 400, R"({"field":"name","problem":"must not be empty"})"},
      {"POST", "/api/v1/channel-groups", R"({"name":"X","channel_ids":[1,99]})", 400, R"({"field":"channel_ids","problem":"no channel has id 99"})"},
      {"POST", "/api/v1/channel-groups", R"({"name":"X","channel_ids":["a"]})", 400, R"({"field":"channel_ids")"},
      {"POST", "/api/v1/channel-groups", R"({"name":5})", 400, R"({"field":"name","problem":"must be a string, not number"})"},
      {"POST", "/api/v1/channel-groups", R"({"name":"X",)", 400, R"({"field":"body")"},
      {"GET", "/api/v1/channel-groups/abc", "", 404, R"("code":"not_found")"},
      {"GET", "/api/v1/channel-groups/7", "", 404, R"("message":"no channel group has id 7")"},
      {"PATCH", "/api/v1/channel-groups/7", R"({"name":"Y"})", 404, R"("code":"not_found")"},
      {"GET", "/api/v1/channel-groups?limit=0", "", 400, R"({"field":"limit")"},
      {"GET", "/api/v1/charts?group=1&channel_id=1&period=week&start=2024-03-05", "", 400, R"({"field":"group","problem":"give either)"},
      {"GET", "/api/v1/charts?group=9&period=week&start=2024-03-05", "", 400, R"({"field":"group","problem":"no channel group has id 9"})"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Call(c.method, c.target, c.body);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.target << " " << c.body << "\n" << r.body;
    EXPECT_NE(r.body.find(c.problem), std::string::npos)
        << c.method << " " << c.target << " " << c.body << "\n" << r.body;
  }
  ASSERT_EQ(Call("POST", "/api/v1/channel-groups", R"({"name":"A","channel_ids":[1]})").status, 201);
  ASSERT_EQ(Call("POST", "/api/v1/channel-groups", R"({"name":"B"})").status, 201);
  HttpResponse taken = Call("PATCH", "/api/v1/channel-groups/2", R"({"name":"A"})");
  EXPECT_EQ(taken.status, 409) << taken.body;
  HttpResponse nothing = Call("PATCH", "/api/v1/channel-groups/2", R"({})");
  EXPECT_EQ(nothing.status, 400) << nothing.body;
  EXPECT_EQ(Call("PUT", "/api/v1/channel-groups/2", "{}").status, 405);
}

}  // namespace
}  // namespace spinlog::e2e
