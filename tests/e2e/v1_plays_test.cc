// POST /api/v1/plays over real HTTP: one result per item, idempotent by
// (channel, start), NDJSON, limits, and the v1 error shape.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

std::string PlayJson(const std::string& channel, const std::string& title, int minute,
                     int length_minutes = 3) {
  char start[32], end[32];
  std::snprintf(start, sizeof(start), "2020-01-01T%02d:%02d:00", minute / 60, minute % 60);
  const int end_minute = minute + length_minutes;
  std::snprintf(end, sizeof(end), "2020-01-01T%02d:%02d:00", end_minute / 60, end_minute % 60);
  return R"({"channel":")" + channel + R"(","performer":"P","title":")" + title +
         R"(","start":")" + start + R"(","end":")" + end + R"("})";
}

std::string Counts(int created, int duplicate, int conflict, int invalid) {
  return "\"counts\":{\"created\":" + std::to_string(created) + ",\"duplicate\":" +
         std::to_string(duplicate) + ",\"conflict\":" + std::to_string(conflict) +
         ",\"invalid\":" + std::to_string(invalid) + "}";
}

class V1Plays : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }
  HttpResponse PostPlays(const std::string& body, const std::string& type = "application/json") {
    return Post(server_.port(), "/api/v1/plays", body, type);
  }
  // POSTs a JSON body with extra header lines ("Name: value\r\n" each).
  HttpResponse PostPlaysWith(const std::string& body, const std::string& header_lines) {
    HttpConnection c(server_.port());
    if (!c.SendRaw("POST /api/v1/plays HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Type: application/json\r\n" +
                   header_lines + "Content-Length: " + std::to_string(body.size()) +
                   "\r\n\r\n" + body)) {
      return {};
    }
    return c.ReadResponse();
  }
  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1Plays, SameBatchTwiceCreatesOnceThenReportsDuplicates) {
  const std::string batch = "[" + PlayJson("C", "A", 0) + "," + PlayJson("C", "B", 3) + "]";
  HttpResponse first = PostPlays(batch);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find(Counts(2, 0, 0, 0)), std::string::npos) << first.body;
  HttpResponse second = PostPlays(batch);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_NE(second.body.find(Counts(0, 2, 0, 0)), std::string::npos) << second.body;
  // The plays are there for the classic API too, counted once.
  HttpResponse top = Get(server_.port(), "/get_top?channels=%5B%22C%22%5D&start=2020-01-01");
  EXPECT_NE(top.body.find("\"title\":\"A\",\"rank\":0,\"previous_rank\":null,\"plays\":1"),
            std::string::npos)
      << top.body;
}

TEST_F(V1Plays, DuplicatesAndConflictsInsideOneBatch) {
  const std::string batch = "[" + PlayJson("C", "A", 0) + "," + PlayJson("C", "A", 0) + "," +
                            PlayJson("C", "B", 0) + "]";
  HttpResponse r = PostPlays(batch);
  EXPECT_EQ(r.status, 207) << r.body;
  EXPECT_NE(r.body.find(Counts(1, 1, 1, 0)), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("index":2,"status":"conflict","existing":{"channel":"C","performer":"P","title":"A")"),
            std::string::npos)
      << r.body;
}

TEST_F(V1Plays, BadItemsAreReportedAndTheRestStored) {
  const std::string batch = "[" + PlayJson("C", "A", 0) +
                            R"(,{"channel":"C","performer":"P","title":"X","start":"nope","end":"2020-01-01T01:00:00"})" +
                            R"(,{"channel":"C","performer":"P","title":"X","start":"2020-01-01T02:00:00","end":"2020-01-01T01:00:00"})" +
                            R"(,{"channel_id":77,"song_id":1,"start":"2020-01-01T03:00:00","end":"2020-01-01T03:01:00"})" +
                            R"(,{"channel":7,"performer":"P","title":"X","start":"2020-01-01T03:00:00","end":"2020-01-01T03:01:00"})" +
                            R"(,"just a string"])";
  HttpResponse r = PostPlays(batch);
  EXPECT_EQ(r.status, 207) << r.body;
  EXPECT_NE(r.body.find(Counts(1, 0, 0, 5)), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"({"field":"start","problem")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"({"field":"end","problem":"must be after start"})"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"({"field":"channel_id","problem":"no channel has id 77"})"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"({"field":"channel","problem":"must be a string, not number"})"),
            std::string::npos)
      << r.body;
}

TEST_F(V1Plays, NdjsonReportsBadLinesByLineNumber) {
  const std::string body = PlayJson("C", "A", 0) + "\n\n{broken\n" + PlayJson("C", "B", 10) + "\n";
  HttpResponse r = PostPlays(body, "application/x-ndjson");
  EXPECT_EQ(r.status, 207) << r.body;
  EXPECT_NE(r.body.find(R"("index":1,"line":3,"status":"invalid")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(Counts(2, 0, 0, 1)), std::string::npos) << r.body;
}

// Every kind of malformed item, in one NDJSON body: each is reported on its
// line with the field at fault, and the two good lines around them are stored.
TEST_F(V1Plays, EveryMalformedItemKindIsReportedAndTheRestStored) {
  ASSERT_EQ(PostPlays(PlayJson("Known", "Song", 0)).status, 200);  // channel 1, song 1
  const std::string long_name(1025, 'n');
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"channel":"C","performer":"P",)", R"("field":"item","problem":"is not valid JSON)"},
      {R"({"channel":"C","performer":"P","title":5,"start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"title","problem":"must be a string, not number")"},
      {R"({"channel":"C","performer":"P","title":"T","start":"2020-13-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"start","problem")"},
      {R"({"channel":"C","performer":"P","title":"T","start":"2020-01-01T01:00:00","end":"2020-01-01T00:03:00"})",
       R"("field":"end","problem":"must be after start")"},
      {R"({"channel":"C","performer":"P","title":"T","start":"2020-01-01T01:00:00","end":"2020-01-03T01:03:00"})",
       R"("field":"end","problem")"},
      {R"({"channel":"C","performer":")" + long_name +
           R"(","title":"T","start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"performer","problem":"is longer than 1024 bytes")"},
      {"{\"channel\":\"C\\u00e9\xFF\",\"performer\":\"P\",\"title\":\"T\",\"start\":\"2020-01-01T01:00:00\",\"end\":\"2020-01-01T01:03:00\"}",
       R"("field":"item","problem":"is not valid JSON)"},
      {R"({"channel":"C","song_id":999,"start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"song_id","problem":"no song has id 999")"},
      {R"({"channel_id":999,"performer":"P","title":"T","start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"channel_id","problem":"no channel has id 999")"},
      {R"({"channel":"C","performer":"P","title":"   ","start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"title","problem":"must not be empty")"},
      {R"({"performer":"P","title":"T","start":"2020-01-01T01:00:00","end":"2020-01-01T01:03:00"})",
       R"("field":"channel","problem":"missing")"},
      {R"(["C","P","T"])", R"("field":"item","problem":"must be a JSON object")"},
  };
  std::string body = PlayJson("C", "First", 0) + "\n";
  for (const auto& [line, problem] : bad) body += line + "\n";
  body += PlayJson("C", "Last", 10) + "\n";
  HttpResponse r = PostPlays(body, "application/x-ndjson");
  ASSERT_EQ(r.status, 207) << r.body;
  EXPECT_NE(r.body.find(Counts(2, 0, 0, static_cast<int>(bad.size()))), std::string::npos)
      << r.body;
  for (std::size_t i = 0; i < bad.size(); ++i) {
    // Items are answered in order; each bad one names its line (2 onwards).
    const std::string head = "\"index\":" + std::to_string(i + 1) +
                             ",\"line\":" + std::to_string(i + 2) + ",\"status\":\"invalid\"";
    const std::size_t at = r.body.find(head);
    ASSERT_NE(at, std::string::npos) << head << "\n" << r.body;
    const std::size_t next = r.body.find("\"index\":", at + head.size());
    EXPECT_NE(r.body.substr(at, next - at).find(bad[i].second), std::string::npos)
        << "line " << i + 2 << ": " << r.body.substr(at, next - at);
  }
  HttpResponse stored =
      Get(server_.port(), "/get_channel_plays?channel=C&start=2020-01-01&end=2020-01-02");
  ASSERT_EQ(stored.status, 200);
  EXPECT_NE(stored.body.find("\"title\":\"First\""), std::string::npos) << stored.body;
  EXPECT_NE(stored.body.find("\"title\":\"Last\""), std::string::npos) << stored.body;
  EXPECT_EQ(stored.body.find("\"title\":\"T\""), std::string::npos) << stored.body;
}

TEST_F(V1Plays, ByIdsOnceNamesExist) {
  ASSERT_EQ(PostPlays(PlayJson("C", "A", 0)).status, 200);
  HttpResponse r = PostPlays(
      R"({"channel_id":1,"song_id":1,"start":"2020-01-01T05:00:00Z","end":"2020-01-01T05:03:00Z"})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("play":{"channel":"C","performer":"P","title":"A","start":"2020-01-01T05:00:00Z")"),
            std::string::npos)
      << r.body;
}

TEST_F(V1Plays, LimitsAndBadBodiesAnswerInTheV1ErrorShape) {
  std::string many = "[";
  for (int i = 0; i < 10'001; ++i) many += (i ? "," : "") + PlayJson("C", "A", i % 1000);
  many += "]";
  HttpResponse too_many = PostPlays(many);
  EXPECT_EQ(too_many.status, 413) << too_many.body.substr(0, 200);
  EXPECT_NE(too_many.body.find(R"("code":"payload_too_large")"), std::string::npos);
  EXPECT_NE(too_many.body.find("10000"), std::string::npos) << too_many.body;

  HttpResponse not_json = PostPlays("hello", "text/plain");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body.rfind(R"({"error":{"status":400,"code":"invalid_argument",)", 0), 0u)
      << not_json.body;

  HttpResponse wrong_method = Get(server_.port(), "/api/v1/plays");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.Header("Allow"), "POST");
  EXPECT_EQ(Get(server_.port(), "/api/v1/nothing-here").status, 404);
}

// Prefer: return=minimal (RFC 7240) drops the echo of created and duplicate
// plays, and only that: conflicts still show the stored play, invalid items
// their errors, and the answer says which preference it applied.
TEST_F(V1Plays, PreferReturnMinimalKeepsOutcomesAndDropsTheEcho) {
  ASSERT_EQ(PostPlays(PlayJson("C", "A", 0)).status, 200);
  const std::string batch = "[" + PlayJson("C", "A", 0) + "," + PlayJson("C", "B", 10) + "," +
                            PlayJson("C", "B", 0) + R"(,{"channel":"C"}])";
  HttpResponse r = PostPlaysWith(batch, "Prefer: respond-async, RETURN = \"Minimal\"; x=1\r\n");
  EXPECT_EQ(r.status, 207) << r.body;
  EXPECT_EQ(r.Header("Preference-Applied"), "return=minimal");
  EXPECT_EQ(r.body.rfind(R"({"results":[{"index":0,"status":"duplicate"},{"index":1,"status":"created"},)"
                         R"({"index":2,"status":"conflict","existing":{"channel":"C","performer":"P","title":"A",)",
                         0),
            0u)
      << r.body;
  EXPECT_NE(r.body.find(R"({"index":3,"status":"invalid","errors":[{"field":"performer","problem":"missing"})"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(Counts(1, 1, 1, 1)), std::string::npos) << r.body;

  // The plays were stored as with full answers: posting them again echoes
  // them, and without the header nothing says a preference was applied.
  HttpResponse again = PostPlaysWith("[" + PlayJson("C", "B", 10) + "]", "");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Header("Preference-Applied"), "");
  EXPECT_NE(again.body.find(R"("status":"duplicate","play":{"channel":"C","performer":"P","title":"B")"),
            std::string::npos)
      << again.body;

  // Other preferences, and return=representation, keep the full answer.
  for (const char* prefer : {"Prefer: return=representation\r\n", "Prefer: handling=lenient\r\n",
                             "Prefer: return=representation, return=minimal\r\n"}) {
    HttpResponse full = PostPlaysWith("[" + PlayJson("C", "B", 10) + "]", prefer);
    EXPECT_NE(full.body.find(R"("play":{)"), std::string::npos) << prefer << full.body;
    EXPECT_EQ(full.Header("Preference-Applied"), "") << prefer;
  }
}

TEST_F(V1Plays, OverlappingBatchesFromTwoClientsCreateEachPlayOnce) {
  // Two clients post overlapping halves of 400 plays at the same time.
  std::atomic<int> created{0};
  auto client = [&](int from, int to) {
    std::string batch = "[";
    for (int i = from; i < to; ++i) batch += (i == from ? "" : ",") + PlayJson("C", "A", i * 3, 2);
    batch += "]";
    HttpResponse r = PostPlays(batch);
    std::size_t pos = r.body.find("\"created\":");
    if (pos != std::string::npos) created += std::stoi(r.body.substr(pos + 10));
  };
  std::thread a(client, 0, 300), b(client, 100, 400);
  a.join();
  b.join();
  EXPECT_EQ(created.load(), 400);
}

}  // namespace
}  // namespace spinlog::e2e
