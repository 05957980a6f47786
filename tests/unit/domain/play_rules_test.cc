#include "domain/play_rules.h"

#include <gtest/gtest.h>

#include "domain/names.h"

namespace spinlog::domain {
namespace {

TEST(Overlaps, HalfOpenWindowsTouchingAtAnEdgeDoNotOverlap) {
  // Window [10, 20).
  EXPECT_TRUE(Overlaps(5, 11, 10, 20));    // starts before, ends inside
  EXPECT_TRUE(Overlaps(19, 30, 10, 20));   // starts inside, ends after
  EXPECT_TRUE(Overlaps(0, 100, 10, 20));   // covers the window
  EXPECT_TRUE(Overlaps(12, 13, 10, 20));   // inside
  EXPECT_FALSE(Overlaps(5, 10, 10, 20));   // ends at the window's start
  EXPECT_FALSE(Overlaps(20, 25, 10, 20));  // starts at the window's end
  EXPECT_FALSE(Overlaps(0, 5, 10, 20));
}

TEST(CheckPlayTimes, EndMustFollowStartWithinADay) {
  std::vector<FieldViolation> v;
  CheckPlayTimes(0, 1, &v);
  CheckPlayTimes(0, kMaxPlayDuration, &v);
  EXPECT_TRUE(v.empty());
  CheckPlayTimes(5, 5, &v);
  CheckPlayTimes(5, 4, &v);
  CheckPlayTimes(0, kMaxPlayDuration + 1, &v);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], (FieldViolation{"end", "must be after start"}));
  EXPECT_EQ(v[2], (FieldViolation{"end", "a play may last at most 24 hours"}));
}

TEST(NormalizeName, TrimsAndComposes) {
  std::vector<FieldViolation> v;
  EXPECT_EQ(NormalizeName("title", "  Pe\xCC\x82rformer3 ", &v), "Pêrformer3");
  EXPECT_TRUE(v.empty());
}

TEST(NormalizeName, NamesTheFieldOfEveryProblem) {
  std::vector<FieldViolation> v;
  EXPECT_EQ(NormalizeName("title", "   ", &v), "");
  EXPECT_EQ(NormalizeName("channel", "\xFF", &v), "");
  EXPECT_EQ(NormalizeName("performer", std::string(kMaxNameBytes + 1, 'a'), &v), "");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], (FieldViolation{"title", "must not be empty"}));
  EXPECT_EQ(v[1], (FieldViolation{"channel", "is not valid UTF-8"}));
  EXPECT_EQ(v[2].field, "performer");
}

}  // namespace
}  // namespace spinlog::domain
