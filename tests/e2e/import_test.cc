// `spinlog import` as a user runs it: NDJSON, CSV and stdin inputs, the
// summary, idempotent re-runs, bad records by file and line, conflicts, and
// the refusals (a data directory in use, a missing file, bad flags). The
// imported plays are checked through a server started on the directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

int CountLines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// "2020-01-01T01:05:00" for minute 65 of 2020-01-01.
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

// `n` plays on each of `channels`, 3 minutes each, back to back, 5 titles.
std::string Plays(int channels, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < channels; ++c) {
      text += PlayJson("C" + std::to_string(c), "Song " + std::to_string((i * 7 + c) % 5), i * 3);
    }
  }
  return text;
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

std::string ChannelPlays(std::uint16_t port, const std::string& channel) {
  return Get(port, "/get_channel_plays?channel=" + UrlEncode(channel) +
                       "&start=2019-12-01&end=2020-03-01")
      .body;
}

class Import : public ::testing::Test {
 protected:
  std::string File(const std::string& name, const std::string& content) {
    const std::string path = files_.path() + "/" + name;
    WriteFile(path, content);
    return path;
  }
  int RunImport(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> full{"import", "--data", data_.path()};
    full.insert(full.end(), args.begin(), args.end());
    return RunSpinlog(full, out);
  }
  TempDir files_;
  TempDir data_;
};

TEST_F(Import, NdjsonPlaysAreStoredOnceAndCountedInCharts) {
  const std::string path = File("plays.ndjson", Plays(3, 40));
  std::string out;
  ASSERT_EQ(RunImport({path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 120) << out;
  EXPECT_EQ(Counted(out, "duplicates"), 0) << out;
  EXPECT_EQ(Counted(out, "invalid"), 0) << out;
  EXPECT_NE(out.find("imported 120 records from 1 file"), std::string::npos) << out;
  EXPECT_NE(out.find("plays/s"), std::string::npos) << out;

  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  for (const char* channel : {"C0", "C1", "C2"}) {
    EXPECT_EQ(Occurrences(ChannelPlays(server.port(), channel), "\"start\":"), 40) << channel;
  }
  HttpResponse top =
      Get(server.port(), "/get_top?channels=%5B%22C0%22,%22C1%22,%22C2%22%5D&start=2020-01-01");
  ASSERT_EQ(top.status, 200) << top.body;
  // 5 titles share 120 plays: 24 each.
  EXPECT_EQ(Occurrences(top.body, "\"plays\":24,"), 5) << top.body;
}

TEST_F(Import, CsvWithQuotedFieldsAndCrLf) {
  const std::string path =
      File("plays.csv",
           "\xEF\xBB\xBF"
           "channel,performer,title,start,end,comment\r\n"
           "Radio 1,\"Earth, Wind & Fire\",\"Say "
           "\"\"Hi\"\"\",2020-01-01T00:00:00,2020-01-01T00:03:00,x\r\n"
           "Radio 1,P\u00eaformer,\"Two\r\nLines\",2020-01-01T00:03:00Z,2020-01-01T00:06:00,\r\n"
           ",,,,,\r\n"
           "Radio 1,P,T,2020-01-01T00:06:00,2020-01-01T00:09:00,\r\n");
  std::string out;
  ASSERT_EQ(RunImport({path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 3) << out;
  EXPECT_EQ(Counted(out, "invalid"), 0) << out;

  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  const std::string plays = ChannelPlays(server.port(), "Radio 1");
  EXPECT_NE(
      plays.find(
          R"({"performer":"Earth, Wind & Fire","title":"Say \"Hi\"","start":"2020-01-01T00:00:00","end":"2020-01-01T00:03:00"})"),
      std::string::npos)
      << plays;
  EXPECT_NE(plays.find("\"title\":\"Two\\r\\nLines\""), std::string::npos) << plays;
  EXPECT_EQ(Occurrences(plays, "\"start\":"), 3) << plays;
}

TEST_F(Import, StandardInputNdjsonAndCsv) {
  const std::string ndjson = File("in.ndjson", Plays(1, 10));
  std::string out;
  ASSERT_EQ(RunSpinlogWithInput({"import", "--data", data_.path(), "-"}, ndjson, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 10) << out;

  const std::string csv = File("in.csv",
                               "start,end,channel,performer,title\n"
                               "2020-02-01T00:00:00,2020-02-01T00:03:00,C0,P,Csv song\n");
  ASSERT_EQ(
      RunSpinlogWithInput({"import", "--data", data_.path(), "--format", "csv", "-"}, csv, &out), 0)
      << out;
  EXPECT_EQ(Counted(out, "created"), 1) << out;

  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  EXPECT_EQ(Occurrences(ChannelPlays(server.port(), "C0"), "\"start\":"), 11);
}

TEST_F(Import, RunningTheSameImportAgainCreatesNothing) {
  const std::string path = File("plays.jsonl", Plays(2, 30));
  std::string out;
  ASSERT_EQ(RunImport({path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 60) << out;
  ASSERT_EQ(RunImport({path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 0) << out;
  EXPECT_EQ(Counted(out, "duplicates"), 60) << out;
  EXPECT_EQ(Counted(out, "conflicts"), 0) << out;

  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  EXPECT_EQ(Occurrences(ChannelPlays(server.port(), "C1"), "\"start\":"), 30);
  HttpResponse top =
      Get(server.port(), "/get_top?channels=%5B%22C0%22,%22C1%22%5D&start=2020-01-01");
  EXPECT_EQ(Occurrences(top.body, "\"plays\":12,"), 5) << top.body;
}

TEST_F(Import, InvalidRecordsAreListedByLineAndTheRestIsStored) {
  const std::string path = File(
      "mixed.ndjson",
      PlayJson("C", "Good 1", 0) +                      // line 1
          "{\"channel\":\"C\",\"performer\":\"P\"\n" +  // 2: bad JSON
          R"({"channel":"C","performer":"P","title":"T","start":"yesterday","end":"2020-01-01T00:09:00"})"
          "\n" +
          "\n" +  // 4: blank
          R"({"channel":"C","performer":"P","title":"T","start":"2020-01-01T00:10:00","end":"2020-01-01T00:09:00"})"
          "\n" +
          R"({"channel_id":999,"performer":"P","title":"T","start":"2020-01-01T00:20:00","end":"2020-01-01T00:21:00"})"
          "\n" +
          "{\"channel\":\"C\",\"performer\":\"\xff\",\"title\":\"T\",\"start\":\"2020-01-01T00:30:"
          "00\",\"end\":\"2020-01-01T00:31:00\"}\n" +
          R"({"channel":"C","title":"T","start":"2020-01-01T00:40:00","end":"2020-01-01T00:41:00"})"
          "\n" +
          PlayJson("C", "Good 2", 50));  // line 9
  std::string out;
  ASSERT_EQ(RunImport({path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 2) << out;
  EXPECT_EQ(Counted(out, "invalid"), 6) << out;
  EXPECT_NE(out.find("invalid records (6):"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":2: item: is not valid JSON"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":3: start: 'yesterday'"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":5: end: "), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":6: channel_id: no channel has id 999"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":7: item: is not valid JSON"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":8: performer: missing"), std::string::npos) << out;
  EXPECT_NE(out.find("6 records were not stored"), std::string::npos) << out;

  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  const std::string plays = ChannelPlays(server.port(), "C");
  EXPECT_EQ(Occurrences(plays, "\"start\":"), 2) << plays;
  EXPECT_NE(plays.find("Good 2"), std::string::npos) << plays;
}

TEST_F(Import, OnlyTheFirstTwentyProblemsAreListed) {
  std::string content;
  for (int i = 0; i < 25; ++i) content += "not json\n";
  const std::string csv_path = File("bad.csv", "channel,performer,title,start,end\nC,P,T,x,y\n");
  const std::string path = File("bad.ndjson", content);
  std::string out;
  ASSERT_EQ(RunImport({path, csv_path}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "invalid"), 26) << out;
  EXPECT_NE(out.find("invalid records (first 20 of 26):"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":20: "), std::string::npos) << out;
  EXPECT_EQ(out.find(path + ":21: "), std::string::npos) << out;
  EXPECT_NE(out.find("  ... and 6 more\n"), std::string::npos) << out;
  EXPECT_NE(out.find("from 2 files"), std::string::npos) << out;
}

TEST_F(Import, ConflictsAreReportedWithWhatIsStored) {
  std::string out;
  ASSERT_EQ(RunImport({File("first.ndjson", PlayJson("C", "Stored", 0))}, &out), 0) << out;
  const std::string second = File("second.ndjson", PlayJson("C", "Other", 0) +       // line 1
                                                       PlayJson("C", "New", 10) +    // line 2
                                                       PlayJson("C", "Clash", 10));  // line 3
  ASSERT_EQ(RunImport({second}, &out), 0) << out;
  EXPECT_EQ(Counted(out, "created"), 1) << out;
  EXPECT_EQ(Counted(out, "conflicts"), 2) << out;
  EXPECT_NE(out.find(second + ":1: channel 'C' already has a play starting at 2020-01-01T00:00:00: "
                              "'Stored' by 'P' until 2020-01-01T00:03:00"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(second + ":3: channel 'C' already has a play starting at 2020-01-01T00:10:00: "
                              "'New' by 'P'"),
            std::string::npos)
      << out;
}

TEST_F(Import, DataDirectoryOfARunningServerIsRefused) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(data_.path())) << server.Log();
  std::string out;
  EXPECT_EQ(RunImport({File("p.ndjson", Plays(1, 1))}, &out), 1) << out;
  EXPECT_EQ(out,
            "spinlog: data directory " + data_.path() + " is in use by another spinlog process\n");
}

TEST_F(Import, MissingFileFailsNamingItAndImportsNothing) {
  const std::string good = File("good.ndjson", Plays(1, 1));
  const std::string missing = files_.path() + "/missing.ndjson";
  std::string out;
  EXPECT_EQ(RunImport({good, missing}, &out), 1) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find(missing), std::string::npos) << out;
  EXPECT_NE(out.find("No such file"), std::string::npos) << out;
  // Inputs are opened before the store: nothing was written.
  EXPECT_TRUE(std::filesystem::is_empty(data_.path()));
}

TEST_F(Import, DirectoryAsInputFailsNamingIt) {
  std::string out;
  EXPECT_EQ(RunImport({files_.path()}, &out), 1) << out;
  EXPECT_EQ(out, "spinlog: " + files_.path() + " is a directory\n");
}

TEST_F(Import, UnusableCsvHeaderStopsTheImportAfterWhatCameBefore) {
  const std::string good = File("good.ndjson", Plays(1, 5));
  const std::string path = File("noheader.csv", "C,P,T,2020-01-01T00:00:00,2020-01-01T00:03:00\n");
  std::string out;
  EXPECT_EQ(RunImport({good, path}, &out), 1) << out;
  EXPECT_NE(out.find("spinlog: " + path + ":1: the CSV header must name"), std::string::npos)
      << out;
  // The plays of the first file are stored, and the summary says so.
  EXPECT_EQ(Counted(out, "created"), 5) << out;
}

TEST_F(Import, BadFlagsExitWithTwo) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"import", "--format", "xml", "x.xml"}, &out), 2) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_EQ(RunSpinlog({"import"}, &out), 2) << out;
  EXPECT_EQ(RunSpinlog({"import", "--no-such-flag", "x"}, &out), 2) << out;
}

TEST_F(Import, HelpDescribesTheCommand) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"--help"}, &out), 0);
  EXPECT_NE(out.find("import"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"import", "--help"}, &out), 0);
  for (const char* word : {"--data", "--format", "ndjson", "csv", "standard input"}) {
    EXPECT_NE(out.find(word), std::string::npos) << word << "\n" << out;
  }
}

}  // namespace
}  // namespace spinlog::e2e
