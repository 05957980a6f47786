// Channels' free-form attributes over real HTTP: created with POST, read by
// GET and in lists (always an object), changed by PATCH as a JSON merge
// patch (add, replace, remove, clear), every refusal a 400 naming
// attributes.KEY with nothing changed, ETags that follow the content, and
// attributes that outlive a restart.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

constexpr const char* kJson = "application/json";

HttpResponse Send(std::uint16_t port, const char* method, const std::string& target,
                  const std::string& body = "", const char* content_type = kJson) {
  HttpConnection connection(port);
  return connection.Request(method, target, body, body.empty() ? "" : content_type);
}

// Whether `r` is a v1 400 naming `field` (with `problem`, when given).
::testing::AssertionResult Names(const HttpResponse& r, const std::string& field,
                                 const std::string& problem = "") {
  if (r.status != 400) return ::testing::AssertionFailure() << "status " << r.status << ": " << r.body;
  if (r.body.rfind(R"({"error":{"status":400,"code":"invalid_argument","message":)", 0) != 0) {
    return ::testing::AssertionFailure() << r.body;
  }
  std::string expected = R"({"field":")" + field + "\"";
  if (!problem.empty()) expected += R"(,"problem":")" + problem + "\"}";
  if (r.body.find(expected) == std::string::npos) {
    return ::testing::AssertionFailure() << "no " << expected << " in " << r.body;
  }
  return ::testing::AssertionSuccess();
}

class V1ChannelAttributes : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }
  std::uint16_t port() const { return server_.port(); }
  HttpResponse Patch(const std::string& body, const std::string& id = "1") {
    return Send(port(), "PATCH", "/api/v1/channels/" + id, body);
  }
  std::string Body(const std::string& target) { return Get(port(), target).body; }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1ChannelAttributes, CreateReadListAndPatchAsAMergePatch) {
  HttpResponse created = Post(port(), "/api/v1/channels",
                              R"({"name":"P4","country":"se","attributes":)"
                              R"({"genre":"news","fm":true,"frequency":97.0,"band":"FM","gone":null}})",
                              kJson);
  ASSERT_EQ(created.status, 201) << created.body;
  // Canonical: keys sorted, 97.0 is 97, null members dropped.
  const std::string p4 =
      R"({"id":1,"name":"P4","country":"SE","audience":null,)"
      R"("attributes":{"band":"FM","fm":true,"frequency":97,"genre":"news"}})";
  EXPECT_EQ(created.body, p4);
  EXPECT_EQ(Body("/api/v1/channels/1"), p4);
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"Plain"})", kJson).status, 201);
  EXPECT_EQ(Body("/api/v1/channels/2"),
            R"({"id":2,"name":"Plain","country":null,"audience":null,"attributes":{}})");
  EXPECT_EQ(Body("/api/v1/channels"),
            R"({"channels":[)" + p4 +
                R"(,{"id":2,"name":"Plain","country":null,"audience":null,"attributes":{}}],"next":null})");
  EXPECT_NE(Body("/api/v1/channels?sort=name&country=SE").find(p4), std::string::npos);

  // POST of an existing name answers the stored channel unchanged, as it
  // does for country and audience.
  HttpResponse existing = Post(port(), "/api/v1/channels",
                               R"({"name":"P4","attributes":{"genre":"pop"}})", kJson);
  EXPECT_EQ(existing.status, 200);
  EXPECT_EQ(existing.body, p4);

  const std::string prefix = R"({"id":1,"name":"P4","country":"SE","audience":null,"attributes":)";
  HttpResponse r = Patch(R"({"attributes":{"genre":"talk","stereo":false}})");  // replace, add
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            prefix + R"({"band":"FM","fm":true,"frequency":97,"genre":"talk","stereo":false}})");
  r = Patch(R"({"attributes":{"band":null,"fm":null,"nothing":null}})");  // remove
  EXPECT_EQ(r.body, prefix + R"({"frequency":97,"genre":"talk","stereo":false}})");
  r = Patch(R"({"attributes":{}})");  // keys not named stay
  EXPECT_EQ(r.body, prefix + R"({"frequency":97,"genre":"talk","stereo":false}})");
  // Other fields and attributes change independently.
  r = Patch(R"({"audience":5,"name":"P4 Riks"})");
  EXPECT_EQ(r.body, R"({"id":1,"name":"P4 Riks","country":"SE","audience":5,"attributes":)"
                    R"({"frequency":97,"genre":"talk","stereo":false}})");
  r = Patch(R"({"attributes":null})");  // clear
  EXPECT_EQ(r.body, R"({"id":1,"name":"P4 Riks","country":"SE","audience":5,"attributes":{}})");
  EXPECT_EQ(Body("/api/v1/channels/1"), r.body);
  r = Patch(R"({"attributes":{"a":"b"},"country":null})");
  EXPECT_EQ(r.body,
            R"({"id":1,"name":"P4 Riks","country":null,"audience":5,"attributes":{"a":"b"}})");
}

TEST_F(V1ChannelAttributes, EveryBadAttributeIsA400NamingItAndChangesNothing) {
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"C","attributes":{"keep":1}})", kJson)
                .status,
            201);
  const std::string stored = Body("/api/v1/channels/1");
  const std::string k65(65, 'k');
  std::string many = "{";
  for (int i = 0; i < 65; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  many += "}";
  std::string large = "{";
  for (int i = 0; i < 9; ++i) {
    large += (i ? ",\"v" : "\"v") + std::to_string(i) + "\":\"" + std::string(1000, 'x') + "\"";
  }
  large += "}";
  struct Case {
    std::string attributes, field, problem;
  } cases[] = {
      {R"("genre=pop")", "attributes", "must be a JSON object or null, not string"},
      {R"([["genre","pop"]])", "attributes", "must be a JSON object or null, not array"},
      {"5", "attributes", "must be a JSON object or null, not number"},
      {"true", "attributes", "must be a JSON object or null, not boolean"},
      {R"({"a":{"b":1}})", "attributes.a",
       "must be a string, number, boolean or null, not object (attributes are one level deep)"},
      {R"({"a":[1,2]})", "attributes.a",
       "must be a string, number, boolean or null, not array (attributes are one level deep)"},
      {R"({"":1})", "attributes", "has an empty key; keys are 1 to 64 bytes"},
      {"{\"" + k65 + "\":1}", "attributes." + k65, "key is longer than 64 bytes"},
      {R"({"a\nb":1})", "attributes.a\\nb", "key holds a control character"},
      {R"({"a":1,"a":2})", "attributes.a", "is given more than once"},
      {"{\"long\":\"" + std::string(1025, 'x') + "\"}", "attributes.long",
       "is longer than 1024 bytes"},
      // (The exact counts differ: PATCH adds to the stored key.)
      {many, "attributes", ""},
      {large, "attributes", ""},
  };
  for (const Case& c : cases) {
    const std::string body = R"({"attributes":)" + c.attributes + "}";
    EXPECT_TRUE(Names(Patch(body), c.field, c.problem)) << body;
    const std::string create = R"({"name":"New","attributes":)" + c.attributes + "}";
    EXPECT_TRUE(Names(Post(port(), "/api/v1/channels", create, kJson), c.field, c.problem))
        << create;
  }
  EXPECT_EQ(Body("/api/v1/channels/1"), stored);
  EXPECT_EQ(Get(port(), "/api/v1/channels/2").status, 404) << "no channel was created";

  // Every bad key at once, with the other fields' problems.
  HttpResponse all = Patch(R"({"audience":-1,"attributes":{"x":[],"ok":1,"y":{}}})");
  EXPECT_TRUE(Names(all, "audience"));
  EXPECT_TRUE(Names(all, "attributes.x"));
  EXPECT_TRUE(Names(all, "attributes.y"));
  // The limits count the merged result: 63 new keys over the stored one
  // fit, a 64th does not; removing one makes room.
  std::string fill = "{";
  for (int i = 0; i < 63; ++i) fill += (i ? ",\"f" : "\"f") + std::to_string(i) + "\":true";
  EXPECT_EQ(Patch(R"({"attributes":)" + fill + "}}").status, 200);
  EXPECT_TRUE(Names(Patch(R"({"attributes":{"one more":1}})"), "attributes",
                    "may hold at most 64 keys; this would make 65"));
  EXPECT_EQ(Patch(R"({"attributes":{"one more":1,"keep":null}})").status, 200);
  // A form body cannot carry an object.
  EXPECT_TRUE(Names(Send(port(), "PATCH", "/api/v1/channels/1", "attributes=x",
                         "application/x-www-form-urlencoded"),
                    "attributes", "must be a JSON object or null, not string"));
  // Not JSON at all, and a channel that does not exist.
  EXPECT_TRUE(Names(Patch(R"({"attributes":{"a":1})"), "body"));
  HttpResponse missing = Patch(R"({"attributes":{"a":1}})", "9");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_NE(missing.body.find(R"("message":"no channel has id 9")"), std::string::npos);
}

TEST_F(V1ChannelAttributes, EtagsFollowTheAttributesAndTheyOutliveARestart) {
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"C","attributes":{"b":2,"a":1}})", kJson)
                .status,
            201);
  const HttpResponse first = Get(port(), "/api/v1/channels/1");
  const std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty());
  const auto conditional = [&](const std::string& target, const std::string& tag) {
    HttpConnection connection(port());
    return connection.RequestWithHeaders("GET", target, {"If-None-Match: " + tag}).status;
  };
  EXPECT_EQ(conditional("/api/v1/channels/1", etag), 304);
  const std::string list_etag = Get(port(), "/api/v1/channels").Header("ETag");
  // The same attributes in another order and spelling change nothing.
  ASSERT_EQ(Patch(R"({"attributes":{"a":1.0,"b":2e0}})").status, 200);
  EXPECT_EQ(Get(port(), "/api/v1/channels/1").Header("ETag"), etag);
  EXPECT_EQ(conditional("/api/v1/channels/1", etag), 304);
  // A change does.
  ASSERT_EQ(Patch(R"({"attributes":{"a":"1"}})").status, 200);
  const HttpResponse changed = Get(port(), "/api/v1/channels/1");
  EXPECT_NE(changed.Header("ETag"), etag);
  EXPECT_EQ(conditional("/api/v1/channels/1", etag), 200);
  EXPECT_NE(Get(port(), "/api/v1/channels").Header("ETag"), list_etag);

  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"D","attributes":{"é":"ü"}})", kJson)
                .status,
            201);
  const std::string list = Body("/api/v1/channels");
  server_.Signal(SIGTERM);
  ASSERT_EQ(server_.Wait(), 0);
  ServerProcess restarted;
  ASSERT_TRUE(restarted.Start(dir_.path())) << restarted.Log();
  EXPECT_EQ(Get(restarted.port(), "/api/v1/channels/1").body, changed.body);
  EXPECT_EQ(Get(restarted.port(), "/api/v1/channels").body, list);
  EXPECT_NE(list.find(R"("attributes":{"é":"ü"})"), std::string::npos) << list;
}

// Patches of different keys sent at once all land: each merges into what
// the previous one stored.
TEST_F(V1ChannelAttributes, ConcurrentPatchesOfDifferentKeysAllLand) {
  ASSERT_EQ(Post(port(), "/api/v1/channels", R"({"name":"C"})", kJson).status, 201);
  constexpr int kThreads = 4;
  constexpr int kPatches = 12;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpConnection connection(port());
      for (int i = 0; i < kPatches; ++i) {
        const std::string key = "t" + std::to_string(t) + "_" + std::to_string(i);
        const HttpResponse r = connection.Request(
            "PATCH", "/api/v1/channels/1", R"({"attributes":{")" + key + R"(":)" + std::to_string(i) + "}}",
            kJson);
        if (r.status != 200) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
  const std::string body = Body("/api/v1/channels/1");
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPatches; ++i) {
      const std::string member = "\"t" + std::to_string(t) + "_" + std::to_string(i) + "\":" +
                                 std::to_string(i);
      EXPECT_NE(body.find(member), std::string::npos) << member << " missing from " << body;
    }
  }
}

}  // namespace
}  // namespace spinlog::e2e
