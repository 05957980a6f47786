#include "text/quoting.h"

#include <gtest/gtest.h>

#include <string>

#include "text/utf8.h"

namespace spinlog::text {
namespace {

using namespace std::string_literals;

TEST(QuoteForMessage, QuotesPrintableText) {
  EXPECT_EQ(QuoteForMessage("2014-13-01"), "'2014-13-01'");
  EXPECT_EQ(QuoteForMessage(""), "''");
  EXPECT_EQ(QuoteForMessage("it's"), "'it's'");
}

TEST(QuoteForMessage, KeepsWellFormedUtf8) {
  EXPECT_EQ(QuoteForMessage("S\xC3\xB6ng \xF0\x9F\x8E\xB5"), "'S\xC3\xB6ng \xF0\x9F\x8E\xB5'");
}

TEST(QuoteForMessage, EscapesControlsAndBrokenBytes) {
  EXPECT_EQ(QuoteForMessage("a\0b"s), "'a\\x00b'");
  EXPECT_EQ(QuoteForMessage("\t\n\x7F"), "'\\x09\\x0A\\x7F'");
  EXPECT_EQ(QuoteForMessage("\xFF\xC3("), "'\\xFF\\xC3('");
  EXPECT_EQ(QuoteForMessage("\xED\xA0\x80"), "'\\xED\\xA0\\x80'");
}

TEST(QuoteForMessage, CutsLongInputAtACharacterBoundary) {
  EXPECT_EQ(QuoteForMessage("abcdefgh", 5), "'abcde'...");
  EXPECT_EQ(QuoteForMessage("abcde", 5), "'abcde'");
  // 'é' would straddle the limit: it is left out whole.
  EXPECT_EQ(QuoteForMessage("abcd\xC3\xA9xyz", 5), "'abcd'...");
  EXPECT_EQ(QuoteForMessage(std::string(1000, 'x')).size(), 48u + 2 + 3);
}

TEST(QuoteForMessage, AlwaysGivesValidUtf8) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  EXPECT_TRUE(IsValidUtf8(QuoteForMessage(all_bytes, 1000)));
  EXPECT_TRUE(IsValidUtf8(QuoteForMessage("\xF0\x9F\x8E\xB5\xF0\x9F\x8E\xB5", 6)));
}

}  // namespace
}  // namespace spinlog::text
