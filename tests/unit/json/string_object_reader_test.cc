// StringObjectReader: the fast path for objects of strings must read exactly
// what ParseJsonObject reads, and decline everything else.
#include "json/string_object_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/json_reader.h"

namespace spinlog::json {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

Members Read(StringObjectReader& reader, std::string_view text) {
  Members out;
  if (!reader.Read(text)) return {{"<declined>", ""}};
  for (const auto& [name, value] : reader.members()) out.emplace_back(name, value);
  return out;
}

TEST(StringObjectReader, ReadsUnescapedNamesAndValuesInOrderWithDuplicates) {
  StringObjectReader reader;
  EXPECT_EQ(Read(reader, R"( {"a":"1", "b\u0021":"x\ny", "a":"\u00e9"} )"),
            (Members{{"a", "1"}, {"b!", "x\ny"}, {"a", "\xC3\xA9"}}));
  EXPECT_EQ(Read(reader, "{}"), Members{});
  EXPECT_EQ(Read(reader, R"({"nul":"a\u0000b"})"), (Members{{"nul", std::string("a\0b", 3)}}));
}

TEST(StringObjectReader, DeclinesWhatIsNotAnObjectOfStrings) {
  StringObjectReader reader;
  for (const char* text : {"", "[]", "\"s\"", "{\"a\":1}", "{\"a\":null}", "{\"a\":[\"x\"]}",
                           "{\"a\":\"x\"", "{\"a\":\"x\"} {}", "{\"a\":\"\xFF\"}",
                           "{\"a\":\"\\ud800\"}", "\xEF\xBB\xBF{}"}) {
    EXPECT_FALSE(reader.Read(text)) << text;
  }
}

TEST(StringObjectReader, AgreesWithParseJsonObjectAcrossReuse) {
  StringObjectReader reader;
  const std::string long_value(100'000, 'v');
  const std::vector<std::string> texts = {
      R"({"channel":"C","start":"2020-01-01"})", "{\"x\":\"" + long_value + "\"}", R"({"y":"short"})",
      R"({"a":true})", "not json", R"({"k":"\ud83c\udfb5"})"};
  for (const std::string& text : texts) {
    Result<std::vector<JsonMember>> general = ParseJsonObject(text);
    bool all_strings = general.ok();
    if (general.ok()) {
      for (const JsonMember& m : *general) all_strings = all_strings && m.kind == JsonKind::kString;
    }
    ASSERT_EQ(reader.Read(text), all_strings) << text;
    if (!all_strings) continue;
    ASSERT_EQ(reader.members().size(), general->size());
    for (std::size_t i = 0; i < general->size(); ++i) {
      EXPECT_EQ(reader.members()[i].first, (*general)[i].name);
      EXPECT_EQ(reader.members()[i].second, (*general)[i].value);
    }
  }
}

// ReadArray must give, for every element, what Read gives for the element's
// own text (SplitJsonArrayViews), and decline whenever one element would be
// declined or the array is not valid JSON.
TEST(StringObjectReader, ReadArrayAgreesWithReadingEachElement) {
  StringObjectReader array_reader;
  StringObjectReader element_reader;
  const std::vector<std::string> texts = {
      R"([])", R"( [ {"a":"1","b":"x\ny","a":"\u00e9"} , {} ,{"c":"\ud83c\udfb5"}] )",
      R"([{"channel":"C","start":"2020-01-01"}])", R"([{"a":"1"},{"b":2}])", R"([{"a":"1"},[]])",
      R"([{"a":"1"},"s"])", R"([{"a":"1"})", R"([{"a":"1"}] [])", "[{\"a\":\"\xFF\"}]",
      R"({"a":"1"})", "", "[{\"x\":\"" + std::string(100'000, 'v') + "\"},{\"y\":\"z\"}]"};
  for (const std::string& text : texts) {
    Result<std::vector<std::string_view>> elements = SplitJsonArrayViews(text);
    bool expected = elements.ok();
    std::vector<Members> objects;
    if (elements.ok()) {
      for (std::string_view element : *elements) {
        Members members = Read(element_reader, element);
        expected = expected && !(members.size() == 1 && members[0].first == "<declined>");
        objects.push_back(std::move(members));
      }
    }
    ASSERT_EQ(array_reader.ReadArray(text), expected) << text;
    if (!expected) continue;
    ASSERT_EQ(array_reader.objects(), objects.size()) << text;
    for (std::size_t i = 0; i < objects.size(); ++i) {
      Members got;
      for (const auto& [name, value] : array_reader.object(i)) got.emplace_back(name, value);
      EXPECT_EQ(got, objects[i]) << text << " element " << i;
    }
  }
}

TEST(StringObjectReader, ReadArrayDeclinesTextsOverItsLimit) {
  StringObjectReader reader;
  std::string text = "[{\"a\":\"";
  text += std::string(StringObjectReader::kMaxArrayBytes, 'x');
  text += "\"}]";
  EXPECT_FALSE(reader.ReadArray(text));
  EXPECT_TRUE(reader.ReadArray(R"([{"a":"b"}])"));
  EXPECT_EQ(reader.objects(), 1u);
  EXPECT_TRUE(reader.Read(R"({"a":"b"})"));
  EXPECT_EQ(reader.objects(), 0u);
}

}  // namespace
}  // namespace spinlog::json
