// GET /healthz and GET /readyz over real HTTP, with the failures made real:
// the kernel refusing the store's writes, and a server draining at shutdown.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

// `count` plays on channel C as NDJSON, one a second from 2020-01-01.
std::string PlaysNdjson(int count) {
  std::string body;
  for (int i = 0; i < count; ++i) {
    char line[160];
    std::snprintf(line, sizeof(line),
                  R"({"channel":"C","performer":"P%d","title":"T%d",)"
                  R"("start":"2020-01-01T%02d:%02d:%02dZ","end":"2020-01-02T00:00:00Z"})"
                  "\n",
                  i % 50, i % 200, i / 3600, i / 60 % 60, i % 60);
    body += line;
  }
  return body;
}

void LoadPlays(std::uint16_t port, int count) {
  const HttpResponse loaded =
      Post(port, "/api/v1/plays", PlaysNdjson(count), "application/x-ndjson");
  ASSERT_EQ(loaded.status, 200) << loaded.body.substr(0, 300);
}

// Asks /readyz on `connection` until it answers `status` (or the
// connection ends, or 10 s pass); returns the last answer.
HttpResponse AwaitReadyz(HttpConnection& connection, int status) {
  HttpResponse response;
  Eventually([&] {
    response = connection.Request("GET", "/readyz");
    return response.status == status || response.status == 0;
  });
  return response;
}

TEST(OpsEndpoints, HealthzAndReadyzAnswerOkAndAreNeverCached) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  for (const char* path : {"/healthz", "/readyz"}) {
    const HttpResponse answer = Get(server.port(), path);
    EXPECT_EQ(answer.status, 200) << path;
    EXPECT_EQ(answer.body, R"({"status":"ok"})") << path;
    EXPECT_EQ(answer.Header("Content-Type"), "application/json; charset=utf-8") << path;
    EXPECT_EQ(answer.Header("Cache-Control"), "no-store") << path;
    EXPECT_EQ(Post(server.port(), path, "").status, 405) << path;
  }
}

// The store is made unwritable for real: RLIMIT_FSIZE set on the running
// server makes the kernel refuse (EFBIG) every write past that offset of any
// file. Set at the write-ahead log's current size, it fails the next log
// append, as a full or failing disk would. RocksDB's own text log (LOG) must
// stay writable: Debian's RocksDB is built with assertions, and it aborts on
// the second write to a log file whose first write failed. So plays are
// loaded first until the write-ahead log is well past LOG's size.
TEST(OpsEndpoints, ReadyzAnswers503WhenTheStoreCannotWrite) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  ASSERT_NO_FATAL_FAILURE(LoadPlays(server.port(), 10'000));

  std::uintmax_t wal_bytes = 0;
  std::uintmax_t info_log_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".log") wal_bytes = std::max(wal_bytes, entry.file_size());
    if (entry.path().filename() == "LOG") info_log_bytes = entry.file_size();
  }
  ASSERT_GT(wal_bytes, info_log_bytes + (256u << 10))
      << "the write-ahead log must outgrow RocksDB's LOG for this test";

  HttpConnection balancer(server.port());
  ASSERT_EQ(balancer.Request("GET", "/readyz").status, 200);
  const rlimit limit{static_cast<rlim_t>(wal_bytes), RLIM_INFINITY};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, &limit, nullptr), 0);

  // A success is reused for up to a second; then the probe write fails.
  const HttpResponse unready = AwaitReadyz(balancer, 503);
  EXPECT_EQ(unready.status, 503) << unready.body;
  EXPECT_NE(unready.body.find(R"("code":"unavailable")"), std::string::npos) << unready.body;
  EXPECT_NE(unready.body.find("the store cannot write"), std::string::npos) << unready.body;
  EXPECT_EQ(unready.Header("Cache-Control"), "no-store");
  // The process still serves: alive, only not ready.
  EXPECT_EQ(balancer.Request("GET", "/healthz").status, 200);
  EXPECT_EQ(balancer.Request("GET", "/readyz").status, 503);
  // A write is refused as unavailable, not as a server bug.
  const HttpResponse refused = Post(server.port(), "/add_channel", "name=Refused");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_FALSE(refused.Header("Retry-After").empty());

  // Stopping does not write to the failed log again (RocksDB would abort):
  // a clean stop that says the store had failed, exit code 1.
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 1) << server.Log();
  EXPECT_NE(server.Log().find("stopped writing after a failed write"), std::string::npos)
      << server.Log();
}

// A client that pipelines requests for large answers and reads none keeps
// them in flight (16 answers of about 1 MB each cannot fit the socket
// buffers), so after SIGTERM the server drains for up to --shutdown-grace.
// Meanwhile a balancer's keep-alive connection must hear 503. (The answers
// are counted in /metrics before they are written, which tells the test
// when all are queued.)
TEST(OpsEndpoints, ReadyzAnswers503WhileDraining) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--shutdown-grace", "30"})) << server.Log();
  ASSERT_NO_FATAL_FAILURE(LoadPlays(server.port(), 10'000));
  HttpConnection balancer(server.port());
  ASSERT_EQ(balancer.Request("GET", "/readyz").status, 200);

  const int slow = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(slow, 0);
  std::unique_ptr<const int, void (*)(const int*)> closer(&slow, [](const int* fd) { close(*fd); });
  const int small = 4096;
  setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server.port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(slow, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  std::string requests;
  for (int i = 0; i < 16; ++i) {
    requests +=
        "GET /get_channel_plays?channel=C&start=2020-01-01T00:00:00"
        "&end=2020-01-03T00:00:00 HTTP/1.1\r\nHost: test\r\n\r\n";
  }
  ASSERT_EQ(send(slow, requests.data(), requests.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(requests.size()));
  // Once all 16 are answered (the answers queued on the connection, all
  // keep-alive), none can finish writing. Answers made after SIGTERM would
  // say "Connection: close", and the connection would end after the first.
  const std::string answered =
      R"(spinlog_http_requests_total{route="/get_channel_plays",method="GET",status="200"} 16)";
  ASSERT_TRUE(Eventually([&] {
    return Get(server.port(), "/metrics").body.find(answered) != std::string::npos;
  })) << "the 16 requests were not answered";

  server.Signal(SIGTERM);
  const HttpResponse draining = AwaitReadyz(balancer, 503);
  EXPECT_EQ(draining.status, 503) << draining.body;
  EXPECT_NE(draining.body.find("the server is shutting down"), std::string::npos) << draining.body;
  EXPECT_EQ(draining.Header("Connection"), "close");

  closer.reset();  // the answers in flight fail; the server finishes stopping
  EXPECT_EQ(server.Wait(), 0) << server.Log();
}

}  // namespace
}  // namespace spinlog::e2e
