// Server start-up and shutdown: binding errors, port 0, idle timeouts and a
// Stop that drains in-flight requests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/server.h"
#include "unit/http/server_fixture.h"
#include "unit/http/test_client.h"

namespace spinlog::http {
namespace {

using namespace std::chrono_literals;
using testing::GetRequest;
using testing::TestClient;

class HttpServerLifecycle : public testing::ServerFixture {};

// A plain listening socket on a free loopback port, as another process would hold.
class ForeignListener {
 public:
  ForeignListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 4) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~ForeignListener() { ::close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST_F(HttpServerLifecycle, PortTakenByAnotherSocketIsUnavailable) {
  ForeignListener other;
  ASSERT_NE(other.port(), 0);
  ServerOptions options;
  options.port = other.port();
  auto started = Server::Start(options, &router_);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(started.status().message(),
            "cannot listen on 127.0.0.1:" + std::to_string(other.port()) +
                ": address already in use");
}

TEST_F(HttpServerLifecycle, PortTakenByAnotherServerIsUnavailable) {
  StartServer();
  ServerOptions options;
  options.port = port();
  auto second = Server::Start(options, &router_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "cannot listen on 127.0.0.1:" + std::to_string(port()) + ": address already in use");
}

TEST_F(HttpServerLifecycle, BadHostIsUnavailable) {
  ServerOptions options;
  options.host = "not-an-address";
  options.port = 0;
  auto started = Server::Start(options, &router_);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(started.status().message(),
            "cannot listen on not-an-address:0: invalid address (expected an IP address or "
            "localhost)");

  options.host = "192.0.2.1";  // TEST-NET-1: not an address of this host
  started = Server::Start(options, &router_);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "cannot listen on 192.0.2.1:0: address not available on this host");
}

TEST_F(HttpServerLifecycle, NullRouterIsInvalidArgument) {
  auto started = Server::Start(ServerOptions{}, nullptr);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(HttpServerLifecycle, SilentClientIsDisconnectedAfterReadTimeout) {
  ServerOptions options;
  options.read_timeout = 1s;
  StartServer(options);
  TestClient silent(port());
  ASSERT_TRUE(silent.connected());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.WaitForClose(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

TEST_F(HttpServerLifecycle, StopWaitsForInFlightAsyncRequest) {
  std::promise<void> received;
  router_.Add(Method::kGet, "/slow", {}, [this, &received](Request&&, Responder respond) {
    received.set_value();
    Spawn([respond] {
      std::this_thread::sleep_for(300ms);
      Response response;
      response.body = "finally";
      respond(std::move(response));
    });
  });
  StartServer();
  const std::uint16_t bound_port = port();
  TestClient client(bound_port);
  ASSERT_TRUE(client.Send(GetRequest("/slow")));
  received.get_future().wait();

  const auto start = std::chrono::steady_clock::now();
  std::thread stopper([this] { server_->Stop(5s); });
  std::this_thread::sleep_for(100ms);
  TestClient during(bound_port);
  EXPECT_FALSE(during.connected());  // refused while draining
  stopper.join();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 3s);

  auto answer = client.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->body, "finally");
  EXPECT_EQ(answer->Header("Connection"), "close");
  EXPECT_TRUE(client.WaitForClose(2s));
}

TEST_F(HttpServerLifecycle, StopGivesUpAfterGraceAndLateAnswerIsHarmless) {
  std::promise<void> received;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router_.Add(Method::kGet, "/stuck", {}, [&, released](Request&&, Responder respond) {
    received.set_value();
    Spawn([respond, released] {
      released.wait();
      respond(Response{});  // after Stop: dropped, must not crash
    });
  });
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/stuck")));
  received.get_future().wait();

  const auto start = std::chrono::steady_clock::now();
  server_->Stop(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  server_.reset();
  release.set_value();
  JoinSpawned();
  EXPECT_TRUE(client.WaitForClose(2s));
}

TEST_F(HttpServerLifecycle, StopIsPromptWhenIdleAndIdempotent) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  StartServer();
  TestClient idle(port());  // an idle keep-alive connection must not delay Stop
  ASSERT_TRUE(idle.Send(GetRequest("/a")));
  ASSERT_TRUE(idle.Read().has_value());
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(5s);
  server_->Stop(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(idle.WaitForClose(2s));
}

TEST_F(HttpServerLifecycle, DestroyingWithoutStopClosesConnections) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(GetRequest("/a")));
  ASSERT_TRUE(client.Read().has_value());
  TestClient idle(port());
  ASSERT_TRUE(idle.connected());
  server_.reset();
  EXPECT_TRUE(client.WaitForClose(2s));
  EXPECT_TRUE(idle.WaitForClose(2s));
}

TEST_F(HttpServerLifecycle, ManyThreadsServeManyConnections) {
  router_.Add(Method::kGet, "/a", {}, testing::Answer("a"));
  ServerOptions options;
  options.threads = 4;
  StartServer(options);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([this, &ok] {
      TestClient client(port());
      for (int i = 0; i < 50; ++i) {
        if (!client.Send(GetRequest("/a"))) return;
        auto answer = client.Read();
        if (answer && answer->body == "a") ++ok;
      }
    });
  }
  for (std::thread& thread : clients) thread.join();
  EXPECT_EQ(ok.load(), 8 * 50);
}

}  // namespace
}  // namespace spinlog::http
