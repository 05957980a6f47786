// GET /api/v1/charts over real HTTP against the brute-force reference
// (tests/support/chart_reference.h), every field of every entry, for random
// datasets as a client would send them:
// - plays posted as NDJSON by names, with times written in random UTC
//   offsets ("+05:30", "-12:00", "Z"), crowding midnights and week
//   boundaries, in random order, with duplicates and conflicts mixed in;
// - charts of channel ids or of a channel group (POST /api/v1/channel-groups),
//   plain or weighted by audiences set with PATCH /api/v1/channels/{id};
// - periods (day, week, month) with a start in a random offset, and from/to
//   ranges that do or do not start at midnight;
// - every page followed by its cursor, limits from 1 to 40.
// Queries run part way through the posts too, so that charts counted
// earlier meet plays stored later (backdated ones included).
//
// SPINLOG_E2E_CHART_DATASETS (default 40, 25 queries each) and
// SPINLOG_E2E_CHART_SEED (default 1) change the run; a failure names both.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"
#include "support/chart_reference.h"
#include "text/civil_time.h"

namespace spinlog::e2e {
namespace {

using storage::ChannelId;
using storage::PlayRecord;
using storage::SongId;

constexpr UnixMicros kSecond = 1'000'000;
constexpr UnixMicros kMinute = 60 * kSecond;
constexpr UnixMicros kHour = 60 * kMinute;
constexpr UnixMicros kDay = 24 * kHour;
// 2024-03-04T00:00:00Z, a Monday.
constexpr UnixMicros kBase = 19'786 * kDay;
// The test's id of the song of the plays that create channels.
constexpr SongId kSeedSong = 1'000;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

using text::CivilFromDays;
using text::DaysFromCivil;
using text::FloorDiv;

// `t` written as local time at `offset_minutes` from UTC, with that offset
// ("Z" for 0), as a client in that zone would send it.
std::string Iso(UnixMicros t, int offset_minutes) {
  const UnixMicros local = t + offset_minutes * kMinute;
  const std::int64_t days = FloorDiv(local, kDay);
  const std::int64_t in_day = local - days * kDay;
  const text::CivilDate date = CivilFromDays(days);
  char buffer[64];
  const long long seconds = in_day / kSecond;
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02lld:%02lld:%02lld", date.year, date.month, date.day, seconds / 3600,
                seconds / 60 % 60, seconds % 60);
  std::string out = buffer;
  if (in_day % kSecond != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(in_day % kSecond));
    out += buffer;
  }
  if (offset_minutes == 0) return out + "Z";
  const int a = std::abs(offset_minutes);
  std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return out + buffer;
}

// The UTC day, ISO week (Monday) or calendar month holding `t`.
std::pair<UnixMicros, UnixMicros> PeriodOf(const std::string& kind, UnixMicros t) {
  const std::int64_t day = FloorDiv(t, kDay);
  if (kind == "day") return {day * kDay, (day + 1) * kDay};
  if (kind == "week") {
    const std::int64_t monday = day - (((day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    return {monday * kDay, (monday + 7) * kDay};
  }
  const text::CivilDate date = CivilFromDays(day);
  const std::int64_t first = DaysFromCivil(date.year, date.month, 1);
  const std::int64_t next = date.month == 12 ? DaysFromCivil(date.year + 1, 1, 1)
                                             : DaysFromCivil(date.year, date.month + 1, 1);
  return {first * kDay, next * kDay};
}

const char* MovementText(charts::Movement movement) {
  switch (movement) {
    case charts::Movement::kUp:
      return "up";
    case charts::Movement::kDown:
      return "down";
    case charts::Movement::kSame:
      return "same";
    case charts::Movement::kNew:
      return "new";
    case charts::Movement::kReEntry:
      return "re-entry";
  }
  return "?";
}

struct Query {
  std::vector<ChannelId> channels;
  std::optional<std::int64_t> group;  // chart of this group (its channels are `channels`)
  std::string period;                 // "" for a from/to range
  UnixMicros start = 0;               // of the period
  UnixMicros from = 0;
  UnixMicros to = 0;
  int offset_minutes = 0;  // how times are written in the query
  std::size_t limit = 40;
  bool weighted = false;
};

class ChartPropertyE2e : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(dir_.path())) << server_.Log(); }

  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  bool Percent(int p) { return Pick(0, 99) < p; }
  template <typename T>
  const T& PickOf(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Pick(0, static_cast<int>(v.size()) - 1))];
  }
  int RandomOffset() { return PickOf(std::vector<int>{0, 0, 60, -300, 330, 840, -720, 345}); }

  // An instant crowding the dataset's midnights (week boundaries among them).
  UnixMicros RandomInstant() {
    const UnixMicros midnight = kBase + kDay * Pick(-10, 40);
    switch (Pick(0, 5)) {
      case 0:
        return midnight;
      case 1:
        return midnight - 1;
      case 2:
        return midnight + Pick(0, 59) * kSecond;
      case 3:
        return midnight - Pick(1, 3600) * kSecond;
      default:
        return midnight + Pick(0, 24 * 3600 - 1) * kSecond;
    }
  }

  // Ids of channels created since the last call, by name (ids are dense).
  void LearnChannels() {
    for (;;) {
      const HttpResponse r =
          Get(server_.port(), "/api/v1/channels/" + std::to_string(next_channel_id_));
      if (r.status == 404) return;
      ASSERT_EQ(r.status, 200) << r.body;
      simdjson::dom::element doc = parser_.parse(r.body);
      channel_ids_[std::string(std::string_view(doc["name"]))] = next_channel_id_++;
    }
  }

  // Posts `plays` (by names) as NDJSON and checks the counts against the model.
  void PostPlays(const std::vector<PlayRecord>& plays) {
    std::string body;
    std::size_t created = 0;
    for (const PlayRecord& p : plays) {
      const auto& [performer, title] = song_names_.at(p.song_id);
      const int offset = RandomOffset();
      body += R"({"channel":")" + channel_names_.at(p.channel_id) + R"(","performer":")" +
              performer + R"(","title":")" + title + R"(","start":")" + Iso(p.start, offset) +
              R"(","end":")" + Iso(p.end, RandomOffset()) + "\"}\n";
      // Plays are stored to the whole second (domain/play_rules.h): a
      // fraction sent is dropped, toward the past.
      PlayRecord stored = p;
      stored.start = FloorDiv(p.start, kSecond) * kSecond;
      stored.end = FloorDiv(p.end, kSecond) * kSecond;
      auto [it, inserted] = stored_.emplace(std::make_pair(stored.channel_id, stored.start), stored);
      if (inserted) ++created;
    }
    const HttpResponse r = Post(server_.port(), "/api/v1/plays", body, "application/x-ndjson");
    ASSERT_TRUE(r.status == 200 || r.status == 207) << r.status << " " << r.body.substr(0, 400);
    simdjson::dom::element doc = parser_.parse(r.body);
    EXPECT_EQ(std::int64_t(doc["counts"]["created"]), static_cast<std::int64_t>(created));
    EXPECT_EQ(std::int64_t(doc["counts"]["invalid"]), 0);
  }

  // Asks for the chart of `q`, following every cursor, and compares every
  // entry with the reference. Returns false after the first difference.
  bool CheckQuery(const Query& q, const std::string& label) {
    std::vector<PlayRecord> plays;
    for (const auto& [key, play] : stored_) plays.push_back(play);
    std::size_t total = 0;
    const std::vector<charts::ChartRow> want =
        testing::ReferenceChart(plays, q.channels, q.from, q.to, 0, 1'000'000, songs_, &total,
                                q.weighted ? &audiences_ : nullptr);
    std::string target = "/api/v1/charts?";
    if (q.group) {
      target += "group=" + std::to_string(*q.group);
    } else {
      for (std::size_t i = 0; i < q.channels.size(); ++i) {
        target += (i == 0 ? "channel_id=" : ",") + std::to_string(q.channels[i]);
      }
    }
    if (!q.period.empty()) {
      target += "&period=" + q.period + "&start=" + UrlEncode(Iso(q.start, q.offset_minutes));
    } else {
      target += "&from=" + UrlEncode(Iso(q.from, q.offset_minutes)) +
                "&to=" + UrlEncode(Iso(q.to, q.offset_minutes));
    }
    target += "&limit=" + std::to_string(q.limit);
    if (q.weighted) target += "&weighted=true";

    std::size_t seen = 0;
    std::string cursor;
    for (int page = 0; page < 10'000; ++page) {
      const HttpResponse r =
          Get(server_.port(), cursor.empty() ? target : target + "&cursor=" + UrlEncode(cursor));
      EXPECT_EQ(r.status, 200) << label << " " << target << "\n" << r.body;
      if (r.status != 200) return false;
      simdjson::dom::element doc = parser_.parse(r.body);
      EXPECT_EQ(std::uint64_t(doc["chart"]["total"]), total) << label << " " << target;
      EXPECT_EQ(std::string_view(doc["chart"]["from"]), Iso(q.from, 0)) << label;
      EXPECT_EQ(std::string_view(doc["chart"]["to"]), Iso(q.to, 0)) << label;
      std::size_t rows = 0;
      for (simdjson::dom::element entry : doc["entries"].get_array()) {
        if (seen >= want.size()) {
          ADD_FAILURE() << label << ": more entries than the reference's " << want.size();
          return false;
        }
        const charts::ChartRow& w = want[seen++];
        ++rows;
        std::string got_text = Describe(entry, q.weighted);
        std::string want_text = Describe(w, q.weighted);
        if (got_text != want_text) {
          ADD_FAILURE() << label << " " << target << "\n  got  " << got_text << "\n  want "
                        << want_text << "\n" << DescribeData(plays);
          return false;
        }
        // Ids are stable: one per song and per performer, whatever the chart.
        const auto key = std::make_pair(w.performer, w.title);
        const std::uint64_t song_id = entry["song"]["id"];
        const std::uint64_t performer_id = entry["song"]["performer"]["id"];
        auto [song_it, new_song] = seen_song_ids_.emplace(key, song_id);
        auto [performer_it, new_performer] = seen_performer_ids_.emplace(w.performer, performer_id);
        EXPECT_EQ(song_it->second, song_id) << label;
        EXPECT_EQ(performer_it->second, performer_id) << label;
      }
      EXPECT_LE(rows, q.limit) << label;
      simdjson::dom::element next = doc["next"];
      if (next.is_null()) break;
      EXPECT_EQ(rows, q.limit) << label << ": a page short of its limit has a next cursor";
      cursor = std::string(std::string_view(next));
    }
    EXPECT_EQ(seen, want.size()) << label << " " << target;
    ++queries_checked_;
    rows_checked_ += seen;
    return seen == want.size();
  }

  // The plays and audiences, for a failure's message.
  std::string DescribeData(const std::vector<PlayRecord>& plays) const {
    std::string out = "  audiences:";
    for (const auto& [channel, audience] : audiences_) {
      out += " " + std::to_string(channel) + "=" + std::to_string(audience);
    }
    out += "\n  plays (UTC):\n";
    for (const PlayRecord& p : plays) {
      const auto& [performer, title] = song_names_.at(p.song_id);
      out += "    channel " + std::to_string(p.channel_id) + " " + Iso(p.start, 0) + " " +
             performer + "/" + title + "\n";
    }
    return out;
  }

  static std::string Describe(const charts::ChartRow& r, bool weighted) {
    std::string out = "#" + std::to_string(r.rank) + " " + r.performer + "/" + r.title + " plays " +
                      std::to_string(r.plays) + " prev " +
                      (r.previous_rank ? std::to_string(*r.previous_rank) : "null") + "/" +
                      std::to_string(r.previous_plays) + " " + MovementText(r.movement) + " peak " +
                      std::to_string(r.peak_rank) + " periods " +
                      std::to_string(r.periods_on_chart) + (r.bullet ? " bullet" : "");
    if (weighted) {
      out += " score " + std::to_string(r.score) + "/" + std::to_string(r.previous_score);
    }
    return out;
  }

  static std::string Describe(simdjson::dom::element e, bool weighted) {
    charts::ChartRow r;
    r.rank = std::int64_t(e["rank"]);
    r.performer = std::string(std::string_view(e["song"]["performer"]["name"]));
    r.title = std::string(std::string_view(e["song"]["title"]));
    r.plays = std::int64_t(e["plays"]);
    r.previous_plays = std::int64_t(e["previous_plays"]);
    if (!e["previous_rank"].is_null()) r.previous_rank = std::int64_t(e["previous_rank"]);
    const std::string_view movement = e["movement"];
    for (charts::Movement m :
         {charts::Movement::kUp, charts::Movement::kDown, charts::Movement::kSame,
          charts::Movement::kNew, charts::Movement::kReEntry}) {
      if (movement == MovementText(m)) r.movement = m;
    }
    if (movement != MovementText(r.movement)) return "movement " + std::string(movement);
    r.peak_rank = std::int64_t(e["peak_rank"]);
    r.periods_on_chart = std::int64_t(e["periods_on_chart"]);
    r.bullet = bool(e["bullet"]);
    if (weighted) {
      r.score = std::int64_t(e["score"]);
      r.previous_score = std::int64_t(e["previous_score"]);
    }
    return Describe(r, weighted);
  }

  Query RandomQuery(const std::vector<ChannelId>& channels, int dataset, int number) {
    Query q;
    const int percent = channels.size() > 4 ? 85 : 60;
    for (ChannelId c : channels) {
      if (Percent(percent)) q.channels.push_back(c);
    }
    if (q.channels.empty()) q.channels.push_back(PickOf(channels));
    std::sort(q.channels.begin(), q.channels.end());
    if (Percent(30)) {
      const std::string name = "g" + std::to_string(dataset) + "-" + std::to_string(number);
      std::string body = R"({"name":")" + name + R"(","channel_ids":[)";
      for (std::size_t i = 0; i < q.channels.size(); ++i) {
        body += (i == 0 ? "" : ",") + std::to_string(q.channels[i]);
      }
      const HttpResponse r =
          Post(server_.port(), "/api/v1/channel-groups", body + "]}", "application/json");
      EXPECT_EQ(r.status, 201) << r.body;
      q.group = std::int64_t(parser_.parse(r.body)["id"]);
    }
    q.offset_minutes = RandomOffset();
    switch (Pick(0, 4)) {
      case 0:
      case 1:
        q.period = "week";
        break;
      case 2:
        q.period = "day";
        break;
      case 3:
        q.period = "month";
        break;
      default:
        break;
    }
    if (!q.period.empty()) {
      q.start = RandomInstant();
      std::tie(q.from, q.to) = PeriodOf(q.period, q.start);
    } else {
      q.from = RandomInstant();
      q.to = q.from + (Percent(50) ? kDay * Pick(1, 9) : Pick(1, 72) * kHour + Pick(0, 1));
      // Written in whole seconds: the API's times have microseconds, but a
      // range is easier to read so; the instants are whole seconds anyway.
    }
    q.limit = Percent(30) ? 40 : static_cast<std::size_t>(Pick(1, 5));
    q.weighted = Percent(30);
    return q;
  }

  TempDir dir_;
  ServerProcess server_;
  std::mt19937 random_{1};
  simdjson::dom::parser parser_;
  ChannelId next_channel_id_ = 1;
  std::map<std::string, ChannelId> channel_ids_;
  std::map<ChannelId, std::string> channel_names_;
  std::map<SongId, std::pair<std::string, std::string>> song_names_;  // test's own ids
  std::map<SongId, testing::ReferenceSong> songs_;
  std::map<std::pair<ChannelId, UnixMicros>, PlayRecord> stored_;  // the first of each key wins
  testing::ReferenceWeights audiences_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> seen_song_ids_;
  std::map<std::string, std::uint64_t> seen_performer_ids_;
  int queries_checked_ = 0;
  std::size_t rows_checked_ = 0;
};

TEST_F(ChartPropertyE2e, ChartsEqualTheReferenceForRandomDatasets) {
  const int seed = EnvInt("SPINLOG_E2E_CHART_SEED", 1);
  const int datasets = EnvInt("SPINLOG_E2E_CHART_DATASETS", 40);
  random_.seed(static_cast<unsigned>(seed));
  // Names that tie on plays fall through to performer and title: case
  // differences and bytes >= 0x80 (NFC already, so stored as sent).
  const std::vector<std::string> performers = {"A", "a", "B", "\xC3\x84", "Zo\xC3\xAB"};
  const std::vector<std::string> titles = {"x", "X", "y", "\xC3\xA9"};
  int failures = 0;
  int datasets_with_plays = 0;
  for (int dataset = 0; dataset < datasets && failures == 0; ++dataset) {
    const std::string label = "seed " + std::to_string(seed) + " dataset " +
                              std::to_string(dataset) +
                              " (replay: SPINLOG_E2E_CHART_SEED=" + std::to_string(seed) + ")";
    SCOPED_TRACE(label);
    stored_.clear();
    audiences_.clear();
    // Channels: the test's own ids until the server's are learnt.
    const int channel_count = Percent(25) ? Pick(10, 16) : Pick(1, 4);
    std::vector<std::string> names;
    for (int c = 0; c < channel_count; ++c) {
      names.push_back("ds" + std::to_string(dataset) + "-" + std::to_string(c));
    }
    // Songs: a few of the shared names; the reference only needs names.
    std::vector<SongId> song_ids;
    const int song_count = Pick(1, 6);
    std::set<std::pair<std::string, std::string>> chosen;
    while (static_cast<int>(chosen.size()) < song_count)
      chosen.emplace(PickOf(performers), PickOf(titles));
    for (const auto& [performer, title] : chosen) {
      const SongId id = static_cast<SongId>(
          1 +
          std::distance(performers.begin(),
                        std::find(performers.begin(), performers.end(), performer)) *
              10 +
          std::distance(titles.begin(), std::find(titles.begin(), titles.end(), title)));
      song_names_[id] = {performer, title};
      songs_[id] = {id, 0, performer, title};
      song_ids.push_back(id);
    }
    // The plays, before the channels have server ids: keyed by name index.
    std::vector<std::pair<int, PlayRecord>> posts;
    const int post_count = Pick(0, 60);
    for (int i = 0; i < post_count; ++i) {
      if (!posts.empty() && Percent(10)) {
        posts.push_back(PickOf(posts));  // the same play again
        continue;
      }
      if (!posts.empty() && Percent(10)) {
        auto conflict = PickOf(posts);  // same channel and start, other song or end
        conflict.second.end += kMinute * Pick(1, 30);
        posts.push_back(conflict);
        continue;
      }
      PlayRecord play;
      play.song_id = PickOf(song_ids);
      play.start = RandomInstant();
      play.end = play.start + Pick(1, 180) * kMinute;
      posts.emplace_back(Pick(0, channel_count - 1), play);
    }
    std::shuffle(posts.begin(), posts.end(), random_);
    // Channels are created by their first play: one "seed" play each, two
    // weeks before the dataset's plays (part of the dataset: the reference
    // counts them too), so that their ids are known before the rest is sent.
    const UnixMicros seed_start = kBase - 14 * kDay;
    for (int c = 0; c < channel_count && !posts.empty(); ++c) {
      const std::string body = R"({"channel":")" + names[static_cast<std::size_t>(c)] +
                               R"(","performer":"seed","title":"seed","start":")" +
                               Iso(seed_start + c * kMinute, RandomOffset()) + R"(","end":")" +
                               Iso(seed_start + (c + 1) * kMinute, 0) + R"("})";
      const HttpResponse r = Post(server_.port(), "/api/v1/plays", body, "application/json");
      ASSERT_EQ(r.status, 200) << r.body;
    }
    LearnChannels();
    std::vector<ChannelId> channels;
    for (const std::string& name : names) {
      if (channel_ids_.count(name) == 0) continue;
      channels.push_back(channel_ids_.at(name));
      channel_names_[channel_ids_.at(name)] = name;
    }
    if (channels.empty()) continue;  // no plays at all
    ++datasets_with_plays;
    song_names_[kSeedSong] = {"seed", "seed"};
    songs_[kSeedSong] = {kSeedSong, 0, "seed", "seed"};
    for (std::size_t c = 0; c < channels.size(); ++c) {
      const UnixMicros start = seed_start + static_cast<UnixMicros>(c) * kMinute;
      stored_.emplace(std::make_pair(channels[c], start),
                      PlayRecord{channels[c], start, start + kMinute, kSeedSong});
    }
    for (ChannelId c : channels) {  // audiences for weighted charts; some none
      if (Percent(25)) continue;
      const std::int64_t audience = Percent(10) ? 0 : Pick(1, 5000);
      const HttpResponse r =
          HttpConnection(server_.port())
              .Request("PATCH", "/api/v1/channels/" + std::to_string(c),
                       R"({"audience":)" + std::to_string(audience) + "}", "application/json");
      ASSERT_EQ(r.status, 200) << r.body;
      audiences_[c] = audience;
    }
    std::vector<PlayRecord> batch;
    const std::size_t middle = posts.size() / 2;
    int number = 0;
    for (std::size_t i = 0; i <= posts.size(); ++i) {
      if ((i == middle || i == posts.size()) && !batch.empty()) {
        PostPlays(batch);
        batch.clear();
        const int queries = i == posts.size() ? 20 : 5;
        for (int k = 0; k < queries && failures == 0; ++k) {
          if (!CheckQuery(RandomQuery(channels, dataset, number++), label)) ++failures;
        }
      }
      if (i == posts.size()) break;
      PlayRecord play = posts[i].second;
      play.channel_id = channels[static_cast<std::size_t>(posts[i].first) % channels.size()];
      batch.push_back(play);
    }
  }
  EXPECT_EQ(failures, 0);
  // The run compared what it says it did: most datasets have plays, and
  // most queries find entries.
  EXPECT_GE(datasets_with_plays, datasets * 3 / 4);
  EXPECT_GE(queries_checked_, datasets_with_plays * 20) << "queries compared";
  EXPECT_GE(rows_checked_, static_cast<std::size_t>(queries_checked_)) << "entries compared";
  std::printf("compared %d charts, %zu entries\n", queries_checked_, rows_checked_);
}

}  // namespace
}  // namespace spinlog::e2e
