// Crash test: clients post plays concurrently (classic add_play, v1 single
// objects, v1 JSON arrays and NDJSON batches, with re-sends of plays sent in
// earlier rounds) while the server is killed with SIGKILL at a random moment,
// round after round on one data directory. After the last kill, every play
// that was ever answered created or duplicate must be stored exactly once with
// its song, nothing that was never sent may be stored, and the weekly charts
// must count exactly the stored plays.
//
// The seed is printed on failure; SPINLOG_CRASH_SEED=<n> replays its choices
// (the kill moments depend on timing all the same).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr int kRounds = 24;  // kills; the requirement is at least 20
// Load before each kill, in milliseconds.
constexpr int kMinLoadMs = 50;
constexpr int kMaxLoadMs = 400;
// Bounds per client and round: requests, and time in case the kill never
// reaches a client (it normally ends within milliseconds of the kill).
constexpr int kMaxRequestsPerRound = kSanitized ? 150 : 400;
constexpr auto kRoundDeadline = std::chrono::seconds(20);
// Plays per batch request (JSON array or NDJSON).
constexpr int kMinBatch = 50;
constexpr int kMaxBatch = kSanitized ? 120 : 200;
constexpr std::size_t kMaxReportedProblems = 20;

// Play i of every channel starts at kBase + i * kSpacing and lasts kLength.
constexpr std::int64_t kBase = 1609718400;  // 2021-01-04T00:00:00Z
constexpr std::int64_t kSpacing = 240;
constexpr std::int64_t kLength = 180;
constexpr std::int64_t kWeek = 7 * 24 * 3600;

std::string Iso(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &utc);
  return buffer;
}

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS" (UTC), or -1.
std::int64_t ParseIso(const std::string& text) {
  std::tm utc{};
  if (text.size() != 19 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                  &utc.tm_hour, &utc.tm_min, &utc.tm_sec) != 6) {
    return -1;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&utc));
}

std::int64_t StartOf(int index) { return kBase + index * kSpacing; }

// The song of play `index` of `channel`: 3 performers (shared by all
// channels) and 7 titles give 21 songs in each run of 250 plays; the titles of
// a run carry its number (up to 40), so that songs are still being created
// when the server is killed. Songs are shared by all channels, so clients
// also race to create the same song (which once refused batches with
// "unknown song id").
std::string PerformerOf(int index) { return "Crash P" + std::to_string(index % 3); }
std::string TitleOf(const std::string& /*channel*/, int index) {
  return "song " + std::to_string(index % 7) + "." + std::to_string(index / 250 % 40);
}

enum class Via { kForm, kJsonOne, kJsonArray, kNdjson };

// What a play's answer may be, from what we know before sending it.
enum class Known {
  kNew,         // never sent: must be created
  kRecorded,    // answered created/duplicate before: must be duplicate
  kUnanswered,  // sent, never answered: created or duplicate
};

// One client: its own channel, so its plays never meet another client's.
struct Client {
  enum State : std::uint8_t { kUnsent = 0, kSent = 1, kRecorded = 2 };

  Via via;
  std::string channel;
  std::vector<std::uint8_t> state;    // by play index; size = plays sent so far
  std::vector<int> recorded;          // indexes answered created or duplicate
  std::vector<int> unanswered;        // indexes sent and never answered
  std::vector<std::string> problems;  // broken promises, reported by the test
  int requests = 0;
  int answered_requests = 0;
  int created = 0;
  int duplicates = 0;
  int resent_recorded = 0;
  int resent_unanswered = 0;

  void Problem(std::string message) {
    if (problems.size() < kMaxReportedProblems) problems.push_back(std::move(message));
  }
  // `unanswered` keeps recorded plays until the next Compact().
  void Record(int index) {
    if (state[index] == kRecorded) return;
    state[index] = kRecorded;
    recorded.push_back(index);
  }
  void Compact() {
    std::erase_if(unanswered, [this](int index) { return state[index] != kSent; });
  }
};

struct Item {
  int index;
  Known known;
};

std::string PlayObject(const std::string& channel, int index, bool zulu) {
  const char* z = zulu ? "Z" : "";
  return R"({"channel":")" + channel + R"(","performer":")" + PerformerOf(index) +
         R"(","title":")" + TitleOf(channel, index) + R"(","start":")" + Iso(StartOf(index)) + z +
         R"(","end":")" + Iso(StartOf(index) + kLength) + z + R"("})";
}

// The play as a v1 answer echoes it.
std::string AnsweredPlay(const std::string& channel, int index) {
  return R"("play":)" + PlayObject(channel, index, /*zulu=*/true);
}

// Picks the plays of one request: mostly new ones, some re-sends of plays
// recorded or left unanswered earlier. Marks new plays as sent.
std::vector<Item> PickItems(Client& c, std::mt19937& rng, int count) {
  c.Compact();
  std::vector<Item> items;
  std::set<int> taken;
  std::uniform_real_distribution<double> unit(0, 1);
  auto pick_from = [&](const std::vector<int>& pool, Known known, int max) {
    for (int tries = 0;
         tries < 3 * max && static_cast<int>(items.size()) < count && max > 0 && !pool.empty();
         ++tries) {
      const int index = pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
      if (!taken.insert(index).second) continue;
      items.push_back({index, known});
      --max;
    }
  };
  if (count == 1) {
    // Singles: one request in six re-sends an earlier play.
    const double u = unit(rng);
    if (u < 0.12)
      pick_from(c.recorded, Known::kRecorded, 1);
    else if (u < 0.17)
      pick_from(c.unanswered, Known::kUnanswered, 1);
  } else {
    pick_from(c.recorded, Known::kRecorded, count / 10);
    pick_from(c.unanswered, Known::kUnanswered, 5);
  }
  while (static_cast<int>(items.size()) < count) {
    const int index = static_cast<int>(c.state.size());
    c.state.push_back(Client::kSent);
    c.unanswered.push_back(index);
    items.push_back({index, Known::kNew});
  }
  std::shuffle(items.begin(), items.end(), rng);
  for (const Item& item : items) {
    if (item.known == Known::kRecorded) ++c.resent_recorded;
    if (item.known == Known::kUnanswered) ++c.resent_unanswered;
  }
  return items;
}

std::string Describe(const Client& c, int index) {
  return c.channel + " play " + std::to_string(index) + " (" + Iso(StartOf(index)) + ")";
}

// Checks the answer of a classic add_play. False when there was none.
bool TakeFormAnswer(Client& c, const Item& item, const HttpResponse& r) {
  if (r.status == 0) return false;
  if (r.status == 503) return true;  // refused for now: still unanswered
  if (r.status != 200) {
    c.Problem(Describe(c, item.index) + ": add_play answered " + std::to_string(r.status) + " " +
              r.body);
    return true;
  }
  if (r.body.find(R"("start":")" + Iso(StartOf(item.index)) + "\"") == std::string::npos) {
    c.Problem(Describe(c, item.index) + ": add_play answered another play: " + r.body);
  }
  c.Record(item.index);
  return true;
}

// Checks the answer of a v1 request, item by item. False when there was none.
bool TakeV1Answer(Client& c, const std::vector<Item>& items, const HttpResponse& r, bool ndjson) {
  if (r.status == 0) return false;
  if (r.status == 503) return true;
  if (r.status != 200 && r.status != 207) {
    c.Problem(c.channel + ": /api/v1/plays answered " + std::to_string(r.status) + " " +
              r.body.substr(0, 300));
    return true;
  }
  std::size_t pos = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    std::string head = R"({"index":)" + std::to_string(i) + ",";
    if (ndjson) head += R"("line":)" + std::to_string(i + 1) + ",";
    const std::string play = AnsweredPlay(c.channel, item.index);
    const std::string created = head + R"("status":"created",)" + play + "}";
    const std::string duplicate = head + R"("status":"duplicate",)" + play + "}";
    pos = r.body.find(head, pos);
    if (pos == std::string::npos) {
      c.Problem(c.channel + ": no result for item " + std::to_string(i) + ": " +
                r.body.substr(0, 300));
      return true;
    }
    const bool is_created = r.body.compare(pos, created.size(), created) == 0;
    const bool is_duplicate = r.body.compare(pos, duplicate.size(), duplicate) == 0;
    if (!is_created && !is_duplicate) {
      c.Problem(Describe(c, item.index) + ": unexpected result " + r.body.substr(pos, 300));
      continue;
    }
    if (is_created) {
      ++c.created;
      if (item.known == Known::kRecorded) {
        c.Problem(Describe(c, item.index) +
                  ": answered created, but it was answered before (a stored play was lost)");
      }
    } else {
      ++c.duplicates;
      if (item.known == Known::kNew) {
        c.Problem(Describe(c, item.index) + ": never sent before, but answered duplicate");
      }
    }
    c.Record(item.index);
    pos += head.size();
  }
  return true;
}

// One client's load for one round: requests until the server is gone.
// Counts itself in `progressed` once its first request is answered.
void RunClient(Client& c, std::uint16_t port, std::uint32_t seed, const std::atomic<bool>& killed,
               std::atomic<int>& progressed) {
  std::mt19937 rng(seed);
  const auto deadline = std::chrono::steady_clock::now() + kRoundDeadline;
  auto connection = std::make_unique<HttpConnection>(port);
  int reconnects = 0;
  for (int n = 0; n < kMaxRequestsPerRound && std::chrono::steady_clock::now() < deadline; ++n) {
    const bool single = c.via == Via::kForm || c.via == Via::kJsonOne;
    const int count = single ? 1 : std::uniform_int_distribution<int>(kMinBatch, kMaxBatch)(rng);
    const std::vector<Item> items = PickItems(c, rng, count);
    ++c.requests;
    bool answered = false;
    switch (c.via) {
      case Via::kForm: {
        const int i = items.front().index;
        const std::string form = Form({{"title", TitleOf(c.channel, i)},
                                       {"performer", PerformerOf(i)},
                                       {"channel", c.channel},
                                       {"start", Iso(StartOf(i))},
                                       {"end", Iso(StartOf(i) + kLength)}});
        answered = TakeFormAnswer(
            c, items.front(),
            connection->Request("POST", "/add_play", form, "application/x-www-form-urlencoded"));
        break;
      }
      case Via::kJsonOne: {
        const std::string body = PlayObject(c.channel, items.front().index, (n & 1) != 0);
        answered = TakeV1Answer(
            c, items, connection->Request("POST", "/api/v1/plays", body, "application/json"),
            false);
        break;
      }
      case Via::kJsonArray: {
        std::string body = "[";
        for (const Item& item : items) {
          if (body.size() > 1) body += ',';
          body += PlayObject(c.channel, item.index, true);
        }
        body += "]";
        answered = TakeV1Answer(
            c, items, connection->Request("POST", "/api/v1/plays", body, "application/json"),
            false);
        break;
      }
      case Via::kNdjson: {
        std::string body;
        for (const Item& item : items) body += PlayObject(c.channel, item.index, true) + "\n";
        answered = TakeV1Answer(
            c, items, connection->Request("POST", "/api/v1/plays", body, "application/x-ndjson"),
            true);
        break;
      }
    }
    if (answered) {
      if (++c.answered_requests == 1) ++progressed;
      continue;
    }
    // No answer: the server was killed (or, unexpectedly, dropped us).
    if (killed.load() || ++reconnects > 3) return;
    connection = std::make_unique<HttpConnection>(port);
    if (!connection->connected()) return;
  }
}

struct StoredPlay {
  std::string performer, title, start, end;
};

// get_channel_plays' list, in order.
std::vector<StoredPlay> ParseChannelPlays(const std::string& body) {
  std::vector<StoredPlay> plays;
  auto field = [&body](const std::string& name, std::size_t* pos) {
    const std::string key = "\"" + name + "\":\"";
    std::size_t at = body.find(key, *pos);
    if (at == std::string::npos) return std::string();
    at += key.size();
    const std::size_t end = body.find('"', at);
    *pos = end;
    return body.substr(at, end - at);
  };
  std::size_t pos = 0;
  while ((pos = body.find(R"({"performer":")", pos)) != std::string::npos) {
    StoredPlay p;
    p.performer = field("performer", &pos);
    p.title = field("title", &pos);
    p.start = field("start", &pos);
    p.end = field("end", &pos);
    plays.push_back(std::move(p));
  }
  return plays;
}

// get_top's entries as "performer|title" -> plays.
std::map<std::string, long> ParseTop(const std::string& body) {
  std::map<std::string, long> top;
  std::size_t pos = 0;
  while ((pos = body.find(R"({"performer":")", pos)) != std::string::npos) {
    pos += 14;
    const std::size_t performer_end = body.find('"', pos);
    const std::string performer = body.substr(pos, performer_end - pos);
    const std::size_t title_at = body.find(R"("title":")", performer_end) + 9;
    const std::size_t title_end = body.find('"', title_at);
    const std::string title = body.substr(title_at, title_end - title_at);
    const std::size_t plays_at = body.find(R"("plays":)", title_end) + 8;
    top[performer + "|" + title] = std::strtol(body.c_str() + plays_at, nullptr, 10);
    pos = plays_at;
  }
  return top;
}

std::string TopQuery(const std::vector<std::string>& channels, std::int64_t week_start) {
  std::string list = "[";
  for (const std::string& channel : channels) {
    list += (list.size() > 1 ? "," : "") + std::string("\"") + channel + "\"";
  }
  list += "]";
  return "/get_top?channels=" + UrlEncode(list) + "&start=" + Iso(week_start) + "&limit=1000";
}

TEST(Crash, KillNineUnderMixedLoadKeepsEveryAnsweredPlayExactlyOnce) {
  std::uint32_t seed = std::random_device{}();
  if (const char* forced = std::getenv("SPINLOG_CRASH_SEED"); forced != nullptr && *forced) {
    seed = static_cast<std::uint32_t>(std::strtoul(forced, nullptr, 10));
  }
  SCOPED_TRACE("seed " + std::to_string(seed) + " (SPINLOG_CRASH_SEED=" + std::to_string(seed) +
               " replays it)");
  std::mt19937 rng(seed);
  const auto test_start = std::chrono::steady_clock::now();

  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::vector<Client> clients(4);
  clients[0].via = Via::kForm;
  clients[0].channel = "Crash Form";
  clients[1].via = Via::kJsonOne;
  clients[1].channel = "Crash One";
  clients[2].via = Via::kJsonArray;
  clients[2].channel = "Crash Array";
  clients[3].via = Via::kNdjson;
  clients[3].channel = "Crash Ndjson";

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ServerProcess server;
    ASSERT_TRUE(server.Start(dir.path())) << "restart after a kill failed:\n" << server.Log();
    std::atomic<bool> killed{false};
    std::atomic<int> progressed{0};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < clients.size(); ++i) {
      threads.emplace_back(RunClient, std::ref(clients[i]), server.port(),
                           static_cast<std::uint32_t>(rng()), std::cref(killed),
                           std::ref(progressed));
    }
    if (round == 0) {
      // Once, make sure every client gets answers before its first kill, so
      // that the checks below never run on nothing however slow the machine.
      // Later kills may land anywhere, start-up included.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (progressed.load() < static_cast<int>(clients.size()) &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    const int load_ms = std::uniform_int_distribution<int>(kMinLoadMs, kMaxLoadMs)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(load_ms));
    killed = true;
    server.Signal(SIGKILL);
    for (std::thread& t : threads) t.join();
    const int status = server.Wait();
    ASSERT_EQ(status, 128 + SIGKILL)
        << "the server did not end by the kill (it failed before, or outlived it):\n"
        << server.Log();
    for (const Client& c : clients) {
      ASSERT_TRUE(c.problems.empty()) << c.channel << ":\n"
                                      << [&c] {
                                           std::string all;
                                           for (const std::string& p : c.problems)
                                             all += "  " + p + "\n";
                                           return all;
                                         }();
    }
  }

  // The last restart: everything answered is there, once, and counted once.
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << "restart after the last kill failed:\n" << server.Log();
  long total_stored = 0;
  std::vector<std::string> channel_names;
  std::map<std::int64_t, long> all_channels_week;  // week start -> stored plays, all channels
  for (Client& c : clients) {
    channel_names.push_back(c.channel);
    const int sent = static_cast<int>(c.state.size());
    ASSERT_GT(c.recorded.size(), 0u)
        << c.channel << " had no play answered in " << kRounds << " rounds";
    HttpResponse r = Get(server.port(), "/get_channel_plays?channel=" + UrlEncode(c.channel) +
                                            "&start=" + Iso(kBase - kWeek) +
                                            "&end=" + Iso(StartOf(sent) + kWeek));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    const std::vector<StoredPlay> stored = ParseChannelPlays(r.body);
    std::vector<int> times_stored(static_cast<std::size_t>(sent), 0);
    std::map<std::int64_t, std::map<std::string, long>> weeks;  // week -> song -> plays
    std::size_t problems = 0;
    auto problem = [&problems](const std::string& message) {
      if (++problems <= kMaxReportedProblems) ADD_FAILURE() << message;
    };
    for (const StoredPlay& p : stored) {
      const std::int64_t start = ParseIso(p.start);
      const std::int64_t offset = start - kBase;
      if (start < 0 || offset < 0 || offset % kSpacing != 0 || offset / kSpacing >= sent) {
        problem(c.channel + ": stored play at " + p.start + " was never sent");
        continue;
      }
      const int index = static_cast<int>(offset / kSpacing);
      ++times_stored[index];
      if (p.performer != PerformerOf(index) || p.title != TitleOf(c.channel, index) ||
          p.end != Iso(StartOf(index) + kLength)) {
        problem(Describe(c, index) + ": stored as '" + p.title + "' by '" + p.performer +
                "' until " + p.end);
      }
      weeks[kBase + offset / kWeek * kWeek][p.performer + "|" + p.title] += 1;
      all_channels_week[kBase + offset / kWeek * kWeek] += 1;
    }
    int maybe_stored = 0;
    for (int index = 0; index < sent; ++index) {
      if (times_stored[index] > 1) {
        problem(Describe(c, index) + ": stored " + std::to_string(times_stored[index]) + " times");
      }
      if (c.state[index] == Client::kRecorded && times_stored[index] == 0) {
        problem(Describe(c, index) + ": answered, then lost");
      }
      if (c.state[index] == Client::kSent && times_stored[index] > 0) ++maybe_stored;
    }
    total_stored += static_cast<long>(stored.size());
    std::printf(
        "[ crash    ] %-12s sent %6d, answered %6zu (created %6d, duplicate %5d; re-sent %5d "
        "answered and %4d unanswered ones), stored %6zu (%4d never answered); %d/%d requests "
        "answered\n",
        c.channel.c_str(), sent, c.recorded.size(), c.created, c.duplicates, c.resent_recorded,
        c.resent_unanswered, stored.size(), maybe_stored, c.answered_requests, c.requests);

    // The charts count each stored play once, in its week, for its song.
    for (std::int64_t week = kBase; week <= StartOf(sent); week += kWeek) {
      HttpResponse top = Get(server.port(), TopQuery({c.channel}, week));
      ASSERT_EQ(top.status, 200) << top.body.substr(0, 300);
      EXPECT_EQ(ParseTop(top.body), weeks[week])
          << c.channel << ", week of " << Iso(week) << ": chart differs from the stored plays";
    }
  }

  // All four channels at once, every week.
  const std::int64_t last_start = StartOf(static_cast<int>(
      std::max_element(clients.begin(), clients.end(), [](const Client& a, const Client& b) {
        return a.state.size() < b.state.size();
      })->state.size()));
  long charted = 0;
  for (std::int64_t week = kBase; week <= last_start; week += kWeek) {
    HttpResponse top = Get(server.port(), TopQuery(channel_names, week));
    ASSERT_EQ(top.status, 200) << top.body.substr(0, 300);
    long plays = 0;
    for (const auto& [song, count] : ParseTop(top.body)) plays += count;
    EXPECT_EQ(plays, all_channels_week[week]) << "all channels, week of " << Iso(week);
    charted += plays;
  }
  EXPECT_EQ(charted, total_stored);

  // Idempotency after all the crashes: every answered play, sent once more,
  // is a duplicate.
  for (Client& c : clients) {
    std::vector<int> indexes = c.recorded;
    std::sort(indexes.begin(), indexes.end());
    for (std::size_t from = 0; from < indexes.size(); from += 10'000) {
      const std::size_t to = std::min(indexes.size(), from + 10'000);
      std::string body;
      for (std::size_t i = from; i < to; ++i)
        body += PlayObject(c.channel, indexes[i], true) + "\n";
      HttpResponse r = Post(server.port(), "/api/v1/plays", body, "application/x-ndjson");
      EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
      const std::string counts = R"("counts":{"created":0,"duplicate":)" +
                                 std::to_string(to - from) + R"(,"conflict":0,"invalid":0})";
      EXPECT_NE(r.body.find(counts), std::string::npos)
          << c.channel << ": re-sending answered plays " << from << ".." << to
          << " did not answer only duplicates: "
          << r.body.substr(r.body.size() > 200 ? r.body.size() - 200 : 0);
    }
  }

  // After all the crashes, a clean shutdown still works.
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << server.Log();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - test_start).count();
  std::printf("[ crash    ] %d kills, %ld plays stored, %.1f s, seed %u%s\n", kRounds, total_stored,
              seconds, seed, kSanitized ? " (sanitized build)" : "");
}

}  // namespace
}  // namespace spinlog::e2e
