#include "http/prefer.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace spinlog::http {
namespace {

Request WithPrefer(const std::vector<std::string>& fields) {
  Request request;
  request.headers.emplace_back("Content-Type", "application/json");
  for (const std::string& field : fields) request.headers.emplace_back("Prefer", field);
  return request;
}

TEST(FindPreference, ReadsTokenAndQuotedValuesAndBarePreferences) {
  const Request r = WithPrefer({"respond-async, wait=10", R"(return="minimal", odd="a\"b,c")"});
  EXPECT_EQ(FindPreference(r, "respond-async"), std::optional<std::string>(""));
  EXPECT_EQ(FindPreference(r, "wait"), std::optional<std::string>("10"));
  EXPECT_EQ(FindPreference(r, "return"), std::optional<std::string>("minimal"));
  EXPECT_EQ(FindPreference(r, "odd"), std::optional<std::string>("a\"b,c"));
  EXPECT_EQ(FindPreference(r, "handling"), std::nullopt);
  EXPECT_EQ(FindPreference(Request(), "return"), std::nullopt);
}

TEST(FindPreference, NamesAreCaseInsensitiveAndSpacesAroundTheEqualsSignAllowed) {
  const Request r = WithPrefer({"  RETURN  =  minimal ;foo=bar ; baz"});
  EXPECT_EQ(FindPreference(r, "return"), std::optional<std::string>("minimal"));
  Request lower_case_field;
  lower_case_field.headers.emplace_back("prefer", "return=minimal");
  EXPECT_EQ(FindPreference(lower_case_field, "Return"), std::optional<std::string>("minimal"));
}

TEST(FindPreference, SkipsMalformedMembersAndFindsTheWellFormedOnesAfterThem) {
  // A value that is neither token nor closed quoted-string, a name that is
  // not a token, junk after a value: skipped, never an error.
  EXPECT_EQ(FindPreference(WithPrefer({"return=, return=minimal"}), "return"),
            std::optional<std::string>("minimal"));
  EXPECT_EQ(FindPreference(WithPrefer({"ret{urn=x, return=minimal"}), "return"),
            std::optional<std::string>("minimal"));
  EXPECT_EQ(FindPreference(WithPrefer({"return=minimal junk, wait=1"}), "return"), std::nullopt);
  EXPECT_EQ(FindPreference(WithPrefer({"return=minimal junk, wait=1"}), "wait"),
            std::optional<std::string>("1"));
  EXPECT_EQ(FindPreference(WithPrefer({R"(return="minimal)"}), "return"), std::nullopt);
  EXPECT_EQ(FindPreference(WithPrefer({R"(return="a\)"}), "return"), std::nullopt);
  EXPECT_EQ(FindPreference(WithPrefer({",,, ,"}), "return"), std::nullopt);
  EXPECT_EQ(FindPreference(WithPrefer({"="}), "return"), std::nullopt);
}

TEST(PrefersMinimalReturn, TheFirstReturnPreferenceDecides) {
  EXPECT_TRUE(PrefersMinimalReturn(WithPrefer({"return=minimal"})));
  EXPECT_TRUE(PrefersMinimalReturn(WithPrefer({"return=MINIMAL"})));
  EXPECT_TRUE(PrefersMinimalReturn(WithPrefer({"wait=5", "return=minimal"})));
  EXPECT_FALSE(PrefersMinimalReturn(WithPrefer({"return=representation"})));
  EXPECT_FALSE(PrefersMinimalReturn(WithPrefer({"return=representation, return=minimal"})));
  EXPECT_FALSE(PrefersMinimalReturn(WithPrefer({"return=minimalist"})));
  EXPECT_FALSE(PrefersMinimalReturn(WithPrefer({})));
}

}  // namespace
}  // namespace spinlog::http
