// Hostile requests that are valid HTTP but wrong for the classic API: wrong
// methods (405 with Allow), unknown paths (404), and malformed, oversized or
// badly escaped bodies and queries.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "e2e/hostile_case.h"
#include "e2e/hostile_support.h"

namespace spinlog::e2e::hostile {
namespace {

using namespace std::string_literals;

std::vector<Case> MethodAndPathCases() {
  std::vector<Case> cases;
  for (const char* path : {"/add_channel", "/add_performer", "/add_song", "/add_play"}) {
    for (const char* method : {"GET", "PUT", "DELETE"}) {
      Case c = TargetCase(
          std::string(method) + " on " + path, method,
          std::string(path) + (std::string(method) == "GET" ? "?name=Ghost%20Channel" : ""), {405},
          {});
      if (std::string(method) == "PUT") {
        c.body =
            "name=Ghost%20Channel&title=Ghost%20Song&performer=Ghost%20Performer&channel=Ghost%"
            "20Channel"
            "&start=2014-01-05&end=2014-01-05T00:10:00";
        c.content_type = "application/x-www-form-urlencoded";
      }
      c.allow = {"POST"};
      cases.push_back(std::move(c));
    }
  }
  for (const char* path : {"/get_channel_plays", "/get_song_plays", "/get_top"}) {
    Case c = TargetCase(std::string("DELETE on ") + path, "DELETE", path, {405}, {});
    c.allow = {"GET", "POST"};
    cases.push_back(std::move(c));
  }
  Case patch = TargetCase("PATCH on /add_play", "PATCH", "/add_play", {405}, {});
  patch.allow = {"POST"};
  cases.push_back(std::move(patch));
  for (const char* path : {"/nope", "/add_channelx", "/ADD_CHANNEL", "/add_channel/extra",
                           "/get_top/", "/../../etc/passwd", "/add_play%00"}) {
    cases.push_back(TargetCase(std::string("unknown path ") + path, "GET", path, {404}, {}));
  }
  cases.push_back(TargetCase("POST to an unknown path", "POST", "/add_plays", {404}, {}));
  return cases;
}

std::vector<Case> BodyCases() {
  const std::vector<int> k400{400};
  const std::string json = "application/json";
  const std::string form = "application/x-www-form-urlencoded";
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  std::string deep_member = R"({"name":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  std::vector<Case> cases = {
      BodyCase("truncated JSON", "/add_channel", R"({"name":"Ghost Chan)", json, k400, {"body"}),
      BodyCase("truncated JSON without Content-Type", "/add_channel", R"({"name":"Ghost Channel")",
               "", k400, {"body"}),
      BodyCase("JSON with a trailing comma", "/add_channel", R"({"name":"Ghost Channel",})", json,
               k400, {"body"}),
      BodyCase("JSON with junk after the object", "/add_channel", R"({"name":"Ghost Channel"} x)",
               json, k400, {"body"}),
      BodyCase("JSON with single quotes", "/add_channel", R"({'name':'Ghost Channel'})", json, k400,
               {"body"}),
      BodyCase("a top-level JSON array", "/add_channel", R"(["name","Ghost Channel"])", json, k400,
               {"body"}),
      BodyCase("a top-level JSON string", "/get_top", R"("channels")", json, k400, {"body"}),
      BodyCase("10000 nested arrays", "/add_channel", deep, json, k400, {"body"}),
      BodyCase("10000 nested arrays inside the object", "/add_channel", deep_member, json, k400,
               {"body"}),
      BodyCase("a form body declared as JSON", "/add_channel", "name=Ghost%20Channel", json, k400,
               {"body"}),
      BodyCase("a raw NUL inside a JSON string", "/add_channel", "{\"name\":\"Ghost\0Channel\"}"s,
               json, k400, {"body"}),
      BodyCase("a byte-order mark before broken JSON", "/add_channel",
               "\xEF\xBB\xBF{\"name\":\"Ghost Channel\"", json, k400, {"body"}),
      BodyCase("a number too big for JSON", "/get_top",
               R"({"channels":["Channel1"],"start":"2014-01-08","limit":1e400})", json, k400,
               {"body"}),
      BodyCase("percent escape with non-hex digits", "/add_channel", "name=Ghost%zzChannel", form,
               k400, {"body"}),
      BodyCase("percent sign at the end of the body", "/add_channel", "name=Ghost%20Channel%", form,
               k400, {"body"}),
      BodyCase("percent escape with one digit", "/add_channel", "name=Ghost%4", form, k400,
               {"body"}),
      TargetCase("bad percent escape in the query of a GET", "GET",
                 "/get_channel_plays?channel=Channel%G1&start=2014-01-01&end=2014-01-02", k400,
                 {"query"}),
      FormCase("NUL after a stored channel name", "GET", "/get_channel_plays",
               {{"channel", "Channel1\0"s}, {"start", "2014-01-01"}, {"end", "2014-01-15"}},
               {404, 400}, {}),
  };
  Case query_on_post = BodyCase("bad percent escape in the query of a POST", "/add_channel",
                                "name=Ghost%20Channel", form, k400, {"query"});
  query_on_post.target = "/add_channel?x=%%";
  cases.push_back(std::move(query_on_post));

  // Bodies over the classic limit of 1 MiB, with valid fields inside.
  cases.push_back(BodyCase("a 2 MiB form body", "/add_channel",
                           "name=Ghost%20Channel&pad=" + std::string(2 << 20, 'a'), form, {413},
                           {"body"}));
  cases.push_back(BodyCase("a 2 MiB JSON body on a read", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","pad":")" +
                               std::string(2 << 20, 'a') + "\"}",
                           json, {413}, {"body"}));
  cases.push_back(BodyCase("a body just over 1 MiB", "/add_channel",
                           "name=Ghost%20Channel&pad=" + std::string((1 << 20) - 24, 'a'), form,
                           {413}, {"body"}));
  // Beyond the connection's own limit of 16 MiB the server may just close.
  Case huge = BodyCase("a 17 MiB body", "/add_play",
                       Form(GhostPlay("2014-01-05T00:00:00", "2014-01-05T00:10:00")) +
                           "&pad=" + std::string(17 << 20, 'a'),
                       form, {413, kClosed}, {});
  cases.push_back(std::move(huge));
  return cases;
}

TEST_F(HostileRequests, WrongMethodsAnswer405WithAllowAndUnknownPaths404) {
  RunCases(MethodAndPathCases());
}

TEST_F(HostileRequests, MalformedOversizedOrBadlyEscapedBodiesAreRejected) {
  RunCases(BodyCases());
}

}  // namespace
}  // namespace spinlog::e2e::hostile
