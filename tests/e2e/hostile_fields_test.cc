// Hostile requests whose fields are missing or malformed (plays-api.md):
// every bad field is reported as "<field>: <problem>", and none of them may
// store anything.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "e2e/hostile_case.h"
#include "e2e/hostile_support.h"

namespace spinlog::e2e::hostile {
namespace {

using namespace std::string_literals;

std::vector<Case> MissingFieldCases() {
  const std::vector<int> k400{400};
  return {
      FormCase("add_channel without name", "POST", "/add_channel", {}, k400, {"name"},
               {"name: missing"}),
      BodyCase("add_channel with an empty JSON object", "/add_channel", "{}", "application/json",
               k400, {"name"}, {"name: missing"}),
      FormCase("add_channel with only an unrelated field", "POST", "/add_channel",
               {{"nmae", kGhostChannel}}, k400, {"name"}, {"name: missing"}),
      BodyCase("add_performer with an empty JSON object", "/add_performer", "{}", "", k400,
               {"name"}),
      FormCase("add_performer without name", "POST", "/add_performer", {}, k400, {"name"}),
      FormCase("add_song without any field", "POST", "/add_song", {}, k400, {"title", "performer"}),
      FormCase("add_song without performer", "POST", "/add_song", {{"title", kGhostSong}}, k400,
               {"performer"}, {"performer: missing"}),
      FormCase("add_song without title", "POST", "/add_song", {{"performer", kGhostPerformer}},
               k400, {"title"}),
      FormCase("add_play without any field", "POST", "/add_play", {}, k400,
               {"title", "performer", "channel", "start", "end"}),
      BodyCase("add_play as JSON without end", "/add_play",
               R"({"title":"Ghost Song","performer":"Ghost Performer","channel":"Ghost Channel",)"
               R"("start":"2014-01-05T00:00:00"})",
               "application/json", k400, {"end"}, {"end: missing"}),
      FormCase("get_channel_plays without any field", "GET", "/get_channel_plays", {}, k400,
               {"channel", "start", "end"}),
      FormCase("get_channel_plays posted without start", "POST", "/get_channel_plays",
               {{"channel", "Channel1"}, {"end", "2014-01-02"}}, k400, {"start"}),
      FormCase("get_song_plays without any field", "POST", "/get_song_plays", {}, k400,
               {"title", "performer", "start", "end"}),
      FormCase("get_song_plays without performer", "GET", "/get_song_plays",
               {{"title", "Song1"}, {"start", "2014-01-01"}, {"end", "2014-01-02"}}, k400,
               {"performer"}),
      FormCase("get_top without any field", "GET", "/get_top", {}, k400, {"channels", "start"}),
      FormCase("get_top without start", "GET", "/get_top", {{"channels", R"(["Channel1"])"}}, k400,
               {"start"}),
  };
}

std::vector<Case> DatetimeCases() {
  const std::vector<int> k400{400};
  const std::string ok_end = "2014-01-05T00:10:00";
  std::vector<Case> cases;
  // Half of them on stored names inside the stored window (accepting one would
  // change the reads), half on names that must not come to exist.
  bool ghost = false;
  for (const std::string& value : {"2014-13-01"s,
                                   "yesterday"s,
                                   "2014-01-01T25:00:00"s,
                                   ""s,
                                   "   "s,
                                   "2014-02-30"s,
                                   "2014-02-29"s,
                                   "2014-01-01T01:00:00junk"s,
                                   "2014-01-01T01:00:00+25:00"s,
                                   "2014-01-01T01:00:00+01:00:00"s,
                                   "2014-01-01T01:60:00"s,
                                   "2014-01-01T01:00:60"s,
                                   "20140101"s,
                                   "2014-1-1"s,
                                   "2014-01-01x01:00:00"s,
                                   "0000-01-01"s,
                                   "2014-01-01T01:00:00.1234567890"s,
                                   "1388538000"s,
                                   "2014-01-01T01:00:00\0"s,
                                   "9999-12-31T23:59:59-01:00"s,
                                   "2014-01-01T01:00:00\xFF"s}) {
    std::string printable;
    for (char ch : value) printable += (ch == '\0') ? std::string("\\0") : std::string(1, ch);
    cases.push_back(FormCase("add_play with start '" + printable + "'", "POST", "/add_play",
                             ghost ? GhostPlay(value, ok_end) : Channel1Play(value, ok_end), k400,
                             {"start"}, {"start: "}));
    ghost = !ghost;
  }
  cases.push_back(FormCase("add_play with a bad end only", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-05T00:10:00Zjunk"), k400,
                           {"end"}));
  cases.push_back(FormCase("add_play with end before start", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:10:00", "2014-01-05T00:00:00"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play with end equal to start", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-05T00:00:00"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play with end equal to start through an offset", "POST",
                           "/add_play",
                           GhostPlay("2014-01-05T01:00:00+01:00", "2014-01-05T00:00:00Z"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play lasting 24 hours and one second", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-06T00:00:01"), k400,
                           {"end"}, {"end: a play may last at most 24 hours"}));
  cases.push_back(FormCase("add_play lasting eight thousand years", "POST", "/add_play",
                           GhostPlay("0001-01-01", "9999-12-31T23:59:59"), k400, {"end"},
                           {"end: a play may last at most 24 hours"}));
  cases.push_back(BodyCase("add_play with a JSON number as start", "/add_play",
                           R"({"title":"Song1","performer":"Performer1","channel":"Channel1",)"
                           R"("start":1388880000,"end":"2014-01-05T00:10:00"})",
                           "application/json", k400, {"start"},
                           {"start: must be a string, not number"}));
  cases.push_back(FormCase(
      "get_channel_plays with a bad end", "GET", "/get_channel_plays",
      {{"channel", "Channel1"}, {"start", "2014-01-01"}, {"end", "2014-13-01"}}, k400, {"end"}));
  cases.push_back(FormCase("get_song_plays with two bad datetimes", "GET", "/get_song_plays",
                           {{"title", "Song1"},
                            {"performer", "Performer1"},
                            {"start", "yesterday"},
                            {"end", "2014-02-30"}},
                           k400, {"start", "end"}));
  cases.push_back(FormCase("get_top with hour 25", "GET", "/get_top",
                           {{"channels", R"(["Channel1"])"}, {"start", "2014-01-01T25:00:00"}},
                           k400, {"start"}));
  // Several fields wrong at once: every one is reported. The end cannot be
  // compared with a start that is not a datetime.
  cases.push_back(FormCase("add_play with missing title, bad start and end before start", "POST",
                           "/add_play",
                           {{"performer", kGhostPerformer},
                            {"channel", kGhostChannel},
                            {"start", "2014-13-01"},
                            {"end", "2014-01-01"}},
                           k400, {"title", "start"}));
  cases.push_back(FormCase("add_play with every field bad", "POST", "/add_play",
                           {{"title", "  "},
                            {"performer", "\xC3\x28"},
                            {"channel", std::string(1025, 'c')},
                            {"start", "yesterday"},
                            {"end", "2014-02-30"}},
                           k400, {"title", "performer", "channel", "start", "end"},
                           {"title: must not be empty", "performer: is not valid UTF-8",
                            "channel: is longer than 1024 bytes"}));
  cases.push_back(FormCase("add_play with bad names and end before start", "POST", "/add_play",
                           {{"title", ""},
                            {"performer", kGhostPerformer},
                            {"channel", kGhostChannel},
                            {"start", "2014-01-05T00:10:00"},
                            {"end", "2014-01-05T00:00:00"}},
                           k400, {"title", "end"}, {"end: must be after start"}));
  return cases;
}

std::vector<Case> NameCases() {
  const std::vector<int> k400{400};
  const std::string json = "application/json";
  return {
      BodyCase("add_channel with %FF in a form", "/add_channel", "name=Ghost%20Channel%FF",
               "application/x-www-form-urlencoded", k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_channel with %C3%28 in a form", "/add_channel", "name=%C3%28", "", k400,
               {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_performer with an encoded surrogate", "/add_performer", "name=%ED%A0%80", "",
               k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_performer with an overlong encoding of '/'", "/add_performer", "name=%C0%AF",
               "", k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_song with a truncated sequence in the title", "/add_song",
               "title=Ghost%20Song%E2%82&performer=Ghost%20Performer", "", k400, {"title"},
               {"title: is not valid UTF-8"}),
      TargetCase("get_channel_plays with %FF in the query", "GET",
                 "/get_channel_plays?channel=%FF&start=2014-01-01&end=2014-01-02", k400,
                 {"channel"}, {"channel: is not valid UTF-8"}),
      BodyCase("add_channel with raw invalid UTF-8 in JSON", "/add_channel",
               "{\"name\":\"Ghost Channel\xFF\"}", json, k400, {"body"}),
      BodyCase("add_channel with raw invalid UTF-8 in mislabelled JSON", "/add_channel",
               "{\"name\":\"\xC3\x28\"}", "text/plain", k400, {"body"}),
      BodyCase("add_channel with an unpaired surrogate escape in JSON", "/add_channel",
               R"({"name":"\ud800"})", json, k400, {"body"}),
      FormCase("add_channel with an empty name", "POST", "/add_channel", {{"name", ""}}, k400,
               {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a whitespace-only name", "POST", "/add_channel",
               {{"name", " \t\r\n "}}, k400, {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a no-break-space-only name", "POST", "/add_channel",
               {{"name", "\xC2\xA0\xE3\x80\x80"}}, k400, {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a 1025-byte name", "POST", "/add_channel",
               {{"name", std::string(1025, 'g')}}, k400, {"name"},
               {"name: is longer than 1024 bytes"}),
      FormCase("add_song with a 1026-byte title of two-byte characters", "POST", "/add_song",
               {{"title",
                 [] {
                   std::string s;
                   for (int i = 0; i < 513; ++i) s += "\xC3\xA9";
                   return s;
                 }()},
                {"performer", kGhostPerformer}},
               k400, {"title"}, {"title: is longer than 1024 bytes"}),
      FormCase("add_performer with a 100000-byte name", "POST", "/add_performer",
               {{"name", std::string(100000, 'p')}}, k400, {"name"},
               {"name: is longer than 1024 bytes"}),
      BodyCase("add_channel with a number as name", "/add_channel", R"({"name":42})", json, k400,
               {"name"}, {"name: must be a string, not number"}),
      BodyCase("add_channel with null as name", "/add_channel", R"({"name":null})", json, k400,
               {"name"}, {"name: must be a string, not null"}),
      BodyCase("add_channel with an array as name", "/add_channel", R"({"name":["Ghost Channel"]})",
               json, k400, {"name"}, {"name: must be a string, not array"}),
      BodyCase("add_channel with an object as name", "/add_channel",
               R"({"name":{"name":"Ghost Channel"}})", "", k400, {"name"},
               {"name: must be a string, not object"}),
      BodyCase("add_channel with a boolean as name", "/add_channel", R"({"name":true})", json, k400,
               {"name"}, {"name: must be a string, not boolean"}),
      BodyCase("add_play with a wrong JSON type in every field", "/add_play",
               R"({"title":1,"performer":null,"channel":[],"start":{},"end":true})", json, k400,
               {"title", "performer", "channel", "start", "end"}, {"must be a string, not"}),
  };
}

TEST_F(HostileRequests, MissingFieldsAreAllReportedOnEveryEndpoint) {
  RunCases(MissingFieldCases());
}

TEST_F(HostileRequests, MalformedDatetimesAndBadTimeRangesAreRejectedNamingEachField) {
  RunCases(DatetimeCases());
}

TEST_F(HostileRequests, InvalidNamesAreRejectedAndCreateNothing) { RunCases(NameCases()); }

}  // namespace
}  // namespace spinlog::e2e::hostile
