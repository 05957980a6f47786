// get_top answers a repeated query from kept answers (api/classic/
// top_answer_cache.h): every play (backdated ones, the previous week's), every
// rename of a song's performer or title, and every channel added or renamed
// must show in the very next answer to the same query string.
#include <gtest/gtest.h>

#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class ClassicTopFreshness : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }

  void AddPlay(const std::string& channel, const std::string& title, const std::string& start) {
    const std::string end = start.substr(0, 17) + "30";
    ASSERT_EQ(Post(server_.port(), "/add_play",
                   Form({{"channel", channel}, {"performer", "P"}, {"title", title},
                         {"start", start}, {"end", end}}))
                  .status,
              200);
  }
  HttpResponse Top(const std::string& channels) {
    return Get(server_.port(), "/get_top?channels=" + UrlEncode(channels) +
                                   "&start=2024-03-04T00%3A00%3A00&limit=10");
  }
  HttpResponse Patch(const std::string& target, const std::string& body) {
    HttpConnection connection(server_.port());
    return connection.Request("PATCH", target, body, "application/json");
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(ClassicTopFreshness, EveryChangeShowsInTheNextAnswer) {
  // A channel that does not exist yet, then does.
  ASSERT_EQ(Post(server_.port(), "/add_channel", Form({{"name", "C1"}})).status, 200);
  EXPECT_EQ(Top(R"(["C1","C2"])").status, 404);
  EXPECT_EQ(Top(R"(["C1","C2"])").status, 404);
  for (const char* name : {"C2"}) {
    ASSERT_EQ(Post(server_.port(), "/add_channel", Form({{"name", name}})).status, 200);
  }
  AddPlay("C1", "A", "2024-03-05T10:00:00");
  const std::string both = R"(["C1","C2"])";
  EXPECT_EQ(Top(both).body,
            R"({"code":0,"result":[{"performer":"P","title":"A","rank":0,"previous_rank":null,)"
            R"("plays":1,"previous_plays":0}]})");
  // Asked twice (the second from the kept answer), then in another order.
  EXPECT_EQ(Top(both).body, Top(both).body);
  EXPECT_EQ(Top(R"(["C2","C1"])").body, Top(both).body);

  // A backdated play on the week's first day, on the other channel.
  AddPlay("C2", "B", "2024-03-04T00:00:00");
  AddPlay("C2", "B", "2024-03-10T23:59:00");
  EXPECT_EQ(Top(both).body,
            R"({"code":0,"result":[{"performer":"P","title":"B","rank":0,"previous_rank":null,)"
            R"("plays":2,"previous_plays":0},{"performer":"P","title":"A","rank":1,)"
            R"("previous_rank":null,"plays":1,"previous_plays":0}]})");

  // A play in the previous week changes previous_rank and previous_plays.
  AddPlay("C1", "A", "2024-02-26T00:00:00");
  EXPECT_EQ(Top(both).body,
            R"({"code":0,"result":[{"performer":"P","title":"B","rank":0,"previous_rank":null,)"
            R"("plays":2,"previous_plays":0},{"performer":"P","title":"A","rank":1,)"
            R"("previous_rank":0,"plays":1,"previous_plays":1}]})");
  // Plays outside both weeks change nothing.
  AddPlay("C1", "A", "2024-03-11T00:00:00");
  AddPlay("C1", "A", "2024-02-25T23:59:00");
  EXPECT_EQ(Top(both).body,
            R"({"code":0,"result":[{"performer":"P","title":"B","rank":0,"previous_rank":null,)"
            R"("plays":2,"previous_plays":0},{"performer":"P","title":"A","rank":1,)"
            R"("previous_rank":0,"plays":1,"previous_plays":1}]})");

  // Renaming a song's performer shows at once.
  ASSERT_EQ(Patch("/api/v1/performers/1", R"({"name":"Q"})").status, 200);
  EXPECT_EQ(Top(both).body,
            R"({"code":0,"result":[{"performer":"Q","title":"B","rank":0,"previous_rank":null,)"
            R"("plays":2,"previous_plays":0},{"performer":"Q","title":"A","rank":1,)"
            R"("previous_rank":0,"plays":1,"previous_plays":1}]})");

  // A renamed channel is no longer found by its old name, and is by its new one.
  ASSERT_EQ(Patch("/api/v1/channels/2", R"({"name":"C3"})").status, 200);
  EXPECT_EQ(Top(both).status, 404);
  EXPECT_EQ(Top(R"(["C1","C3"])").body,
            R"({"code":0,"result":[{"performer":"Q","title":"B","rank":0,"previous_rank":null,)"
            R"("plays":2,"previous_plays":0},{"performer":"Q","title":"A","rank":1,)"
            R"("previous_rank":0,"plays":1,"previous_plays":1}]})");
  EXPECT_EQ(Top(R"(["C1"])").body,
            R"({"code":0,"result":[{"performer":"Q","title":"A","rank":0,"previous_rank":0,)"
            R"("plays":1,"previous_plays":1}]})");
}

}  // namespace
}  // namespace spinlog::e2e
