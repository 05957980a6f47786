// Hostile requests that parse but do not fit the stored data or the rules of
// a read: get_top with bad channel lists or limits (400), names that were
// never stored (404, naming them), and plays that clash with a stored play
// (409).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "e2e/hostile_case.h"
#include "e2e/hostile_support.h"

namespace spinlog::e2e::hostile {
namespace {

std::vector<Case> QueryCases() {
  const std::vector<int> k400{400};
  const std::string week = "2014-01-08";
  auto top = [&](std::string name, std::string channels, std::string limit,
                 std::vector<int> statuses, std::vector<std::string> fields,
                 std::vector<std::string> contains = {}) {
    Fields f{{"channels", std::move(channels)}, {"start", week}};
    if (!limit.empty()) f.emplace_back("limit", std::move(limit));
    return FormCase(std::move(name), "GET", "/get_top", f, std::move(statuses), std::move(fields),
                    std::move(contains));
  };
  std::vector<Case> cases;
  for (const char* limit :
       {"0", "-1", "1001", "abc", "1.5", "1e4", "1 2", "0x10", "99999999999999999999", "+"}) {
    cases.push_back(top(std::string("get_top with limit '") + limit + "'", R"(["Channel1"])", limit,
                        k400, {"limit"}, {"limit: must be a whole number from 1 to 1000"}));
  }
  cases.push_back(BodyCase("get_top with a JSON limit of 0", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","limit":0})",
                           "application/json", k400, {"limit"},
                           {"limit: must be a whole number from 1 to 1000"}));
  cases.push_back(BodyCase("get_top with a JSON limit of true", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","limit":true})",
                           "application/json", k400, {"limit"}));
  cases.push_back(
      top("get_top with channels that are not JSON", R"(["Channel1")", "", k400, {"channels"}));
  cases.push_back(top("get_top with channels as JSON with single quotes", "['Channel1']", "", k400,
                      {"channels"}));
  cases.push_back(top("get_top with channels [1,2]", "[1,2]", "", k400, {"channels"}));
  cases.push_back(top("get_top with channels [\"Channel1\",null]", R"(["Channel1",null])", "", k400,
                      {"channels"}));
  cases.push_back(top("get_top with channels []", "[]", "", k400, {"channels"},
                      {"channels: must name at least one channel"}));
  cases.push_back(
      top("get_top with an empty channel name", R"(["Channel1",""])", "", k400, {"channels"}));
  cases.push_back(top("get_top with a nested list", R"([["Channel1"]])", "", k400, {"channels"}));
  cases.push_back(BodyCase("get_top with channels as a JSON object", "/get_top",
                           R"({"channels":{"Channel1":1},"start":"2014-01-08"})",
                           "application/json", k400, {"channels"}));
  cases.push_back(BodyCase("get_top with channels as a JSON number", "/get_top",
                           R"({"channels":7,"start":"2014-01-08"})", "application/json", k400,
                           {"channels"}));
  cases.push_back(BodyCase("get_top with a JSON list of numbers", "/get_top",
                           R"({"channels":[1,2],"start":"2014-01-08"})", "application/json", k400,
                           {"channels"}));
  cases.push_back(FormCase("get_top with every field bad", "GET", "/get_top",
                           {{"channels", "[]"}, {"start", "2014-02-30"}, {"limit", "0"}}, k400,
                           {"channels", "start", "limit"}));
  // Unknown names in queries: 404 naming them.
  cases.push_back(top("get_top with an unknown channel", R"(["Ghost Channel"])", "", {404}, {},
                      {kGhostChannel}));
  cases.push_back(top("get_top with two unknown channels and a known one",
                      R"(["Ghost A","Channel1","Ghost B"])", "10", {404}, {},
                      {"Ghost A", "Ghost B"}));
  cases.push_back(top("get_top with a channel differing in case", R"(["channel1"])", "", {404}, {},
                      {"channel1"}));
  cases.push_back(FormCase("get_top with repeated unknown channels", "GET", "/get_top",
                           {{"channels", "Ghost C"}, {"channels", "Ghost D"}, {"start", week}},
                           {404}, {}, {"Ghost C", "Ghost D"}));
  cases.push_back(
      FormCase("get_channel_plays of an unknown channel", "GET", "/get_channel_plays",
               {{"channel", kGhostChannel}, {"start", "2014-01-01"}, {"end", "2014-01-15"}}, {404},
               {}, {kGhostChannel}));
  cases.push_back(FormCase("get_song_plays of an unknown performer", "GET", "/get_song_plays",
                           {{"title", "Song1"},
                            {"performer", kGhostPerformer},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"Song1", kGhostPerformer}));
  cases.push_back(FormCase("get_song_plays of a known title by another known performer", "POST",
                           "/get_song_plays",
                           {{"title", "Song2"},
                            {"performer", "Performer1"},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"Song2", "Performer1"}));
  cases.push_back(FormCase("get_song_plays of a title differing in case", "GET", "/get_song_plays",
                           {{"title", "song1"},
                            {"performer", "Performer1"},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"song1"}));
  return cases;
}

std::vector<Case> ConflictCases() {
  return {
      FormCase("a play with another end at a stored (channel, start)", "POST", "/add_play",
               Channel1Play("2014-01-01T01:00:00", "2014-01-01T01:11:00"), {409}, {}),
      FormCase(
          "a play of a new song at a stored (channel, start)", "POST", "/add_play",
          Play("Channel1", "Performer1", kGhostSong, "2014-01-01T01:00:00", "2014-01-01T01:10:00"),
          {409}, {}),
      FormCase("a play of a new performer at a stored (channel, start)", "POST", "/add_play",
               Play("Channel1", kGhostPerformer, kGhostSong, "2014-01-01T01:00:00",
                    "2014-01-01T01:10:00"),
               {409}, {}),
      FormCase("a conflicting play with its start written with an offset", "POST", "/add_play",
               Channel1Play("2014-01-01T02:00:00+01:00", "2014-01-01T01:09:00Z"), {409}, {}),
  };
}

TEST_F(HostileRequests, BadTopParametersAnswer400AndUnknownNames404NamingThem) {
  RunCases(QueryCases());
}

TEST_F(HostileRequests, ConflictingPlaysAnswer409AndChangeNothing) { RunCases(ConflictCases()); }

}  // namespace
}  // namespace spinlog::e2e::hostile
