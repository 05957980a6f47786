// Requests that RESTinio's parser refuses (request line or a header over
// max_header_bytes, a body over max_body_bytes, bytes that are not HTTP) are
// answered 431 / 413 / 400 before the connection closes, through the
// router's reject handler, and only when the answer is in order.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "http/server.h"
#include "unit/http/server_fixture.h"
#include "unit/http/test_client.h"

namespace spinlog::http {
namespace {

using namespace std::chrono_literals;
using testing::GetRequest;
using testing::PostRequest;
using testing::TestClient;

class ServerLimits : public testing::ServerFixture {
 protected:
  void Start(std::size_t header_bytes, std::size_t body_bytes) {
    router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
    router_.Add(Method::kPost, "/a", {}, testing::Answer("posted"));
    ServerOptions options;
    options.max_header_bytes = header_bytes;
    options.max_body_bytes = body_bytes;
    StartServer(options);
  }

  // Sends `bytes` on a fresh connection and expects `status` with
  // "Connection: close", then the connection closing.
  void ExpectRefused(const std::string& bytes, int status, const std::string& body_part) {
    TestClient client(port());
    ASSERT_TRUE(client.Send(bytes));
    auto answer = client.Read();
    ASSERT_TRUE(answer.has_value()) << "closed without an answer";
    EXPECT_EQ(answer->status, status);
    EXPECT_EQ(answer->Header("Connection"), "close");
    EXPECT_NE(answer->body.find(body_part), std::string::npos) << answer->body;
    EXPECT_TRUE(client.WaitForClose(2s));
  }
};

TEST_F(ServerLimits, RequestLineOverLimitAnswers431) {
  Start(1024, 1 << 20);
  ExpectRefused(GetRequest("/a?q=" + std::string(2000, 'x')), 431, "1024 bytes");
}

TEST_F(ServerLimits, SingleHeaderOverLimitAnswers431) {
  Start(1024, 1 << 20);
  ExpectRefused(GetRequest("/a", {"X-Big: " + std::string(2000, 'v')}), 431, "1024 bytes");
  ExpectRefused(GetRequest("/a", {std::string(2000, 'N') + ": v"}), 431, "1024 bytes");
}

TEST_F(ServerLimits, TooManyHeadersAnswer431) {
  Start(1024, 1 << 20);
  std::vector<std::string> headers;
  for (int i = 0; i < 300; ++i) headers.push_back("X: " + std::to_string(i));
  ExpectRefused(GetRequest("/a", headers), 431, "1024 bytes");
}

TEST_F(ServerLimits, DeclaredBodyOverServerLimitAnswers413BeforeTheBodyIsSent) {
  Start(64 << 10, 100);
  // Only the headers: the answer must not wait for the 101 bytes.
  ExpectRefused("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n", 413,
                "limit of 100 bytes");
}

TEST_F(ServerLimits, ChunkedBodyOverServerLimitAnswers413) {
  Start(64 << 10, 100);
  ExpectRefused(
      "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "50\r\n" +
          std::string(80, 'x') + "\r\n50\r\n" + std::string(80, 'x') + "\r\n0\r\n\r\n",
      413, "limit of 100 bytes");
}

TEST_F(ServerLimits, BytesThatAreNotHttpAnswer400) {
  Start(64 << 10, 1 << 20);
  ExpectRefused("GET /a HTTP/x.y\r\nHost: t\r\n\r\n", 400, "malformed HTTP request");
  ExpectRefused("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", 400,
                "malformed HTTP request");
}

TEST_F(ServerLimits, RefusalAfterAnsweredRequestsOnTheSameConnection) {
  Start(1024, 1 << 20);
  TestClient client(port());
  // A HEAD answer announces a body it does not carry: the guard must count
  // it as answered all the same.
  ASSERT_TRUE(client.Send("HEAD /a HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(client.Read(/*head=*/true)->status, 200);
  ASSERT_TRUE(client.Send(PostRequest("/a", "body")));
  ASSERT_EQ(client.Read()->body, "posted");
  ASSERT_TRUE(client.Send(GetRequest("/a", {"X-Big: " + std::string(2000, 'v')})));
  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 431);
}

TEST_F(ServerLimits, RefusalBehindAnUnansweredRequestIsNotAnsweredOutOfOrder) {
  std::mutex mu;
  Responder pending;
  router_.Add(Method::kGet, "/slow", {}, [&](Request&&, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    pending = std::move(respond);
  });
  Start(1024, 1 << 20);
  TestClient client(port());
  ASSERT_TRUE(
      client.Send(GetRequest("/slow") + GetRequest("/a", {"X-Big: " + std::string(2000, 'v')})));
  // RESTinio drops the connection; a 431 now would read as /slow's answer.
  auto answer = client.Read(false, 2s);
  EXPECT_FALSE(answer.has_value()) << "status " << answer->status;
  std::lock_guard<std::mutex> lock(mu);
  pending = nullptr;  // answers 500 into the closed connection
}

TEST_F(ServerLimits, RejectHandlerShapesTheAnswerAndSeesThePath) {
  std::mutex mu;
  std::string seen_path;
  std::size_t seen_limit = 0;
  router_.SetRejectHandler(
      [&](Request&& request, int status, std::size_t limit, std::string, Responder respond) {
        {
          std::lock_guard<std::mutex> lock(mu);
          seen_path = request.path;
          seen_limit = limit;
        }
        Response response;
        response.status = status;
        response.body = "shaped";
        respond(std::move(response));
      });
  Start(1024, 1 << 20);
  ExpectRefused(GetRequest("/api/v1/songs?q=" + std::string(2000, 'x')), 431, "shaped");
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen_path, "/api/v1/songs");
  EXPECT_EQ(seen_limit, 1024u);
}

TEST_F(ServerLimits, ServerStaysHealthyAfterRefusals) {
  Start(1024, 100);
  for (int i = 0; i < 20; ++i) {
    TestClient client(port());
    ASSERT_TRUE(client.Send(i % 2 == 0 ? GetRequest("/a", {"X-Big: " + std::string(5000, 'v')})
                                       : PostRequest("/a", std::string(500, 'b'))));
    auto answer = client.Read();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status, i % 2 == 0 ? 431 : 413);
  }
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/a")));
  EXPECT_EQ(client.Read()->body, "a");
}

TEST_F(ServerLimits, RequestOverTheMaximumTimeHasItsConnectionClosed) {
  std::mutex mu;
  Responder pending;
  router_.Add(Method::kGet, "/never", {}, [&](Request&&, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    pending = std::move(respond);
  });
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  ServerOptions options;
  options.response_timeout = 1s;
  StartServer(options);
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/never")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitForClose(4s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  // The late answer goes nowhere, and others are served.
  {
    std::lock_guard<std::mutex> lock(mu);
    Response late;
    late.body = "late";
    pending(std::move(late));
  }
  TestClient other(port());
  ASSERT_TRUE(other.Send(GetRequest("/a")));
  EXPECT_EQ(other.Read()->body, "a");
}

}  // namespace
}  // namespace spinlog::http
