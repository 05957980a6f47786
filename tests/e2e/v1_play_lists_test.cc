// Lists of plays over real HTTP: /api/v1/channels|songs|performers/{id}/plays
// in both orders, the overlap rule of the window, pages that follow their
// cursor to the end, every error path, and paging while plays are added.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

class V1PlayLists : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log();
    // Channels A (1), B (2), C (3); songs X (1) and Y (2) by P (1), Z (3) by Q (2).
    Post({Play("A", "P", "X", "2024-03-01T10:00:00", "2024-03-01T10:03:00"),
          Play("B", "P", "X", "2024-03-01T10:00:00", "2024-03-01T10:04:00"),
          Play("A", "P", "Y", "2024-03-01T10:03:00", "2024-03-01T10:06:00"),
          Play("A", "Q", "Z", "2024-03-01T10:06:00", "2024-03-01T10:09:00"),
          Play("C", "P", "Y", "2024-03-01T23:00:00", "2024-03-02T01:00:00")});
  }

  static std::string Play(const std::string& channel, const std::string& performer,
                          const std::string& title, const std::string& start,
                          const std::string& end) {
    return R"({"channel":")" + channel + R"(","performer":")" + performer + R"(","title":")" +
           title + R"(","start":")" + start + R"(","end":")" + end + R"("})";
  }
  void Post(const std::vector<std::string>& plays) {
    std::string body;
    for (const std::string& play : plays) body += play + "\n";
    HttpResponse r = e2e::Post(server_.port(), "/api/v1/plays", body, "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  HttpResponse Get(const std::string& target) { return e2e::Get(server_.port(), target); }

  TempDir dir_;
  ServerProcess server_;
};

// "channel id@start" of each play of a list answer, in order.
std::vector<std::string> Keys(const std::string& body) {
  std::vector<std::string> keys;
  const std::string channel = R"({"channel":{"id":)";
  const std::string start = R"("start":")";
  for (std::size_t at = body.find(channel); at != std::string::npos;
       at = body.find(channel, at + 1)) {
    const std::size_t id = at + channel.size();
    const std::size_t time = body.find(start, id) + start.size();
    keys.push_back(body.substr(id, body.find(',', id) - id) + "@" + body.substr(time, 19));
  }
  return keys;
}

// The answer's `next` cursor; "" when it is null.
std::string Next(const std::string& body) {
  const std::string key = R"("next":")";
  const std::size_t at = body.find(key);
  if (at == std::string::npos) return "";
  const std::size_t from = at + key.size();
  return body.substr(from, body.find('"', from) - from);
}

// Every play of the list at `target` (which has a query string), following
// `next` with pages of `limit`; *pages counts the pages. `after_page` (if
// any) runs after each page.
std::vector<std::string> PageThrough(std::uint16_t port, const std::string& target, int limit,
                                     int* pages = nullptr,
                                     const std::function<void()>& after_page = nullptr) {
  std::vector<std::string> keys;
  std::string cursor;
  for (int page = 1; page <= 10'000; ++page) {
    const std::string url =
        target + "&limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor);
    HttpResponse r = Get(port, url);
    EXPECT_EQ(r.status, 200) << url << "\n" << r.body;
    if (r.status != 200) break;
    for (std::string& key : Keys(r.body)) keys.push_back(std::move(key));
    if (pages != nullptr) *pages = page;
    if (after_page) after_page();
    cursor = Next(r.body);
    if (cursor.empty()) break;
  }
  return keys;
}

TEST_F(V1PlayLists, AChannelsPlaysNewestFirstByDefault) {
  HttpResponse r = Get("/api/v1/channels/1/plays");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(
      r.body,
      R"({"plays":[{"channel":{"id":1,"name":"A"},"song":{"id":3,"title":"Z"},"performer":{"id":2,"name":"Q"},)"
      R"("start":"2024-03-01T10:06:00Z","end":"2024-03-01T10:09:00Z"},)"
      R"({"channel":{"id":1,"name":"A"},"song":{"id":2,"title":"Y"},"performer":{"id":1,"name":"P"},)"
      R"("start":"2024-03-01T10:03:00Z","end":"2024-03-01T10:06:00Z"},)"
      R"({"channel":{"id":1,"name":"A"},"song":{"id":1,"title":"X"},"performer":{"id":1,"name":"P"},)"
      R"("start":"2024-03-01T10:00:00Z","end":"2024-03-01T10:03:00Z"}],"next":null})");
  EXPECT_EQ(Keys(Get("/api/v1/channels/1/plays?order=oldest").body),
            (std::vector<std::string>{"1@2024-03-01T10:00:00", "1@2024-03-01T10:03:00",
                                      "1@2024-03-01T10:06:00"}));
  EXPECT_EQ(Get("/api/v1/channels/1/plays?order=newest").body, r.body);
}

TEST_F(V1PlayLists, SongAndPerformerPlaysSpanChannelsAndSongs) {
  // Plays at one start are ordered by channel id.
  EXPECT_EQ(Keys(Get("/api/v1/songs/1/plays?order=oldest").body),
            (std::vector<std::string>{"1@2024-03-01T10:00:00", "2@2024-03-01T10:00:00"}));
  EXPECT_EQ(Keys(Get("/api/v1/songs/1/plays").body),
            (std::vector<std::string>{"2@2024-03-01T10:00:00", "1@2024-03-01T10:00:00"}));
  EXPECT_EQ(Keys(Get("/api/v1/performers/1/plays").body),
            (std::vector<std::string>{"3@2024-03-01T23:00:00", "1@2024-03-01T10:03:00",
                                      "2@2024-03-01T10:00:00", "1@2024-03-01T10:00:00"}));
  HttpResponse q = Get("/api/v1/performers/2/plays?order=oldest");
  EXPECT_EQ(
      q.body,
      R"({"plays":[{"channel":{"id":1,"name":"A"},"song":{"id":3,"title":"Z"},"performer":{"id":2,"name":"Q"},)"
      R"("start":"2024-03-01T10:06:00Z","end":"2024-03-01T10:09:00Z"}],"next":null})");
}

TEST_F(V1PlayLists, TheWindowKeepsThePlaysThatOverlapIt) {
  // The play of C runs from 23:00 to 01:00 the next day.
  EXPECT_EQ(Keys(Get("/api/v1/channels/3/plays?from=2024-03-02&to=2024-03-03").body),
            std::vector<std::string>{"3@2024-03-01T23:00:00"});
  EXPECT_EQ(Keys(Get("/api/v1/channels/3/plays?from=2024-03-02T01:00:00Z&to=2024-03-03").body),
            std::vector<std::string>{});
  // X ends when the window opens and Z starts when it closes: neither overlaps.
  EXPECT_EQ(
      Keys(Get("/api/v1/channels/1/plays?from=2024-03-01T10:03:00&to=2024-03-01T10:06:00").body),
      std::vector<std::string>{"1@2024-03-01T10:03:00"});
  // Offsets are applied: 11:00:30+01:00 is 10:00:30Z.
  EXPECT_EQ(Keys(Get("/api/v1/performers/1/plays?to=2024-03-01T11:00:30%2B01:00").body),
            (std::vector<std::string>{"2@2024-03-01T10:00:00", "1@2024-03-01T10:00:00"}));
  EXPECT_EQ(Keys(Get("/api/v1/songs/2/plays?from=2024-03-01T10:05:00Z").body),
            (std::vector<std::string>{"3@2024-03-01T23:00:00", "1@2024-03-01T10:03:00"}));
}

TEST_F(V1PlayLists, PagesFollowTheCursorToTheEnd) {
  for (const std::string list : {"/api/v1/channels/1/plays", "/api/v1/songs/1/plays",
                                 "/api/v1/songs/2/plays", "/api/v1/performers/1/plays"}) {
    for (const std::string order : {"newest", "oldest"}) {
      const std::string target = list + "?order=" + order + "&from=2024-01-01";
      const std::vector<std::string> whole = Keys(Get(target + "&limit=1000").body);
      ASSERT_FALSE(whole.empty()) << target;
      for (int limit : {1, 2, 3}) {
        int pages = 0;
        EXPECT_EQ(PageThrough(server_.port(), target, limit, &pages), whole) << target;
        // No empty last page: a full page has a next only when more follow.
        EXPECT_EQ(pages, (static_cast<int>(whole.size()) + limit - 1) / limit) << target;
      }
    }
  }
}

TEST_F(V1PlayLists, ErrorsNameTheirFields) {
  const std::string first = Next(Get("/api/v1/channels/1/plays?limit=1").body);
  ASSERT_FALSE(first.empty());
  for (const std::string name : {"G1", "G2"}) {
    HttpConnection connection(server_.port());
    ASSERT_EQ(connection
                  .Request("POST", "/api/v1/channel-groups",
                           R"({"name":")" + name + R"(","channel_ids":[1]})", "application/json")
                  .status,
              201);
  }
  const std::string group_cursor = Next(Get("/api/v1/channel-groups?limit=1").body);
  ASSERT_FALSE(group_cursor.empty());
  const std::string foreign =
      R"x({"field":"cursor","problem":"belongs to another list of plays (other subject, window or order)"})x";
  struct Case {
    std::string target;
    int status;
    std::string problem;
  } cases[] = {
      {"/api/v1/channels/x/plays", 404, R"("message":"no channel has id 'x'")"},
      {"/api/v1/songs/0/plays", 404, R"("code":"not_found")"},
      {"/api/v1/performers/-1/plays", 404, R"("code":"not_found")"},
      {"/api/v1/channels/9/plays", 404, R"("message":"no channel has id 9")"},
      {"/api/v1/songs/9/plays?order=bad", 404, R"("message":"no song has id 9")"},
      {"/api/v1/performers/9/plays", 404, R"("message":"no performer has id 9")"},
      {"/api/v1/channels/1/plays?from=yesterday", 400,
       R"({"field":"from","problem":"'yesterday' is not a valid ISO 8601 datetime)"},
      {"/api/v1/songs/1/plays?to=2024-13-01", 400,
       R"({"field":"to","problem":"'2024-13-01' is not a valid ISO 8601 datetime)"},
      {"/api/v1/performers/1/plays?from=", 400, R"({"field":"from")"},
      {"/api/v1/channels/1/plays?from=2024-03-02&to=2024-03-01", 400,
       R"({"field":"to","problem":"must be after from"})"},
      {"/api/v1/channels/1/plays?from=2024-03-01&to=2024-03-01", 400,
       R"({"field":"to","problem":"must be after from"})"},
      {"/api/v1/channels/1/plays?limit=0", 400,
       R"({"field":"limit","problem":"must be a whole number from 1 to 1000, not '0'"})"},
      {"/api/v1/songs/1/plays?limit=1001", 400,
       R"({"field":"limit","problem":"must be a whole number from 1 to 1000, not '1001'"})"},
      {"/api/v1/performers/1/plays?limit=ten", 400, R"({"field":"limit")"},
      {"/api/v1/channels/1/plays?order=random", 400,
       R"({"field":"order","problem":"must be newest or oldest, not 'random'"})"},
      {"/api/v1/channels/1/plays?order=Newest", 400, R"({"field":"order")"},
      {"/api/v1/channels/1/plays?cursor=garbage", 400,
       R"({"field":"cursor","problem":"is not a cursor of a list of plays"})"},
      {"/api/v1/channels/1/plays?cursor=" + group_cursor, 400,
       R"({"field":"cursor","problem":"is not a cursor of a list of plays"})"},
      {"/api/v1/channels/1/plays?cursor=" + first.substr(0, 30), 400,
       R"({"field":"cursor","problem":"is not a cursor)"},
      {"/api/v1/channels/2/plays?cursor=" + first, 400, foreign},
      {"/api/v1/channels/1/plays?order=oldest&cursor=" + first, 400, foreign},
      {"/api/v1/channels/1/plays?from=2024-03-01&cursor=" + first, 400, foreign},
      {"/api/v1/songs/1/plays?cursor=" + first, 400, foreign},
      {"/api/v1/performers/1/plays?cursor=" + first, 400, foreign},
      {"/api/v1/channels/1/plays?order=oldest&cursor=x&limit=0", 400,
       R"({"field":"limit","problem":"must be a whole number from 1 to 1000, not '0'"},{"field":"cursor",)"},
      {"/api/v1/channels/1/plays?order=x&limit=0&to=never", 400,
       R"x("fields":[{"field":"to","problem":"'never' is not a valid ISO 8601 datetime (expected YYYY-MM-DD)"},)x"
       R"({"field":"order","problem":"must be newest or oldest, not 'x'"},{"field":"limit",)"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target << "\n" << r.body;
    EXPECT_NE(r.body.find(c.problem), std::string::npos) << c.target << "\n" << r.body;
    EXPECT_EQ(r.body.rfind(R"({"error":{"status":)", 0), 0u) << c.target << "\n" << r.body;
  }
  // The same cursor on its own list goes on; a changed limit is the same list.
  HttpResponse second = Get("/api/v1/channels/1/plays?limit=5&cursor=" + first);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Keys(second.body),
            (std::vector<std::string>{"1@2024-03-01T10:03:00", "1@2024-03-01T10:00:00"}));
  HttpConnection connection(server_.port());
  HttpResponse post =
      connection.Request("POST", "/api/v1/channels/1/plays", "{}", "application/json");
  EXPECT_EQ(post.status, 405) << post.body;
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
}

// A writer adds plays all over the paged range while a reader pages through
// it: every play stored before the reader began shows up exactly once, and
// the order never steps back, whatever the writer adds in between.
TEST_F(V1PlayLists, PagingWhilePlaysAreAddedNeitherSkipsNorRepeats) {
  // Seeds: every 4 minutes on A and B (ties at each start), songs X and Y by P.
  std::vector<std::string> seed;
  std::map<std::string, std::set<std::string>> seeded;  // list -> keys present at the start
  auto at = [](int minutes) {
    char text[32];
    std::snprintf(text, sizeof(text), "2024-04-01T%02d:%02d:00", minutes / 60, minutes % 60);
    return std::string(text);
  };
  for (int i = 0; i < 150; ++i) {
    for (int channel = 1; channel <= 2; ++channel) {
      const std::string title = (i + channel) % 2 ? "X" : "Y";
      seed.push_back(Play(channel == 1 ? "A" : "B", "P", title, at(4 * i), at(4 * i + 2)));
      const std::string key = std::to_string(channel) + "@" + at(4 * i);
      if (channel == 1) seeded["/api/v1/channels/1/plays"].insert(key);
      seeded[title == "X" ? "/api/v1/songs/1/plays" : "/api/v1/songs/2/plays"].insert(key);
      seeded["/api/v1/performers/1/plays"].insert(key);
    }
  }
  Post(seed);

  // New plays two minutes after each seed, in random order, a few per request.
  std::vector<std::string> added;
  for (int i = 0; i < 150; ++i) {
    for (const char* channel : {"A", "B"}) {
      added.push_back(Play(channel, "P", i % 3 ? "X" : "Y", at(4 * i + 2), at(4 * i + 3)));
    }
  }
  std::shuffle(added.begin(), added.end(), std::mt19937(5));
  // The reader lets the writer post a batch after each page it reads, and
  // reads the next page while that post runs; before the one after, it waits
  // for the batch to be stored. So writes land between every two pages.
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t pages_read = 0;
  std::size_t batches_posted = 0;
  bool reading = true;
  constexpr std::size_t kBatch = 2;
  std::thread writer([&] {
    for (std::size_t i = 0; i < added.size(); i += kBatch) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !reading || pages_read > batches_posted; });
        if (!reading) return;
      }
      std::string body;
      for (std::size_t j = i; j < std::min(added.size(), i + kBatch); ++j) body += added[j] + "\n";
      EXPECT_EQ(e2e::Post(server_.port(), "/api/v1/plays", body, "application/x-ndjson").status,
                200);
      std::lock_guard lock(mutex);
      ++batches_posted;
      changed.notify_all();
    }
  });
  const auto after_page = [&] {
    std::unique_lock lock(mutex);
    ++pages_read;
    changed.notify_all();
    const std::size_t batches = (added.size() + kBatch - 1) / kBatch;
    changed.wait(lock, [&] { return batches_posted + 1 >= std::min(pages_read, batches); });
  };
  std::size_t fresh_seen = 0;  // plays the writer added that pages showed
  for (const auto& [list, keys] : seeded) {
    for (const std::string order : {"newest", "oldest"}) {
      const std::string target = list + "?order=" + order + "&from=2024-04-01&to=2024-04-02";
      const std::vector<std::string> seen =
          PageThrough(server_.port(), target, 7, nullptr, after_page);
      // Keys are "id@time": time, then id, is the list's order.
      auto position = [](const std::string& key) {
        const std::size_t at_sign = key.find('@');
        return std::make_pair(key.substr(at_sign + 1), std::stoi(key.substr(0, at_sign)));
      };
      for (std::size_t i = 1; i < seen.size(); ++i) {
        const bool in_order = order == "oldest" ? position(seen[i - 1]) < position(seen[i])
                                                : position(seen[i - 1]) > position(seen[i]);
        EXPECT_TRUE(in_order) << target << ": " << seen[i - 1] << " then " << seen[i];
      }
      std::map<std::string, int> count;
      for (const std::string& key : seen) ++count[key];
      for (const std::string& key : keys) {
        EXPECT_EQ(count[key], 1) << target << ": " << key;
      }
      for (const std::string& key : seen) fresh_seen += keys.count(key) == 0 ? 1 : 0;
    }
  }
  {
    std::lock_guard lock(mutex);
    reading = false;
    changed.notify_all();
  }
  writer.join();
  EXPECT_EQ(batches_posted, (added.size() + kBatch - 1) / kBatch) << "every write lands mid-paging";
  EXPECT_GT(fresh_seen, 0u) << "writes should land ahead of the cursor too";
}

}  // namespace
}  // namespace spinlog::e2e
