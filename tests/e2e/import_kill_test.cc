// kill -9 in the middle of `spinlog import`, then the same import again: the
// data directory must end up exactly as after one clean import (nothing lost,
// nothing twice), as a server started on each answers.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

constexpr int kChannels = 6;
constexpr int kPlaysPerChannel = 50'000;  // 300,000 plays, 33 MB of NDJSON

// Plays of 3 to 5 minutes, back to back on each channel from 2020-01-01;
// 40 songs by 8 performers, one with a non-ASCII name.
void WriteBigImport(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  std::vector<long long> next(kChannels, 1577836800LL);  // 2020-01-01T00:00:00Z
  char line[256];
  for (int i = 0; i < kPlaysPerChannel; ++i) {
    for (int c = 0; c < kChannels; ++c) {
      const int song = (i * 13 + c * 7) % 40;
      const long long start = next[c];
      const long long end = start + 180 + (song % 3) * 60;
      next[c] = end;
      auto format = [](long long t, char* buffer) {
        const std::time_t seconds = static_cast<std::time_t>(t);
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        std::strftime(buffer, 32, "%Y-%m-%dT%H:%M:%S", &utc);
      };
      char start_text[32], end_text[32];
      format(start, start_text);
      format(end, end_text);
      std::snprintf(line, sizeof(line),
                    "{\"channel\":\"K%d\",\"performer\":\"%s%d\",\"title\":\"Song %d\","
                    "\"start\":\"%s\",\"end\":\"%s\"}\n",
                    c, song % 8 == 3 ? "P\xC3\xAA" : "P", song % 8, song, start_text, end_text);
      out << line;
    }
  }
}

// Bytes that RocksDB has written to the directory (log and table files).
std::uintmax_t StoredBytes(const std::string& dir) {
  std::uintmax_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string ext = entry.path().extension();
    if (ext == ".log" || ext == ".sst") total += entry.file_size(error);
  }
  return total;
}

// Starts an import and kills it with SIGKILL once `bytes` have reached the
// directory. Returns the exit status (137 when it was killed while running).
int ImportAndKill(const std::string& data, const std::string& file, std::uintmax_t bytes) {
  const pid_t pid = StartSpinlog({"import", "--data", data, file});
  EXPECT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (StoredBytes(data) < bytes && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  return WaitSpinlog(pid);
}

// What a server on `data` answers for every channel and a few weeks of charts.
std::vector<std::string> Answers(const std::string& data) {
  ServerProcess server;
  EXPECT_TRUE(server.Start(data)) << server.Log();
  std::vector<std::string> answers;
  std::string all_channels = "[";
  for (int c = 0; c < kChannels; ++c) {
    const std::string channel = "K" + std::to_string(c);
    all_channels += (c == 0 ? "\"" : ",\"") + channel + "\"";
    answers.push_back(Get(server.port(), "/get_channel_plays?channel=" + channel +
                                             "&start=2019-12-01&end=2021-01-01")
                          .body);
  }
  all_channels += "]";
  for (const char* week : {"2020-01-01", "2020-01-29", "2020-03-04", "2020-04-22", "2020-05-06"}) {
    answers.push_back(Get(server.port(), "/get_top?limit=100&channels=" + UrlEncode(all_channels) +
                                             "&start=" + week)
                          .body);
  }
  answers.push_back(Get(server.port(),
                        "/get_song_plays?performer=P%C3%AA3&title=Song%2011"
                        "&start=2019-12-01&end=2021-01-01")
                        .body);
  return answers;
}

TEST(ImportKill, KilledImportRunAgainEqualsOneCleanImport) {
  TempDir files, killed, reference;
  const std::string file = files.path() + "/big.ndjson";
  WriteBigImport(file);

  std::string out;
  ASSERT_EQ(RunSpinlog({"import", "--data", reference.path(), file}, &out), 0) << out;
  ASSERT_NE(out.find("created:    300,000"), std::string::npos) << out;

  // Killed twice at different depths, then run to the end.
  const int first = ImportAndKill(killed.path(), file, 2u << 20);
  const int second = ImportAndKill(killed.path(), file, 7u << 20);
  EXPECT_EQ(first, 128 + SIGKILL) << "the import ended before it could be killed";
  ASSERT_EQ(RunSpinlog({"import", "--data", killed.path(), file}, &out), 0) << out;
  // Part of the input was stored before a kill; the last run stores the rest.
  EXPECT_EQ(out.find("duplicates: 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("conflicts:  0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("invalid:    0\n"), std::string::npos) << out;
  if (second == 128 + SIGKILL) {
    EXPECT_EQ(out.find("created:    0\n"), std::string::npos) << out;
  }

  const std::vector<std::string> expected = Answers(reference.path());
  const std::vector<std::string> got = Answers(killed.path());
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_GT(expected[i].size(), 100u) << i << ": " << expected[i];
    EXPECT_TRUE(got[i] == expected[i]) << "answer " << i << " differs";
  }
}

}  // namespace
}  // namespace spinlog::e2e
