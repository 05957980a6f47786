#include "json/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace spinlog::json {
namespace {

using namespace std::string_literals;

// The members of `text`, which must parse.
std::vector<JsonMember> Members(std::string_view text) {
  Result<std::vector<JsonMember>> result = ParseJsonObject(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString() << " for " << text;
  return result.ok() ? *result : std::vector<JsonMember>{};
}

// The single member of `{"v": <value>}`.
JsonMember Only(std::string_view value) {
  std::vector<JsonMember> members = Members("{\"v\":" + std::string(value) + "}");
  EXPECT_EQ(members.size(), 1u) << value;
  return members.empty() ? JsonMember{} : members[0];
}

// The error message for `text`, which must not parse.
std::string ErrorOf(std::string_view text) {
  Result<std::vector<JsonMember>> result = ParseJsonObject(text);
  EXPECT_FALSE(result.ok()) << "parsed: " << text;
  if (result.ok()) return "";
  EXPECT_TRUE(result.status().IsInvalidArgument()) << result.status().ToString();
  return result.status().message();
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

#define EXPECT_INVALID_JSON(text) \
  EXPECT_TRUE(StartsWith(ErrorOf(text), "is not valid JSON: ")) << ErrorOf(text)

TEST(JsonReader, MembersComeInOrderWithDuplicatesKept) {
  std::vector<JsonMember> members =
      Members(R"({"title":"Song1","performer":"Performer1","title":"Song2"})");
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].name, "title");
  EXPECT_EQ(members[0].value, "Song1");
  EXPECT_EQ(members[1].name, "performer");
  EXPECT_EQ(members[1].value, "Performer1");
  EXPECT_EQ(members[2].name, "title");
  EXPECT_EQ(members[2].value, "Song2");
}

TEST(JsonReader, EmptyObjectHasNoMembers) {
  EXPECT_TRUE(Members("{}").empty());
  EXPECT_TRUE(Members(" { } ").empty());
}

TEST(JsonReader, StringKind) {
  JsonMember m = Only(R"("Channel1")");
  EXPECT_EQ(m.name, "v");
  EXPECT_EQ(m.kind, JsonKind::kString);
  EXPECT_EQ(m.value, "Channel1");
  EXPECT_EQ(Only(R"("")").value, "");
}

TEST(JsonReader, NumbersKeepTheirLiteralText) {
  for (const char* literal : {"12", "0", "-7", "1.5e3", "1.50", "-0.0", "2E-2",
                              "18446744073709551615", "-9223372036854775808"}) {
    JsonMember m = Only(literal);
    EXPECT_EQ(m.kind, JsonKind::kNumber) << literal;
    EXPECT_EQ(m.value, literal);
  }
}

TEST(JsonReader, LiteralsAreTrimmedOfSurroundingWhitespace) {
  std::vector<JsonMember> members = Members("{ \"a\" :\t12 \n, \"b\": true\r\n,\"c\" : null }");
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].value, "12");
  EXPECT_EQ(members[1].value, "true");
  EXPECT_EQ(members[2].value, "null");
}

TEST(JsonReader, BoolAndNullKinds) {
  EXPECT_EQ(Only("true").kind, JsonKind::kBool);
  EXPECT_EQ(Only("true").value, "true");
  EXPECT_EQ(Only("false").value, "false");
  EXPECT_EQ(Only("null").kind, JsonKind::kNull);
  EXPECT_EQ(Only("null").value, "null");
}

TEST(JsonReader, ArraysAndObjectsKeepTheirRawText) {
  JsonMember array = Only(R"([ "Channel1", "Channel2" ] )");
  EXPECT_EQ(array.kind, JsonKind::kArray);
  EXPECT_EQ(array.value, R"([ "Channel1", "Channel2" ])");
  JsonMember object = Only(R"({"a": [1, {"b": "\u00e9"}], "c": {}})");
  EXPECT_EQ(object.kind, JsonKind::kObject);
  EXPECT_EQ(object.value, R"({"a": [1, {"b": "\u00e9"}], "c": {}})");
  EXPECT_EQ(Only("[]").value, "[]");
  EXPECT_EQ(Only("{}").kind, JsonKind::kObject);
}

TEST(JsonReader, RawTextOfANestedValueParsesAgain) {
  std::vector<JsonMember> members = Members(R"({"channels":["A","B"],"limit":3})");
  ASSERT_EQ(members.size(), 2u);
  Result<std::vector<std::string>> channels = ParseJsonStringArray(members[0].value);
  ASSERT_TRUE(channels.ok());
  EXPECT_EQ(*channels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(members[1].value, "3");
}

TEST(JsonReader, EscapesAreDecoded) {
  EXPECT_EQ(Only(R"("P\u00earformer3")").value, "Pêrformer3");
  EXPECT_EQ(Only(R"("\"\\\/\b\f\n\r\t")").value, "\"\\/\b\f\n\r\t");
  EXPECT_EQ(Only(R"("\ud83c\udfb5")").value, "\xF0\x9F\x8E\xB5");  // U+1F3B5
  EXPECT_EQ(Only(R"("a\u0000b")").value, "a\0b"s);
  EXPECT_EQ(Members(R"({"k\u00e9y\n":1})")[0].name, "k\xC3\xA9y\n");
}

TEST(JsonReader, NonAsciiPassesThrough) {
  EXPECT_EQ(Only("\"Pêrformer3 Söng3 日本 🎵\"").value, "Pêrformer3 Söng3 日本 🎵");
}

TEST(JsonReader, RejectsBadEscapes) {
  EXPECT_INVALID_JSON(R"({"v":"\x"})");
  EXPECT_INVALID_JSON(R"({"v":"\u12"})");
  EXPECT_INVALID_JSON(R"({"v":"\ud800"})");        // lone high surrogate
  EXPECT_INVALID_JSON(R"({"v":"\udc00"})");        // lone low surrogate
  EXPECT_INVALID_JSON(R"({"v":"\ud800\ud800"})");  // high then high
  EXPECT_INVALID_JSON(R"({"v":"\ud800x"})");
}

TEST(JsonReader, RejectsInvalidUtf8InStringsAndKeys) {
  EXPECT_EQ(ErrorOf("{\"v\":\"\xFF\"}"), "is not valid JSON: the input is not valid UTF-8");
  EXPECT_INVALID_JSON("{\"v\":\"\xC3\"}");              // truncated sequence
  EXPECT_INVALID_JSON("{\"v\":\"\xC0\xAF\"}");          // overlong '/'
  EXPECT_INVALID_JSON("{\"v\":\"\xED\xA0\x80\"}");      // encoded surrogate
  EXPECT_INVALID_JSON("{\"v\":\"\xF4\x90\x80\x80\"}");  // above U+10FFFF
  EXPECT_INVALID_JSON("{\"\xFE\":1}");
}

TEST(JsonReader, RejectsUnescapedControlCharacters) {
  EXPECT_INVALID_JSON("{\"v\":\"a\nb\"}");
  EXPECT_INVALID_JSON("{\"v\":\"a\0b\"}"s);
}

TEST(JsonReader, RejectsMalformedText) {
  EXPECT_EQ(ErrorOf(R"({"a":1,})"),
            "is not valid JSON: the JSON document has an improper "
            "structure: missing or superfluous commas, braces, missing keys, etc.");
  EXPECT_INVALID_JSON(R"({"a":1)");
  EXPECT_INVALID_JSON(R"({"a" 1})");
  EXPECT_INVALID_JSON(R"({"a":1 "b":2})");
  EXPECT_INVALID_JSON(R"({a:1})");
  EXPECT_INVALID_JSON(R"({'a':1})");
  EXPECT_INVALID_JSON(R"({"a":[1,,2]})");
  EXPECT_INVALID_JSON(R"({"a":[1 2]})");
  EXPECT_INVALID_JSON(R"({"a":"x)");
  EXPECT_INVALID_JSON(R"({"a":01})");
  EXPECT_INVALID_JSON(R"({"a":1.})");
  EXPECT_INVALID_JSON(R"({"a":+1})");
  EXPECT_INVALID_JSON(R"({"a":NaN})");
  EXPECT_INVALID_JSON(R"({"a":nul})");
  EXPECT_INVALID_JSON(R"({"a":truex})");
  EXPECT_INVALID_JSON(R"({"a":True})");
  EXPECT_INVALID_JSON("title=Song1&performer=P");
}

TEST(JsonReader, RejectsNumbersBeyondItsRange) {
  EXPECT_INVALID_JSON(R"({"a":18446744073709551616})");
  EXPECT_INVALID_JSON(R"({"a":1e400})");
}

TEST(JsonReader, RejectsTrailingContent) {
  EXPECT_INVALID_JSON(R"({"a":1} x)");
  EXPECT_INVALID_JSON(R"({"a":1}})");
  EXPECT_INVALID_JSON(R"({"a":1}{})");
  EXPECT_INVALID_JSON(R"({}[])");
  EXPECT_INVALID_JSON("{}\0"s);
}

TEST(JsonReader, EmptyOrBlankBodyIsNotJson) {
  EXPECT_EQ(ErrorOf(""), "is not valid JSON: empty: no JSON found");
  EXPECT_INVALID_JSON(" \r\n\t");
}

TEST(JsonReader, WhitespaceAroundTheObjectIsAllowed) {
  std::vector<JsonMember> members = Members(" \r\n\t{\"a\":\"b\"}\n\n ");
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].value, "b");
}

TEST(JsonReader, TopLevelMustBeAnObject) {
  EXPECT_EQ(ErrorOf(R"(["Channel1"])"), "must be a JSON object");
  EXPECT_EQ(ErrorOf(R"("Channel1")"), "must be a JSON object");
  EXPECT_EQ(ErrorOf("12"), "must be a JSON object");
  EXPECT_EQ(ErrorOf("null"), "must be a JSON object");
  // Validity is judged first: a broken array is not valid JSON at all.
  EXPECT_INVALID_JSON(R"(["Channel1")");
}

TEST(JsonReader, RejectsAByteOrderMark) { EXPECT_INVALID_JSON("\xEF\xBB\xBF{}"); }

// {"v":[[...[1]...]]} with `arrays` arrays: arrays + 2 levels, counting the
// object and the scalar.
std::string NestedIn(int arrays) {
  return "{\"v\":" + std::string(arrays, '[') + "1" + std::string(arrays, ']') + "}";
}

TEST(JsonReader, NestingUpTo64LevelsIsAccepted) {
  JsonMember m = Only(std::string(62, '[') + "1" + std::string(62, ']'));
  EXPECT_EQ(m.kind, JsonKind::kArray);
  EXPECT_EQ(m.value.size(), 62u * 2 + 1);
  // Without a scalar inside, 63 arrays in the object are 64 levels.
  EXPECT_EQ(Only(std::string(63, '[') + std::string(63, ']')).kind, JsonKind::kArray);
}

TEST(JsonReader, DeeperNestingIsRejected) {
  EXPECT_INVALID_JSON("{\"v\":" + std::string(64, '[') + std::string(64, ']') + "}");
  EXPECT_EQ(ErrorOf(NestedIn(63)),
            "is not valid JSON: the JSON document was too deep (too many "
            "nested objects and arrays)");
  EXPECT_INVALID_JSON(NestedIn(100000));
  EXPECT_INVALID_JSON(std::string(100000, '{'));
}

TEST(JsonReader, DoesNotReadPastTheEndOfTheText) {
  // A view into a larger buffer: the bytes after it must not count.
  const std::string buffer = R"({"a":1}, "b":2})";
  std::vector<JsonMember> members = Members(std::string_view(buffer).substr(0, 7));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].value, "1");
}

TEST(JsonReader, KindNames) {
  EXPECT_STREQ(JsonKindName(JsonKind::kString), "string");
  EXPECT_STREQ(JsonKindName(JsonKind::kNumber), "number");
  EXPECT_STREQ(JsonKindName(JsonKind::kBool), "boolean");
  EXPECT_STREQ(JsonKindName(JsonKind::kNull), "null");
  EXPECT_STREQ(JsonKindName(JsonKind::kArray), "array");
  EXPECT_STREQ(JsonKindName(JsonKind::kObject), "object");
}

}  // namespace
}  // namespace spinlog::json
