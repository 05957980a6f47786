#include "text/form_decoding.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace spinlog::text {
namespace {

using namespace std::string_literals;
using Fields = std::vector<FormField>;

Fields DecodeOk(std::string_view encoded) {
  Result<Fields> fields = DecodeForm(encoded);
  EXPECT_TRUE(fields.ok()) << encoded << ": " << fields.status().message();
  return fields.ok() ? *fields : Fields{};
}

std::string DecodeError(std::string_view encoded) {
  Result<Fields> fields = DecodeForm(encoded);
  if (fields.ok()) return "<ok>";
  EXPECT_TRUE(fields.status().IsInvalidArgument());
  return fields.status().message();
}

TEST(DecodeForm, DecodesTheHeaderExample) {
  EXPECT_EQ(DecodeOk("a=1&b=x%20y&c"), (Fields{{"a", "1"}, {"b", "x y"}, {"c", ""}}));
}

TEST(DecodeForm, DecodesTheClassicApiExample) {
  EXPECT_EQ(DecodeOk("title=Song1&performer=Performer1&channel=Channel1&start=2014-01-01T01:00:00"
                     "&end=2014-01-01T01:10:00"),
            (Fields{{"title", "Song1"},
                    {"performer", "Performer1"},
                    {"channel", "Channel1"},
                    {"start", "2014-01-01T01:00:00"},
                    {"end", "2014-01-01T01:10:00"}}));
  EXPECT_EQ(
      DecodeOk("channels=%5B%22Channel1%22%2C%22Channel2%22%5D&start=2014-01-08T00:00:00&limit=10"),
      (Fields{{"channels", R"(["Channel1","Channel2"])"},
              {"start", "2014-01-08T00:00:00"},
              {"limit", "10"}}));
}

TEST(DecodeForm, PlusIsASpace) {
  EXPECT_EQ(DecodeOk("title=Song+One&a+b=c"), (Fields{{"title", "Song One"}, {"a b", "c"}}));
  EXPECT_EQ(DecodeOk("x=%2B"), (Fields{{"x", "+"}}));
}

TEST(DecodeForm, HexDigitsInEitherCase) {
  EXPECT_EQ(DecodeOk("t=S%C3%B6ng"), (Fields{{"t", "S\xC3\xB6ng"}}));
  EXPECT_EQ(DecodeOk("t=S%c3%b6ng"), (Fields{{"t", "S\xC3\xB6ng"}}));
  EXPECT_EQ(DecodeOk("t=%Aa%aA"), (Fields{{"t", "\xAA\xAA"}}));
}

TEST(DecodeForm, EncodedSeparatorsAreData) {
  EXPECT_EQ(DecodeOk("q=a%26b%3Dc&k%3Dx=1"), (Fields{{"q", "a&b=c"}, {"k=x", "1"}}));
}

TEST(DecodeForm, SplitsAtTheFirstEquals) {
  EXPECT_EQ(DecodeOk("q=a=b"), (Fields{{"q", "a=b"}}));
  EXPECT_EQ(DecodeOk("q=="), (Fields{{"q", "="}}));
}

TEST(DecodeForm, SkipsEmptyPieces) {
  EXPECT_EQ(DecodeOk(""), Fields{});
  EXPECT_EQ(DecodeOk("&"), Fields{});
  EXPECT_EQ(DecodeOk("&&a=1&&b=2&"), (Fields{{"a", "1"}, {"b", "2"}}));
}

TEST(DecodeForm, KeyWithoutEqualsHasAnEmptyValue) {
  EXPECT_EQ(DecodeOk("flag"), (Fields{{"flag", ""}}));
  EXPECT_EQ(DecodeOk("a=&b"), (Fields{{"a", ""}, {"b", ""}}));
}

TEST(DecodeForm, KeepsEmptyNamesForTheCallerToJudge) {
  EXPECT_EQ(DecodeOk("=v"), (Fields{{"", "v"}}));
  EXPECT_EQ(DecodeOk("="), (Fields{{"", ""}}));
}

TEST(DecodeForm, KeepsRepeatedNamesInOrder) {
  EXPECT_EQ(DecodeOk("channels=A&channels=B&channels=A"),
            (Fields{{"channels", "A"}, {"channels", "B"}, {"channels", "A"}}));
}

TEST(DecodeForm, ReturnsBytesWithoutCheckingUtf8) {
  EXPECT_EQ(DecodeOk("x=%FF%00y"), (Fields{{"x", "\xFF\0y"s}}));
  EXPECT_EQ(DecodeOk("x=\xC3"), (Fields{{"x", "\xC3"}}));
}

// The message for bad escape `quoted` (appended rather than built with
// operator+: GCC 12 at -O3 reports a false -Wrestrict on "literal" + string).
std::string BadEscape(std::string_view quoted) {
  std::string message(quoted);
  message.append(" is not a valid percent escape (expected '%' and two hex digits)");
  return message;
}

TEST(DecodeForm, NamesTheBadEscape) {
  EXPECT_EQ(DecodeError("%"), BadEscape("'%'"));
  EXPECT_EQ(DecodeError("a=%"), BadEscape("'%'"));
  EXPECT_EQ(DecodeError("a=%4"), BadEscape("'%4'"));
  EXPECT_EQ(DecodeError("a=%zz"), BadEscape("'%zz'"));
  EXPECT_EQ(DecodeError("a=%4g&b=1"), BadEscape("'%4g'"));
  EXPECT_EQ(DecodeError("a=%g4"), BadEscape("'%g4'"));
  EXPECT_EQ(DecodeError("a=%%41"), BadEscape("'%%4'"));
  EXPECT_EQ(DecodeError("a=%&b=1"), BadEscape("'%'"));
  EXPECT_EQ(DecodeError("a%=1"), BadEscape("'%'"));
  EXPECT_EQ(DecodeError("a=ok&b=%\xFF"), BadEscape("'%\\xFF'"));
  EXPECT_EQ(DecodeError("a=ok&b=%\n1"), BadEscape("'%\\x0A1'"));
}

TEST(PercentDecode, DecodesOneComponent) {
  EXPECT_EQ(*PercentDecode("a%26b%3Dc"), "a&b=c");
  EXPECT_EQ(*PercentDecode("a&b=c"), "a&b=c");
  EXPECT_EQ(*PercentDecode("+"), " ");
  EXPECT_EQ(*PercentDecode(""), "");
  EXPECT_EQ(*PercentDecode("%41%42%43"), "ABC");
  EXPECT_EQ(PercentDecode("abc%2").status().message(), BadEscape("'%2'"));
}

TEST(DecodeForm, HandlesManyFields) {
  std::string encoded;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    encoded.append("k").append(n).append("=v%20").append(n).append("&");
  }
  const Fields fields = DecodeOk(encoded);
  ASSERT_EQ(fields.size(), 1000u);
  EXPECT_EQ(fields[999], (FormField{"k999", "v 999"}));
}

}  // namespace
}  // namespace spinlog::text
