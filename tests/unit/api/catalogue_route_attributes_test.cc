// The catalogue's write routes declare what token auth enforces: every
// write is is_write, deletions and merges are is_admin too, and no GET of
// the catalogue is either.
#include <gtest/gtest.h>

#include <string>

#include "api/routes.h"

namespace spinlog::api {
namespace {

TEST(CatalogueRouteAttributes, WritesAreWritesAndDeletionsAndMergesAreAdministrative) {
  Services services;
  http::Router router;
  RegisterRoutes(services, &router);
  struct Expected {
    http::Method method;
    std::string path;
    bool is_write;
    bool is_admin;
  } cases[] = {
      {http::Method::kPost, "/api/v1/channels", true, false},
      {http::Method::kPatch, "/api/v1/channels/1", true, false},
      {http::Method::kDelete, "/api/v1/channels/1", true, true},
      {http::Method::kPost, "/api/v1/performers", true, false},
      {http::Method::kPatch, "/api/v1/performers/1", true, false},
      {http::Method::kDelete, "/api/v1/performers/1", true, true},
      {http::Method::kPost, "/api/v1/performers/1/merge", true, true},
      {http::Method::kPost, "/api/v1/songs", true, false},
      {http::Method::kPatch, "/api/v1/songs/1", true, false},
      {http::Method::kDelete, "/api/v1/songs/1", true, true},
      {http::Method::kPost, "/api/v1/songs/1/merge", true, true},
      {http::Method::kGet, "/api/v1/songs/1", false, false},
      {http::Method::kGet, "/api/v1/performers", false, false},
      {http::Method::kGet, "/api/v1/channels/1", false, false},
  };
  for (const Expected& e : cases) {
    const http::RouteAttributes* attributes = router.Find(e.method, e.path);
    ASSERT_NE(attributes, nullptr) << http::MethodName(e.method) << " " << e.path;
    EXPECT_EQ(attributes->is_write, e.is_write) << http::MethodName(e.method) << " " << e.path;
    EXPECT_EQ(attributes->is_admin, e.is_admin) << http::MethodName(e.method) << " " << e.path;
  }
}

}  // namespace
}  // namespace spinlog::api
