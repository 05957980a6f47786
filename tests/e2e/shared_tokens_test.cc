// API tokens over a shared PostgreSQL store: a token made with
// `spinlog token create --store URL` (as on node A's machine) is honoured by
// node B within about a second, and a revocation as soon; the database holds
// hashes only.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"
#include "support/pg_test_server.h"

namespace spinlog::e2e {
namespace {

constexpr char kPlay[] =
    R"({"channel":"Shared FM","performer":"P","title":"T","start":"2024-03-01T10:00:00Z",)"
    R"("end":"2024-03-01T10:03:00Z"})";

HttpResponse PostPlay(std::uint16_t port, const std::string& token) {
  HttpConnection connection(port);
  std::string request = "POST /api/v1/plays HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "Content-Type: application/json\r\nContent-Length: " +
             std::to_string(sizeof kPlay - 1) + "\r\n\r\n" + kPlay;
  if (!connection.SendRaw(request)) return {};
  return connection.ReadResponse();
}

std::string TokenIn(const std::string& output) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("spl_", 0) == 0) return line;
  }
  return {};
}

// Milliseconds until `check` holds (checked every 20 ms, for up to 10 s).
template <typename Check>
long long MillisUntil(Check check) {
  const auto start = std::chrono::steady_clock::now();
  Eventually(check, std::chrono::seconds(10), std::chrono::milliseconds(20));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

TEST(SharedTokens, ATokenMadeForOneNodeWorksOnTheOtherWithinASecond) {
  testing::PgScratchDatabase database;
  if (!database.skip_reason().empty()) GTEST_SKIP() << database.skip_reason();
  ASSERT_FALSE(database.url().empty()) << database.error();
  TempDir dir;
  ServerProcess a;
  ServerProcess b;
  ASSERT_TRUE(a.Start(dir.path() + "/a", {"--store", database.url()})) << a.Log();
  ASSERT_TRUE(b.Start(dir.path() + "/b", {"--store", database.url()})) << b.Log();
  // No token yet: loopback nodes take anonymous writes.
  EXPECT_EQ(PostPlay(b.port(), "").status, 200);

  std::string output;
  ASSERT_EQ(RunSpinlog({"token", "create", "--store", database.url(), "--name", "ingest",
                        "--scope", "read,write"},
                       &output),
            0)
      << output;
  const std::string token = TokenIn(output);
  ASSERT_FALSE(token.empty()) << output;
  const long long seen = MillisUntil([&] { return PostPlay(b.port(), token).status == 200; });
  EXPECT_EQ(PostPlay(b.port(), token).status, 200) << b.Log();
  EXPECT_LE(seen, 1500) << "node b honoured the new token after " << seen << " ms";
  std::printf("node b honoured a token made through the shared store after %lld ms\n", seen);
  // Node a polls on its own clock: within the same second too.
  const long long seen_a = MillisUntil([&] { return PostPlay(a.port(), token).status == 200; });
  EXPECT_EQ(PostPlay(a.port(), token).status, 200) << a.Log();
  EXPECT_LE(seen_a, 1500) << "node a honoured the new token " << seen_a << " ms after node b";
  // With a token in force, anonymous writes are refused on every node.
  EXPECT_EQ(PostPlay(a.port(), "").status, 401);
  EXPECT_EQ(PostPlay(b.port(), "").status, 401);

  // The list shows it; a data directory's token file knows nothing of it.
  ASSERT_EQ(RunSpinlog({"token", "list", "--store", database.url()}, &output), 0) << output;
  EXPECT_NE(output.find(token.substr(4, 12) + "  "), std::string::npos) << output;
  EXPECT_NE(output.find("ingest"), std::string::npos) << output;
  EXPECT_EQ(output.find(token.substr(17)), std::string::npos) << "never a secret";
  ASSERT_EQ(RunSpinlog({"token", "list", "--data", dir.path() + "/a"}, &output), 0) << output;
  EXPECT_EQ(output.find("ingest"), std::string::npos) << output;
  EXPECT_EQ(RunSpinlog({"token", "list", "--data", dir.path(), "--store", database.url()}, &output),
            2)
      << output;

  ASSERT_EQ(RunSpinlog({"token", "revoke", "--store", database.url(), token.substr(4, 12)},
                       &output),
            0)
      << output;
  const long long refused = MillisUntil([&] { return PostPlay(b.port(), token).status == 401; });
  EXPECT_EQ(PostPlay(b.port(), token).status, 401);
  EXPECT_LE(refused, 1500) << "node b refused the revoked token after " << refused << " ms";
  EXPECT_TRUE(Eventually([&] { return PostPlay(a.port(), token).status == 401; }));
  std::printf("node b refused a revoked token after %lld ms\n", refused);

  ASSERT_EQ(RunSpinlog({"token", "list", "--store", database.url(), "--all"}, &output), 0);
  EXPECT_NE(output.find("ingest"), std::string::npos) << output;
  EXPECT_EQ(RunSpinlog({"token", "revoke", "--store", database.url(), "000000000000"}, &output),
            2)
      << output;
  EXPECT_EQ(RunSpinlog({"token", "list", "--store", "postgresql://postgres@127.0.0.1:1/x"},
                       &output),
            1)
      << output;

  // A node whose data directory still holds tokens of its own would ignore
  // them: it refuses to start instead.
  ASSERT_EQ(RunSpinlog({"token", "create", "--data", dir.path() + "/c", "--name", "old"}, &output),
            0)
      << output;
  EXPECT_EQ(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", dir.path() + "/c", "--store",
                        database.url()},
                       &output),
            1)
      << output;
  EXPECT_NE(output.find("holds 1 active token(s), but with --store"), std::string::npos) << output;
}

}  // namespace
}  // namespace spinlog::e2e
