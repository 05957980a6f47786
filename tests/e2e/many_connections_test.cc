// 10,000 concurrent keep-alive connections to the spinlog binary, every one
// answered, twice (all held open in between), on loopback and well within a
// minute. The test raises its own open-file limit (the server raises its own
// at start); it skips only when the hard limit leaves too little room.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/raw_socket.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kConnections = 10000;
// Descriptors for everything else (the test binary, the server's store).
constexpr std::size_t kSpareFds = 512;

struct Connection {
  int fd = -1;
  bool connected = false;
  std::string received;
};

// Drives all connections with one epoll loop, in phases: connect all, then
// (twice) send one request on each and read one answer from each.
class Flood {
 public:
  explicit Flood(std::uint16_t port) : port_(port), epoll_(epoll_create1(EPOLL_CLOEXEC)) {}
  ~Flood() {
    for (Connection& c : connections_) {
      if (c.fd >= 0) close(c.fd);
    }
    close(epoll_);
  }

  // Opens `count` non-blocking connections, at most 1000 handshakes pending
  // at a time (the listen backlog is 4096); true when all are connected.
  bool ConnectAll(int count, Clock::time_point deadline) {
    connections_.resize(count);
    int opened = 0, connected = 0;
    std::vector<epoll_event> events(1024);
    while (connected < count && Clock::now() < deadline) {
      while (opened < count && opened - connected < 1000) {
        Connection& c = connections_[opened];
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c.fd < 0) {
          std::perror("socket");
          return false;
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port_);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(c.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
            errno != EINPROGRESS) {
          std::perror("connect");
          return false;
        }
        epoll_event event{};
        event.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
        event.data.u32 = static_cast<std::uint32_t>(opened);
        epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &event);
        ++opened;
      }
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        Connection& c = connections_[events[i].data.u32];
        if (c.connected) continue;
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || (events[i].events & (EPOLLERR | EPOLLHUP)) != 0) {
          std::fprintf(stderr, "connection %u failed: %s\n", events[i].data.u32, strerror(error));
          return false;
        }
        c.connected = true;
        ++connected;
        // From now on only readability matters.
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.u32 = events[i].data.u32;
        epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &event);
      }
    }
    return connected == count;
  }

  // Sends `request` on every connection, then reads one complete answer
  // (headers and Content-Length body) from each. Returns how many answered
  // 200; connections that close count as failures.
  int RequestOnAll(const std::string& request, Clock::time_point deadline) {
    for (Connection& c : connections_) {
      c.received.clear();
      // Loopback accepts a small request at once; a short write is a failure.
      if (send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(request.size())) {
        c.received = "send failed";
      }
    }
    std::vector<char> done(connections_.size(), 0);
    int finished = 0, ok = 0;
    std::vector<epoll_event> events(1024);
    char buffer[4096];
    while (finished < static_cast<int>(connections_.size()) && Clock::now() < deadline) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        const std::uint32_t index = events[i].data.u32;
        Connection& c = connections_[index];
        if (done[index]) continue;
        const ssize_t got = recv(c.fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
          if (got < 0 && errno == EAGAIN) continue;
          done[index] = 1;  // closed: no answer
          ++finished;
          continue;
        }
        c.received.append(buffer, static_cast<std::size_t>(got));
        const std::size_t end = c.received.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        const std::size_t length_at = c.received.find("Content-Length: ");
        if (length_at == std::string::npos || length_at > end) continue;
        const std::size_t body = std::stoul(c.received.substr(length_at + 16));
        if (c.received.size() < end + 4 + body) continue;
        done[index] = 1;
        ++finished;
        if (c.received.rfind("HTTP/1.1 200", 0) == 0) ++ok;
      }
    }
    return ok;
  }

 private:
  const std::uint16_t port_;
  const int epoll_;
  std::vector<Connection> connections_;
};

TEST(ManyConnections, TenThousandKeepAliveConnectionsAreAllServed) {
  const std::size_t needed = kConnections + kSpareFds;
  if (HardOpenFileLimit() < needed) {
    GTEST_SKIP() << "the hard open-file limit (ulimit -Hn) is " << HardOpenFileLimit()
                 << "; this test needs " << needed;
  }
  ASSERT_GE(RaiseOpenFileLimit(needed), needed);

  TempDir dir;
  ServerProcess server;
  // The server inherits the raised limit and raises its own to the hard one.
  ASSERT_TRUE(server.Start(
      dir.path(), {"--max-connections", std::to_string(kConnections + 100), "--threads", "2"}))
      << server.Log();

  const auto start = Clock::now();
  const auto deadline = start + 45s;
  Flood flood(server.port());
  ASSERT_TRUE(flood.ConnectAll(kConnections, deadline));
  const auto connected = Clock::now();
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  EXPECT_EQ(flood.RequestOnAll(request, deadline), kConnections);
  const auto first = Clock::now();
  // The same connections, all still open: keep-alive held for every one.
  EXPECT_EQ(flood.RequestOnAll(request, deadline), kConnections);
  const auto second = Clock::now();
  auto ms = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::printf(
      "10000 connections: connected in %lld ms, first round %lld ms, second round %lld ms\n",
      static_cast<long long>(ms(connected - start)), static_cast<long long>(ms(first - connected)),
      static_cast<long long>(ms(second - first)));
  EXPECT_LT(second - start, 45s);
  EXPECT_EQ(Get(server.port(), "/healthz").status, 200);
}

}  // namespace
}  // namespace spinlog::e2e
