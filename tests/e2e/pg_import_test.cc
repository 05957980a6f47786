// `spinlog import --store postgresql://...`: bulk loading into a shared
// PostgreSQL store (COPY into a staging table, one INSERT per batch) while a
// node serves it. The summary counts created, duplicates, conflicts and
// invalid records as the embedded import does, a second run creates
// nothing, the daily counts stay exact, and the running node's charts
// follow the import.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"
#include "support/pg_test_server.h"

namespace spinlog::e2e {
namespace {

std::string At(int minute) {
  char text[32];
  std::snprintf(text, sizeof(text), "2020-01-%02dT%02d:%02d:00", 1 + minute / 1440,
                minute % 1440 / 60, minute % 60);
  return text;
}

std::string PlayJson(const std::string& channel, const std::string& title, int minute) {
  return R"({"channel":")" + channel + R"(","performer":"P","title":")" + title + R"(","start":")" +
         At(minute) + R"(","end":")" + At(minute + 3) + "\"}\n";
}

// The number after "<what>:" in an import summary, or -1.
long long Counted(const std::string& summary, const std::string& what) {
  std::smatch match;
  if (!std::regex_search(summary, match, std::regex("  " + what + ": *([0-9,]+)\n"))) return -1;
  std::string digits = match[1];
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  return std::stoll(digits);
}

int Occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + what.size())) {
    ++n;
  }
  return n;
}

const char kTop[] = "/get_top?channels=%5B%22C0%22,%22C1%22,%22C2%22%5D&start=2020-01-01";

TEST(PostgresImport, CopiesPlaysInOnceKeepsCountsExactAndRunningNodesFollow) {
  testing::PgScratchDatabase database;
  if (!database.skip_reason().empty()) GTEST_SKIP() << database.skip_reason();
  ASSERT_FALSE(database.url().empty()) << database.error();
  TempDir dir;
  ServerProcess node;
  ASSERT_TRUE(node.Start(dir.path() + "/node", {"--store", database.url()})) << node.Log();

  // 3 channels x 40 plays, 5 titles; then a conflict (line 121) and a bad
  // record (line 122).
  std::string plays;
  for (int i = 0; i < 40; ++i) {
    for (int c = 0; c < 3; ++c) {
      plays += PlayJson("C" + std::to_string(c), "Song " + std::to_string((i * 7 + c) % 5), i * 3);
    }
  }
  plays += PlayJson("C0", "Clash", 0);
  plays += R"({"channel":"C0","performer":"P","title":"T","start":"not a time","end":"x"})" "\n";
  const std::string path = dir.path() + "/plays.ndjson";
  std::ofstream(path, std::ios::binary) << plays;

  std::string out;
  ASSERT_EQ(RunSpinlog({"import", "--store", database.url(), path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 120) << out;
  EXPECT_EQ(Counted(out, "duplicates"), 0) << out;
  EXPECT_EQ(Counted(out, "conflicts"), 1) << out;
  EXPECT_EQ(Counted(out, "invalid"), 1) << out;
  EXPECT_NE(out.find("imported 122 records from 1 file into postgresql://"), std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":121: channel 'C0' already has a play starting at "
                            "2020-01-01T00:00:00"),
            std::string::npos)
      << out;

  // The running node reads the plays at once and counts them within a
  // second or so (the play feed): 5 titles share 120 plays, 24 each.
  EXPECT_EQ(Occurrences(Get(node.port(), "/get_channel_plays?channel=C1&start=2019-12-01"
                                         "&end=2020-03-01")
                            .body,
                        "\"start\":"),
            40);
  EXPECT_TRUE(Eventually([&] { return Occurrences(Get(node.port(), kTop).body, "\"plays\":24,") == 5; }))
      << Get(node.port(), kTop).body;

  // Again: nothing is created, every play is a duplicate.
  ASSERT_EQ(RunSpinlog({"import", "--store", database.url(), path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 0) << out;
  EXPECT_EQ(Counted(out, "duplicates"), 120) << out;
  EXPECT_EQ(Counted(out, "conflicts"), 1) << out;
  EXPECT_EQ(Counted(out, "invalid"), 1) << out;

  // The counts table holds exactly the plays; a node started now agrees.
  EXPECT_EQ(testing::RunSql(database.url(),
                            "DO $$ BEGIN IF (SELECT sum(plays) FROM daily_counts) <> 120 OR "
                            "(SELECT count(*) FROM plays) <> 120 THEN RAISE 'counts differ'; "
                            "END IF; END $$"),
            "");
  ServerProcess later;
  ASSERT_TRUE(later.Start(dir.path() + "/later", {"--store", database.url()})) << later.Log();
  EXPECT_EQ(Occurrences(Get(later.port(), kTop).body, "\"plays\":24,"), 5);
  EXPECT_EQ(Occurrences(Get(node.port(), kTop).body, "\"plays\":24,"), 5) << "counted once";

  EXPECT_EQ(RunSpinlog({"import", "--store", "/var/lib/spinlog", path}, &out), 1) << out;
  EXPECT_NE(out.find("--store: expected postgresql://"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"import", "--store", database.url(), "--data", dir.path(), path}, &out), 2)
      << out;
}

}  // namespace
}  // namespace spinlog::e2e
