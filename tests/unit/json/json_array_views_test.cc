#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "json/json_reader.h"

namespace spinlog::json {
namespace {

using Views = std::vector<std::string_view>;

Views Split(std::string_view text) {
  Result<Views> result = SplitJsonArrayViews(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString() << " for " << text;
  return result.ok() ? *result : Views{};
}

TEST(JsonArrayViews, ElementsAsWrittenWithoutSurroundingSpace) {
  EXPECT_EQ(Split(R"([{"a":"1"},{"b": "2"}])"), (Views{R"({"a":"1"})", R"({"b": "2"})"}));
  EXPECT_EQ(Split(" [ \n{ \"a\" : 1 } ,\t2 , \"x\" ,null]\r\n"),
            (Views{"{ \"a\" : 1 }", "2", "\"x\"", "null"}));
}

TEST(JsonArrayViews, EmptyArrayGivesNoElements) {
  EXPECT_TRUE(Split("[]").empty());
  EXPECT_TRUE(Split(" [ \n ] ").empty());
}

TEST(JsonArrayViews, NestingAndStringsDoNotEndAnElement) {
  EXPECT_EQ(Split(R"([{"a":[1,2],"b":{"c":"]"}},[[],{}],"x,]\"}\\",{"k\"":"v"}])"),
            (Views{R"({"a":[1,2],"b":{"c":"]"}})", "[[],{}]", R"("x,]\"}\\")",
                   R"({"k\"":"v"})"}));
}

TEST(JsonArrayViews, EscapedQuotesAndBackslashesBeforeAQuote) {
  EXPECT_EQ(Split(R"(["\\",  "a\\\"],[", "\"", {"k":"\\\\"}])"),
            (Views{R"("\\")", R"("a\\\"],[")", R"("\"")", R"({"k":"\\\\"})"}));
}

TEST(JsonArrayViews, ViewsPointIntoTheText) {
  const std::string text = R"([{"channel":"C1"}, {"channel":"C2"}])";
  Views views = Split(text);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].data(), text.data() + 1);
  EXPECT_EQ(views[1].data(), text.data() + text.find("{\"channel\":\"C2"));
}

TEST(JsonArrayViews, SameErrorsAsSplitJsonArray) {
  for (std::string_view bad : {"", "[", "[1,]", "[1 2]", "{\"a\":1}", "\"x\"", "[\"\xff\"]",
                               "[{\"a\":1}] x"}) {
    Result<Views> views = SplitJsonArrayViews(bad);
    Result<std::vector<std::string>> copies = SplitJsonArray(bad);
    ASSERT_FALSE(views.ok()) << bad;
    ASSERT_FALSE(copies.ok()) << bad;
    EXPECT_TRUE(views.status().IsInvalidArgument()) << bad;
    EXPECT_EQ(views.status().message(), copies.status().message()) << bad;
  }
  EXPECT_EQ(SplitJsonArrayViews("{}").status().message(), "must be a JSON array");
}

}  // namespace
}  // namespace spinlog::json
