#include "auth/token_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "auth/token_file.h"
#include "support/temp_dir.h"

namespace spinlog::auth {
namespace {

TokenRecord RecordOf(const NewToken& token, ScopeSet scopes) {
  return TokenRecord{token.id, "t", scopes, token.hash, 1700000000, 0};
}

TEST(TokenRegistry, AuthenticatesActiveTokensOnly) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  NewToken active = *MakeToken();
  NewToken revoked = *MakeToken();
  TokenRecord gone = RecordOf(revoked, kRead);
  gone.revoked = 1700000001;
  ASSERT_TRUE(WriteTokenFile(path, {RecordOf(active, kRead | kWrite), gone}).ok());

  Result<std::unique_ptr<TokenRegistry>> registry = TokenRegistry::Open(path);
  ASSERT_TRUE(registry.ok());
  std::optional<TokenIdentity> who = (*registry)->Authenticate(active.text);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->id, active.id);
  EXPECT_EQ(who->scopes, kRead | kWrite);
  EXPECT_FALSE((*registry)->Authenticate(revoked.text).has_value());
  EXPECT_TRUE((*registry)->HasActiveTokens());

  // Right id, wrong secret.
  std::string forged = active.text;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE((*registry)->Authenticate(forged).has_value());
  EXPECT_FALSE((*registry)->Authenticate("").has_value());
  EXPECT_FALSE((*registry)->Authenticate("Bearer " + active.text).has_value());
}

TEST(TokenRegistry, SeesChangesToTheFileWithinASecondOrSo) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  Result<std::unique_ptr<TokenRegistry>> registry = TokenRegistry::Open(path);
  ASSERT_TRUE(registry.ok());
  EXPECT_FALSE((*registry)->HasActiveTokens());

  NewToken token = *MakeToken();
  ASSERT_TRUE(WriteTokenFile(path, {RecordOf(token, kAdmin)}).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!(*registry)->Authenticate(token.text) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE((*registry)->Authenticate(token.text).has_value()) << "created token not seen";

  TokenRecord revoked = RecordOf(token, kAdmin);
  revoked.revoked = 1700000002;
  ASSERT_TRUE(WriteTokenFile(path, {revoked}).ok());
  const auto revoke_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((*registry)->Authenticate(token.text) &&
         std::chrono::steady_clock::now() < revoke_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE((*registry)->Authenticate(token.text).has_value()) << "revocation not seen";
  EXPECT_FALSE((*registry)->HasActiveTokens());
}

TEST(TokenRegistry, KeepsTheOldTokensWhenTheFileTurnsBad) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  NewToken token = *MakeToken();
  ASSERT_TRUE(WriteTokenFile(path, {RecordOf(token, kRead)}).ok());
  Result<std::unique_ptr<TokenRegistry>> registry = TokenRegistry::Open(path);
  ASSERT_TRUE(registry.ok());
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("not json\n", f);
    std::fclose(f);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE((*registry)->Authenticate(token.text).has_value());
  // A registry cannot start from a bad file.
  EXPECT_FALSE(TokenRegistry::Open(path).ok());
}

}  // namespace
}  // namespace spinlog::auth
