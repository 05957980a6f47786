#include "auth/token_secret.h"

#include <gtest/gtest.h>

#include <set>

namespace spinlog::auth {
namespace {

TEST(TokenSecret, MadeTokensHaveTheDocumentedShapeAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    Result<NewToken> token = MakeToken();
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(token->text.size(), 4u + 12 + 1 + 43) << token->text;
    EXPECT_EQ(token->text.rfind("spl_", 0), 0u);
    EXPECT_EQ(TokenIdOf(token->text), token->id);
    EXPECT_TRUE(SameHash(token->hash, HashToken(token->text)));
    EXPECT_TRUE(seen.insert(token->text).second);
  }
}

TEST(TokenSecret, IdOfRejectsMalformedTexts) {
  Result<NewToken> token = MakeToken();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(TokenIdOf(""), "");
  EXPECT_EQ(TokenIdOf(token->text.substr(1)), "");
  EXPECT_EQ(TokenIdOf(token->text + "x"), "");
  std::string upper = token->text;
  upper[5] = 'G';  // not a hex digit
  EXPECT_EQ(TokenIdOf(upper), "");
  std::string no_separator = token->text;
  no_separator[16] = '-';
  EXPECT_EQ(TokenIdOf(no_separator), "");
}

TEST(TokenSecret, HashesMatchKnownSha256AndRoundTripThroughHex) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(HashToHex(HashToken("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const TokenHash hash = HashToken("spinlog");
  Result<TokenHash> back = HashFromHex(HashToHex(hash));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(SameHash(*back, hash));
  EXPECT_FALSE(SameHash(hash, HashToken("spinlog ")));
  EXPECT_FALSE(HashFromHex("abc").ok());
  EXPECT_FALSE(HashFromHex(std::string(64, 'g')).ok());
  EXPECT_FALSE(HashFromHex(std::string(64, 'A')).ok()) << "stored hex is lower case";
}

}  // namespace
}  // namespace spinlog::auth
