// Inputs that real clients send and that the classic API accepts, though
// they bend the letter of its examples: a byte-order mark, limits written
// as JSON numbers or left empty, fractional seconds, lower-case 't'/'z'.
#include <gtest/gtest.h>

#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class LenientInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    ASSERT_EQ(Post(port(), "/add_play",
                   "title=S&performer=P&channel=C&start=2014-01-08T01:00:00&end=2014-01-08T01:03:00")
                  .status,
              200);
  }
  std::uint16_t port() const { return server_.port(); }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(LenientInput, ByteOrderMarkBeforeJsonIsIgnored) {
  HttpResponse r = Post(port(), "/add_channel", "\xEF\xBB\xBF{\"name\":\"Bom\"}", "application/json");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"code":0,"result":{"name":"Bom"}})");
}

TEST_F(LenientInput, LimitAsWholeJsonNumberNullOrEmpty) {
  const std::string top =
      R"({"code":0,"result":[{"performer":"P","title":"S","rank":0,"previous_rank":null,"plays":1,"previous_plays":0}]})";
  for (const char* limit : {"10.0", "1e1", "null", "\"\""}) {
    std::string body = R"({"channels":["C"],"start":"2014-01-08","limit":)" + std::string(limit) + "}";
    HttpResponse r = Post(port(), "/get_top", body, "application/json");
    EXPECT_EQ(r.status, 200) << limit << ": " << r.body;
    EXPECT_EQ(r.body, top) << limit;
  }
  EXPECT_EQ(Get(port(), "/get_top?channels=%5B%22C%22%5D&start=2014-01-08&limit=").body, top);
}

TEST_F(LenientInput, FractionalSecondsAreStoredToTheSecond) {
  // The same play as stored, written with fractions and lower-case letters.
  HttpResponse r = Post(port(), "/add_play",
                        "title=S&performer=P&channel=C&start=2014-01-08t01:00:00.750z"
                        "&end=2014-01-08T01:03:00.2");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            R"({"code":0,"result":{"channel":"C","performer":"P","title":"S",)"
            R"("start":"2014-01-08T01:00:00","end":"2014-01-08T01:03:00"}})");
  HttpResponse plays =
      Get(port(), "/get_channel_plays?channel=C&start=2014-01-08&end=2014-01-09");
  EXPECT_EQ(plays.body,
            R"({"code":0,"result":[{"performer":"P","title":"S",)"
            R"("start":"2014-01-08T01:00:00","end":"2014-01-08T01:03:00"}]})");
  // Shorter than a second once truncated: end is not after start.
  HttpResponse blip = Post(port(), "/add_play",
                           "title=S&performer=P&channel=C&start=2014-01-09T00:00:00.1"
                           "&end=2014-01-09T00:00:00.9");
  EXPECT_EQ(blip.status, 400) << blip.body;
}

TEST_F(LenientInput, UnencodedPlusInAnOffsetStillMeansPlus) {
  // "+01:00" typed into a URL without encoding arrives as " 01:00".
  HttpResponse r =
      Get(port(), "/get_channel_plays?channel=C&start=2014-01-08T02:00:00+01:00&end=2014-01-08T03:00:00+01:00");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("2014-01-08T01:00:00"), std::string::npos) << r.body;
}

TEST_F(LenientInput, QueryWindowEndingBeforeItStartsIsAnError) {
  HttpResponse r = Get(port(), "/get_channel_plays?channel=C&start=2014-01-09&end=2014-01-08");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.body, R"({"code":400,"errors":["end: must not be before start"],"result":null})");
  HttpResponse empty = Get(port(), "/get_channel_plays?channel=C&start=2014-01-08&end=2014-01-08");
  EXPECT_EQ(empty.body, R"({"code":0,"result":[]})");
}

}  // namespace
}  // namespace spinlog::e2e
