#include "main/raw_name_memo.h"

#include <gtest/gtest.h>

#include <string>

namespace spinlog {
namespace {

TEST(RawNameMemo, FindsWhatItRemembersAcrossGrowth) {
  RawNameMemo memo;
  EXPECT_EQ(memo.Find("a"), std::nullopt);
  for (std::uint32_t i = 0; i < 5000; ++i) memo.Remember("name" + std::to_string(i), i);
  EXPECT_EQ(memo.size(), 5000u);
  for (std::uint32_t i = 0; i < 5000; ++i) EXPECT_EQ(memo.Find("name" + std::to_string(i)), i);
  EXPECT_EQ(memo.Find("name5000"), std::nullopt);
  memo.Remember("name7", 70);  // replaces
  EXPECT_EQ(memo.Find("name7"), 70u);
  EXPECT_EQ(memo.size(), 5000u);
}

TEST(RawNameMemo, PairsAreOrderedAndSplitWhereGiven) {
  RawNameMemo memo;
  memo.Remember("ab", "c", 1);
  memo.Remember("a", "bc", 2);
  memo.Remember("c", "ab", 3);
  memo.Remember(std::string_view("a\0b", 3), "", 4);
  EXPECT_EQ(memo.Find("ab", "c"), 1u);
  EXPECT_EQ(memo.Find("a", "bc"), 2u);
  EXPECT_EQ(memo.Find("c", "ab"), 3u);
  EXPECT_EQ(memo.Find("abc"), std::nullopt);
  EXPECT_EQ(memo.Find(std::string_view("a\0b", 3)), 4u);
  EXPECT_EQ(memo.Find("a"), std::nullopt);
}

TEST(RawNameMemo, StartsOverAtItsBound) {
  RawNameMemo memo(/*max_entries=*/3);
  for (std::uint32_t i = 0; i < 3; ++i) memo.Remember(std::to_string(i), i);
  memo.Remember("3", 3);
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.Find("3"), 3u);
  EXPECT_EQ(memo.Find("0"), std::nullopt);
}

}  // namespace
}  // namespace spinlog
