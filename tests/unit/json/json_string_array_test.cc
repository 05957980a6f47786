#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "json/json_reader.h"

namespace spinlog::json {
namespace {

using namespace std::string_literals;
using Strings = std::vector<std::string>;

Strings Parsed(std::string_view text) {
  Result<Strings> result = ParseJsonStringArray(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString() << " for " << text;
  return result.ok() ? *result : Strings{};
}

std::string ErrorOf(std::string_view text) {
  Result<Strings> result = ParseJsonStringArray(text);
  EXPECT_FALSE(result.ok()) << "parsed: " << text;
  if (result.ok()) return "";
  EXPECT_TRUE(result.status().IsInvalidArgument()) << result.status().ToString();
  return result.status().message();
}

TEST(JsonStringArray, ParsesNamesInOrder) {
  EXPECT_EQ(Parsed(R"(["Channel1","Channel2"])"), (Strings{"Channel1", "Channel2"}));
  EXPECT_EQ(Parsed(R"( [ "B" , "A", "B" ] )"), (Strings{"B", "A", "B"}));
}

TEST(JsonStringArray, EmptyArrayGivesNoStrings) { EXPECT_TRUE(Parsed("[]").empty()); }

TEST(JsonStringArray, UnescapesStrings) {
  EXPECT_EQ(Parsed(R"(["P\u00earformer3","\ud83c\udfb5","a\u0000b",""])"),
            (Strings{"Pêrformer3", "\xF0\x9F\x8E\xB5", "a\0b"s, ""}));
  EXPECT_EQ(Parsed("[\"Söng3\"]"), (Strings{"Söng3"}));
}

TEST(JsonStringArray, NotJson) {
  EXPECT_EQ(ErrorOf("Channel1"),
            "is not valid JSON: the JSON document has an improper structure: "
            "missing or superfluous commas, braces, missing keys, etc.");
  EXPECT_EQ(ErrorOf(""), "is not valid JSON: empty: no JSON found");
  EXPECT_EQ(ErrorOf("[\"a\",]").substr(0, 18), "is not valid JSON:");
  EXPECT_EQ(ErrorOf("[\"a\"").substr(0, 18), "is not valid JSON:");
  EXPECT_EQ(ErrorOf("[\"\xFF\"]"), "is not valid JSON: the input is not valid UTF-8");
  EXPECT_EQ(ErrorOf("[\"a\"] [\"b\"]").substr(0, 18), "is not valid JSON:");
  // Invalid JSON wins over a wrong element type that comes first.
  EXPECT_EQ(ErrorOf("[1, \"a\",]").substr(0, 18), "is not valid JSON:");
}

TEST(JsonStringArray, NotAnArray) {
  EXPECT_EQ(ErrorOf(R"("Channel1")"), "must be a JSON array of strings");
  EXPECT_EQ(ErrorOf(R"({"a":"b"})"), "must be a JSON array of strings");
  EXPECT_EQ(ErrorOf("3"), "must be a JSON array of strings");
}

TEST(JsonStringArray, NamesTheFirstElementThatIsNotAString) {
  EXPECT_EQ(ErrorOf(R"(["a",2])"), "element 2 is a number, not a string");
  EXPECT_EQ(ErrorOf(R"([null])"), "element 1 is null, not a string");
  EXPECT_EQ(ErrorOf(R"(["a","b",true,1])"), "element 3 is a boolean, not a string");
  EXPECT_EQ(ErrorOf(R"([["a"]])"), "element 1 is an array, not a string");
  EXPECT_EQ(ErrorOf(R"([{}])"), "element 1 is an object, not a string");
  EXPECT_EQ(ErrorOf(R"([1.5])"), "element 1 is a number, not a string");
}

TEST(JsonStringArray, DeepNestingIsRejected) {
  EXPECT_EQ(ErrorOf(std::string(64, '[') + std::string(64, ']')),
            "element 1 is an array, not a string");
  EXPECT_EQ(ErrorOf(std::string(65, '[') + std::string(65, ']')),
            "is not valid JSON: the JSON document was too deep (too many nested "
            "objects and arrays)");
}

}  // namespace
}  // namespace spinlog::json
