// Auth over the whole route table: no route that changes state can be added
// without the gate asking for a token. The gate refuses before any handler
// runs, so the routes are registered without services: a request that got
// through would crash the test.
#include <gtest/gtest.h>

#include <string>

#include "api/access_gate.h"
#include "api/routes.h"
#include "auth/token_file.h"
#include "support/temp_dir.h"

namespace spinlog::api {
namespace {

// The classic API's queries may be sent by POST (plays-api.md); every other
// route with a method other than GET, HEAD or OPTIONS changes state. A new
// read by POST must be added here on purpose.
bool ChangesState(http::Method method, const std::string& pattern) {
  if (method == http::Method::kGet || method == http::Method::kHead ||
      method == http::Method::kOptions) {
    return false;
  }
  return !(method == http::Method::kPost &&
           (pattern == "/get_top" || pattern == "/get_channel_plays" ||
            pattern == "/get_song_plays"));
}

// "/api/v1/songs/{id}/merge" -> "/api/v1/songs/1/merge".
std::string Concrete(std::string pattern) {
  for (std::size_t open; (open = pattern.find('{')) != std::string::npos;) {
    pattern.replace(open, pattern.find('}', open) - open + 1, "1");
  }
  return pattern;
}

// What the product calls administrative (docs/security.md): merges and
// deleting catalogue records.
bool IsAdministrative(http::Method method, const std::string& pattern) {
  if (pattern.size() >= 6 && pattern.compare(pattern.size() - 6, 6, "/merge") == 0) return true;
  if (method != http::Method::kDelete) return false;
  for (const char* prefix : {"/api/v1/songs/", "/api/v1/performers/", "/api/v1/channels/"}) {
    if (pattern.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

class GatedRouteTable : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = auth::TokenFilePath(dir_.path());
    reader_ = *auth::MakeToken();
    writer_ = *auth::MakeToken();
    ASSERT_TRUE(auth::WriteTokenFile(path, {{reader_.id, "r", auth::kRead, reader_.hash, 1, 0},
                                            {writer_.id, "w", auth::kWrite, writer_.hash, 1, 0}})
                    .ok());
    registry_ = std::move(auth::TokenRegistry::Open(path)).value();
    RegisterRoutes(services_, &router_);
  }

  // Dispatches and returns the status answered synchronously (0: none, the
  // handler would have run).
  int Status(http::Method method, const std::string& path, const std::string& authorization) {
    http::Request request;
    request.method = method;
    request.path = path;
    if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
    int status = 0;
    router_.Dispatch(std::move(request), [&status](http::Response r) { status = r.status; });
    return status;
  }

  testing::TempDir dir_;
  auth::NewToken reader_, writer_;
  std::unique_ptr<auth::TokenRegistry> registry_;
  Services services_;
  http::Router router_;
};

TEST_F(GatedRouteTable, EveryRouteThatChangesStateIsMarkedAWrite) {
  int writes = 0;
  for (const auto& [method, pattern] : router_.Routes()) {
    const http::RouteAttributes* attributes = router_.Find(method, Concrete(pattern));
    ASSERT_NE(attributes, nullptr) << pattern;
    if (ChangesState(method, pattern)) {
      ++writes;
      EXPECT_TRUE(attributes->is_write || attributes->is_admin)
          << http::MethodName(method) << " " << pattern << " changes state but is not a write";
    }
    EXPECT_EQ(attributes->is_admin, IsAdministrative(method, pattern))
        << http::MethodName(method) << " " << pattern;
    EXPECT_FALSE(attributes->is_probe) << pattern << ": only health probes skip the gate";
  }
  EXPECT_GT(writes, 5);
}

TEST_F(GatedRouteTable, WritesNeedATokenWithTheirScope) {
  AccessGate gate(registry_.get(), AccessGateOptions{});
  gate.Install(&router_);
  for (const auto& [method, pattern] : router_.Routes()) {
    const std::string path = Concrete(pattern);
    const http::RouteAttributes* attributes = router_.Find(method, path);
    if (!attributes->is_write && !attributes->is_admin) continue;
    const std::string route = std::string(http::MethodName(method)) + " " + pattern;
    EXPECT_EQ(Status(method, path, ""), 401) << route;
    EXPECT_EQ(Status(method, path, "Bearer spl_bogus"), 401) << route;
    EXPECT_EQ(Status(method, path, "Bearer " + reader_.text), 403) << route;
    if (attributes->is_admin) {
      EXPECT_EQ(Status(method, path, "Bearer " + writer_.text), 403) << route;
    }
  }
  EXPECT_GT(gate.unauthorized(), 0u);
  EXPECT_GT(gate.forbidden(), 0u);
}

TEST_F(GatedRouteTable, WithReadTokensRequiredNothingIsOpen) {
  AccessGateOptions options;
  options.access.reads_need_token = true;
  AccessGate gate(registry_.get(), options);
  gate.Install(&router_);
  for (const auto& [method, pattern] : router_.Routes()) {
    EXPECT_EQ(Status(method, Concrete(pattern), ""), 401)
        << http::MethodName(method) << " " << pattern;
  }
}

TEST_F(GatedRouteTable, RefusalsTakeTheirApisErrorShape) {
  AccessGate gate(registry_.get(), AccessGateOptions{});
  gate.Install(&router_);
  std::string v1_body, classic_body;
  {
    http::Request request;
    request.method = http::Method::kPost;
    request.path = "/api/v1/plays";
    router_.Dispatch(std::move(request), [&](http::Response r) { v1_body = r.body; });
  }
  {
    http::Request request;
    request.method = http::Method::kPost;
    request.path = "/add_play";
    router_.Dispatch(std::move(request), [&](http::Response r) { classic_body = r.body; });
  }
  EXPECT_EQ(v1_body.rfind("{\"error\":{\"status\":401,\"code\":\"unauthorized\"", 0), 0u) << v1_body;
  EXPECT_EQ(classic_body.rfind("{\"code\":401,\"errors\":[", 0), 0u) << classic_body;
}

}  // namespace
}  // namespace spinlog::api
