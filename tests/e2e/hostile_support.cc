#include "e2e/hostile_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "e2e/hostile_error_body.h"

namespace spinlog::e2e::hostile {
namespace {

// The known dataset: the writes that store it, and the reads that must answer
// exactly it.

struct KnownRead {
  std::string target;
  std::string result;  // the exact "result" JSON
};

const std::vector<std::pair<std::string, Fields>>& DatasetWrites() {
  static const auto* writes = new std::vector<std::pair<std::string, Fields>>{
      {"/add_channel", {{"name", "Channel1"}}},
      {"/add_channel", {{"name", "Channel2"}}},
      {"/add_song", {{"title", "Song1"}, {"performer", "Performer1"}}},
      {"/add_song", {{"title", "Song2"}, {"performer", "Performer2"}}},
      {"/add_play",
       Play("Channel1", "Performer1", "Song1", "2014-01-01T01:00:00", "2014-01-01T01:10:00")},
      {"/add_play",
       Play("Channel1", "Performer2", "Song2", "2014-01-02T10:00:00", "2014-01-02T10:04:00")},
      {"/add_play",
       Play("Channel2", "Performer1", "Song1", "2014-01-03T12:00:00", "2014-01-03T12:10:00")},
      {"/add_play",
       Play("Channel1", "Performer1", "Song1", "2014-01-08T09:00:00", "2014-01-08T09:10:00")},
      {"/add_play",
       Play("Channel2", "Performer2", "Song2", "2014-01-09T09:00:00", "2014-01-09T09:04:00")},
  };
  return *writes;
}

std::string Query(const Fields& fields) {
  std::string query = "?";
  query += Form(fields);
  return query;
}

const std::vector<KnownRead>& KnownReads() {
  static const auto* reads = new std::vector<KnownRead>{
      {"/get_channel_plays" +
           Query({{"channel", "Channel1"}, {"start", "2013-12-01"}, {"end", "2015-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"},)"
       R"({"performer":"Performer2","title":"Song2","start":"2014-01-02T10:00:00","end":"2014-01-02T10:04:00"},)"
       R"({"performer":"Performer1","title":"Song1","start":"2014-01-08T09:00:00","end":"2014-01-08T09:10:00"}])"},
      {"/get_channel_plays" +
           Query({{"channel", "Channel2"}, {"start", "2013-12-01"}, {"end", "2015-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","start":"2014-01-03T12:00:00","end":"2014-01-03T12:10:00"},)"
       R"({"performer":"Performer2","title":"Song2","start":"2014-01-09T09:00:00","end":"2014-01-09T09:04:00"}])"},
      {"/get_song_plays" + Query({{"title", "Song1"},
                                  {"performer", "Performer1"},
                                  {"start", "2013-12-01"},
                                  {"end", "2015-01-01"}}),
       R"([{"channel":"Channel1","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"},)"
       R"({"channel":"Channel2","start":"2014-01-03T12:00:00","end":"2014-01-03T12:10:00"},)"
       R"({"channel":"Channel1","start":"2014-01-08T09:00:00","end":"2014-01-08T09:10:00"}])"},
      {"/get_song_plays" + Query({{"title", "Song2"},
                                  {"performer", "Performer2"},
                                  {"start", "2013-12-01"},
                                  {"end", "2015-01-01"}}),
       R"([{"channel":"Channel1","start":"2014-01-02T10:00:00","end":"2014-01-02T10:04:00"},)"
       R"({"channel":"Channel2","start":"2014-01-09T09:00:00","end":"2014-01-09T09:04:00"}])"},
      {"/get_top" + Query({{"channels", R"(["Channel1","Channel2"])"}, {"start", "2014-01-08"}}),
       R"([{"performer":"Performer1","title":"Song1","rank":0,"previous_rank":0,"plays":1,"previous_plays":2},)"
       R"({"performer":"Performer2","title":"Song2","rank":1,"previous_rank":1,"plays":1,"previous_plays":1}])"},
      {"/get_top" + Query({{"channels", R"(["Channel1","Channel2"])"}, {"start", "2014-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","rank":0,"previous_rank":null,"plays":2,"previous_plays":0},)"
       R"({"performer":"Performer2","title":"Song2","rank":1,"previous_rank":null,"plays":1,"previous_plays":0}])"},
      {"/get_top" + Query({{"channels", R"(["Channel2"])"}, {"start", "2014-01-05"}}),
       R"([{"performer":"Performer2","title":"Song2","rank":0,"previous_rank":null,"plays":1,"previous_plays":0}])"},
  };
  return *reads;
}

// Targets that must answer 404: every ghost name was only ever rejected.
std::vector<std::string> GhostReads() {
  const std::string window = "&start=2013-12-01&end=2015-01-01";
  std::vector<std::string> reads;
  for (const char* channel :
       {kGhostChannel, "Ghost A", "Ghost B", "channel1", "Channel1 Channel2"}) {
    reads.push_back("/get_channel_plays?channel=" + UrlEncode(channel) + window);
    reads.push_back("/get_top?start=2014-01-08&channels=" +
                    UrlEncode(std::string("[\"") + channel + "\"]"));
  }
  for (const auto& [performer, title] :
       std::vector<std::pair<std::string, std::string>>{{kGhostPerformer, kGhostSong},
                                                        {"Performer1", kGhostSong},
                                                        {kGhostPerformer, "Song1"},
                                                        {"Performer1", "Song2"}}) {
    reads.push_back("/get_song_plays?" + Form({{"title", title}, {"performer", performer}}) +
                    window);
  }
  return reads;
}

}  // namespace

TempDir* HostileRequests::dir_ = nullptr;
ServerProcess* HostileRequests::server_ = nullptr;
std::string HostileRequests::start_error_;

void HostileRequests::SetUpTestSuite() {
  dir_ = new TempDir();
  server_ = new ServerProcess();
  if (!server_->Start(dir_->path())) {
    start_error_ = "server did not start: " + server_->Log();
    return;
  }
  for (const auto& [path, fields] : DatasetWrites()) {
    HttpResponse r = Post(server_->port(), path, Form(fields));
    if (r.status != 200) {
      start_error_ = "storing the dataset failed at " + path + " " + Form(fields) + ": " +
                     std::to_string(r.status) + " " + r.body;
      return;
    }
  }
}

void HostileRequests::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
  delete dir_;
  dir_ = nullptr;
}

void HostileRequests::SetUp() {
  ASSERT_TRUE(start_error_.empty()) << start_error_;
  ExpectStoredDataUnchanged("before the cases of this test (an earlier test changed it)");
}

void HostileRequests::TearDown() { ExpectStoredDataUnchanged("after the cases of this test"); }

void HostileRequests::ExpectStoredDataUnchanged(const std::string& when) {
  SCOPED_TRACE("stored data checked " + when);
  for (const KnownRead& read : KnownReads()) {
    HttpResponse r = Get(port(), read.target);
    EXPECT_EQ(r.status, 200) << read.target << "\n" << r.body;
    EXPECT_EQ(r.body, "{\"code\":0,\"result\":" + read.result + "}") << read.target;
  }
  for (const std::string& target : GhostReads()) {
    HttpResponse r = Get(port(), target);
    EXPECT_EQ(r.status, 404) << target << " must not exist, got: " << r.body;
  }
}

HttpResponse HostileRequests::Send(const Case& c, bool* hung) {
  *hung = false;
  HttpConnection connection(port());
  if (!connection.connected()) return {};
  if (!c.method.empty()) return connection.Request(c.method, c.target, c.body, c.content_type);
  if (!connection.SendRaw(c.raw) || c.hang_up) return {};
  constexpr int kTimeoutMs = 3000;
  const auto begin = std::chrono::steady_clock::now();
  HttpResponse r = connection.ReadResponse(kTimeoutMs);
  const auto waited = std::chrono::steady_clock::now() - begin;
  *hung = r.status == kClosed && waited >= std::chrono::milliseconds(kTimeoutMs);
  return r;
}

std::vector<std::string> HostileRequests::ReadEverything() {
  std::vector<std::string> answers;
  for (const KnownRead& read : KnownReads()) {
    HttpResponse r = Get(port(), read.target);
    answers.push_back(std::to_string(r.status) + " " + read.target + " " + r.body);
  }
  for (const std::string& target : GhostReads()) {
    HttpResponse r = Get(port(), target);
    answers.push_back(std::to_string(r.status) + " " + target + " " + r.body);
  }
  return answers;
}

void HostileRequests::RunCases(const std::vector<Case>& cases) {
  std::vector<std::string> before = ReadEverything();
  for (const Case& c : cases) {
    std::string request = c.method.empty() ? c.raw.substr(0, 160)
                                           : c.method + " " + c.target.substr(0, 160) + " [" +
                                                 c.body.substr(0, 160) + "]";
    SCOPED_TRACE("case '" + c.name + "': " + request);
    bool hung = false;
    HttpResponse r = Send(c, &hung);
    EXPECT_FALSE(hung) << "the server neither answered nor closed the connection";
    EXPECT_NE(std::find(c.statuses.begin(), c.statuses.end(), r.status), c.statuses.end())
        << "unexpected status " << r.status
        << (r.status == kClosed ? " (closed without answer)" : "") << ": " << r.body.substr(0, 500);
    if (r.status != kClosed) ExpectErrorBody(c, r);
    HttpResponse alive = Get(port(), KnownReads()[0].target);
    ASSERT_EQ(alive.status, 200) << "the server stopped serving after this case\n"
                                 << server_->Log();
    EXPECT_EQ(alive.body, "{\"code\":0,\"result\":" + KnownReads()[0].result + "}");
    std::vector<std::string> after = ReadEverything();
    for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
      EXPECT_EQ(after[i], before[i]) << "this rejected request changed what a read answers";
    }
    before = std::move(after);
  }
}

}  // namespace spinlog::e2e::hostile
