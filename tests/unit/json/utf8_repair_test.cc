#include "json/utf8_repair.h"

#include <gtest/gtest.h>

#include <string>

namespace spinlog::json {
namespace {

using namespace std::string_literals;

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8Repair, WellFormedTextComesBackUnchanged) {
  for (const std::string& s :
       {""s, "abc"s, "a\0b"s, "Pêrformer3"s, "日本"s, "\xF0\x9F\x8E\xB5"s, "\xF4\x8F\xBF\xBF"s}) {
    EXPECT_TRUE(IsWellFormedUtf8(s)) << s;
    EXPECT_EQ(ReplaceIllFormedUtf8(s), s);
  }
}

TEST(Utf8Repair, EachMaximalIllFormedSubpartBecomesOneReplacement) {
  // Examples from the Unicode standard, section 3.9 (table 3-8 and around).
  EXPECT_EQ(ReplaceIllFormedUtf8("a\xE2\x82"), "a" + kFffd);
  EXPECT_EQ(ReplaceIllFormedUtf8("\xFF\xFF"), kFffd + kFffd);
  EXPECT_EQ(ReplaceIllFormedUtf8("\xC0\xAF"), kFffd + kFffd);  // overlong
  EXPECT_EQ(ReplaceIllFormedUtf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ReplaceIllFormedUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogate
  EXPECT_EQ(ReplaceIllFormedUtf8("\xF4\x90\x80\x80"),
            kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_EQ(ReplaceIllFormedUtf8("\xF1\x80\x80\x41"), kFffd + "A");
  EXPECT_EQ(ReplaceIllFormedUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
  EXPECT_EQ(ReplaceIllFormedUtf8("\x80"), kFffd);
  EXPECT_EQ(ReplaceIllFormedUtf8("é\xC3"), "é" + kFffd);
}

TEST(Utf8Repair, IllFormedTextIsDetected) {
  EXPECT_FALSE(IsWellFormedUtf8("\xC3"));
  EXPECT_FALSE(IsWellFormedUtf8("\xC0\x80"));
  EXPECT_FALSE(IsWellFormedUtf8("\xED\xBF\xBF"));
  EXPECT_FALSE(IsWellFormedUtf8("\xF5\x80\x80\x80"));
}

}  // namespace
}  // namespace spinlog::json
