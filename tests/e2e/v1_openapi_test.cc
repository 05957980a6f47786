// GET /api/v1/openapi.json over real HTTP, and the document against what the
// server really answers: answers of every documented operation (successes
// and errors) are recorded and checked against the documented schemas by
// tests/openapi/check_openapi.py, so the document cannot drift from the
// handlers.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` as a JSON string literal (the bodies are valid UTF-8).
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Runs `command` through the shell; returns its exit status and output.
int RunShell(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class V1OpenApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }

  // Sends a request and records its answer for the schema check.
  HttpResponse Record(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& type = "") {
    HttpConnection connection(server_.port());
    HttpResponse response = connection.Request(method, target, body, type);
    answers_ << R"({"method":)" << JsonString(method) << R"(,"path":)" << JsonString(target)
             << R"(,"status":)" << response.status << R"(,"body":)" << JsonString(response.body)
             << "}\n";
    return response;
  }
  HttpResponse RecordJson(const std::string& method, const std::string& target,
                          const std::string& body) {
    return Record(method, target, body, "application/json");
  }

  TempDir dir_;
  ServerProcess server_;
  std::ostringstream answers_;  // NDJSON for check_openapi.py
};

TEST_F(V1OpenApi, ServesTheRepositoryDocumentByteForByte) {
  const HttpResponse r = Get(server_.port(), "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  const std::string file = ReadFile(SPINLOG_OPENAPI_DOC);
  ASSERT_FALSE(file.empty());
  EXPECT_TRUE(r.body == file) << "the served document differs from docs/openapi.json: rebuild";
}

TEST_F(V1OpenApi, LiveAnswersOfEveryOperationMatchTheDocument) {
  // Plays: 200 (NDJSON), 207 (a duplicate, a conflict, an invalid item), 400.
  const std::string ndjson =
      R"({"channel":"Big FM","performer":"Anna Ek","title":"Harbour","start":"2024-03-12T09:00:00Z","end":"2024-03-12T09:04:00Z"})"
      "\n\n"
      R"({"channel":"Radio Nord","performer":"The Tides","title":"Low Water","start":"2024-03-18T10:00:00Z","end":"2024-03-18T10:02:45Z"})"
      "\n"
      R"({"channel_id":1,"song_id":1,"start":"2024-03-19T07:30:00Z","end":"2024-03-19T07:34:00Z"})";
  ASSERT_EQ(Record("POST", "/api/v1/plays", ndjson, "application/x-ndjson").status, 200);
  EXPECT_EQ(
      RecordJson(
          "POST", "/api/v1/plays",
          R"([{"channel_id":1,"song_id":1,"start":"2024-03-19T07:30:00Z","end":"2024-03-19T07:34:00Z"},)"
          R"({"channel_id":1,"song_id":2,"start":"2024-03-19T07:30:00Z","end":"2024-03-19T07:34:00Z"},)"
          R"({"channel":"Big FM"},17])")
          .status,
      207);
  EXPECT_EQ(RecordJson("POST", "/api/v1/plays", "not json").status, 400);

  // Channels.
  EXPECT_EQ(
      RecordJson("PATCH", "/api/v1/channels/1", R"({"country":"se","audience":120000})").status,
      200);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channels/1", R"({"audience":-1})").status, 400);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channels/1",
                       R"({"attributes":{"band":"FM","frequency":97.0,"stereo":true}})")
                .status,
            200);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channels/1", R"({"attributes":{"nested":{}}})").status,
            400);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channels/1", R"({"name":"Radio Nord"})").status, 409);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channels/9", R"({"country":"no"})").status, 404);
  EXPECT_EQ(Record("GET", "/api/v1/channels/1").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/channels/2").status, 200);  // country and audience null
  EXPECT_EQ(Record("GET", "/api/v1/channels/9").status, 404);
  EXPECT_EQ(Record("GET", "/api/v1/channels/x").status, 404);

  // The catalogue: records by id and lists, a second page included.
  EXPECT_EQ(Record("GET", "/api/v1/performers/1").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/performers/9").status, 404);
  EXPECT_EQ(Record("GET", "/api/v1/songs/1").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/songs/9").status, 404);
  EXPECT_EQ(Record("GET", "/api/v1/channels").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/channels?sort=size").status, 400);
  const HttpResponse performers = Record("GET", "/api/v1/performers?sort=name&limit=1");
  ASSERT_EQ(performers.status, 200);
  const std::size_t next_at = performers.body.find(R"("next":")");
  ASSERT_NE(next_at, std::string::npos) << performers.body;
  const std::string next =
      performers.body.substr(next_at + 8, performers.body.find('"', next_at + 8) - next_at - 8);
  EXPECT_EQ(Record("GET", "/api/v1/performers?sort=name&limit=1&cursor=" + next).status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/performers?limit=1001").status, 400);
  EXPECT_EQ(Record("GET", "/api/v1/songs?performer_id=1&sort=name&name_prefix=Har").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/songs").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/songs?sort=name").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/channels?country=se&sort=name").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/performers?country=XX").status, 400);

  // Channel groups.
  EXPECT_EQ(RecordJson("POST", "/api/v1/channel-groups", R"({"name":"Nordic","channel_ids":[2,1]})")
                .status,
            201);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channel-groups", R"({"name":"Nordic","channel_ids":[1,2]})")
                .status,
            200);
  EXPECT_EQ(
      RecordJson("POST", "/api/v1/channel-groups", R"({"name":"Nordic","channel_ids":[1]})").status,
      409);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channel-groups", R"({"channel_ids":[7]})").status, 400);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channel-groups", R"({"name":"Sweden"})").status, 201);
  const HttpResponse page = Record("GET", "/api/v1/channel-groups?limit=1");
  ASSERT_EQ(page.status, 200);
  const std::size_t at = page.body.find(R"("next":")");
  ASSERT_NE(at, std::string::npos) << page.body;
  const std::string cursor = page.body.substr(at + 8, page.body.find('"', at + 8) - at - 8);
  EXPECT_EQ(Record("GET", "/api/v1/channel-groups?limit=1&cursor=" + cursor).status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/channel-groups?limit=0").status, 400);
  EXPECT_EQ(Record("GET", "/api/v1/channel-groups/1").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/channel-groups/7").status, 404);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channel-groups/2", R"({"add_channel_ids":[1]})").status,
            200);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channel-groups/2", R"({"name":"Nordic"})").status, 409);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/channel-groups/2", R"({})").status, 400);
  EXPECT_EQ(Record("DELETE", "/api/v1/channel-groups/2").status, 204);
  EXPECT_EQ(Record("DELETE", "/api/v1/channel-groups/2").status, 404);

  // Charts, plain and weighted.
  EXPECT_EQ(
      Record("GET", "/api/v1/charts?group=Nordic&period=week&start=2024-03-20&limit=1").status,
      200);
  EXPECT_EQ(
      Record("GET", "/api/v1/charts?channel_id=1,2&from=2024-03-11&to=2024-03-25&weighted=true")
          .status,
      200);
  EXPECT_EQ(Record("GET", "/api/v1/charts?period=fortnight").status, 400);

  // Lists of plays, a second page included.
  const HttpResponse plays = Record("GET", "/api/v1/channels/1/plays?limit=1");
  ASSERT_EQ(plays.status, 200);
  EXPECT_EQ(
      Record("GET", "/api/v1/songs/1/plays?order=oldest&from=2024-03-01&to=2024-04-01").status,
      200);
  EXPECT_EQ(Record("GET", "/api/v1/performers/1/plays").status, 200);
  EXPECT_EQ(Record("GET", "/api/v1/performers/1/plays?order=sideways").status, 400);
  EXPECT_EQ(Record("GET", "/api/v1/songs/99/plays").status, 404);

  // Series and chart history.
  EXPECT_EQ(Record("GET", "/api/v1/songs/1/series?from=2024-03-11&to=2024-03-25&step=week").status,
            200);
  EXPECT_EQ(Record("GET", "/api/v1/performers/1/series?from=2024-03-18&to=2024-03-21&group=Nordic")
                .status,
            200);
  EXPECT_EQ(
      Record("GET", "/api/v1/channels/2/series?from=2024-03-01&to=2024-05-01&step=month").status,
      200);
  EXPECT_EQ(
      Record("GET", "/api/v1/channels/2/series?from=2024-03-01T12:00:00&to=2024-05-01").status,
      400);
  EXPECT_EQ(
      Record("GET", "/api/v1/songs/1/chart-history?channel_id=1,2&from=2024-03-11&to=2024-03-25")
          .status,
      200);
  EXPECT_EQ(Record("GET", "/api/v1/songs/1/chart-history?from=2024-03-11&to=2024-03-25").status,
            400);

  // Catalogue writes: create (201, then 200), change, delete, merge.
  EXPECT_EQ(RecordJson("POST", "/api/v1/channels", R"({"name":"Radio Syd","country":"se"})").status,
            201);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channels", R"({"name":"Radio Syd"})").status, 200);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channels", R"({"name":"Radio Öst","attributes":{"a":1}})")
                .status,
            201);
  EXPECT_EQ(RecordJson("POST", "/api/v1/channels", R"({"name":"X","audience":-2})").status, 400);
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers",
                       R"({"name":"Dup Ek","country":"se","website":"https://dup.example/"})")
                .status,
            201);
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers", R"({"name":"Dup Ek"})").status, 200);
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers", R"({"name":"Y","country":"XX"})").status, 400);
  const HttpResponse dup_performer = Record("GET", "/api/v1/performers?sort=name&name_prefix=Dup");
  const std::size_t dup_at = dup_performer.body.find(R"("id":)");
  ASSERT_NE(dup_at, std::string::npos) << dup_performer.body;
  const std::string dup_id =
      dup_performer.body.substr(dup_at + 5, dup_performer.body.find(',', dup_at) - dup_at - 5);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/performers/" + dup_id, R"({"description":"A copy"})").status,
            200);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/performers/" + dup_id, R"({"name":"Anna Ek"})").status, 409);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/performers/" + dup_id, R"({"website":"x"})").status, 400);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/performers/999", R"({"name":"Z"})").status, 404);
  const HttpResponse dup_song = RecordJson(
      "POST", "/api/v1/songs",
      R"({"performer_id":)" + dup_id + R"(,"title":"Harbour","duration":245,"isrc":"SE-ABC-24-00001"})");
  EXPECT_EQ(dup_song.status, 201);
  const std::string song_id = dup_song.Header("Location").substr(std::string("/api/v1/songs/").size());
  EXPECT_EQ(RecordJson("POST", "/api/v1/songs", R"({"performer_id":)" + dup_id + R"(,"title":"Harbour"})")
                .status,
            200);
  EXPECT_EQ(RecordJson("POST", "/api/v1/songs", R"({"performer_id":1,"title":"Y","isrc":"nope"})").status,
            400);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/songs/" + song_id, R"({"release":"2024-05-01"})").status, 200);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/songs/" + song_id, R"({"duration":0})").status, 400);
  EXPECT_EQ(RecordJson("PATCH", "/api/v1/songs/999", R"({"title":"Z"})").status, 404);
  const HttpResponse spare = RecordJson(
      "POST", "/api/v1/songs", R"({"performer_id":)" + dup_id + R"(,"title":"Spare"})");
  ASSERT_EQ(spare.status, 201);
  EXPECT_EQ(RecordJson("PATCH", spare.Header("Location"), R"({"title":"Harbour"})").status, 409);
  EXPECT_EQ(Record("DELETE", spare.Header("Location")).status, 204);
  EXPECT_EQ(Record("DELETE", spare.Header("Location")).status, 404);
  EXPECT_EQ(Record("DELETE", "/api/v1/songs/1").status, 409);  // it has plays
  EXPECT_EQ(RecordJson("POST", "/api/v1/songs/" + song_id + "/merge", R"({"into":)" + song_id + "}")
                .status,
            400);
  EXPECT_EQ(RecordJson("POST", "/api/v1/songs/999/merge", R"({"into":1})").status, 404);
  EXPECT_EQ(RecordJson("POST", "/api/v1/songs/" + song_id + "/merge", R"({"into":1})").status, 200);
  EXPECT_EQ(Record("DELETE", "/api/v1/performers/1").status, 409);  // it has songs
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers/" + dup_id + "/merge", R"({})").status, 400);
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers/999/merge", R"({"into":1})").status, 404);
  EXPECT_EQ(RecordJson("POST", "/api/v1/performers/" + dup_id + "/merge", R"({"into":1})").status, 200);
  EXPECT_EQ(Record("DELETE", "/api/v1/performers/" + dup_id).status, 404);
  EXPECT_EQ(Record("DELETE", "/api/v1/channels/1").status, 409);  // it has plays
  const HttpResponse idle = RecordJson("POST", "/api/v1/channels", R"({"name":"Idle"})");
  ASSERT_EQ(idle.status, 201);
  EXPECT_EQ(Record("DELETE", idle.Header("Location")).status, 204);
  EXPECT_EQ(Record("DELETE", idle.Header("Location")).status, 404);

  // The document itself; a method a path lacks; a path that does not exist.
  EXPECT_EQ(Record("GET", "/api/v1/openapi.json").status, 200);
  EXPECT_EQ(Record("PUT", "/api/v1/channels/1").status, 405);
  EXPECT_EQ(Record("GET", "/api/v1/nothing").status, 404);

  const std::string answers_path = dir_.path() + "/answers.ndjson";
  std::ofstream(answers_path, std::ios::binary) << answers_.str();
  std::string output;
  const int status =
      RunShell(std::string("'") + SPINLOG_JSONSCHEMA_PYTHON + "' '" + SPINLOG_OPENAPI_CHECK +
                   "' responses '" + SPINLOG_OPENAPI_DOC + "' '" + answers_path + "'",
               &output);
  EXPECT_EQ(status, 0) << output;
}

}  // namespace
}  // namespace spinlog::e2e
