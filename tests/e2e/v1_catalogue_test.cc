// The catalogue by id and its lists over real HTTP: /api/v1/performers/{id},
// /api/v1/songs/{id}, and /api/v1/channels|performers|songs a page at a time
// in both sorts, with filters, every error path, and paging while records
// are being created.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

struct Item {
  std::uint64_t id = 0;
  std::string name;  // a song's title
  bool operator==(const Item&) const = default;
};

struct Page {
  std::vector<Item> items;
  std::string next;  // "" when null
};

class V1Catalogue : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }

  void Add(const std::string& path, const std::vector<std::pair<std::string, std::string>>& form) {
    ASSERT_EQ(Post(server_.port(), path, Form(form)).status, 200);
  }
  // One page of `kind` ("channels", ...) at `query`; fails the test on errors.
  Page Fetch(const std::string& kind, const std::string& query) {
    const HttpResponse r = Get(server_.port(), "/api/v1/" + kind + "?" + query);
    EXPECT_EQ(r.status, 200) << query << "\n" << r.body;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
    EXPECT_FALSE(r.Header("ETag").empty());
    Page page;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.body).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << r.body;
      return page;
    }
    const char* name_key = kind == "songs" ? "title" : "name";
    for (simdjson::dom::element item : doc[kind].get_array()) {
      page.items.push_back({item["id"].get_uint64().value(),
                            std::string(item[name_key].get_string().value())});
    }
    if (!doc["next"].is_null()) page.next = std::string(doc["next"].get_string().value());
    return page;
  }
  // Every item of a list, following `next` with `limit` items per page.
  std::vector<Item> All(const std::string& kind, const std::string& query, int limit) {
    std::vector<Item> all;
    std::string cursor;
    for (int pages = 0; pages < 10'000; ++pages) {
      const Page page = Fetch(kind, query + "&limit=" + std::to_string(limit) +
                                        (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_LE(page.items.size(), static_cast<std::size_t>(limit));
      all.insert(all.end(), page.items.begin(), page.items.end());
      if (page.next.empty()) break;
      cursor = page.next;
    }
    return all;
  }
  // The status and body of a GET.
  HttpResponse Bad(const std::string& target) { return Get(server_.port(), target); }

  TempDir dir_;
  ServerProcess server_;
};

TEST_F(V1Catalogue, PerformersAndSongsById) {
  Add("/add_song", {{"performer", "Anna Ek"}, {"title", "Harbour"}});
  HttpResponse performer = Get(server_.port(), "/api/v1/performers/1");
  EXPECT_EQ(performer.status, 200);
  EXPECT_EQ(performer.body,
            R"({"id":1,"name":"Anna Ek","country":null,"description":null,)"
            R"("date_of_birth":null,"website":null,"picture_url":null})");
  EXPECT_EQ(performer.Header("Cache-Control"), "no-cache");
  const HttpResponse song = Get(server_.port(), "/api/v1/songs/1");
  EXPECT_EQ(song.body, R"({"id":1,"title":"Harbour","performer":{"id":1,"name":"Anna Ek"},)"
                       R"("duration":null,"release":null,"isrc":null})");
  EXPECT_EQ(song.Header("Cache-Control"), "no-cache");
  // Conditional GET: the ETag gives a 304.
  HttpConnection connection(server_.port());
  const HttpResponse again = connection.RequestWithHeaders(
      "GET", "/api/v1/songs/1", {"If-None-Match: " + song.Header("ETag")});
  EXPECT_EQ(again.status, 304);
  for (const char* target : {"/api/v1/performers/2", "/api/v1/songs/9", "/api/v1/songs/x",
                             "/api/v1/performers/0", "/api/v1/songs/4294967296"}) {
    const HttpResponse missing = Bad(target);
    EXPECT_EQ(missing.status, 404) << target;
    EXPECT_NE(missing.body.find(R"({"error":{"status":404,"code":"not_found")"), std::string::npos)
        << missing.body;
  }
  EXPECT_NE(Bad("/api/v1/songs/9").body.find("no song has id 9"), std::string::npos);
}

TEST_F(V1Catalogue, ListsPageThroughEveryItemInBothSorts) {
  const std::vector<std::string> names = {"Nova", "Alfa", "Mix 2", "beta", "Mix 1", "\xC3\x85land",
                                          "Zulu", "Mix 10", "Echo"};
  for (const std::string& name : names) {
    Add("/add_channel", {{"name", name}});
    Add("/add_performer", {{"name", name}});
  }
  for (const std::string& name : names) {
    Add("/add_song", {{"performer", "Solo"}, {"title", name}});
    Add("/add_song", {{"performer", "Duo"}, {"title", name + " (duo)"}});
  }
  std::vector<Item> by_id;
  for (std::size_t i = 0; i < names.size(); ++i) by_id.push_back({i + 1, names[i]});
  std::vector<Item> by_name = by_id;
  std::sort(by_name.begin(), by_name.end(),
            [](const Item& a, const Item& b) { return a.name < b.name; });
  for (int limit : {1, 2, 4, 100}) {
    EXPECT_EQ(All("channels", "sort=id", limit), by_id) << limit;
    EXPECT_EQ(All("channels", "sort=name", limit), by_name) << limit;
  }
  // Performers: the songs' performers Solo (10) and Duo (11) follow.
  std::vector<Item> performers = by_id;
  performers.push_back({10, "Solo"});
  performers.push_back({11, "Duo"});
  EXPECT_EQ(All("performers", "", 3), performers);
  EXPECT_EQ(All("performers", "sort=name&name_prefix=Mix", 1),
            (std::vector<Item>{{5, "Mix 1"}, {8, "Mix 10"}, {3, "Mix 2"}}));
  EXPECT_EQ(All("performers", "sort=id&name_prefix=Mix", 2),
            (std::vector<Item>{{3, "Mix 2"}, {5, "Mix 1"}, {8, "Mix 10"}}));
  EXPECT_EQ(All("channels", "name_prefix=Mix%201", 5),
            (std::vector<Item>{{5, "Mix 1"}, {8, "Mix 10"}}));
  // A decomposed prefix (A + combining ring) finds the NFC name.
  EXPECT_EQ(All("channels", "name_prefix=A%CC%8A", 5), (std::vector<Item>{{6, "\xC3\x85land"}}));
  EXPECT_EQ(All("channels", "name_prefix=Nothing", 5), std::vector<Item>{});

  // Songs: Solo's are 1, 3, 5, ...; Duo's 2, 4, 6, ...
  const std::vector<Item> songs = All("songs", "", 4);
  ASSERT_EQ(songs.size(), 2 * names.size());
  for (std::size_t i = 0; i < songs.size(); ++i) EXPECT_EQ(songs[i].id, i + 1);
  std::vector<Item> solo;
  for (std::size_t i = 0; i < names.size(); ++i) solo.push_back({2 * i + 1, names[i]});
  std::vector<Item> solo_by_title = solo;
  std::sort(solo_by_title.begin(), solo_by_title.end(),
            [](const Item& a, const Item& b) { return a.name < b.name; });
  EXPECT_EQ(All("songs", "performer_id=10", 2), solo);
  EXPECT_EQ(All("songs", "performer_id=10&sort=name", 2), solo_by_title);
  EXPECT_EQ(All("songs", "performer_id=11&sort=name&name_prefix=Mix%2010", 2),
            (std::vector<Item>{{16, "Mix 10 (duo)"}}));
  EXPECT_EQ(All("songs", "performer_id=99", 2), std::vector<Item>{});
  // Without performer_id: every song by (title, id), through the title index.
  std::vector<Item> all_by_title = All("songs", "", 100);
  std::stable_sort(all_by_title.begin(), all_by_title.end(),
                   [](const Item& a, const Item& b) { return a.name < b.name; });
  for (int limit : {1, 3, 100}) EXPECT_EQ(All("songs", "sort=name", limit), all_by_title) << limit;
  EXPECT_EQ(All("songs", "sort=name&name_prefix=Mix%201", 1),
            (std::vector<Item>{{9, "Mix 1"}, {10, "Mix 1 (duo)"}, {15, "Mix 10"},
                               {16, "Mix 10 (duo)"}}));
  EXPECT_EQ(All("songs", "sort=id&name_prefix=Mix%201", 3),
            (std::vector<Item>{{9, "Mix 1"}, {10, "Mix 1 (duo)"}, {15, "Mix 10"},
                               {16, "Mix 10 (duo)"}}));
  EXPECT_NE(Bad("/api/v1/songs?limit=1").body.find(
                R"("performer":{"id":10,"name":"Solo"})"),
            std::string::npos);
}

TEST_F(V1Catalogue, BadParametersAreRefusedNamingTheField) {
  Add("/add_channel", {{"name", "A"}});
  Add("/add_channel", {{"name", "B"}});
  const std::string by_id = Fetch("channels", "limit=1").next;
  const std::string by_name = Fetch("channels", "limit=1&sort=name").next;
  const std::string performers = Bad("/api/v1/performers?limit=1").body;
  ASSERT_FALSE(by_id.empty());
  ASSERT_FALSE(by_name.empty());
  struct Case {
    std::string target, field;
  } cases[] = {
      {"/api/v1/channels?limit=0", "limit"},
      {"/api/v1/channels?limit=1001", "limit"},
      {"/api/v1/performers?limit=ten", "limit"},
      {"/api/v1/channels?sort=size", "sort"},
      {"/api/v1/channels?country=XX", "country"},
      {"/api/v1/performers?country=SWE", "country"},
      {"/api/v1/songs?performer_id=x", "performer_id"},
      {"/api/v1/channels?name_prefix=%FF", "name_prefix"},
      {"/api/v1/channels?cursor=nonsense", "cursor"},
      {"/api/v1/channels?sort=name&cursor=" + by_id, "cursor"},
      {"/api/v1/channels?cursor=" + by_name, "cursor"},
      {"/api/v1/channels?sort=name&name_prefix=B&cursor=" + by_name, "cursor"},
      {"/api/v1/performers?cursor=" + by_id, "cursor"},
      {"/api/v1/songs?cursor=" + by_id, "cursor"},
  };
  for (const Case& c : cases) {
    const HttpResponse r = Bad(c.target);
    EXPECT_EQ(r.status, 400) << c.target << "\n" << r.body;
    EXPECT_NE(r.body.find(R"({"field":")" + c.field + "\""), std::string::npos)
        << c.target << "\n" << r.body;
  }
  // The cursor of a list goes on in the same list, whatever the limit.
  EXPECT_EQ(Fetch("channels", "limit=5&cursor=" + by_id).items, (std::vector<Item>{{2, "B"}}));
  EXPECT_EQ(Fetch("channels", "sort=name&cursor=" + by_name).items,
            (std::vector<Item>{{2, "B"}}));
}

// Pages through `kind` at `query` while another thread creates records with
// `create(n)`: every record that existed at the start is seen exactly once,
// and no record is seen twice.
TEST_F(V1Catalogue, PagingWhileRecordsAreCreatedNeitherSkipsNorRepeats) {
  for (int i = 0; i < 40; ++i) {
    Add("/add_channel", {{"name", "Ch " + std::to_string(i * 7 % 40)}});
    Add("/add_song", {{"performer", "P"}, {"title", "S " + std::to_string(i * 7 % 40)}});
  }
  const std::vector<Item> channels_before = All("channels", "sort=name", 1000);
  const std::vector<Item> songs_before = All("songs", "performer_id=1&sort=name", 1000);
  const std::vector<Item> all_songs_before = All("songs", "", 1000);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int n = 0; !stop; ++n) {
      // Names that sort before, among and after the existing ones.
      const char* const channels[] = {"Ah ", "Ch 1-", "Zh "};
      const char* const titles[] = {"R ", "S 1-", "T "};
      const std::string number = std::to_string(n);
      Post(server_.port(), "/add_channel", Form({{"name", channels[n % 3] + number}}));
      Post(server_.port(), "/add_song", Form({{"performer", "P"}, {"title", titles[n % 3] + number}}));
    }
  });
  const auto check = [](const std::vector<Item>& before, const std::vector<Item>& seen) {
    std::set<std::uint64_t> ids;
    for (const Item& item : seen) EXPECT_TRUE(ids.insert(item.id).second) << item.name;
    for (const Item& item : before) EXPECT_EQ(ids.count(item.id), 1u) << item.name;
  };
  for (int round = 0; round < 3; ++round) {
    check(channels_before, All("channels", "sort=name", 3));
    check(channels_before, All("channels", "sort=id", 3));
    check(songs_before, All("songs", "performer_id=1&sort=name", 3));
    check(all_songs_before, All("songs", "sort=name", 3));
    check(all_songs_before, All("songs", "", 3));
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace spinlog::e2e
