// Server behaviour over real loopback connections: keep-alive, pipelining,
// async answers, failures turned into 500s, limits.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "unit/http/server_fixture.h"
#include "unit/http/test_client.h"

namespace spinlog::http {
namespace {

using namespace std::chrono_literals;
using testing::GetRequest;
using testing::PostRequest;
using testing::TestClient;

// Every test runs with one event-loop thread (no strands: the plain
// executor) and with two (a strand per connection).
class HttpServer : public testing::ServerFixture, public ::testing::WithParamInterface<std::size_t> {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.threads = GetParam();
    ServerFixture::StartServer(options);
  }
};

INSTANTIATE_TEST_SUITE_P(EventLoops, HttpServer, ::testing::Values(std::size_t{1}, std::size_t{2}),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           return param.param == 1 ? std::string("OneThread")
                                                  : std::string("TwoThreads");
                         });

TEST_P(HttpServer, KeepAliveAnswersTwoRequestsOnOneConnection) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer(R"({"code":0,"result":"a"})"));
  router_.Add(Method::kGet, "/b", {}, testing::Answer(R"({"code":0,"result":"b"})"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(GetRequest("/a")));
  auto first = client.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, R"({"code":0,"result":"a"})");
  EXPECT_EQ(first->Header("Content-Type"), "application/json; charset=utf-8");
  ASSERT_TRUE(client.Send(GetRequest("/b")));
  auto second = client.Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, R"({"code":0,"result":"b"})");
}

TEST_P(HttpServer, HandlerSeesMethodRawPathQueryHeadersBodyAndRequestId) {
  Request seen;
  router_.Add(Method::kPost, "/add_play", {}, [&seen](Request&& request, Responder respond) {
    seen = std::move(request);
    respond(Response{});
  });
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(PostRequest("/add_play?title=S%C3%B6ng&x=1#frag", "channel=C1",
                                      {"X-Custom: yes", "content-type: application/x-www-form-urlencoded"})));
  ASSERT_TRUE(client.Read().has_value());
  EXPECT_EQ(seen.method, Method::kPost);
  EXPECT_EQ(seen.path, "/add_play");
  EXPECT_EQ(seen.query, "title=S%C3%B6ng&x=1");
  EXPECT_EQ(seen.body, "channel=C1");
  EXPECT_EQ(seen.FindHeader("x-custom"), "yes");
  EXPECT_EQ(seen.FindHeader("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_TRUE(std::regex_match(seen.request_id, std::regex("r-[0-9a-f]{10}"))) << seen.request_id;
}

TEST_P(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  // The first request answers late from another thread, the second at once:
  // the second answer must still come second.
  router_.Add(Method::kGet, "/slow", {}, [this](Request&&, Responder respond) {
    Spawn([respond] {
      std::this_thread::sleep_for(150ms);
      Response response;
      response.body = "slow";
      respond(std::move(response));
    });
  });
  router_.Add(Method::kGet, "/fast", {}, testing::Answer("fast"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/slow") + GetRequest("/fast") + GetRequest("/fast")));
  auto first = client.Read();
  auto second = client.Read();
  auto third = client.Read();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, "slow");
  EXPECT_EQ(second->body, "fast");
  EXPECT_EQ(third->body, "fast");
}

TEST_P(HttpServer, ResponderMayAnswerLaterFromAnotherThread) {
  std::atomic<std::thread::id> answered_on;
  router_.Add(Method::kGet, "/later", {}, [this, &answered_on](Request&&, Responder respond) {
    Spawn([respond, &answered_on] {
      std::this_thread::sleep_for(50ms);
      answered_on = std::this_thread::get_id();
      Response response;
      response.status = 202;
      response.headers.emplace_back("X-Answered-By", "worker");
      respond(std::move(response));
    });
  });
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/later")));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(answer->Header("X-Answered-By"), "worker");
  EXPECT_NE(answered_on.load(), std::this_thread::get_id());
}

TEST_P(HttpServer, DroppedResponderAnswers500) {
  router_.Add(Method::kGet, "/forgets", {}, [](Request&&, Responder) {});
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/forgets")));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 500);
  EXPECT_TRUE(std::regex_match(
      answer->body,
      std::regex(R"re(\{"code":500,"errors":\["internal error \(request r-[0-9a-f]{10}\)"\],"result":null\})re")))
      << answer->body;
}

TEST_P(HttpServer, SecondAnswerIsDropped) {
  router_.Add(Method::kGet, "/twice", {}, [](Request&&, Responder respond) {
    Response first;
    first.body = "first";
    respond(first);
    Response second;
    second.body = "second";
    respond(second);
  });
  router_.Add(Method::kGet, "/next", {}, testing::Answer("next"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/twice") + GetRequest("/next")));
  EXPECT_EQ(client.Read()->body, "first");
  EXPECT_EQ(client.Read()->body, "next");
}

TEST_P(HttpServer, HandlerThatThrowsAnswers500AndServerKeepsServing) {
  router_.Add(Method::kGet, "/throws", {}, [](Request&&, Responder) -> void {
    throw std::runtime_error("boom");
  });
  router_.Add(Method::kGet, "/ok", {}, testing::Answer("ok"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/throws")));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 500);
  EXPECT_NE(answer->body.find("internal error (request r-"), std::string::npos);
  // Same connection, then a fresh one.
  ASSERT_TRUE(client.Send(GetRequest("/ok")));
  EXPECT_EQ(client.Read()->body, "ok");
  TestClient other(port());
  ASSERT_TRUE(other.Send(GetRequest("/ok")));
  EXPECT_EQ(other.Read()->status, 200);
}

TEST_P(HttpServer, BodyOfManyReadBuffersArrivesWholeBeforeAPipelinedRequest) {
  // A bulk batch (1 MiB here) spans many of the server's socket reads, and
  // the next request's bytes may share the last read with the body's end.
  std::string seen;
  router_.Add(Method::kPost, "/plays", {}, [&seen](Request&& request, Responder respond) {
    seen = std::move(request.body);
    Response response;
    response.body = std::to_string(seen.size());
    respond(std::move(response));
  });
  router_.Add(Method::kGet, "/after", {}, testing::Answer("after"));
  StartServer();
  std::string body(std::size_t{1} << 20, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + (i * 7) % 26);
  TestClient client(port());
  ASSERT_TRUE(client.Send(PostRequest("/plays", body) + GetRequest("/after")));
  auto posted = client.Read();
  auto after = client.Read();
  ASSERT_TRUE(posted && after);
  EXPECT_EQ(posted->body, std::to_string(body.size()));
  EXPECT_TRUE(seen == body) << "the body differs from what was sent";
  EXPECT_EQ(after->body, "after");
}

TEST_P(HttpServer, BodyOverRouteLimitAnswers413) {
  RouteAttributes attributes;
  attributes.max_body_bytes = 10;
  router_.Add(Method::kPost, "/add_channel", attributes, testing::Answer("added"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(PostRequest("/add_channel", std::string(11, 'x'))));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 413);
  EXPECT_NE(answer->body.find("exceeds the limit of 10 bytes"), std::string::npos);
  ASSERT_TRUE(client.Send(PostRequest("/add_channel", std::string(10, 'x'))));
  EXPECT_EQ(client.Read()->status, 200);
}

TEST_P(HttpServer, BodyOverServerLimitClosesConnection) {
  router_.Add(Method::kPost, "/add_channel", {}, testing::Answer("added"));
  ServerOptions options;
  options.max_body_bytes = 100;
  StartServer(options);
  TestClient client(port());
  // Refused at the headers (Content-Length): 413, then closed (server_limits_test.cc).
  ASSERT_TRUE(client.Send(PostRequest("/add_channel", std::string(101, 'x'))));
  EXPECT_TRUE(client.WaitForClose(2s));
}

TEST_P(HttpServer, HeadersOverTotalLimitAnswer431) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  ServerOptions options;
  options.max_header_bytes = 256;
  StartServer(options);
  TestClient client(port());
  ASSERT_TRUE(client.Send(
      GetRequest("/a", {"X-One: " + std::string(150, 'a'), "X-Two: " + std::string(150, 'b')})));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 431);
}

TEST_P(HttpServer, HeadAnswersGetHeadersWithoutBody) {
  router_.Add(Method::kGet, "/health", {}, testing::Answer("12345"));
  router_.Add(Method::kGet, "/after", {}, testing::Answer("after"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n" + GetRequest("/after")));
  auto head = client.Read(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "5");
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(client.Read()->body, "after");  // no stray body bytes in between
}

TEST_P(HttpServer, ConnectionCloseRequestIsHonoured) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/a", {"Connection: close"})));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->Header("Connection"), "close");
  EXPECT_TRUE(client.WaitForClose(2s));
}

TEST_P(HttpServer, UnknownPathAndWrongMethodUseRouterAnswers) {
  router_.Add(Method::kPost, "/add_song", {}, testing::Answer("x"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/missing") + GetRequest("/add_song")));
  EXPECT_EQ(client.Read()->status, 404);
  auto wrong = client.Read();
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->Header("Allow"), "POST");
}

TEST_P(HttpServer, AccessLogSeesEachAnsweredRequest) {
  std::mutex mu;
  std::vector<std::string> lines;
  router_.Add(Method::kGet, "/a", {}, testing::Answer("abc"));
  ServerOptions options;
  options.access_log = [&](const AccessLogEntry& entry) {
    std::lock_guard<std::mutex> lock(mu);
    lines.push_back(std::string(MethodName(entry.method)) + " " + std::string(entry.path) + " " +
                    std::to_string(entry.status) + " " + std::to_string(entry.body_bytes) + " " +
                    std::string(entry.request_id.substr(0, 2)));
  };
  StartServer(options);
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/a?q=1") + GetRequest("/b")));
  ASSERT_TRUE(client.Read() && client.Read());
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "GET /a 200 3 r-");
  EXPECT_EQ(lines[1].substr(0, 11), "GET /b 404 ");
}

// Records what a ServerObserver hears.
class RecordingObserver final : public ServerObserver {
 public:
  void OnConnectionOpened() override { ++opened; }
  void OnConnectionClosed() override { ++closed; }
  void OnRequestAnswered(const AccessLogEntry& entry) override {
    std::lock_guard<std::mutex> lock(mu);
    answers.push_back(std::string(MethodName(entry.method)) + " " + std::string(entry.route) + " " +
                      std::to_string(entry.status));
  }
  std::vector<std::string> Answers() {
    std::lock_guard<std::mutex> lock(mu);
    return answers;
  }

  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::mutex mu;
  std::vector<std::string> answers;
};

TEST_P(HttpServer, ObserverSeesRoutePatternsAndConnections) {
  RecordingObserver observer;
  router_.Add(Method::kGet, "/items/{id}", {}, testing::Answer("x"));
  ServerOptions options;
  options.observer = &observer;
  StartServer(options);
  {
    TestClient client(port());
    ASSERT_TRUE(client.Send(GetRequest("/items/12?full=1") + GetRequest("/other")));
    ASSERT_TRUE(client.Read() && client.Read());
    EXPECT_EQ(observer.opened.load(), 1);
  }
  // The server sees the client's close on its own time.
  for (int i = 0; i < 500 && observer.closed.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(observer.closed.load(), 1);
  EXPECT_EQ(observer.Answers(), (std::vector<std::string>{"GET /items/{id} 200", "GET  404"}));
}

}  // namespace
}  // namespace spinlog::http
