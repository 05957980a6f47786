// StringObjectReader: the fast path for objects of strings must read exactly
// what ParseJsonObject reads, and decline everything else.
#include "json/string_object_reader.h"

#include <gtest/gtest.h>

#include <string>
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

}  // namespace
}  // namespace spinlog::json
