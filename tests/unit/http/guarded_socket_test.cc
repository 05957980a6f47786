// GuardedSocket on a loopback connection, its io_context run by the test
// itself, so that the order in which handlers run is the test's choice.
#include "http/guarded_socket.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace spinlog::http {
namespace {

constexpr char kRefusal[] =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: "
    "close\r\n\r\n";

class GuardedSocketTest : public ::testing::Test {
 protected:
  GuardedSocketTest()
      : io_(1, SocketGuardConfig{Limits(), [](const Refusal&) { return std::string(kRefusal); }}),
        server_(io_),
        client_(client_io_) {
    asio::ip::tcp::acceptor acceptor(io_, {asio::ip::address_v4::loopback(), 0});
    client_.connect(acceptor.local_endpoint());
    acceptor.accept(server_.lowest_layer());
  }

  static RequestGuardLimits Limits() {
    RequestGuardLimits limits;
    limits.max_url_size = 1024;
    limits.max_field_name_size = 1024;
    limits.max_field_value_size = 1024;
    limits.max_field_count = 100;
    limits.max_body_size = 1 << 20;
    limits.max_header_bytes = 1024;
    return limits;
  }

  // The client sends `bytes`; the server reads them all, running its loop.
  void ClientSendsServerReads(const std::string& bytes) {
    asio::write(client_, asio::buffer(bytes));
    std::size_t received = 0;
    while (received < bytes.size()) {
      bool done = false;
      server_.async_read_some(asio::buffer(read_buffer_),
                              [&](const asio::error_code& ec, std::size_t n) {
                                ASSERT_FALSE(ec) << ec.message();
                                received += n;
                                done = true;
                              });
      RunUntil(done);
    }
  }

  // The loop stops whenever it runs out of work: restarted for each wait.
  void RunUntil(const bool& done) {
    io_.restart();
    while (!done) io_.run_one();
  }

  std::string ClientReadsToTheEnd() {
    std::string got;
    asio::error_code ec;
    asio::read(client_, asio::dynamic_buffer(got), ec);
    EXPECT_EQ(ec, asio::error::eof);
    return got;
  }

  GuardedIoContext io_;
  GuardedSocket server_;
  asio::io_context client_io_;
  asio::ip::tcp::socket client_;
  char read_buffer_[8 << 10];
};

// The regression: an answer the kernel took is counted then, not when its
// handler runs. Here that handler waits on a loop nobody runs (as it can
// wait behind the next request's read handler with several event-loop
// threads), while the client reads the answer and sends an oversized
// request: the refusal is in order and must be answered.
TEST_F(GuardedSocketTest, AnswerCountsWhenTheKernelTakesItNotWhenItsHandlerRuns) {
  ClientSendsServerReads("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
  asio::io_context held;  // never run
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na";
  bool handler_ran = false;
  server_.async_write_some(
      asio::buffer(answer),
      asio::bind_executor(held, [&](const asio::error_code&, std::size_t) { handler_ran = true; }));
  std::string got(answer.size(), '\0');
  asio::read(client_, asio::buffer(got));
  EXPECT_EQ(got, answer);

  ClientSendsServerReads("GET /a HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'v') +
                         "\r\n\r\n");
  asio::error_code ec;
  server_.shutdown(asio::socket_base::shutdown_both, ec);
  server_.close();
  EXPECT_EQ(ClientReadsToTheEnd(), kRefusal);
  EXPECT_FALSE(handler_ran);
}

// The order the guard keeps: no refusal before an earlier request's answer.
TEST_F(GuardedSocketTest, RefusalBehindAnUnansweredRequestIsNotAnswered) {
  ClientSendsServerReads("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /a HTTP/1.1\r\nX-Big: " +
                         std::string(2000, 'v') + "\r\n\r\n");
  asio::error_code ec;
  server_.shutdown(asio::socket_base::shutdown_both, ec);
  server_.close();
  EXPECT_EQ(ClientReadsToTheEnd(), "");
}

// An answer larger than the socket's send buffer: the first write takes
// what fits; the next waits for room, and its handler runs once the client
// has read some. Every byte arrives, in order, and counts as the answer.
TEST_F(GuardedSocketTest, WriteLargerThanTheSendBufferWaitsForRoom) {
  ClientSendsServerReads("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string body(16 << 20, 'b');
  const std::string answer =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string got;
  std::thread reader([&] {
    got.resize(answer.size());
    asio::read(client_, asio::buffer(got));
  });
  asio::error_code write_ec;
  std::size_t written = 0;
  bool done = false;
  asio::async_write(server_, asio::buffer(answer), [&](const asio::error_code& ec, std::size_t n) {
    write_ec = ec;
    written = n;
    done = true;
  });
  RunUntil(done);
  reader.join();
  EXPECT_FALSE(write_ec) << write_ec.message();
  EXPECT_EQ(written, answer.size());
  EXPECT_TRUE(got == answer);

  // Counted as answered: the next request's refusal is in order.
  ClientSendsServerReads("GET /a HTTP/1.1\r\nX-Big: " + std::string(2000, 'v') + "\r\n\r\n");
  asio::error_code ec;
  server_.shutdown(asio::socket_base::shutdown_both, ec);
  server_.close();
  EXPECT_EQ(ClientReadsToTheEnd(), kRefusal);
}

// A write on a closed socket fails through its handler, not in the call.
TEST_F(GuardedSocketTest, WriteOnAClosedSocketFailsThroughItsHandler) {
  server_.close();
  bool ran = false;
  asio::error_code write_ec;
  server_.async_write_some(asio::buffer("x", 1), [&](const asio::error_code& ec, std::size_t) {
    ran = true;
    write_ec = ec;
  });
  EXPECT_FALSE(ran);
  RunUntil(ran);
  EXPECT_TRUE(write_ec);
}

}  // namespace
}  // namespace spinlog::http
