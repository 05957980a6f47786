// Tokens, scopes and rate limits over real HTTP, with tokens made by the
// `spinlog token` command against a running server, and the config file and
// safe defaults of `spinlog serve`.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

constexpr char kPlay[] =
    R"({"channel":"Auth FM","performer":"P","title":"T","start":"2024-03-01T10:00:00Z",)"
    R"("end":"2024-03-01T10:03:00Z"})";

HttpResponse Call(std::uint16_t port, const std::string& method, const std::string& target,
                  const std::string& token, const std::string& body = "") {
  HttpConnection connection(port);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) request += "Content-Type: application/json\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (!connection.SendRaw(request)) return {};
  return connection.ReadResponse();
}

// Runs `spinlog token create` and returns the token it printed.
std::string CreateToken(const std::string& data_dir, const std::string& name,
                        const std::string& scopes) {
  std::string output;
  const int code =
      RunSpinlog({"token", "create", "--data", data_dir, "--name", name, "--scope", scopes}, &output);
  EXPECT_EQ(code, 0) << output;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("spl_", 0) == 0) return line;
  }
  ADD_FAILURE() << "no token printed: " << output;
  return {};
}

std::string IdOf(const std::string& token) { return token.substr(4, 12); }

TEST(Auth, TokensAndScopesGuardWritesAndTakeEffectWhileRunning) {
  TempDir dir;
  const std::string reader = CreateToken(dir.path(), "reader", "read");
  const std::string writer = CreateToken(dir.path(), "writer", "read,write");
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  const std::uint16_t port = server.port();

  const HttpResponse anonymous = Call(port, "POST", "/api/v1/plays", "", kPlay);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), "Bearer realm=\"spinlog\"");
  EXPECT_NE(anonymous.body.find("\"code\":\"unauthorized\""), std::string::npos) << anonymous.body;

  const HttpResponse read_only = Call(port, "POST", "/api/v1/plays", reader, kPlay);
  EXPECT_EQ(read_only.status, 403) << read_only.body;
  EXPECT_NE(read_only.body.find("'write' scope"), std::string::npos) << read_only.body;
  EXPECT_EQ(read_only.body.find(reader), std::string::npos) << "no secret in answers";

  const HttpResponse bad = Call(port, "GET", "/api/v1/channels", writer + "x");
  EXPECT_EQ(bad.status, 401) << "a bad token is refused even where none is needed";
  EXPECT_NE(bad.Header("WWW-Authenticate").find("invalid_token"), std::string::npos);

  const HttpResponse written = Call(port, "POST", "/api/v1/plays", writer, kPlay);
  EXPECT_EQ(written.status, 200) << written.body;
  const HttpResponse classic = Post(port, "/add_channel", "name=Other");
  EXPECT_EQ(classic.status, 401) << classic.body;
  EXPECT_NE(classic.body.find("\"code\":401"), std::string::npos) << classic.body;

  // Reads stay open, and probes never ask.
  EXPECT_EQ(Get(port, "/api/v1/channels").status, 200);
  EXPECT_EQ(Get(port, "/healthz").status, 200);

  // A token made now is honoured within a second or two...
  const std::string late = CreateToken(dir.path(), "late", "write");
  EXPECT_TRUE(Eventually([&] { return Call(port, "POST", "/api/v1/plays", late, kPlay).status == 200; }))
      << server.Log();
  // ... and a revoked one refused as soon.
  std::string output;
  ASSERT_EQ(RunSpinlog({"token", "revoke", "--data", dir.path(), IdOf(writer)}, &output), 0) << output;
  EXPECT_TRUE(Eventually([&] { return Call(port, "POST", "/api/v1/plays", writer, kPlay).status == 401; }));

  // The list shows names and scopes, never a secret or a hash.
  ASSERT_EQ(RunSpinlog({"token", "list", "--data", dir.path(), "--all"}, &output), 0);
  EXPECT_NE(output.find("reader"), std::string::npos) << output;
  EXPECT_EQ(output.find(reader.substr(17)), std::string::npos) << output;
  std::ifstream file(dir.path() + "/tokens.json");
  const std::string stored((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(stored.find(reader.substr(17)), std::string::npos) << "only hashes are stored";

  const HttpResponse metrics = Get(port, "/metrics");
  EXPECT_NE(metrics.body.find("spinlog_requests_refused_total{reason=\"forbidden\"} 1"),
            std::string::npos);
}

TEST(Auth, AdministrativeRoutesNeedTheAdminScope) {
  TempDir dir;
  const std::string writer = CreateToken(dir.path(), "writer", "read,write");
  const std::string admin = CreateToken(dir.path(), "admin", "admin");
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  // A channel group is the caller's own data: write is enough to make one.
  const HttpResponse group = Call(server.port(), "POST", "/api/v1/channel-groups", writer,
                                  R"({"name":"g","channel_ids":[]})");
  EXPECT_NE(group.status, 401);
  EXPECT_NE(group.status, 403);
  // The admin token alone cannot write plays: scopes do not include each other.
  EXPECT_EQ(Call(server.port(), "POST", "/api/v1/plays", admin, kPlay).status, 403);
}

TEST(Auth, ReadsCanBeClosedToo) {
  TempDir dir;
  const std::string reader = CreateToken(dir.path(), "reader", "read");
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--reads-need-token"})) << server.Log();
  EXPECT_EQ(Get(server.port(), "/api/v1/channels").status, 401);
  EXPECT_EQ(Get(server.port(), "/get_top?channels=%5B%5D&start=2024-01-01T00:00:00&limit=1").status, 401);
  EXPECT_EQ(Call(server.port(), "GET", "/api/v1/channels", reader).status, 200);
  EXPECT_EQ(Get(server.port(), "/readyz").status, 200);
}

TEST(Auth, WithoutTokensOnlyALoopbackListenerTakesWrites) {
  TempDir dir;
  std::string output;
  // Refused before binding, so nothing listens beyond loopback.
  EXPECT_EQ(RunSpinlog({"serve", "--listen", "0.0.0.0:0", "--data", dir.path()}, &output), 1);
  EXPECT_NE(output.find("not a loopback address"), std::string::npos) << output;
  EXPECT_NE(output.find("--allow-anonymous-writes"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << "one line: " << output;

  // On loopback without tokens, writes need none.
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  EXPECT_EQ(Call(server.port(), "POST", "/api/v1/plays", "", kPlay).status, 200);
}

TEST(RateLimits, PerAddressAndPerTokenFromTheConfigFile) {
  TempDir dir;
  const std::string writer = CreateToken(dir.path(), "writer", "read,write");
  const std::string config = dir.path() + "/spinlog.toml";
  std::ofstream(config) << "rate_limit_address = 0.2\nrate_limit_address_burst = 3\n"
                           "rate-limit-token = 0.2\nrate-limit-token-burst = 2\n";
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--config", config})) << server.Log();
  const std::uint16_t port = server.port();

  for (int i = 0; i < 3; ++i) {
    const HttpResponse ok = Get(port, "/api/v1/channels");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.Header("RateLimit-Limit"), "3");
    EXPECT_EQ(ok.Header("RateLimit-Remaining"), std::to_string(2 - i));
  }
  const HttpResponse limited = Get(port, "/api/v1/channels");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_NE(limited.body.find("\"code\":\"too_many_requests\""), std::string::npos);
  const int retry_after = std::stoi("0" + limited.Header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 5);
  EXPECT_EQ(limited.Header("RateLimit-Remaining"), "0");
  EXPECT_EQ(Get(port, "/get_top?channels=%5B%5D&start=2024-01-01T00:00:00&limit=1").status, 429)
      << "the classic API shares the address's bucket";
  EXPECT_EQ(Get(port, "/healthz").status, 200) << "probes are never limited";

  // The token has its own bucket.
  EXPECT_EQ(Call(port, "POST", "/api/v1/plays", writer, kPlay).status, 200);
  EXPECT_EQ(Call(port, "POST", "/api/v1/plays", writer, kPlay).status, 200);
  EXPECT_EQ(Call(port, "POST", "/api/v1/plays", writer, kPlay).status, 429);
  const HttpResponse metrics = Get(port, "/healthz");
  EXPECT_EQ(metrics.status, 200);
}

TEST(ServeConfig, PrintConfigAndBadSettings) {
  TempDir dir;
  const std::string config = dir.path() + "/spinlog.toml";
  std::ofstream(config) << "listen = \"127.0.0.1:9\"\nchart_cache_mb = 12\n";
  std::string output;
  ASSERT_EQ(RunSpinlog({"serve", "--config", config, "--print-config", "--threads", "2"}, &output), 0)
      << output;
  EXPECT_NE(output.find("listen = \"127.0.0.1:9\"  # " + config + ":1"), std::string::npos) << output;
  EXPECT_NE(output.find("chart-cache-mb = 12"), std::string::npos) << output;
  EXPECT_NE(output.find("threads = 2  # command line"), std::string::npos) << output;

  std::ofstream(config) << "threads = -1\n";
  EXPECT_EQ(RunSpinlog({"serve", "--config", config}, &output), 2);
  EXPECT_NE(output.find(config + ":1"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
}

TEST(Logs, JsonLinesAndOneAccessRecordPerRequestWithoutSecrets) {
  TempDir dir;
  const std::string writer = CreateToken(dir.path(), "writer", "write");
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path(), {"--access-log", "--log-format", "json"})) << server.Log();
  EXPECT_EQ(Call(server.port(), "POST", "/api/v1/plays", writer, kPlay).status, 200);
  EXPECT_EQ(Get(server.port(), "/api/v1/songs/1").status, 200);
  std::string log;
  ASSERT_TRUE(Eventually([&] {
    log = server.Log();
    return log.find("/api/v1/songs/1") != std::string::npos;
  })) << log;
  EXPECT_EQ(log.find(writer.substr(17)), std::string::npos) << "no secret in the log";
  std::istringstream lines(log);
  int access = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    if (line.find(R"("type":"access")") == std::string::npos) continue;
    ++access;
    EXPECT_NE(line.find(R"("client":"127.0.0.1")"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("duration_us":)"), std::string::npos) << line;
  }
  EXPECT_EQ(access, 2) << log;
  EXPECT_NE(log.find(R"("method":"GET","path":"/api/v1/songs/1","route":"/api/v1/songs/{id}","status":200)"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace spinlog::e2e
