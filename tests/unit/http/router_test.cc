#include "http/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <vector>
#include <optional>
#include <string>

namespace spinlog::http {
namespace {

Request MakeRequest(Method method, std::string path, std::string body = "") {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

// Dispatches synchronously and returns what was answered.
std::optional<Response> DispatchNow(const Router& router, Request request) {
  std::optional<Response> answer;
  router.Dispatch(std::move(request), [&answer](Response response) { answer = std::move(response); });
  return answer;
}

// A handler that answers 200 with `name`, followed by any path parameters.
Handler Named(std::string name) {
  return [name](Request&& request, Responder respond) {
    Response response;
    response.body = name;
    for (const auto& [key, value] : request.path_params) response.body += " " + key + "=" + value;
    respond(std::move(response));
  };
}

TEST(Request, FindHeaderIgnoresAsciiCase) {
  Request request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-Dup", "first"}, {"x-dup", "second"}};
  EXPECT_EQ(request.FindHeader("content-type"), "text/plain");
  EXPECT_EQ(request.FindHeader("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(request.FindHeader("X-DUP"), "first");
  EXPECT_TRUE(request.FindHeader("Content-Length").empty());
}

TEST(Request, FindHeadersListsEveryLineOfAField) {
  Request request;
  request.headers = {{"X-Dup", "first"}, {"Other", "o"}, {"x-dup", "second"}};
  const std::vector<std::string_view> values = request.FindHeaders("X-DUP");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "first");
  EXPECT_EQ(values[1], "second");
  EXPECT_TRUE(request.FindHeaders("Absent").empty());
}

TEST(Request, PathParamAndMethodName) {
  Request request;
  request.path_params = {{"id", "42"}};
  EXPECT_EQ(request.PathParam("id"), "42");
  EXPECT_TRUE(request.PathParam("other").empty());
  EXPECT_STREQ(MethodName(Method::kDelete), "DELETE");
  EXPECT_STREQ(MethodName(Method::kOther), "OTHER");
}

TEST(Router, LiteralRouteBeatsPatternRoute) {
  Router router;
  router.Add(Method::kGet, "/songs/{id}", {}, Named("by-id"));
  router.Add(Method::kGet, "/songs/search", {}, Named("search"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/songs/search"))->body, "search");
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/songs/7"))->body, "by-id id=7");
}

TEST(Router, EarlierLiteralSegmentBeatsParameter) {
  Router router;
  router.Add(Method::kGet, "/{a}/b/{c}", {}, Named("param-first"));
  router.Add(Method::kGet, "/x/{b}/{c}", {}, Named("literal-first"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/x/b/z"))->body, "literal-first b=b c=z");
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/y/b/z"))->body, "param-first a=y c=z");
}

TEST(Router, FillsPathParamsRawAndRequiresWholeNonEmptySegments) {
  Router router;
  router.Add(Method::kGet, "/api/v1/channels/{channel}/plays/{start}", {}, Named("plays"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/api/v1/channels/Radio%201/plays/2014"))->body,
            "plays channel=Radio%201 start=2014");
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/api/v1/channels//plays/2014"))->status, 404);
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/api/v1/channels/a/plays"))->status, 404);
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/api/v1/channels/a/plays/1/x"))->status, 404);
}

TEST(Router, UnknownPathAnswers404WithJsonError) {
  Router router;
  router.Add(Method::kGet, "/get_top", {}, Named("top"));
  const auto answer = DispatchNow(router, MakeRequest(Method::kGet, "/nope\"x"));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->content_type, "application/json; charset=utf-8");
  EXPECT_EQ(answer->body, R"({"code":404,"errors":["no route for GET /nope\"x"],"result":null})");
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/get_top/"))->status, 404);
}

TEST(Router, KnownPathWrongMethodAnswers405WithAllowedMethods) {
  Router router;
  router.Add(Method::kPost, "/add_play", {}, Named("add"));
  router.Add(Method::kGet, "/songs/{id}", {}, Named("get"));
  router.Add(Method::kDelete, "/songs/{id}", {}, Named("delete"));

  std::vector<Method> seen;
  router.SetNoRouteHandler([&seen](Request&&, std::vector<Method> allowed, Responder respond) {
    seen = allowed;
    Response response;
    response.status = allowed.empty() ? 404 : 405;
    respond(std::move(response));
  });
  auto answer = DispatchNow(router, MakeRequest(Method::kGet, "/add_play"));
  EXPECT_EQ(answer->status, 405);
  EXPECT_EQ(seen, std::vector<Method>{Method::kPost});
  ASSERT_EQ(answer->headers.size(), 1u);
  EXPECT_EQ(answer->headers[0], Header("Allow", "POST"));

  answer = DispatchNow(router, MakeRequest(Method::kPut, "/songs/3"));
  EXPECT_EQ(answer->status, 405);
  EXPECT_EQ(seen, (std::vector<Method>{Method::kGet, Method::kHead, Method::kDelete}));
  EXPECT_EQ(answer->headers[0], Header("Allow", "GET, HEAD, DELETE"));

  DispatchNow(router, MakeRequest(Method::kGet, "/elsewhere"));
  EXPECT_TRUE(seen.empty());
}

TEST(Router, Default405NamesMethodAndAllowed) {
  Router router;
  router.Add(Method::kPost, "/add_song", {}, Named("add"));
  const auto answer = DispatchNow(router, MakeRequest(Method::kGet, "/add_song"));
  EXPECT_EQ(answer->status, 405);
  EXPECT_EQ(answer->body,
            R"({"code":405,"errors":["method GET not allowed for /add_song; allowed: POST"],"result":null})");
}

TEST(Router, LessSpecificPatternServesMethodTheMoreSpecificLacks) {
  Router router;
  router.Add(Method::kGet, "/songs/search", {}, Named("search"));
  router.Add(Method::kDelete, "/songs/{id}", {}, Named("delete"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kDelete, "/songs/search"))->body, "delete id=search");
}

TEST(Router, HeadFallsBackToGet) {
  Router router;
  router.Add(Method::kGet, "/health", {}, Named("health"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kHead, "/health"))->body, "health");
  ASSERT_NE(router.Find(Method::kHead, "/health"), nullptr);
}

TEST(Router, BodyOverRouteLimitAnswers413) {
  Router router;
  RouteAttributes small;
  small.max_body_bytes = 4;
  small.is_write = true;
  router.Add(Method::kPost, "/add_channel", small, Named("add"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kPost, "/add_channel", "1234"))->status, 200);
  auto answer = DispatchNow(router, MakeRequest(Method::kPost, "/add_channel", "12345"));
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(answer->body,
            R"({"code":413,"errors":["request body of 5 bytes exceeds the limit of 4 bytes"],"result":null})");

  std::size_t seen_limit = 0;
  router.SetBodyTooLargeHandler([&seen_limit](Request&&, std::size_t limit, Responder respond) {
    seen_limit = limit;
    Response response;
    response.status = 413;
    respond(std::move(response));
  });
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kPost, "/add_channel", "12345"))->status, 413);
  EXPECT_EQ(seen_limit, 4u);
}

TEST(Router, FindReturnsAttributesAndRoutesListsAll) {
  Router router;
  RouteAttributes write;
  write.is_write = true;
  router.Add(Method::kPost, "/add_play", write, Named("add"));
  router.Add(Method::kGet, "/get_top", {}, Named("top"));
  router.Add(Method::kGet, "/songs/{id}", {}, Named("song"));
  const RouteAttributes* found = router.Find(Method::kPost, "/add_play");
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(found->is_write);
  EXPECT_EQ(router.Find(Method::kGet, "/add_play"), nullptr);
  EXPECT_NE(router.Find(Method::kGet, "/songs/1"), nullptr);
  const auto routes = router.Routes();
  EXPECT_EQ(routes.size(), 3u);
  EXPECT_NE(std::find(routes.begin(), routes.end(), std::make_pair(Method::kGet, std::string("/songs/{id}"))),
            routes.end());
}

TEST(Router, EtagRoutesGetConditionalGetAndHeadOnly) {
  Router router;
  RouteAttributes tagged;
  tagged.etag = true;
  router.Add(Method::kGet, "/songs/{id}", tagged, Named("song"));
  router.Add(Method::kPost, "/songs/{id}", tagged, Named("song"));
  router.Add(Method::kGet, "/plain", {}, Named("plain"));
  auto etag_of = [](const Response& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "ETag") return value;
    }
    return std::string();
  };
  const std::optional<Response> get = DispatchNow(router, MakeRequest(Method::kGet, "/songs/1"));
  ASSERT_TRUE(get);
  const std::string tag = etag_of(*get);
  EXPECT_EQ(tag.size(), 18u);
  EXPECT_EQ(etag_of(*DispatchNow(router, MakeRequest(Method::kHead, "/songs/1"))), tag);
  EXPECT_EQ(etag_of(*DispatchNow(router, MakeRequest(Method::kPost, "/songs/1"))), "");
  EXPECT_EQ(etag_of(*DispatchNow(router, MakeRequest(Method::kGet, "/plain"))), "");

  Request conditional = MakeRequest(Method::kGet, "/songs/1");
  conditional.headers = {{"If-None-Match", tag}};
  EXPECT_EQ(DispatchNow(router, std::move(conditional))->status, 304);
  Request head = MakeRequest(Method::kHead, "/songs/1");
  head.headers = {{"If-None-Match", "*"}};
  EXPECT_EQ(DispatchNow(router, std::move(head))->status, 304);
  Request plain = MakeRequest(Method::kGet, "/plain");
  plain.headers = {{"If-None-Match", "*"}};
  EXPECT_EQ(DispatchNow(router, std::move(plain))->status, 200);
}

TEST(Router, RootPathIsALiteral) {
  Router router;
  router.Add(Method::kGet, "/", {}, Named("root"));
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/"))->body, "root");
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, ""))->status, 404);
}

}  // namespace
TEST(RouterPatternOf, NamesTheRoutePatternNeverThePath) {
  Router router;
  auto ignore = [](Request&&, Responder) {};
  router.Add(Method::kGet, "/songs/{id}", {}, ignore);
  router.Add(Method::kGet, "/songs/top", {}, ignore);
  router.Add(Method::kPost, "/songs", {}, ignore);
  router.Add(Method::kGet, "/{kind}/{id}/plays", {}, ignore);
  router.Add(Method::kGet, "/songs/{id}/plays", {}, ignore);
  EXPECT_EQ(router.PatternOf(Method::kGet, "/songs/42"), "/songs/{id}");
  EXPECT_EQ(router.PatternOf(Method::kGet, "/songs/top"), "/songs/top");
  EXPECT_EQ(router.PatternOf(Method::kPost, "/songs"), "/songs");
  EXPECT_EQ(router.PatternOf(Method::kGet, "/songs/7/plays"), "/songs/{id}/plays");
  EXPECT_EQ(router.PatternOf(Method::kGet, "/channels/7/plays"), "/{kind}/{id}/plays");
  // HEAD is served by GET's route.
  EXPECT_EQ(router.PatternOf(Method::kHead, "/songs/42"), "/songs/{id}");
  // No route: a wrong method (405) or an unknown path (404).
  EXPECT_EQ(router.PatternOf(Method::kDelete, "/songs/42"), "");
  EXPECT_EQ(router.PatternOf(Method::kGet, "/nothing"), "");
}

TEST(Router, DispatchTellsThePatternItMatchedBeforeTheHandlerAnswers) {
  Router router;
  std::string_view seen_by_handler = "unset";
  std::string_view matched = "unset";
  router.Add(Method::kGet, "/songs/{id}", {}, [&](Request&&, Responder respond) {
    seen_by_handler = matched;  // already set when the handler runs
    respond(Response{});
  });
  router.Dispatch(MakeRequest(Method::kGet, "/songs/7"), [](Response) {}, &matched);
  EXPECT_EQ(matched, "/songs/{id}");
  EXPECT_EQ(seen_by_handler, "/songs/{id}");
  router.Dispatch(MakeRequest(Method::kGet, "/nothing"), [](Response) {}, &matched);
  EXPECT_EQ(matched, "");
}

TEST(Router, GateRefusesOrWrapsBeforeTheBodyLimitAndSkipsProbes) {
  Router router;
  RouteAttributes small;
  small.max_body_bytes = 1;
  router.Add(Method::kPost, "/guarded", small, Named("guarded"));
  RouteAttributes probe;
  probe.is_probe = true;
  router.Add(Method::kGet, "/probe", probe, Named("probe"));
  std::vector<std::string> seen;
  router.SetGate([&seen](const Request& request, const RouteAttributes&, Responder& respond) {
    seen.push_back(request.path);
    if (request.FindHeader("Authorization").empty()) {
      Response refused;
      refused.status = 401;
      respond(std::move(refused));
      return false;
    }
    respond = [inner = std::move(respond)](Response response) {
      response.headers.emplace_back("X-Gate", "passed");
      inner(std::move(response));
    };
    return true;
  });

  // Refused before the body limit is looked at: no 413 for a caller who may not call.
  std::optional<Response> refused = DispatchNow(router, MakeRequest(Method::kPost, "/guarded", "xx"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);

  Request allowed = MakeRequest(Method::kPost, "/guarded", "x");
  allowed.headers.emplace_back("authorization", "yes");
  std::optional<Response> answer = DispatchNow(router, std::move(allowed));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->body, "guarded");
  ASSERT_EQ(answer->headers.size(), 1u);
  EXPECT_EQ(answer->headers[0].second, "passed");

  std::optional<Response> probed = DispatchNow(router, MakeRequest(Method::kGet, "/probe"));
  ASSERT_TRUE(probed.has_value());
  EXPECT_EQ(probed->body, "probe");
  // No route, no gate: 404 is the router's own.
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/nothing"))->status, 404);
  EXPECT_EQ(seen, (std::vector<std::string>{"/guarded", "/guarded"}));
}

TEST(Router, OffloadTakesHandlersThatMayWaitAfterTheGateAndBodyLimit) {
  Router router;
  RouteAttributes store_route;
  store_route.max_body_bytes = 4;
  RouteAttributes memory_route;
  memory_route.answers_from_memory = true;
  router.Add(Method::kGet, "/plays", store_route, Named("plays"));
  router.Add(Method::kGet, "/top", memory_route, Named("top"));
  int gate_calls = 0;
  router.SetGate([&gate_calls](const Request&, const RouteAttributes&, Responder&) {
    ++gate_calls;
    return true;
  });
  std::vector<std::function<void()>> offloaded;
  router.SetOffload(
      [&offloaded](std::function<void()> task) { offloaded.push_back(std::move(task)); });

  // From memory: answered at once, on the calling thread.
  std::optional<Response> top = DispatchNow(router, MakeRequest(Method::kGet, "/top"));
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->body, "top");
  EXPECT_TRUE(offloaded.empty());

  // May wait: handed over after the gate; answered when the task runs.
  std::optional<Response> later;
  router.Dispatch(MakeRequest(Method::kGet, "/plays"),
                  [&later](Response response) { later = std::move(response); });
  EXPECT_FALSE(later.has_value());
  EXPECT_EQ(gate_calls, 2);
  ASSERT_EQ(offloaded.size(), 1u);
  offloaded[0]();
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->body, "plays");

  // The body limit, 404 and 405 are answered on the calling thread.
  std::optional<Response> too_large =
      DispatchNow(router, MakeRequest(Method::kGet, "/plays", "12345"));
  ASSERT_TRUE(too_large.has_value());
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kGet, "/none"))->status, 404);
  EXPECT_EQ(DispatchNow(router, MakeRequest(Method::kPost, "/plays"))->status, 405);
  EXPECT_EQ(offloaded.size(), 1u);
}

TEST(Router, AnOffloadedHandlerThatThrowsDoesNotEscapeItsTask) {
  Router router;
  router.Add(Method::kGet, "/boom", RouteAttributes{},
             [](Request&&, Responder) { throw std::runtime_error("boom"); });
  std::function<void()> task;
  router.SetOffload([&task](std::function<void()> t) { task = std::move(t); });
  DispatchNow(router, MakeRequest(Method::kGet, "/boom"));
  ASSERT_TRUE(task);
  EXPECT_NO_THROW(task());
}

}  // namespace spinlog::http
