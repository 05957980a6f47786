// The OpenAPI document and the route table agree: every route the router
// serves under /api/v1 is documented, every documented operation is served,
// and every GET under /api/v1 has conditional GETs (ETag, 304).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "api/routes.h"
#include "api/v1/openapi_api.h"
#include "json/json_reader.h"

namespace spinlog::api {
namespace {

using Operation = std::pair<std::string, std::string>;  // (path, lower-case method)

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Members of a JSON object text; fails the test when it is not one.
std::vector<json::JsonMember> Members(std::string_view text) {
  Result<std::vector<json::JsonMember>> members = json::ParseJsonObject(text);
  EXPECT_TRUE(members.ok()) << members.status().ToString();
  return members.ok() ? std::move(members).value() : std::vector<json::JsonMember>{};
}

std::set<Operation> DocumentedOperations() {
  static const std::set<std::string> kMethods = {"get",  "put",     "post",  "delete",
                                                 "head", "options", "patch", "trace"};
  std::set<Operation> operations;
  for (const json::JsonMember& top : Members(v1::OpenApiDocument())) {
    if (top.name != "paths") continue;
    for (const json::JsonMember& path : Members(top.value)) {
      for (const json::JsonMember& member : Members(path.value)) {
        if (kMethods.count(member.name) != 0) operations.emplace(path.name, member.name);
      }
    }
  }
  return operations;
}

// The routes need no service until a request arrives.
class RouteTable : public ::testing::Test {
 protected:
  void SetUp() override { RegisterRoutes(services_, &router_); }

  std::set<Operation> ServedV1Operations() const {
    std::set<Operation> served;
    for (const auto& [method, pattern] : router_.Routes()) {
      if (pattern.rfind("/api/v1/", 0) == 0)
        served.emplace(pattern, Lower(http::MethodName(method)));
    }
    return served;
  }

  Services services_;
  http::Router router_;
};

TEST_F(RouteTable, EveryV1RouteIsDocumentedAndEveryDocumentedOperationIsServed) {
  const std::set<Operation> documented = DocumentedOperations();
  const std::set<Operation> served = ServedV1Operations();
  ASSERT_FALSE(documented.empty());
  for (const Operation& op : served) {
    EXPECT_EQ(documented.count(op), 1u) << op.second << " " << op.first << " is not documented";
  }
  for (const Operation& op : documented) {
    EXPECT_EQ(served.count(op), 1u) << op.second << " " << op.first << " is documented, not served";
  }
}

TEST_F(RouteTable, EveryV1GetHasConditionalGets) {
  for (const auto& [path, method] : ServedV1Operations()) {
    if (method != "get") continue;
    std::string concrete = path;
    for (std::size_t at; (at = concrete.find("{id}")) != std::string::npos;) {
      concrete.replace(at, 4, "1");
    }
    const http::RouteAttributes* attributes = router_.Find(http::Method::kGet, concrete);
    ASSERT_NE(attributes, nullptr) << path;
    EXPECT_TRUE(attributes->etag) << path;
    EXPECT_FALSE(attributes->is_write) << path;
  }
}

TEST_F(RouteTable, TheClassicApiHasNoConditionalGets) {
  for (const auto& [method, pattern] : router_.Routes()) {
    if (pattern.rfind("/api/", 0) == 0) continue;
    const http::RouteAttributes* attributes = router_.Find(method, pattern);
    ASSERT_NE(attributes, nullptr) << pattern;
    EXPECT_FALSE(attributes->etag) << pattern;
  }
}

}  // namespace
}  // namespace spinlog::api
