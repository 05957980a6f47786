#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::text {
namespace {

using namespace std::string_literals;

std::string NormalOk(std::string_view s) {
  Result<std::string> normal = NormalizeName(s);
  EXPECT_TRUE(normal.ok()) << normal.status().ToString();
  return normal.ok() ? *normal : "<error>";
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  for (const std::string& s :
       {""s, "Song1"s, "P\xC3\xAArformer3"s, "\xE2\x82\xAC"s, "\xF0\x9D\x84\x9E"s, "a\0b"s,
        "\xC2\x80"s /* U+0080 */, "\xDF\xBF"s /* U+07FF */, "\xE0\xA0\x80"s /* U+0800 */,
        "\xED\x9F\xBF"s /* U+D7FF */, "\xEE\x80\x80"s /* U+E000 */, "\xEF\xBF\xBF"s /* U+FFFF */,
        "\xF0\x90\x80\x80"s /* U+10000 */, "\xF4\x8F\xBF\xBF"s /* U+10FFFF */,
        "long ascii prefix then \xC3\xA9 and more ascii after it"s}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(IsValidUtf8, RejectsOverlongs) {
  for (const std::string& s : {"\xC0\xAF"s, "\xC1\xBF"s, "\xC0\x80"s, "\xE0\x80\xAF"s,
                               "\xE0\x9F\xBF"s, "\xF0\x80\x80\xAF"s, "\xF0\x8F\xBF\xBF"s}) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
  }
}

TEST(IsValidUtf8, RejectsSurrogates) {
  for (const std::string& s : {"\xED\xA0\x80"s, "\xED\xBF\xBF"s, "\xED\xA0\xBD\xED\xB2\xA9"s}) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
  }
}

TEST(IsValidUtf8, RejectsCodePointsAbove10FFFF) {
  for (const std::string& s : {"\xF4\x90\x80\x80"s, "\xF5\x80\x80\x80"s, "\xF7\xBF\xBF\xBF"s,
                               "\xF8\x88\x80\x80\x80"s, "\xFE"s, "\xFF"s}) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
  }
}

TEST(IsValidUtf8, RejectsTruncatedAndStraySequences) {
  for (const std::string& s :
       {"\xC3"s, "\xE2\x82"s, "\xF0\x9F\x98"s, "abcdefgh\xC3"s, "abcdefghi\x80"s, "\x80"s, "\xBF"s,
        "\xC3\x28"s, "\xE2\x28\xA1"s, "\xF0\x9F\x98\x28"s,
        "abcdefgh\xC3\xA9"
        "abcdefgh\xA9"s}) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
  }
}

TEST(Utf8SequenceLength, MeasuresTheFirstCharacter) {
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
  EXPECT_EQ(Utf8SequenceLength("a\xC3"), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9x"), 2u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC"), 3u);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9D\x84\x9E"), 4u);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9D\x84"), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF"), 0u);
}

TEST(IsUnicodeWhitespace, FollowsTheWhiteSpaceProperty) {
  for (char32_t c : {U'\t', U'\n', U'\v', U'\f', U'\r', U' ', U'\u0085', U'\u00A0', U'\u1680',
                     U'\u2000', U'\u200A', U'\u2028', U'\u2029', U'\u202F', U'\u205F', U'\u3000'}) {
    EXPECT_TRUE(IsUnicodeWhitespace(c)) << static_cast<unsigned>(c);
  }
  for (char32_t c : {U'\0', U'\x1F', U'a', U'\u200B', U'\uFEFF', U'\u180E', U'\u00AD', U'\u2060'}) {
    EXPECT_FALSE(IsUnicodeWhitespace(c)) << static_cast<unsigned>(c);
  }
}

TEST(TrimWhitespace, TrimsBothEndsOnly) {
  EXPECT_EQ(TrimWhitespace("  a b \t"), "a b");
  EXPECT_EQ(TrimWhitespace("\xC2\xA0"
                           "a\xC2\xA0"
                           "b\xE3\x80\x80"),
            "a\xC2\xA0"
            "b");
  EXPECT_EQ(TrimWhitespace(" \xE2\x80\xA8 "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
  EXPECT_EQ(TrimWhitespace("\xC3\xA9"), "\xC3\xA9");
}

TEST(NormalizeName, ComposesToNfc) {
  EXPECT_EQ(NormalOk("e\xCC\x81"), "\xC3\xA9");  // e + U+0301 -> U+00E9
  EXPECT_EQ(NormalOk("Pe\xCC\x82rformer3"), "P\xC3\xAArformer3");
  EXPECT_EQ(NormalOk("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");  // Hangul jamo -> U+AC00
  EXPECT_EQ(NormalOk("\xE2\x84\xAB"), "\xC3\x85");                  // ANGSTROM SIGN -> U+00C5
  // Canonical order: dot below (ccc 220) before dot above (ccc 230).
  EXPECT_EQ(NormalOk("q\xCC\x87\xCC\xA3"), "q\xCC\xA3\xCC\x87");
}

TEST(NormalizeName, LeavesNfcTextAlone) {
  for (const char* s :
       {"Song1", "S\xC3\xB6ng3", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x8E\xB5 Mix", "e\xCC\xB8"}) {
    EXPECT_EQ(NormalOk(s), s);
  }
}

TEST(NormalizeName, KeepsCase) {
  EXPECT_EQ(NormalOk("Song1"), "Song1");
  EXPECT_EQ(NormalOk("song1"), "song1");
  EXPECT_EQ(NormalOk("\xC3\x89"), "\xC3\x89");
}

TEST(NormalizeName, TrimsUnicodeWhitespace) {
  EXPECT_EQ(NormalOk("  Song1 \t\r\n"), "Song1");
  EXPECT_EQ(NormalOk("\xC2\xA0Song\xC2\xA0"), "Song");                  // NBSP
  EXPECT_EQ(NormalOk("\xE3\x80\x80Song\xE2\x80\x83"), "Song");          // U+3000, U+2003
  EXPECT_EQ(NormalOk("\xC2\x85\xE2\x80\xAFSong\xE2\x80\xA8"), "Song");  // U+0085, U+202F, U+2028
  EXPECT_EQ(NormalOk("Song  1"), "Song  1");
  EXPECT_EQ(NormalOk("Song\xC2\xA0"
                     "1"),
            "Song\xC2\xA0"
            "1");
  EXPECT_EQ(NormalOk(" \t\xC2\xA0 "), "");
  EXPECT_EQ(NormalOk(""), "");
}

TEST(NormalizeName, TrimsAndComposesTogether) {
  EXPECT_EQ(NormalOk(" e\xCC\x81 "), "\xC3\xA9");
  EXPECT_EQ(NormalOk("\xE2\x80\x80"
                     "a\xE2\x80\x80"
                     "b\xE2\x80\x80"),
            "a\xE2\x80\x82"
            "b");  // U+2000 -> U+2002
}

TEST(NormalizeName, KeepsZeroWidthAndControlCharacters) {
  EXPECT_EQ(NormalOk("\xE2\x80\x8BSong"), "\xE2\x80\x8BSong");  // U+200B is not whitespace
  EXPECT_EQ(NormalOk("a\0b"s), "a\0b"s);
  EXPECT_EQ(NormalOk("\xC3\xA9\0e\xCC\x81"s), "\xC3\xA9\0\xC3\xA9"s);  // NUL does not stop utf8proc
  EXPECT_EQ(NormalOk("\x01x\x1F"), "\x01x\x1F");
}

TEST(NormalizeName, RejectsInvalidUtf8) {
  for (const std::string& s :
       {"\xC0\xAF"s, "\xED\xA0\x80"s, "abc\xC3"s, "\xF4\x90\x80\x80"s, " e\xCC\x81\xFF"s}) {
    Result<std::string> normal = NormalizeName(s);
    ASSERT_FALSE(normal.ok()) << testing::PrintToString(s);
    EXPECT_TRUE(normal.status().IsInvalidArgument());
    EXPECT_EQ(normal.status().message(), "is not valid UTF-8");
  }
}

// Names are remembered per thread: asking again, or in another order, or
// after the cache has been refilled, gives the same answers.
TEST(NormalizeName, RepeatedNamesGiveTheSameAnswers) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" e\xCC\x81 "s, "\xC3\xA9"s},
      {"\xC2\xA0Song\xC2\xA0"s, "Song"s},
      {"\xE2\x80\x80"s + "a\xE2\x80\x80" + "b\xE2\x80\x80", "a\xE2\x80\x82"s + "b"},
      {"\xC3\xA9\0e\xCC\x81"s, "\xC3\xA9\0\xC3\xA9"s},
      {" \t Song1 \n"s, "Song1"s},
      {std::string(300, 'x') + "e\xCC\x81", std::string(300, 'x') + "\xC3\xA9"},
  };
  for (int round = 0; round < 3; ++round) {
    for (const auto& [raw, normal] : cases) EXPECT_EQ(NormalOk(raw), normal) << round;
    // Over a thousand distinct names: the cache empties and fills again.
    for (int i = 0; i < 1100; ++i) {
      EXPECT_EQ(NormalOk("e\xCC\x81" + std::to_string(i)), "\xC3\xA9" + std::to_string(i));
    }
  }
  // A name that is not UTF-8 is refused every time, even beside its valid prefix.
  EXPECT_EQ(NormalOk("e\xCC\x81"), "\xC3\xA9");
  EXPECT_FALSE(NormalizeName("e\xCC\x81\xFF").ok());
  EXPECT_FALSE(NormalizeName("e\xCC\x81\xFF").ok());
}

TEST(NormalizeName, IsIdempotent) {
  for (const std::string& s : {"  e\xCC\x81 "s, "q\xCC\x87\xCC\xA3"s, "\xE2\x80\x80x\xE2\x80\x81"s,
                               " \xCC\x81"s, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"s}) {
    const std::string once = NormalOk(s);
    EXPECT_EQ(NormalOk(once), once) << testing::PrintToString(s);
    EXPECT_TRUE(IsValidUtf8(once));
  }
}

}  // namespace
}  // namespace spinlog::text
