// Order of listed plays when the store's order (channel id) and the API's
// order (channel name) disagree.
#include <gtest/gtest.h>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

TEST(Ordering, SongPlaysWithTheSameStartAreOrderedByChannelName) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  // Created first, so "Zeta" has the smaller id.
  for (const char* channel : {"Zeta", "alpha", "Alpha"}) {
    ASSERT_EQ(Post(server.port(), "/add_play",
                   std::string("title=S&performer=P&channel=") + channel +
                       "&start=2020-01-01T10:00:00&end=2020-01-01T10:03:00")
                  .status,
              200);
  }
  HttpResponse r = Get(server.port(),
                       "/get_song_plays?title=S&performer=P&start=2020-01-01&end=2020-01-02");
  EXPECT_EQ(r.body,
            R"({"code":0,"result":[)"
            R"({"channel":"Alpha","start":"2020-01-01T10:00:00","end":"2020-01-01T10:03:00"},)"
            R"({"channel":"Zeta","start":"2020-01-01T10:00:00","end":"2020-01-01T10:03:00"},)"
            R"({"channel":"alpha","start":"2020-01-01T10:00:00","end":"2020-01-01T10:03:00"}]})");
}

}  // namespace
}  // namespace spinlog::e2e
