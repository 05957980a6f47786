// Writes of the catalogue over real HTTP: POST (201 + Location, or 200 with
// the existing record), PATCH (renames keep ids and plays; 409 on a taken
// name), DELETE (204; 409 while referenced), every field's 400, 404s, the
// country filter, and merges of songs and performers, checked against the
// same plays loaded fresh onto the target ids, before and after a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

constexpr const char* kJson = "application/json";

HttpResponse Send(std::uint16_t port, const char* method, const std::string& target,
                  const std::string& body = "") {
  HttpConnection connection(port);
  return connection.Request(method, target, body, body.empty() ? "" : kJson);
}

// Whether `r` is a v1 error with `status` naming `field`.
::testing::AssertionResult NamesField(const HttpResponse& r, int status, const std::string& field) {
  if (r.status != status) {
    return ::testing::AssertionFailure() << "status " << r.status << ": " << r.body;
  }
  const std::string shape = R"({"error":{"status":)" + std::to_string(status);
  if (r.body.rfind(shape, 0) != 0) return ::testing::AssertionFailure() << r.body;
  if (!field.empty() && r.body.find(R"({"field":")" + field + "\"") == std::string::npos) {
    return ::testing::AssertionFailure() << "no field " << field << " in " << r.body;
  }
  return ::testing::AssertionSuccess();
}

class V1CatalogueWrites : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }
  std::uint16_t port() const { return server_.port(); }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1CatalogueWrites, PerformersAreCreatedReadChangedAndDeleted) {
  const std::string body =
      R"({"name":"Anna Ek","country":"se","description":" Singer ","date_of_birth":"1980-02-29",)"
      R"("website":"https://anna.example/","picture_url":"http://img.example/a.jpg"})";
  const std::string expected =
      R"({"id":1,"name":"Anna Ek","country":"SE","description":"Singer","date_of_birth":"1980-02-29",)"
      R"("website":"https://anna.example/","picture_url":"http://img.example/a.jpg"})";
  const HttpResponse created = Post(port(), "/api/v1/performers", body, kJson);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Location"), "/api/v1/performers/1");
  EXPECT_EQ(created.body, expected);
  EXPECT_EQ(Get(port(), "/api/v1/performers/1").body, expected);
  // The natural key exists: 200 with the stored record, other fields ignored.
  const HttpResponse existing =
      Post(port(), "/api/v1/performers", R"({"name":"Anna Ek","country":"NO"})", kJson);
  EXPECT_EQ(existing.status, 200);
  EXPECT_EQ(existing.Header("Location"), "/api/v1/performers/1");
  EXPECT_EQ(existing.body, expected);
  // A form works too, and only the name is required.
  const HttpResponse second = Post(port(), "/api/v1/performers", Form({{"name", "Bo"}}));
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, R"({"id":2,"name":"Bo","country":null,"description":null,)"
                         R"("date_of_birth":null,"website":null,"picture_url":null})");

  // PATCH: a rename keeps the id; null clears; the old name is free.
  HttpResponse patched = Send(port(), "PATCH", "/api/v1/performers/1",
                              R"({"name":"Anna Ek Band","website":null})");
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_NE(patched.body.find(R"("id":1,"name":"Anna Ek Band")"), std::string::npos);
  EXPECT_NE(patched.body.find(R"("website":null)"), std::string::npos);
  EXPECT_NE(patched.body.find(R"("country":"SE")"), std::string::npos);  // untouched
  const HttpResponse taken = Send(port(), "PATCH", "/api/v1/performers/2", R"({"name":"Anna Ek Band"})");
  EXPECT_TRUE(NamesField(taken, 409, ""));
  EXPECT_NE(taken.body.find("exists (id 1)"), std::string::npos) << taken.body;
  EXPECT_EQ(Post(port(), "/api/v1/performers", R"({"name":"Anna Ek"})", kJson).status, 201);

  // DELETE: refused while songs refer to it, then 204 and gone.
  ASSERT_EQ(Post(port(), "/api/v1/songs", R"({"performer_id":2,"title":"T"})", kJson).status, 201);
  EXPECT_TRUE(NamesField(Send(port(), "DELETE", "/api/v1/performers/2"), 409, ""));
  EXPECT_EQ(Send(port(), "DELETE", "/api/v1/songs/1").status, 204);
  const HttpResponse deleted = Send(port(), "DELETE", "/api/v1/performers/2");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_TRUE(NamesField(Get(port(), "/api/v1/performers/2"), 404, ""));
  EXPECT_TRUE(NamesField(Send(port(), "DELETE", "/api/v1/performers/2"), 404, ""));
  EXPECT_TRUE(NamesField(Send(port(), "PATCH", "/api/v1/performers/9", R"({"name":"X"})"), 404, ""));
}

TEST_F(V1CatalogueWrites, SongsKeepIdsAndPlaysThroughRenames) {
  ASSERT_EQ(Post(port(), "/api/v1/performers", R"({"name":"P"})", kJson).status, 201);
  ASSERT_EQ(Post(port(), "/api/v1/performers", R"({"name":"Q"})", kJson).status, 201);
  const HttpResponse created = Post(
      port(), "/api/v1/songs",
      R"({"performer_id":1,"title":"Harbour","duration":245,"release":"2024-05-01","isrc":"se-abc-24-00001"})",
      kJson);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Location"), "/api/v1/songs/1");
  EXPECT_EQ(created.body, R"({"id":1,"title":"Harbour","performer":{"id":1,"name":"P"},)"
                          R"("duration":245,"release":"2024-05-01","isrc":"SEABC2400001"})");
  EXPECT_EQ(Post(port(), "/api/v1/songs", R"({"performer_id":1,"title":"Harbour"})", kJson).status,
            200);
  ASSERT_EQ(Post(port(), "/api/v1/songs", R"({"performer_id":1,"title":"Other"})", kJson).status,
            201);
  ASSERT_EQ(Post(port(), "/api/v1/plays",
                 R"({"channel":"C","song_id":1,"start":"2024-03-01T10:00:00Z","end":"2024-03-01T10:04:00Z"})",
                 kJson)
                .status,
            200);
  // Rename and move to performer Q: same id, same plays, the plays list names it anew.
  const HttpResponse renamed =
      Send(port(), "PATCH", "/api/v1/songs/1", R"({"title":"Harbor","performer_id":2,"duration":null})");
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.body, R"({"id":1,"title":"Harbor","performer":{"id":2,"name":"Q"},)"
                          R"("duration":null,"release":"2024-05-01","isrc":"SEABC2400001"})");
  const HttpResponse plays = Get(port(), "/api/v1/songs/1/plays");
  EXPECT_NE(plays.body.find(R"("song":{"id":1,"title":"Harbor"},"performer":{"id":2,"name":"Q"})"),
            std::string::npos)
      << plays.body;
  EXPECT_NE(Get(port(), "/api/v1/performers/2/plays").body.find("2024-03-01T10:00:00Z"),
            std::string::npos);
  // The classic API finds it by its new names.
  EXPECT_NE(Get(port(), "/get_song_plays?performer=Q&title=Harbor&start=2024-03-01&end=2024-03-02")
                .body.find("10:00:00"),
            std::string::npos);
  // Onto a taken (performer, title): 409 naming the other song.
  const HttpResponse taken =
      Send(port(), "PATCH", "/api/v1/songs/2", R"({"title":"Harbor","performer_id":2})");
  EXPECT_TRUE(NamesField(taken, 409, ""));
  EXPECT_NE(taken.body.find("exists (id 1)"), std::string::npos) << taken.body;
  // DELETE: refused while it has plays.
  EXPECT_TRUE(NamesField(Send(port(), "DELETE", "/api/v1/songs/1"), 409, ""));
  EXPECT_EQ(Send(port(), "DELETE", "/api/v1/songs/2").status, 204);
  EXPECT_TRUE(NamesField(Get(port(), "/api/v1/songs/2"), 404, ""));
}

TEST_F(V1CatalogueWrites, ChannelsAreCreatedAndDeletedWhenUnreferenced) {
  const HttpResponse created =
      Post(port(), "/api/v1/channels", R"({"name":"P4","country":"se","audience":1000})", kJson);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Location"), "/api/v1/channels/1");
  EXPECT_EQ(created.body, R"({"id":1,"name":"P4","country":"SE","audience":1000,"attributes":{}})");
  EXPECT_EQ(Post(port(), "/api/v1/channels", R"({"name":"P4"})", kJson).status, 200);
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"Grouped"})", kJson).status, 201);
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"Idle"})", kJson).status, 201);
  ASSERT_EQ(Post(port(), "/api/v1/channel-groups", R"({"name":"G","channel_ids":[2]})", kJson).status,
            201);
  ASSERT_EQ(Post(port(), "/api/v1/plays",
                 R"({"channel_id":1,"performer":"P","title":"T","start":"2024-03-01T10:00:00Z","end":"2024-03-01T10:04:00Z"})",
                 kJson)
                .status,
            200);
  const HttpResponse played = Send(port(), "DELETE", "/api/v1/channels/1");
  EXPECT_TRUE(NamesField(played, 409, ""));
  EXPECT_NE(played.body.find("has plays"), std::string::npos);
  const HttpResponse grouped = Send(port(), "DELETE", "/api/v1/channels/2");
  EXPECT_TRUE(NamesField(grouped, 409, ""));
  EXPECT_NE(grouped.body.find("channel group 'G'"), std::string::npos) << grouped.body;
  EXPECT_EQ(Send(port(), "DELETE", "/api/v1/channels/3").status, 204);
  EXPECT_TRUE(NamesField(Get(port(), "/api/v1/channels/3"), 404, ""));
  // Its name is free again, under a new id.
  EXPECT_EQ(Post(port(), "/api/v1/channels", R"({"name":"Idle"})", kJson).Header("Location"),
            "/api/v1/channels/4");
  // A play naming the deleted channel's id is refused, by field.
  EXPECT_EQ(Post(port(), "/api/v1/plays",
                 R"({"channel_id":3,"performer":"P","title":"T","start":"2024-03-01T10:00:00Z","end":"2024-03-01T10:04:00Z"})",
                 kJson)
                .status,
            207);
}

TEST_F(V1CatalogueWrites, EveryBadFieldIsA400NamingIt) {
  ASSERT_EQ(Post(port(), "/api/v1/performers", R"({"name":"P"})", kJson).status, 201);
  ASSERT_EQ(Post(port(), "/api/v1/songs", R"({"performer_id":1,"title":"S"})", kJson).status, 201);
  const std::string long_text(5000, 'x');
  struct Case {
    const char* method;
    std::string target, body, field;
  } cases[] = {
      {"POST", "/api/v1/performers", R"({})", "name"},
      {"POST", "/api/v1/performers", R"({"name":"  "})", "name"},
      {"POST", "/api/v1/performers", R"({"name":5})", "name"},
      {"POST", "/api/v1/performers", R"({"name":"A","country":"XX"})", "country"},
      {"POST", "/api/v1/performers", R"({"name":"A","country":"SWE"})", "country"},
      {"POST", "/api/v1/performers", R"({"name":"A","date_of_birth":"1981-02-29"})", "date_of_birth"},
      {"POST", "/api/v1/performers", R"({"name":"A","date_of_birth":"29.02.1980"})", "date_of_birth"},
      {"POST", "/api/v1/performers", R"({"name":"A","website":"ftp://x.example"})", "website"},
      {"POST", "/api/v1/performers", R"({"name":"A","website":"https://"})", "website"},
      {"POST", "/api/v1/performers", R"({"name":"A","website":"https://a b.example"})", "website"},
      {"POST", "/api/v1/performers", R"({"name":"A","picture_url":"example.com/p.jpg"})", "picture_url"},
      {"POST", "/api/v1/performers", R"({"name":"A","description":")" + long_text + "\"}", "description"},
      {"POST", "/api/v1/performers", R"({"name":"A","description":7})", "description"},
      {"POST", "/api/v1/performers", R"({"name":")" + std::string(1100, 'n') + "\"}", "name"},
      {"PATCH", "/api/v1/performers/1", R"({})", "body"},
      {"PATCH", "/api/v1/performers/1", R"({"country":"ZZ"})", "country"},
      {"POST", "/api/v1/songs", R"({"title":"S"})", "performer_id"},
      {"POST", "/api/v1/songs", R"({"performer_id":1})", "title"},
      {"POST", "/api/v1/songs", R"({"performer_id":9,"title":"S"})", "performer_id"},
      {"POST", "/api/v1/songs", R"({"performer_id":"x","title":"S"})", "performer_id"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","duration":0})", "duration"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","duration":-5})", "duration"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","duration":2.5})", "duration"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","duration":86401})", "duration"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","release":"2024-13-01"})", "release"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","isrc":"SEABC240001"})", "isrc"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","isrc":"S1ABC2400001"})", "isrc"},
      {"POST", "/api/v1/songs", R"({"performer_id":1,"title":"S2","isrc":"SE-ABC-2A-00001"})", "isrc"},
      {"PATCH", "/api/v1/songs/1", R"({})", "body"},
      {"PATCH", "/api/v1/songs/1", R"({"performer_id":77})", "performer_id"},
      {"POST", "/api/v1/channels", R"({"country":"SE"})", "name"},
      {"POST", "/api/v1/channels", R"({"name":"C","country":"XX"})", "country"},
      {"POST", "/api/v1/channels", R"({"name":"C","audience":-1})", "audience"},
      {"POST", "/api/v1/songs/1/merge", R"({})", "into"},
      {"POST", "/api/v1/songs/1/merge", R"({"into":1})", "into"},
      {"POST", "/api/v1/songs/1/merge", R"({"into":99})", "into"},
      {"POST", "/api/v1/songs/1/merge", R"({"into":"two"})", "into"},
      {"POST", "/api/v1/performers/1/merge", R"({"into":1})", "into"},
      {"POST", "/api/v1/performers/1/merge", R"({"into":42})", "into"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(NamesField(Send(port(), c.method, c.target, c.body), 400, c.field))
        << c.method << " " << c.target << " " << c.body.substr(0, 80);
  }
  // Every bad field at once.
  const HttpResponse all = Post(port(), "/api/v1/performers",
                                R"({"name":"A","country":"XX","website":"x","date_of_birth":"y"})", kJson);
  for (const char* field : {"country", "website", "date_of_birth"}) {
    EXPECT_TRUE(NamesField(all, 400, field));
  }
  const HttpResponse song = Post(port(), "/api/v1/songs",
                                 R"({"performer_id":1,"title":"S3","duration":"x","isrc":"SE-ABC-2400001"})", kJson);
  for (const char* field : {"duration", "isrc"}) EXPECT_TRUE(NamesField(song, 400, field));
  // Nothing was created by the refused requests.
  EXPECT_EQ(Get(port(), "/api/v1/performers").body.find(R"("name":"A")"), std::string::npos);
  // Unknown records: 404.
  for (const auto& [method, target] : std::vector<std::pair<const char*, std::string>>{
           {"PATCH", "/api/v1/songs/50"}, {"DELETE", "/api/v1/songs/50"},
           {"DELETE", "/api/v1/channels/50"}, {"POST", "/api/v1/songs/50/merge"},
           {"POST", "/api/v1/performers/50/merge"}, {"DELETE", "/api/v1/performers/x"}}) {
    EXPECT_TRUE(NamesField(Send(port(), method, target, R"({"into":1,"title":"X"})"), 404, ""))
        << method << " " << target;
  }
}

TEST_F(V1CatalogueWrites, ListsFilterByCountry) {
  for (const char* body : {R"({"name":"Nova","country":"SE"})", R"({"name":"Alfa","country":"se"})",
                           R"({"name":"Mix","country":"NO"})", R"({"name":"Zed"})"}) {
    ASSERT_EQ(Post(port(), "/api/v1/performers", body, kJson).status, 201);
    ASSERT_EQ(Post(port(), "/api/v1/channels", body, kJson).status, 201);
  }
  for (const char* kind : {"performers", "channels"}) {
    const std::string base = std::string("/api/v1/") + kind + "?country=se";
    const std::string by_name = Get(port(), base + "&sort=name").body;
    EXPECT_LT(by_name.find("Alfa"), by_name.find("Nova")) << by_name;
    EXPECT_EQ(by_name.find("Mix"), std::string::npos);
    const std::string by_id = Get(port(), base + "&limit=1").body;
    EXPECT_NE(by_id.find(R"("id":1,"name":"Nova")"), std::string::npos) << by_id;
    EXPECT_EQ(by_id.find("Alfa"), std::string::npos);
    EXPECT_NE(Get(port(), base + "&name_prefix=A").body.find("Alfa"), std::string::npos);
  }
  // A PATCH moves a channel between countries.
  ASSERT_EQ(Send(port(), "PATCH", "/api/v1/channels/3", R"({"country":"SE"})").status, 200);
  EXPECT_NE(Get(port(), "/api/v1/channels?country=SE").body.find("Mix"), std::string::npos);
  EXPECT_EQ(Get(port(), "/api/v1/channels?country=NO").body, R"({"channels":[],"next":null})");
}

// --- Merges ---------------------------------------------------------------

struct PlaySpec {
  int channel;
  int song;  // in the numbering of the catalogue below
  std::string start, end;
};

// 300 plays on 4 channels over about 9 weeks of 2024, songs 1..8 drawn at
// random (fixed seed), each channel's plays one after another.
std::vector<PlaySpec> MakePlays() {
  std::mt19937 random(20240101);
  std::vector<PlaySpec> plays;
  std::map<int, long> next_minute;
  for (int i = 0; i < 300; ++i) {
    const int channel = 1 + static_cast<int>(random() % 4);
    long& minute = next_minute[channel];
    minute += 30 + static_cast<long>(random() % 600);
    const int song = 1 + static_cast<int>(random() % 8);
    char start[64];
    char end[64];
    const long day = minute / 1440;
    // 2024-01-01 + day: January has 31 days, February 29 (leap year).
    const auto date = [](long d, char* out, long minute_of_day) {
      int month = 1;
      long day_of_month = d;
      for (int length : {31, 29, 31, 30}) {
        if (day_of_month < length) break;
        day_of_month -= length;
        ++month;
      }
      std::snprintf(out, 64, "2024-%02d-%02dT%02d:%02d:00Z", month % 100,
                    static_cast<int>(day_of_month + 1) % 100, static_cast<int>(minute_of_day / 60) % 100,
                    static_cast<int>(minute_of_day % 60));
    };
    date(day, start, minute % 1440);
    const long end_minute = minute + 3;
    date(end_minute / 1440, end, end_minute % 1440);
    plays.push_back({channel, song, start, end});
  }
  return plays;
}

// The catalogue: performers 1 The Beatles, 2 Beatles (a duplicate), 3 Abba,
// 4 Other; songs 1 The Beatles/Help, 2 The Beatles/Let It Be, 3 Beatles/Help,
// 4 Beatles/Yesterday, 5 Abba/SOS, 6 Abba/S.O.S., 7 Other/A, 8 Other/B.
// Merging song 6 into 5 and performer 2 into 1 leaves what `merged` builds:
// song 3 folded into 1 and song 4 moved to performer 1.
void BuildCatalogue(std::uint16_t port, bool merged) {
  for (const char* name : {"The Beatles", "Beatles", "Abba", "Other"}) {
    ASSERT_EQ(Post(port, "/api/v1/performers", std::string(R"({"name":")") + name + "\"}", kJson).status,
              201);
  }
  const std::vector<std::pair<int, std::string>> songs = {
      {1, "Help"}, {1, "Let It Be"}, {2, "Help"}, {merged ? 1 : 2, "Yesterday"},
      {3, "SOS"},  {3, "S.O.S."},    {4, "A"},    {4, "B"}};
  for (const auto& [performer, title] : songs) {
    ASSERT_EQ(Post(port, "/api/v1/songs",
                   R"({"performer_id":)" + std::to_string(performer) + R"(,"title":")" + title + "\"}",
                   kJson)
                  .status,
              201);
  }
  for (int channel = 1; channel <= 4; ++channel) {
    ASSERT_EQ(Post(port, "/api/v1/channels", R"({"name":"C)" + std::to_string(channel) + "\"}", kJson).status,
              201);
  }
}

void PostPlays(std::uint16_t port, const std::vector<PlaySpec>& plays, bool merged) {
  std::string body = "[";
  for (const PlaySpec& p : plays) {
    int song = p.song;
    if (merged && song == 3) song = 1;
    if (merged && song == 6) song = 5;
    if (body.size() > 1) body += ",";
    body += R"({"channel_id":)" + std::to_string(p.channel) + R"(,"song_id":)" + std::to_string(song) +
            R"(,"start":")" + p.start + R"(","end":")" + p.end + "\"}";
  }
  body += "]";
  const HttpResponse r = Post(port, "/api/v1/plays", body, kJson);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
}

// Every answer that the plays and the catalogue show, by request target.
std::map<std::string, std::string> Observe(std::uint16_t port) {
  std::vector<std::string> targets;
  for (const char* week : {"2024-01-01", "2024-01-15", "2024-01-29", "2024-02-12", "2024-02-26"}) {
    targets.push_back(std::string("/api/v1/charts?channel_id=1,2,3,4&period=week&limit=100&start=") + week);
    targets.push_back(std::string("/api/v1/charts?channel_id=2,4&period=week&limit=3&start=") + week);
  }
  targets.push_back("/api/v1/charts?channel_id=1,2,3,4&period=month&limit=100&start=2024-02-10");
  targets.push_back("/api/v1/charts?channel_id=1,3&from=2024-01-03T05:00:00Z&to=2024-01-20T13:30:00Z&limit=100");
  targets.push_back("/api/v1/charts?channel_id=1,2,3,4&period=day&limit=100&start=2024-01-10");
  targets.push_back("/get_top?channels=%5B%22C1%22,%22C2%22,%22C3%22%5D&start=2024-01-08T00:00:00&limit=40");
  for (int song : {1, 2, 3, 4, 5, 6, 7, 8}) {
    const std::string s = "/api/v1/songs/" + std::to_string(song);
    targets.push_back(s);
    targets.push_back(s + "/series?from=2024-01-01&to=2024-03-11&step=week");
    targets.push_back(s + "/plays?from=2024-01-01&to=2024-04-01&limit=1000&order=oldest");
    targets.push_back(s + "/chart-history?channel_id=1,2,3,4&period=week&from=2024-01-01&to=2024-03-11");
  }
  for (int performer : {1, 2, 3, 4}) {
    const std::string p = "/api/v1/performers/" + std::to_string(performer);
    targets.push_back(p);
    targets.push_back(p + "/series?from=2024-01-01&to=2024-03-11&step=day");
    targets.push_back(p + "/plays?from=2024-01-01&to=2024-04-01&limit=1000");
  }
  for (int channel : {1, 2, 3, 4}) {
    const std::string c = "/api/v1/channels/" + std::to_string(channel);
    targets.push_back(c + "/series?from=2024-01-01&to=2024-03-11&step=week");
    targets.push_back(c + "/plays?from=2024-01-01&to=2024-04-01&limit=1000");
  }
  for (const char* list : {"/api/v1/songs?limit=1000", "/api/v1/songs?sort=name&limit=1000",
                           "/api/v1/performers?sort=name&limit=1000",
                           "/api/v1/songs?performer_id=1&sort=name"}) {
    targets.push_back(list);
  }
  std::map<std::string, std::string> seen;
  for (const std::string& target : targets) {
    const HttpResponse r = Get(port, target);
    seen[target] = std::to_string(r.status) + " " + r.body;
  }
  return seen;
}

void ExpectSame(const std::map<std::string, std::string>& actual,
                const std::map<std::string, std::string>& expected, const char* when) {
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [target, answer] : expected) {
    EXPECT_EQ(actual.at(target), answer) << when << ": " << target;
  }
}

TEST(V1CatalogueMerge, MergesEqualTheSamePlaysLoadedOntoTheTargets) {
  const std::vector<PlaySpec> plays = MakePlays();
  // What the merges must give: the plays posted to the targets from the
  // start, the duplicates created (to keep ids aligned) and deleted.
  TempDir fresh_dir;
  ServerProcess fresh;
  ASSERT_TRUE(fresh.Start(fresh_dir.path())) << fresh.Log();
  BuildCatalogue(fresh.port(), true);
  PostPlays(fresh.port(), plays, true);
  for (const char* target : {"/api/v1/songs/3", "/api/v1/songs/6", "/api/v1/performers/2"}) {
    ASSERT_EQ(Send(fresh.port(), "DELETE", target).status, 204) << target;
  }
  const std::map<std::string, std::string> expected = Observe(fresh.port());
  EXPECT_EQ(expected.at("/api/v1/songs/3").substr(0, 3), "404");

  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  BuildCatalogue(server.port(), false);
  PostPlays(server.port(), plays, false);
  // Warm every cache (rankings of whole weeks, labels, name caches) first.
  const std::map<std::string, std::string> before = Observe(server.port());
  EXPECT_NE(before, expected);

  const HttpResponse song_merge =
      Post(server.port(), "/api/v1/songs/6/merge", R"({"into":5})", kJson);
  EXPECT_EQ(song_merge.status, 200) << song_merge.body;
  EXPECT_EQ(song_merge.body.rfind(R"({"id":5,"title":"SOS")", 0), 0u) << song_merge.body;
  const HttpResponse performer_merge =
      Post(server.port(), "/api/v1/performers/2/merge", R"({"into":1})", kJson);
  EXPECT_EQ(performer_merge.status, 200) << performer_merge.body;
  EXPECT_EQ(performer_merge.body.rfind(R"({"id":1,"name":"The Beatles")", 0), 0u);
  ExpectSame(Observe(server.port()), expected, "after the merges");

  // The merged song's id is gone: a play naming it is refused, by field.
  const std::string late =
      R"({"channel_id":2,"song_id":6,"start":"2024-03-20T10:00:00Z","end":"2024-03-20T10:03:00Z"})";
  const HttpResponse refused = Post(server.port(), "/api/v1/plays", late, kJson);
  EXPECT_EQ(refused.status, 207);
  EXPECT_NE(refused.body.find(R"("field":"song_id")"), std::string::npos) << refused.body;

  // After a restart, the rollups rebuilt from the store give the same answers.
  server.Signal(SIGTERM);
  ASSERT_EQ(server.Wait(), 0) << server.Log();
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir.path())) << restarted.Log();
  ExpectSame(Observe(restarted.port()), expected, "after a restart");
}

// Plays of the merged song keep arriving while it is merged, by id and by
// names: whatever each one became (stored on the target, refused, or stored
// on a new song of the freed name), the server's in-memory counts must be
// what a restart rebuilds from the store.
TEST(V1CatalogueMerge, MergingWhilePlaysArriveKeepsMemoryAndStoreInStep) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  BuildCatalogue(server.port(), false);
  std::atomic<int> batches{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int b = 0; b < 400 && !stop; ++b) {
      std::string body = "[";
      for (int i = 0; i < 10; ++i) {
        const int minute = b * 10 + i;
        char start[64];
        char end[64];
        std::snprintf(start, sizeof start, "2024-01-%02dT%02d:%02d:00Z", 1 + minute / 1440 % 28,
                      minute / 60 % 24, minute % 60);
        std::snprintf(end, sizeof end, "2024-01-%02dT%02d:%02d:30Z", 1 + minute / 1440 % 28,
                      minute / 60 % 24, minute % 60);
        if (i > 0) body += ",";
        body += R"({"channel_id":)" + std::to_string(1 + i % 4);
        body += i % 2 == 0 ? R"(,"song_id":6)" : R"(,"performer":"Abba","title":"S.O.S.")";
        body += std::string(R"(,"start":")") + start + R"(","end":")" + end + "\"}";
      }
      body += "]";
      const HttpResponse r = Post(server.port(), "/api/v1/plays", body, kJson);
      if (r.status != 200 && r.status != 207) ADD_FAILURE() << r.status << " " << r.body;
      ++batches;
    }
  });
  for (int wait = 0; wait < 2000 && batches < 40; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const HttpResponse merged = Post(server.port(), "/api/v1/songs/6/merge", R"({"into":5})", kJson);
  EXPECT_EQ(merged.status, 200) << merged.body;
  for (int wait = 0; wait < 2000 && batches < 120; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  writer.join();
  EXPECT_EQ(Get(server.port(), "/api/v1/songs/6").status, 404);
  const std::map<std::string, std::string> live = Observe(server.port());
  server.Signal(SIGTERM);
  ASSERT_EQ(server.Wait(), 0) << server.Log();
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir.path())) << restarted.Log();
  ExpectSame(Observe(restarted.port()), live, "after a restart");
  // The plays posted by the freed title after the merge made a new song.
  EXPECT_NE(Get(restarted.port(), "/api/v1/songs?performer_id=3&sort=name").body.find("S.O.S."),
            std::string::npos);
}

}  // namespace
}  // namespace spinlog::e2e
