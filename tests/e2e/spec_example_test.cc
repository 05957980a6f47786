// The example data of plays-api.md (3 songs on 2 channels, non-ASCII names,
// metadata posted more than once) through real HTTP, in form mode and in JSON
// mode; every endpoint's answer compared whole. On the embedded store, and on
// a shared PostgreSQL (a scratch database in the test cluster).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"
#include "support/pg_test_server.h"

namespace spinlog::e2e {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

enum class Mode { kForm, kJson, kJsonMislabelled, kQueryString };

struct Variant {
  Mode mode;
  bool postgres = false;  // spinlog serve --store postgresql://...
};

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

struct Play {
  const char* channel;
  const char* performer;
  const char* title;
  const char* start;
  const char* end;
};

// Previous week [01-01, 01-08): Song1 x3, Song2 x2, Söng3 x1.
// Current week [01-08, 01-15): Söng3 x3, Song1 x2, Song2 x2.
const std::vector<Play> kPlays = {
    {"Channel1", "Performer1", "Song1", "2014-01-01T01:00:00", "2014-01-01T01:10:00"},
    {"Channel2", "Performer1", "Song1", "2014-01-01T01:00:00", "2014-01-01T01:10:00"},
    {"Channel1", "Performer1", "Song1", "2014-01-02T10:00:00", "2014-01-02T10:05:00"},
    {"Channel1", "Performer2", "Song2", "2014-01-03T12:00:00", "2014-01-03T12:04:00"},
    {"Channel2", "Performer2", "Song2", "2014-01-07T23:58:00", "2014-01-08T00:02:00"},
    {"Channel2", "Pêrformer3", "Söng3", "2014-01-05T08:00:00", "2014-01-05T08:03:00"},
    {"Channel1", "Pêrformer3", "Söng3", "2014-01-08T00:00:00", "2014-01-08T00:03:00"},
    // Decomposed "ê"/"ö" and an offset: the same song, the same instant kinds.
    {"Channel2", "Pe\xCC\x82rformer3", "So\xCC\x88ng3", "2014-01-09T02:00:00+01:00",
     "2014-01-09T01:03:00Z"},
    {"Channel1", "Pêrformer3", "Söng3", "2014-01-10T01:00:00", "2014-01-10T01:03:00.000"},
    {"Channel1", "Performer1", "Song1", "2014-01-10T01:03:00", "2014-01-10T01:13:00"},
    {"Channel2", "Performer1", "Song1", "2014-01-14T23:59:59", "2014-01-15T00:09:59"},
    {"Channel1", "Performer2", "Song2", "2014-01-11T05:00:00", "2014-01-11T05:04:00"},
    {"Channel2", "Performer2", "Song2", "2014-01-12T05:00:00", "2014-01-12T05:04:00"},
    {"Channel1", "Performer1", "Song1", "2014-01-15T00:00:00", "2014-01-15T00:10:00"},
};

class SpecExample : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    std::vector<std::string> args;
    if (GetParam().postgres) {
      database_ = std::make_unique<testing::PgScratchDatabase>();
      if (!database_->skip_reason().empty()) GTEST_SKIP() << database_->skip_reason();
      ASSERT_FALSE(database_->url().empty()) << database_->error();
      args = {"--store", database_->url()};
    }
    ASSERT_TRUE(server_.Start(dir_.path(), args)) << server_.Log();
  }

  HttpResponse Call(const std::string& method, const std::string& path, const Fields& fields) {
    HttpConnection connection(server_.port());
    if (method == "GET") return connection.Request("GET", path + "?" + Form(fields));
    switch (GetParam().mode) {
      case Mode::kForm:
        return connection.Request("POST", path, Form(fields), "application/x-www-form-urlencoded");
      case Mode::kQueryString:
        return connection.Request("POST", path + "?" + Form(fields), "", "");
      case Mode::kJson:
      case Mode::kJsonMislabelled: {
        std::string body = "{";
        for (const auto& [k, v] : fields) {
          if (body.size() > 1) body += ", ";
          body += "\"" + k + "\": \"" + JsonEscape(v) + "\"";
        }
        body += "}";
        return connection.Request("POST", path, body,
                                  GetParam().mode == Mode::kJson ? "application/json"
                                                                 : "text/plain");
      }
    }
    return {};
  }

  void ExpectOk(const HttpResponse& r, const std::string& result) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.body, "{\"code\":0,\"result\":" + result + "}");
  }

  TempDir dir_;
  std::unique_ptr<testing::PgScratchDatabase> database_;  // outlives the server
  ServerProcess server_;
};

TEST_P(SpecExample, EveryEndpointAnswersAsSpecified) {
  // Metadata, posted twice: the second time changes nothing and succeeds.
  for (int round = 0; round < 2; ++round) {
    ExpectOk(Call("POST", "/add_channel", {{"name", "Channel1"}}), R"({"name":"Channel1"})");
    ExpectOk(Call("POST", "/add_channel", {{"name", " Channel2 "}}), R"({"name":"Channel2"})");
    ExpectOk(Call("POST", "/add_performer", {{"name", "Performer1"}}), R"({"name":"Performer1"})");
    ExpectOk(Call("POST", "/add_song", {{"title", "Song2"}, {"performer", "Performer2"}}),
             R"({"title":"Song2","performer":"Performer2"})");
    ExpectOk(Call("POST", "/add_song", {{"title", "Söng3"}, {"performer", "Pêrformer3"}}),
             R"({"title":"Söng3","performer":"Pêrformer3"})");
  }
  for (const Play& p : kPlays) {
    HttpResponse r = Call("POST", "/add_play",
                          {{"title", p.title},
                           {"performer", p.performer},
                           {"channel", p.channel},
                           {"start", p.start},
                           {"end", p.end}});
    ASSERT_EQ(r.status, 200) << p.start << ": " << r.body;
  }
  // The example answer of the spec, whole; then a re-post is a no-op.
  Fields first{{"title", "Song1"}, {"performer", "Performer1"}, {"channel", "Channel1"},
               {"start", "2014-01-01T01:00:00"}, {"end", "2014-01-01T01:10:00"}};
  ExpectOk(Call("POST", "/add_play", first),
           R"({"channel":"Channel1","performer":"Performer1","title":"Song1",)"
           R"("start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"})");
  ExpectOk(Call("POST", "/add_play",
                {{"title", "Söng3"}, {"performer", "Pêrformer3"}, {"channel", "Channel2"},
                 {"start", "2014-01-09T01:00:00"}, {"end", "2014-01-09T01:03:00"}}),
           R"({"channel":"Channel2","performer":"Pêrformer3","title":"Söng3",)"
           R"("start":"2014-01-09T01:00:00","end":"2014-01-09T01:03:00"})");
  // Another end at the same (channel, start) is a conflict.
  Fields conflicting = first;
  conflicting[4].second = "2014-01-01T01:11:00";
  HttpResponse conflict = Call("POST", "/add_play", conflicting);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_NE(conflict.body.find("\"code\":409"), std::string::npos) << conflict.body;

  ExpectOk(Call("GET", "/get_top",
                {{"channels", R"(["Channel1","Channel2"])"},
                 {"start", "2014-01-08T00:00:00"},
                 {"limit", "10"}}),
           R"([{"performer":"Pêrformer3","title":"Söng3","rank":0,"previous_rank":2,"plays":3,"previous_plays":1},)"
           R"({"performer":"Performer1","title":"Song1","rank":1,"previous_rank":0,"plays":2,"previous_plays":3},)"
           R"({"performer":"Performer2","title":"Song2","rank":2,"previous_rank":1,"plays":2,"previous_plays":2}])");
  // The limit cuts the list, not the previous-week ranking.
  ExpectOk(Call("POST", "/get_top",
                {{"channels", R"(["Channel2", "Channel1"])"},
                 {"start", "2014-01-08"},
                 {"limit", "1"}}),
           R"([{"performer":"Pêrformer3","title":"Söng3","rank":0,"previous_rank":2,"plays":3,"previous_plays":1}])");
  // One channel: Söng3 was not played there the week before.
  ExpectOk(Call("GET", "/get_top", {{"channels", R"(["Channel1"])"}, {"start", "2014-01-08T00:00:00"}}),
           R"([{"performer":"Pêrformer3","title":"Söng3","rank":0,"previous_rank":null,"plays":2,"previous_plays":0},)"
           R"({"performer":"Performer1","title":"Song1","rank":1,"previous_rank":0,"plays":1,"previous_plays":2},)"
           R"({"performer":"Performer2","title":"Song2","rank":2,"previous_rank":1,"plays":1,"previous_plays":1}])");
  // A week with nothing played.
  ExpectOk(Call("GET", "/get_top", {{"channels", R"(["Channel1"])"}, {"start", "2015-01-01T00:00:00"}}),
           "[]");

  // Overlap: a play that started before the window and ends inside it counts.
  ExpectOk(Call("GET", "/get_channel_plays",
                {{"channel", "Channel2"}, {"start", "2014-01-08T00:00:00"}, {"end", "2014-01-10T00:00:00"}}),
           R"([{"performer":"Performer2","title":"Song2","start":"2014-01-07T23:58:00","end":"2014-01-08T00:02:00"},)"
           R"({"performer":"Pêrformer3","title":"Söng3","start":"2014-01-09T01:00:00","end":"2014-01-09T01:03:00"}])");
  // A play starting exactly at the window's end is outside it.
  ExpectOk(Call("POST", "/get_channel_plays",
                {{"channel", "Channel1"}, {"start", "2014-01-10T00:00:00"}, {"end", "2014-01-10T01:03:00"}}),
           R"([{"performer":"Pêrformer3","title":"Söng3","start":"2014-01-10T01:00:00","end":"2014-01-10T01:03:00"}])");
  // Same start on two channels: ordered by channel name.
  ExpectOk(Call("GET", "/get_song_plays",
                {{"title", "Song1"}, {"performer", "Performer1"},
                 {"start", "2014-01-01T00:00:00"}, {"end", "2014-01-02T00:00:00"}}),
           R"([{"channel":"Channel1","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"},)"
           R"({"channel":"Channel2","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"}])");
  ExpectOk(Call("GET", "/get_song_plays",
                {{"title", "Söng3"}, {"performer", "Pêrformer3"},
                 {"start", "2014-01-01T00:00:00"}, {"end", "2014-01-15T00:00:00"}}),
           R"([{"channel":"Channel2","start":"2014-01-05T08:00:00","end":"2014-01-05T08:03:00"},)"
           R"({"channel":"Channel1","start":"2014-01-08T00:00:00","end":"2014-01-08T00:03:00"},)"
           R"({"channel":"Channel2","start":"2014-01-09T01:00:00","end":"2014-01-09T01:03:00"},)"
           R"({"channel":"Channel1","start":"2014-01-10T01:00:00","end":"2014-01-10T01:03:00"}])");

  // Unknown names in queries answer 404 naming them.
  HttpResponse unknown = Call("GET", "/get_channel_plays",
                              {{"channel", "Nope"}, {"start", "2014-01-01"}, {"end", "2014-01-02"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("Nope"), std::string::npos) << unknown.body;
}

std::string VariantName(const ::testing::TestParamInfo<Variant>& param_info) {
  std::string name = param_info.param.postgres ? "PostgreSql" : "";
  switch (param_info.param.mode) {
    case Mode::kForm: return name + "Form";
    case Mode::kJson: return name + "Json";
    case Mode::kJsonMislabelled: return name + "JsonMislabelled";
    case Mode::kQueryString: return name + "QueryString";
  }
  return name + "Unknown";
}

INSTANTIATE_TEST_SUITE_P(Modes, SpecExample,
                         ::testing::Values(Variant{Mode::kForm}, Variant{Mode::kJson},
                                           Variant{Mode::kJsonMislabelled},
                                           Variant{Mode::kQueryString},
                                           Variant{Mode::kForm, true},
                                           Variant{Mode::kJson, true}),
                         VariantName);

}  // namespace
}  // namespace spinlog::e2e
