#include "http/conditional_get.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace spinlog::http {
namespace {

TEST(BodyEntityTag, IsAQuotedXxh3OfTheBodyThatNeverChangesBetweenBuilds) {
  // XXH3-64 of the empty input, as published with xxHash.
  EXPECT_EQ(BodyEntityTag(""), "\"2d06800538d394c2\"");
  EXPECT_EQ(BodyEntityTag("{\"a\":1}"), BodyEntityTag(std::string("{\"a\":1}")));
  EXPECT_NE(BodyEntityTag("{\"a\":1}"), BodyEntityTag("{\"a\":2}"));
  EXPECT_EQ(BodyEntityTag("x").size(), 18u);
}

TEST(IfNoneMatch, MatchesTheTagWithOrWithoutTheWeakPrefix) {
  const std::string tag = "\"0123456789abcdef\"";
  EXPECT_TRUE(IfNoneMatchMatches(tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches("W/" + tag, tag));
  EXPECT_FALSE(IfNoneMatchMatches("\"0123456789abcdee\"", tag));
  EXPECT_FALSE(IfNoneMatchMatches("", tag));
}

TEST(IfNoneMatch, MatchesAnyMemberOfAList) {
  const std::string tag = "\"0123456789abcdef\"";
  EXPECT_TRUE(IfNoneMatchMatches("\"a\", " + tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches("W/\"a\",W/" + tag + ",\"b\"", tag));
  // Empty members and optional whitespace are part of the list syntax.
  EXPECT_TRUE(IfNoneMatchMatches(" ,\t, " + tag + " , ", tag));
  // A comma is a valid character inside an opaque tag.
  EXPECT_FALSE(IfNoneMatchMatches("\"a," + tag.substr(1), tag));
  EXPECT_TRUE(IfNoneMatchMatches("\"a,b\", " + tag, tag));
}

TEST(IfNoneMatch, StarMatchesAnyCurrentRepresentation) {
  EXPECT_TRUE(IfNoneMatchMatches("*", "\"0123456789abcdef\""));
  EXPECT_TRUE(IfNoneMatchMatches(" * ", "\"0123456789abcdef\""));
}

TEST(IfNoneMatch, SkipsMalformedMembersWithoutMatchingThem) {
  const std::string tag = "\"0123456789abcdef\"";
  const std::string opaque = tag.substr(1, 16);
  EXPECT_FALSE(IfNoneMatchMatches(opaque, tag));         // unquoted
  EXPECT_FALSE(IfNoneMatchMatches("w/" + tag, tag));     // the weak prefix is case-sensitive
  EXPECT_FALSE(IfNoneMatchMatches(tag + "x", tag));      // junk after the tag
  EXPECT_FALSE(IfNoneMatchMatches("\"" + opaque, tag));  // unterminated
  EXPECT_FALSE(IfNoneMatchMatches("W/ " + tag, tag));    // space inside the tag syntax
  EXPECT_FALSE(IfNoneMatchMatches("**", tag));
  // ... and still looks at the members after them.
  EXPECT_TRUE(IfNoneMatchMatches(opaque + ", " + tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches("\"a b\", " + tag, tag));
}

Response Answer(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

std::optional<Response> Through(const Request& request, Response response) {
  std::optional<Response> sent;
  WithEntityTag(request, [&sent](Response r) { sent = std::move(r); })(std::move(response));
  return sent;
}

std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(WithEntityTag, TagsA200AndAnswers304WhenTheRequestHoldsTheTag) {
  Request request;
  const std::optional<Response> full = Through(request, Answer(200, "{}"));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->status, 200);
  EXPECT_EQ(full->body, "{}");
  EXPECT_EQ(HeaderOf(*full, "ETag"), BodyEntityTag("{}"));

  request.headers = {{"if-none-match", "\"a\""}, {"If-None-Match", "W/" + BodyEntityTag("{}")}};
  const std::optional<Response> not_modified = Through(request, Answer(200, "{}"));
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_EQ(not_modified->body, "");
  EXPECT_EQ(not_modified->content_type, "");
  EXPECT_EQ(not_modified->not_modified_length, 2u) << "the 200 answer's length";
  EXPECT_EQ(HeaderOf(*not_modified, "ETag"), BodyEntityTag("{}"));
  EXPECT_EQ(HeaderOf(*not_modified, "Cache-Control"), "no-cache");
}

TEST(WithEntityTag, LeavesOtherStatusesAlone) {
  Request request;
  request.headers = {{"If-None-Match", "*"}};
  for (int status : {201, 204, 400, 404, 500}) {
    const std::optional<Response> sent = Through(request, Answer(status, "x"));
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->status, status);
    EXPECT_EQ(sent->body, "x");
    EXPECT_EQ(HeaderOf(*sent, "ETag"), "");
  }
}

}  // namespace
}  // namespace spinlog::http
