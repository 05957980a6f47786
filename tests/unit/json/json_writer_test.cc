#include "json/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "json/json_reader.h"

namespace spinlog::json {
namespace {

using namespace std::string_literals;

// `s` written as a lone JSON string.
std::string Quoted(std::string_view s) {
  JsonWriter writer;
  writer.String(s);
  return writer.Take();
}

TEST(JsonWriter, WritesTheClassicSuccessBody) {
  JsonWriter w;
  w.StartObject();
  w.Key("code");
  w.Int(0);
  w.Key("result");
  w.StartArray();
  w.StartObject();
  w.Key("performer");
  w.String("Pêrformer3");
  w.Key("title");
  w.String("Söng3");
  w.Key("rank");
  w.Uint(0);
  w.Key("previous_rank");
  w.Null();
  w.Key("plays");
  w.Int(3);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE(w.IsComplete());
  EXPECT_EQ(w.Take(), R"({"code":0,"result":[{"performer":"Pêrformer3","title":"Söng3",)"
                      R"("rank":0,"previous_rank":null,"plays":3}]})");
}

TEST(JsonWriter, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(Quoted(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
}

TEST(JsonWriter, DoesNotEscapeSlashOrDel) { EXPECT_EQ(Quoted("AC/DC\x7F"), "\"AC/DC\x7F\""); }

// The writer takes a fast path for strings with nothing to escape: a
// character that needs escaping or checking must be caught at any position
// of a longer string, whatever the test's stride.
TEST(JsonWriter, EscapesACharacterAtAnyPositionOfALongerString) {
  const std::string specials[] = {"\"",   "\\",   "\n",     "\x01",     "\x1F", "\x7F",
                                  "\x80", "\xFF", "\xC3\xA9", "\x00"s, " ",    "~"};
  for (const std::string& special : specials) {
    const std::string alone = Quoted(special);
    const std::string escaped = alone.substr(1, alone.size() - 2);
    for (std::size_t before = 0; before <= 20; ++before) {
      for (std::size_t after : {0, 1, 7, 8, 9}) {
        const std::string text = std::string(before, 'a') + special + std::string(after, 'z');
        EXPECT_EQ(Quoted(text),
                  "\"" + std::string(before, 'a') + escaped + std::string(after, 'z') + "\"")
            << "special byte " << static_cast<int>(static_cast<unsigned char>(special[0]))
            << " after " << before << " bytes";
      }
    }
  }
}

TEST(JsonWriter, EscapesControlCharacters) {
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted("\x01\x1F\x0B"), R"("\u0001\u001F\u000B")");
}

TEST(JsonWriter, EscapesEmbeddedNul) {
  EXPECT_EQ(Quoted("a\0b"s), R"("a\u0000b")");
  EXPECT_EQ(Quoted(std::string_view("\0", 1)), R"("\u0000")");
}

TEST(JsonWriter, PassesNonAsciiThrough) {
  EXPECT_EQ(Quoted("Pêrformer3"), "\"Pêrformer3\"");
  EXPECT_EQ(Quoted("日本 🎵 \u2028"), "\"日本 🎵 \u2028\"");
}

TEST(JsonWriter, ReplacesIllFormedUtf8) {
  EXPECT_EQ(Quoted("a\xFF!"), "\"a\xEF\xBF\xBD!\"");
  JsonWriter w;
  w.StartObject();
  w.Key("\xC3");
  w.String("\xED\xA0\x80");
  w.EndObject();
  EXPECT_EQ(w.Take(), "{\"\xEF\xBF\xBD\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}

TEST(JsonWriter, EscapesKeysLikeValues) {
  JsonWriter w;
  w.StartObject();
  w.Key("a\"b\n\0"s);
  w.Bool(true);
  w.EndObject();
  EXPECT_EQ(w.Take(), R"({"a\"b\n\u0000":true})");
}

TEST(JsonWriter, WritesNumbers) {
  JsonWriter w;
  w.StartArray();
  w.Int(std::numeric_limits<std::int64_t>::min());
  w.Int(-1);
  w.Uint(std::numeric_limits<std::uint64_t>::max());
  w.Double(0.1);
  w.Double(2.0);
  w.Double(-0.0);
  w.Double(1e100);
  w.Double(1.5e-7);
  w.EndArray();
  EXPECT_EQ(w.Take(),
            "[-9223372036854775808,-1,18446744073709551615,0.1,2.0,-0.0,1e100,"
            "1.5e-7]");
}

TEST(JsonWriter, WritesNullForNonFiniteDoubles) {
  JsonWriter w;
  w.StartArray();
  w.Double(std::nan(""));
  w.Double(std::numeric_limits<double>::infinity());
  w.Double(-std::numeric_limits<double>::infinity());
  w.Double(1.0);
  w.EndArray();
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.Take(), "[null,null,null,1.0]");
}

TEST(JsonWriter, WritesBoolsAndNull) {
  JsonWriter w;
  w.StartArray();
  w.Bool(true);
  w.Bool(false);
  w.Null();
  w.EndArray();
  EXPECT_EQ(w.Take(), "[true,false,null]");
}

TEST(JsonWriter, WritesNestedContainers) {
  JsonWriter w;
  w.StartObject();
  w.Key("a");
  w.StartArray();
  w.StartArray();
  w.EndArray();
  w.StartObject();
  w.Key("b");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.Key("c");
  w.String("");
  w.EndObject();
  EXPECT_EQ(w.Take(), R"({"a":[[],{"b":{}}],"c":""})");
}

TEST(JsonWriter, TakeEmptiesTheWriter) {
  JsonWriter w;
  w.StartArray();
  EXPECT_FALSE(w.IsComplete());
  w.EndArray();
  EXPECT_TRUE(w.IsComplete());
  EXPECT_EQ(w.Take(), "[]");
  EXPECT_FALSE(w.IsComplete());
  EXPECT_EQ(w.Take(), "");
  w.Int(7);  // a new document may start
  EXPECT_EQ(w.Take(), "7");
}

TEST(JsonWriter, ReserveChangesOnlyCapacity) {
  JsonWriter w;
  w.Reserve(1 << 16);
  w.StartArray();
  w.String("a");
  w.Reserve(4);  // less than written: nothing is lost
  w.Int(1);
  w.EndArray();
  EXPECT_EQ(w.Take(), "[\"a\",1]");
  w.Reserve(3);
  w.Null();
  EXPECT_EQ(w.Take(), "null");
}

TEST(JsonWriter, OutputReadsBackThroughTheReader) {
  const std::string tricky = "q\"b\\s/n\nnul\0ctl\x01\x1Fé🎵"s;
  JsonWriter w;
  w.StartObject();
  w.Key(tricky);
  w.String(tricky);
  w.Key("n");
  w.Double(1.25);
  w.EndObject();
  Result<std::vector<JsonMember>> members = ParseJsonObject(w.Take());
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].name, tricky);
  EXPECT_EQ((*members)[0].value, tricky);
  EXPECT_EQ((*members)[1].value, "1.25");
}

// Misuse asserts in debug builds; in release builds the call is dropped and
// ok() turns false, the text so far staying well-formed.
#ifdef NDEBUG
#define EXPECT_MISUSE_DROPPED(setup, misuse, then, expected) \
  do {                                                       \
    JsonWriter w;                                            \
    setup;                                                   \
    EXPECT_TRUE(w.ok());                                     \
    misuse;                                                  \
    then;                                                    \
    EXPECT_FALSE(w.ok());                                    \
    EXPECT_EQ(w.Take(), expected);                           \
  } while (false)

TEST(JsonWriter, MisuseIsDroppedInRelease) {
  EXPECT_MISUSE_DROPPED(w.StartObject(), w.Int(1), w.EndObject(), "{}");
  EXPECT_MISUSE_DROPPED(w.StartObject(), w.EndArray(), w.EndObject(), "{}");
  EXPECT_MISUSE_DROPPED(w.StartArray(), w.Key("k"), w.EndArray(), "[]");
  EXPECT_MISUSE_DROPPED(w.StartArray(), w.EndObject(), w.EndArray(), "[]");
  EXPECT_MISUSE_DROPPED(, w.EndArray(), w.Null(), "null");
  EXPECT_MISUSE_DROPPED(, w.Key("k"), w.Null(), "null");
  EXPECT_MISUSE_DROPPED(w.Null(), w.Null(), , "null");
  EXPECT_MISUSE_DROPPED(w.Null(), w.StartObject(), , "null");
  EXPECT_MISUSE_DROPPED(w.StartObject(); w.Key("a"), w.Key("b"), w.Int(1);
                        w.EndObject(), R"({"a":1})");
  EXPECT_MISUSE_DROPPED(w.StartObject(); w.Key("a"), w.EndObject(), w.Int(1);
                        w.EndObject(), R"({"a":1})");
}
#else
TEST(JsonWriterDeathTest, MisuseAssertsInDebug) {
  JsonWriter w;
  w.StartObject();
  EXPECT_DEATH(w.Int(1), "out of order");
  EXPECT_DEATH(w.EndArray(), "out of order");
}
#endif

TEST(JsonWriter, OkAgainAfterTake) {
  JsonWriter w;
  w.Null();
#ifdef NDEBUG
  w.Null();
  EXPECT_FALSE(w.ok());
#endif
  EXPECT_EQ(w.Take(), "null");
  EXPECT_TRUE(w.ok());
}

}  // namespace
}  // namespace spinlog::json
