// Conditional GETs and Cache-Control of /api/v1 over real HTTP: every GET
// route answers 200 with a strong ETag and a truthful Cache-Control, honours
// If-None-Match (lists, W/, "*") with 304, and HEAD behaves like GET without
// the body. The classic API is left as its contract has it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

constexpr const char* kPast = "public, max-age=60";
constexpr const char* kRevalidate = "no-cache";

// Every GET route under /api/v1, asked about March 2024 (wholly past).
struct Target {
  std::string path;
  std::string cache_control;
};
const std::vector<Target>& PastTargets() {
  static const std::vector<Target> targets = {
      {"/api/v1/charts?channel_id=1&period=week&start=2024-03-20", kPast},
      {"/api/v1/channel-groups", kRevalidate},
      {"/api/v1/channel-groups/1", kRevalidate},
      {"/api/v1/channels/1", kRevalidate},
      {"/api/v1/channels/1/plays?from=2024-03-01&to=2024-04-01", kPast},
      {"/api/v1/songs/1/plays?from=2024-03-01&to=2024-04-01", kPast},
      {"/api/v1/performers/1/plays?from=2024-03-01&to=2024-04-01", kPast},
      {"/api/v1/songs/1/series?from=2024-03-01&to=2024-04-01", kPast},
      {"/api/v1/performers/1/series?from=2024-03-01&to=2024-04-01&step=week", kPast},
      {"/api/v1/channels/1/series?from=2024-03-01&to=2024-04-01&step=month", kPast},
      {"/api/v1/songs/1/chart-history?channel_id=1&from=2024-03-01&to=2024-03-25", kPast},
      {"/api/v1/openapi.json", kRevalidate},
  };
  return targets;
}

// "YYYY-MM-DD" of the UTC day `days` after today's.
std::string UtcDate(int days) {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(24 * days);
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(now)};
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

bool TodayIsMonday() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return std::chrono::weekday{today} == std::chrono::Monday;
}

class V1ConditionalGet : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    Play("2024-03-18T10:00:00Z");
    Play("2024-03-19T10:00:00Z");
    ASSERT_EQ(Post(server_.port(), "/api/v1/channel-groups", R"({"name":"G","channel_ids":[1]})",
                   "application/json")
                  .status,
              201);
  }
  void Play(const std::string& start) {
    const std::string body = R"({"channel":"C","performer":"P","title":"T","start":")" + start +
                             R"(","end":")" + start.substr(0, 17) + R"(30Z"})";
    ASSERT_EQ(Post(server_.port(), "/api/v1/plays", body, "application/json").status, 200);
  }
  HttpResponse Ask(const std::string& method, const std::string& target,
                   const std::vector<std::string>& headers = {}) {
    HttpConnection connection(server_.port());
    return connection.RequestWithHeaders(method, target, headers);
  }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1ConditionalGet, EveryGetRouteHasAStrongETagAndAnswers304WhenItMatches) {
  const std::regex strong_tag("\"[0-9a-f]{16}\"");
  for (const Target& target : PastTargets()) {
    SCOPED_TRACE(target.path);
    const HttpResponse first = Ask("GET", target.path);
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string tag = first.Header("ETag");
    EXPECT_TRUE(std::regex_match(tag, strong_tag)) << tag;
    EXPECT_EQ(first.Header("Cache-Control"), target.cache_control);
    EXPECT_EQ(Ask("GET", target.path).Header("ETag"), tag) << "same body, same tag";

    const std::string opaque = tag.substr(1, tag.size() - 2);
    for (const std::string& if_none_match :
         {tag, "W/" + tag, "\"0000000000000000\", " + tag, "W/\"x\",W/" + tag, std::string("*"),
          " \t" + tag + " ,"}) {
      SCOPED_TRACE(if_none_match);
      const HttpResponse again = Ask("GET", target.path, {"If-None-Match: " + if_none_match});
      EXPECT_EQ(again.status, 304);
      EXPECT_EQ(again.body, "");
      EXPECT_EQ(again.Header("ETag"), tag);
      EXPECT_EQ(again.Header("Cache-Control"), target.cache_control);
      EXPECT_EQ(again.Header("Content-Type"), "");
      // RFC 9110 8.6: a 304 may carry only the 200 answer's length.
      EXPECT_EQ(again.Header("Content-Length"), std::to_string(first.body.size()));
    }
    // Neither another tag, nor the tag unquoted, nor a lower-case weak prefix
    // (W/ is case-sensitive) matches.
    for (const std::string& if_none_match :
         {std::string("\"0000000000000000\""), opaque, "w/" + tag, tag + "x", std::string("")}) {
      SCOPED_TRACE(if_none_match);
      const HttpResponse full = Ask("GET", target.path, {"If-None-Match: " + if_none_match});
      EXPECT_EQ(full.status, 200);
      EXPECT_EQ(full.body, first.body);
      EXPECT_EQ(full.Header("ETag"), tag);
    }
    // HEAD: the GET's headers without its body, and the same 304.
    const HttpResponse head = Ask("HEAD", target.path);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.Header("ETag"), tag);
    EXPECT_EQ(head.Header("Cache-Control"), target.cache_control);
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(first.body.size()));
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(Ask("HEAD", target.path, {"If-None-Match: " + tag}).status, 304);
  }
}

TEST_F(V1ConditionalGet, AListSplitOverSeveralHeaderLinesMatches) {
  const std::string target = PastTargets().front().path;
  const std::string tag = Ask("GET", target).Header("ETag");
  EXPECT_EQ(Ask("GET", target, {"If-None-Match: \"a\"", "If-None-Match: " + tag}).status, 304);
  EXPECT_EQ(Ask("GET", target, {"If-None-Match: \"a\"", "If-None-Match: \"b\""}).status, 200);
}

TEST_F(V1ConditionalGet, ABackdatedPlayChangesTheTagOfAPastChart) {
  const std::string target = PastTargets().front().path;
  const HttpResponse before = Ask("GET", target);
  Play("2024-03-20T10:00:00Z");
  const HttpResponse after = Ask("GET", target, {"If-None-Match: " + before.Header("ETag")});
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.Header("ETag"), before.Header("ETag"));
  EXPECT_NE(after.body, before.body);
}

TEST_F(V1ConditionalGet, ErrorsAndWritesCarryNoETag) {
  for (const std::string target :
       {"/api/v1/songs/99/plays", "/api/v1/charts?channel_id=1", "/api/v1/nothing"}) {
    SCOPED_TRACE(target);
    const HttpResponse error = Ask("GET", target, {"If-None-Match: *"});
    EXPECT_GE(error.status, 400);
    EXPECT_NE(error.body, "");
    EXPECT_EQ(error.Header("ETag"), "");
    EXPECT_EQ(error.Header("Cache-Control"), "");
  }
  const HttpResponse created =
      Post(server_.port(), "/api/v1/channel-groups", R"({"name":"H"})", "application/json");
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.Header("ETag"), "");
  EXPECT_EQ(created.Header("Cache-Control"), "");
}

TEST_F(V1ConditionalGet, RangesThatReachTodayAreRevalidatedEveryTime) {
  const std::string today = UtcDate(0);
  const std::string tomorrow = UtcDate(1);
  struct Case {
    std::string target;
    const char* cache_control;
  } cases[] = {
      {"/api/v1/charts?channel_id=1&period=week&start=" + today, kRevalidate},
      {"/api/v1/charts?channel_id=1&from=2024-03-01&to=" + today, kPast},
      {"/api/v1/charts?channel_id=1&from=2024-03-01&to=" + today + "T00:00:01Z", kRevalidate},
      {"/api/v1/channels/1/plays", kRevalidate},
      {"/api/v1/channels/1/plays?to=" + today, kPast},
      {"/api/v1/songs/1/plays?from=2024-03-01", kRevalidate},
      {"/api/v1/songs/1/series?from=2024-03-01&to=" + today, kPast},
      {"/api/v1/songs/1/series?from=2024-03-01&to=" + tomorrow, kRevalidate},
      // The last period is the week holding yesterday: it reaches today
      // unless today is a Monday.
      {"/api/v1/songs/1/chart-history?channel_id=1&period=week&from=2024-03-01&to=" + today,
       TodayIsMonday() ? kPast : kRevalidate},
      {"/api/v1/songs/1/chart-history?channel_id=1&period=day&from=" + UtcDate(-10) +
           "&to=" + today,
       kPast},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    const HttpResponse r = Ask("GET", c.target);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Cache-Control"), c.cache_control);
    EXPECT_NE(r.Header("ETag"), "");
  }
}

TEST_F(V1ConditionalGet, TheClassicApiIsUnchanged) {
  const std::string target = "/get_top?channels=%5B%22C%22%5D&start=2024-03-18T00:00:00&limit=10";
  const HttpResponse r = Ask("GET", target, {"If-None-Match: *"});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body, "");
  EXPECT_EQ(r.Header("ETag"), "");
  EXPECT_EQ(r.Header("Cache-Control"), "");
}

}  // namespace
}  // namespace spinlog::e2e
