#include "api/v1/cursor.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace spinlog::api::v1 {
namespace {

TEST(Cursor, RoundTripsAndIsUrlSafe) {
  std::mt19937_64 random(1);
  for (int i = 0; i < 1000; ++i) {
    const Cursor cursor{random(), random()};
    const std::string text = EncodeCursor(cursor);
    EXPECT_EQ(text.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    const std::optional<Cursor> back = DecodeCursor(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(back->position, cursor.position);
    EXPECT_EQ(back->fingerprint, cursor.fingerprint);
  }
  const Cursor extreme{std::numeric_limits<std::uint64_t>::max(), 0};
  EXPECT_EQ(DecodeCursor(EncodeCursor(extreme))->position, extreme.position);
}

TEST(Cursor, RefusesWhatItDidNotWrite) {
  const std::string text = EncodeCursor({40, 12345});
  EXPECT_FALSE(DecodeCursor(""));
  EXPECT_FALSE(DecodeCursor(text.substr(1)));
  EXPECT_FALSE(DecodeCursor(text + "A"));
  std::string bad_char = text;
  bad_char[3] = '+';
  EXPECT_FALSE(DecodeCursor(bad_char));
  // The last character carries 4 bits: non-zero padding is refused.
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t last = alphabet.find(text.back());
  ASSERT_EQ(last % 4, 0u) << "the last character's 2 low bits are padding";
  std::string bad_padding = text;
  bad_padding.back() = alphabet[last + 1];
  EXPECT_FALSE(DecodeCursor(bad_padding));
  std::string other_version = EncodeCursor({40, 12345});
  other_version[0] = 'B';  // version byte 1 starts with "AQ"; "BQ" is another version
  EXPECT_FALSE(DecodeCursor(other_version));
}

TEST(KeyCursor, RoundTripsEveryKey) {
  std::mt19937_64 random(2);
  for (int i = 0; i < 1000; ++i) {
    const KeyCursor cursor{random(), random(), random()};
    const std::string text = EncodeKeyCursor(cursor);
    EXPECT_EQ(text.size(), 34u);
    const std::optional<KeyCursor> back = DecodeKeyCursor(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(back->major, cursor.major);
    EXPECT_EQ(back->minor, cursor.minor);
    EXPECT_EQ(back->fingerprint, cursor.fingerprint);
  }
  const KeyCursor extreme{std::numeric_limits<std::uint64_t>::max(), 0,
                          std::numeric_limits<std::uint64_t>::max()};
  EXPECT_EQ(DecodeKeyCursor(EncodeKeyCursor(extreme))->major, extreme.major);
}

TEST(KeyCursor, RefusesOtherKindsAndTampering) {
  const std::string text = EncodeKeyCursor({1, 2, 3});
  EXPECT_FALSE(DecodeKeyCursor(EncodeCursor({1, 3})));
  EXPECT_FALSE(DecodeCursor(text));
  EXPECT_FALSE(DecodeKeyCursor(text.substr(0, 33)));
  EXPECT_FALSE(DecodeKeyCursor(text + "A"));
  std::string bad_char = text;
  bad_char[10] = '/';
  EXPECT_FALSE(DecodeKeyCursor(bad_char));
  // The last character carries 2 bits: its 4 low bits are padding, so it
  // is one of A, Q, g, w; 'B' sets a padding bit.
  std::string bad_padding = text;
  ASSERT_NE(std::string("AQgw").find(text.back()), std::string::npos);
  bad_padding.back() = 'B';
  EXPECT_FALSE(DecodeKeyCursor(bad_padding));
}

TEST(Fingerprint, DependsOnEveryNumberAndItsOrder) {
  EXPECT_NE(Fingerprint().Add(1).Add(2).value(), Fingerprint().Add(2).Add(1).value());
  EXPECT_NE(Fingerprint().Add(1).value(), Fingerprint().Add(1).Add(0).value());
  EXPECT_EQ(Fingerprint().Add(7).value(), Fingerprint().Add(7).value());
}

TEST(NameCursor, RoundTripsNamesOfEveryLengthAndByte) {
  std::mt19937_64 random(3);
  for (std::size_t size = 0; size < 40; ++size) {
    NameCursor cursor{std::string(size, '\0'), random(), random()};
    for (char& c : cursor.name) c = static_cast<char>(random());
    const std::string text = EncodeNameCursor(cursor);
    EXPECT_EQ(text.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    const std::optional<NameCursor> back = DecodeNameCursor(text);
    ASSERT_TRUE(back) << size;
    EXPECT_EQ(back->name, cursor.name);
    EXPECT_EQ(back->id, cursor.id);
    EXPECT_EQ(back->fingerprint, cursor.fingerprint);
  }
}

TEST(NameCursor, RefusesOtherKindsAndTampering) {
  const std::string text = EncodeNameCursor({"Abba", 4, 9});
  EXPECT_FALSE(DecodeNameCursor(EncodeCursor({1, 3})));
  EXPECT_FALSE(DecodeNameCursor(EncodeKeyCursor({1, 2, 3})));
  EXPECT_FALSE(DecodeCursor(text));
  EXPECT_FALSE(DecodeKeyCursor(text));
  EXPECT_FALSE(DecodeNameCursor(text.substr(0, 20)));
  EXPECT_FALSE(DecodeNameCursor(text + "A"));  // a character of padding only
  std::string bad_char = text;
  bad_char[5] = '+';
  EXPECT_FALSE(DecodeNameCursor(bad_char));
}

TEST(Fingerprint, AddBytesSeparatesStrings) {
  EXPECT_NE(Fingerprint().AddBytes("ab").AddBytes("").value(),
            Fingerprint().AddBytes("a").AddBytes("b").value());
  EXPECT_NE(Fingerprint().AddBytes("a").value(), Fingerprint().AddBytes("b").value());
}

}  // namespace
}  // namespace spinlog::api::v1
