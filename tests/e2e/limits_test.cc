// The limits that protect the process, over real HTTP against the spinlog
// binary (docs/operations.md, "Limits"): 431 for an oversized request line
// or headers, 413 for a body over its route's or the server's limit (both
// in the error shape of the API the path belongs to), a client that never
// reads its answers is cut off after --write-timeout, and connections beyond
// --max-connections wait until one closes.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/raw_socket.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

using namespace std::chrono_literals;

bool IsClassicError(const HttpResponse& r, int status) {
  return r.body.find("\"code\":" + std::to_string(status)) != std::string::npos &&
         r.body.find("\"errors\":[") != std::string::npos &&
         r.body.find("\"result\":null") != std::string::npos;
}

bool IsV1Error(const HttpResponse& r, int status, const std::string& code) {
  return r.body.rfind(
             "{\"error\":{\"status\":" + std::to_string(status) + ",\"code\":\"" + code + "\"",
             0) == 0;
}

class Limits : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& args) {
    ASSERT_TRUE(server_.Start(dir_.path(), args)) << server_.Log();
  }
  std::uint16_t port() const { return server_.port(); }

  // The answer to raw `request` bytes on a fresh connection, which must then
  // be closed by the server.
  HttpResponse RefusedAnswer(const std::string& request) {
    HttpConnection connection(port());
    EXPECT_TRUE(connection.SendRaw(request));
    HttpResponse answer = connection.ReadResponse(5000);
    EXPECT_EQ(answer.Header("Connection"), "close") << answer.status << " " << answer.body;
    EXPECT_EQ(connection.ReadResponse(2000).status, 0) << "connection still open";
    return answer;
  }

  TempDir dir_;
  ServerProcess server_;
};

std::string GetWithHeaders(const std::string& target, const std::vector<std::string>& headers) {
  std::string r = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& h : headers) r += h + "\r\n";
  return r + "\r\n";
}

TEST_F(Limits, OversizedRequestLineAndHeadersAnswer431InTheirApisShape) {
  Start({"--max-header-bytes", "4096"});
  const std::string big(5000, 'x');

  HttpResponse line = RefusedAnswer(GetWithHeaders("/get_top?pad=" + big, {}));
  EXPECT_EQ(line.status, 431);
  EXPECT_TRUE(IsClassicError(line, 431)) << line.body;
  EXPECT_NE(line.body.find("limit of 4096 bytes"), std::string::npos) << line.body;

  HttpResponse v1_line = RefusedAnswer(GetWithHeaders("/api/v1/channels?pad=" + big, {}));
  EXPECT_EQ(v1_line.status, 431);
  EXPECT_TRUE(IsV1Error(v1_line, 431, "headers_too_large")) << v1_line.body;

  HttpResponse header = RefusedAnswer(GetWithHeaders("/api/v1/channels", {"X-Pad: " + big}));
  EXPECT_EQ(header.status, 431);
  EXPECT_TRUE(IsV1Error(header, 431, "headers_too_large")) << header.body;

  // Each header fits, together they do not: answered, and the connection
  // stays usable.
  HttpConnection connection(port());
  const std::string third(1500, 'h');
  ASSERT_TRUE(connection.SendRaw(
      GetWithHeaders("/api/v1/channels", {"X-A: " + third, "X-B: " + third, "X-C: " + third})));
  HttpResponse total = connection.ReadResponse(5000);
  EXPECT_EQ(total.status, 431);
  EXPECT_TRUE(IsV1Error(total, 431, "headers_too_large")) << total.body;
  EXPECT_EQ(connection.Request("GET", "/healthz").status, 200);

  // Past http_parser's own ceiling on the header section (80 KiB).
  HttpResponse huge = RefusedAnswer(GetWithHeaders(
      "/get_top", std::vector<std::string>(100, "X-Many: " + std::string(1000, 'm'))));
  EXPECT_EQ(huge.status, 431);
  EXPECT_TRUE(IsClassicError(huge, 431)) << huge.body;
  EXPECT_EQ(Get(port(), "/healthz").status, 200);
}

TEST_F(Limits, BodyOverItsRoutesLimitAnswers413InTheApisShape) {
  Start({});
  // /add_channel takes at most 1 MiB, PATCH /api/v1/channels/{id} 64 KiB.
  HttpResponse classic = Post(port(), "/add_channel", "name=x&pad=" + std::string(1 << 20, 'p'));
  EXPECT_EQ(classic.status, 413);
  EXPECT_TRUE(IsClassicError(classic, 413)) << classic.body;
  EXPECT_NE(classic.body.find("body: "), std::string::npos) << classic.body;

  HttpConnection connection(port());
  HttpResponse v1 =
      connection.Request("PATCH", "/api/v1/channels/1",
                         "{\"name\":\"" + std::string(70 << 10, 'n') + "\"}", "application/json");
  EXPECT_EQ(v1.status, 413);
  EXPECT_TRUE(IsV1Error(v1, 413, "payload_too_large")) << v1.body;
}

TEST_F(Limits, BodyOverTheServersLimitAnswers413BeforeItIsSent) {
  Start({"--max-body-bytes", "8192"});
  // The headers alone: the answer must not wait for the declared body.
  HttpResponse classic = RefusedAnswer(
      "POST /add_play HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_EQ(classic.status, 413);
  EXPECT_TRUE(IsClassicError(classic, 413)) << classic.body;
  EXPECT_NE(classic.body.find("limit of 8192 bytes"), std::string::npos) << classic.body;

  HttpResponse v1 = RefusedAnswer(
      "POST /api/v1/plays HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/x-ndjson\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_EQ(v1.status, 413);
  EXPECT_TRUE(IsV1Error(v1, 413, "payload_too_large")) << v1.body;

  // A client that sends the whole body at once still reads its answer.
  {
    HttpConnection connection(port());
    connection.SendRaw(
        "POST /add_play HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n" +
        std::string(100000, 'b'));  // may fail part-way: the server stops reading
    HttpResponse answer = connection.ReadResponse(5000);
    EXPECT_EQ(answer.status, 413);
    EXPECT_TRUE(IsClassicError(answer, 413)) << answer.body;
  }

  // Chunked: refused once the chunks pass the limit.
  HttpResponse chunked = RefusedAnswer(
      "POST /api/v1/plays HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2000\r\n" +
      std::string(0x2000, '\n') + "\r\n10\r\n" + std::string(16, '\n') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 413);
  EXPECT_TRUE(IsV1Error(chunked, 413, "payload_too_large")) << chunked.body;
  EXPECT_EQ(Get(port(), "/healthz").status, 200);
}

TEST_F(Limits, ClientThatNeverReadsIsCutOffAfterTheWriteTimeout) {
  Start({"--write-timeout", "1"});
  // A small receive buffer and many pipelined requests for a 90 KB answer:
  // far more than the socket buffers hold, so the server's writes stall.
  RawSocket client(port(), /*receive_buffer=*/4096);
  ASSERT_TRUE(client.connected());
  std::string requests;
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) {
    requests += "GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }
  client.Send(requests, 3s);  // may stall too once the server stops reading
  const auto start = std::chrono::steady_clock::now();
  // Meanwhile others are served.
  EXPECT_EQ(Get(port(), "/healthz").status, 200);
  std::this_thread::sleep_for(3s);
  // Now read what was sent: the answers end before all 400 because the
  // server closed the connection.
  int answers = 0;
  while (answers < kRequests && client.ReadAnswer(5s) == 200) ++answers;
  EXPECT_LT(answers, kRequests);
  EXPECT_TRUE(client.ClosedWithin(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  EXPECT_EQ(Get(port(), "/healthz").status, 200);
}

TEST_F(Limits, ConnectionsBeyondTheMaximumWaitUntilOneCloses) {
  Start({"--max-connections", "4", "--threads", "2"});
  std::vector<std::unique_ptr<HttpConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<HttpConnection>(port()));
    ASSERT_EQ(held.back()->Request("GET", "/healthz").status, 200) << "connection " << i;
  }
  // The fifth connects (the kernel's backlog) but is not served yet.
  HttpConnection fifth(port());
  ASSERT_TRUE(fifth.connected());
  ASSERT_TRUE(fifth.SendRaw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_EQ(fifth.ReadResponse(1000).status, 0) << "served beyond --max-connections";
  // One closes: the fifth is accepted and answered.
  held.front().reset();
  EXPECT_EQ(fifth.ReadResponse(5000).status, 200);
  // The others are still served on their connections.
  for (std::size_t i = 1; i < held.size(); ++i) {
    EXPECT_EQ(held[i]->Request("GET", "/healthz").status, 200);
  }
}

TEST_F(Limits, BadLimitValuesFailAtStartWithOneLine) {
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--max-connections", "0"},
        std::vector<std::string>{"--max-header-bytes", "100"},
        std::vector<std::string>{"--max-header-bytes", "100000"},
        std::vector<std::string>{"--max-body-bytes", "-5"},
        std::vector<std::string>{"--read-timeout", "0"},
        std::vector<std::string>{"--write-timeout", "abc"},
        std::vector<std::string>{"--max-request-time", "99999"}}) {
    std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--data", dir_.path()};
    args.insert(args.end(), bad.begin(), bad.end());
    std::string output;
    EXPECT_EQ(RunSpinlog(args, &output), 2) << bad[0] << " " << bad[1];
    EXPECT_NE(output.find(bad[0]), std::string::npos) << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
  }
}

}  // namespace
}  // namespace spinlog::e2e
