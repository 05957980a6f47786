#include "auth/scopes.h"

#include <gtest/gtest.h>

namespace spinlog::auth {
namespace {

TEST(Scopes, ParsesListsWithSpacesAndRepeats) {
  EXPECT_EQ(*ParseScopes("read"), kRead);
  EXPECT_EQ(*ParseScopes("read, write"), kRead | kWrite);
  EXPECT_EQ(*ParseScopes("admin,admin,"), kAdmin);
  EXPECT_EQ(*ParseScopes("write,admin,read"), kRead | kWrite | kAdmin);
}

TEST(Scopes, RefusesUnknownAndEmpty) {
  EXPECT_FALSE(ParseScopes("").ok());
  EXPECT_FALSE(ParseScopes(" , ").ok());
  Result<ScopeSet> bad = ParseScopes("read,superuser");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("superuser"), std::string::npos);
  EXPECT_FALSE(ParseScopes("READ").ok()) << "scope names are lower case";
}

TEST(Scopes, FormatsInFixedOrder) {
  EXPECT_EQ(FormatScopes(kAdmin | kRead), "read,admin");
  EXPECT_EQ(FormatScopes(0), "");
  EXPECT_EQ(*ParseScopes(FormatScopes(kRead | kWrite | kAdmin)), kRead | kWrite | kAdmin);
}

}  // namespace
}  // namespace spinlog::auth
