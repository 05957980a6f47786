#include "auth/access_policy.h"

#include <gtest/gtest.h>

#include "auth/token_file.h"
#include "support/temp_dir.h"

namespace spinlog::auth {
namespace {

class AccessPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    reader_ = *MakeToken();
    writer_ = *MakeToken();
    admin_ = *MakeToken();
  }
  std::unique_ptr<TokenRegistry> Registry(bool with_tokens) {
    const std::string path = TokenFilePath(dir_.path());
    std::vector<TokenRecord> records;
    if (with_tokens) {
      records = {{reader_.id, "r", kRead, reader_.hash, 1, 0},
                 {writer_.id, "w", kWrite, writer_.hash, 1, 0},
                 {admin_.id, "a", kAdmin, admin_.hash, 1, 0}};
    }
    EXPECT_TRUE(WriteTokenFile(path, records).ok());
    return std::move(TokenRegistry::Open(path)).value();
  }
  static std::string Bearer(const NewToken& token) { return "Bearer " + token.text; }

  testing::TempDir dir_;
  NewToken reader_, writer_, admin_;
};

TEST_F(AccessPolicy, ScopesAreIndependent) {
  auto registry = Registry(true);
  const AccessOptions options;
  const struct {
    const NewToken* token;
    Scope needed;
    Verdict expected;
  } cases[] = {
      {&reader_, kRead, Verdict::kAllow},      {&reader_, kWrite, Verdict::kForbidden},
      {&reader_, kAdmin, Verdict::kForbidden}, {&writer_, kWrite, Verdict::kAllow},
      {&writer_, kAdmin, Verdict::kForbidden}, {&writer_, kRead, Verdict::kForbidden},
      {&admin_, kAdmin, Verdict::kAllow},      {&admin_, kWrite, Verdict::kForbidden},
  };
  for (const auto& c : cases) {
    AccessDecision d = DecideAccess(*registry, options, c.needed, Bearer(*c.token));
    EXPECT_EQ(d.verdict, c.expected) << ScopeName(c.needed) << " with " << c.token->id;
    EXPECT_EQ(d.token_id, c.token->id);
  }
}

TEST_F(AccessPolicy, BadOrMissingTokens) {
  auto registry = Registry(true);
  AccessOptions options;
  options.anonymous_writes_allowed = true;  // no effect once tokens exist
  for (const std::string& header : std::vector<std::string>{"Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Bearer nope",
                             "bearer " + writer_.text.substr(0, 20)}) {
    AccessDecision d = DecideAccess(*registry, options, kRead, header);
    EXPECT_EQ(d.verdict, Verdict::kUnauthorized) << header;
    EXPECT_TRUE(d.invalid_token);
    EXPECT_EQ(d.message.find(writer_.text), std::string::npos);
  }
  EXPECT_EQ(DecideAccess(*registry, options, kWrite, "bEaReR   " + writer_.text + " ").verdict,
            Verdict::kAllow);
  EXPECT_EQ(DecideAccess(*registry, options, kRead, "").verdict, Verdict::kAllow);
  AccessDecision anonymous_write = DecideAccess(*registry, options, kWrite, "");
  EXPECT_EQ(anonymous_write.verdict, Verdict::kUnauthorized);
  EXPECT_FALSE(anonymous_write.invalid_token);
  options.reads_need_token = true;
  EXPECT_EQ(DecideAccess(*registry, options, kRead, "").verdict, Verdict::kUnauthorized);
  EXPECT_EQ(DecideAccess(*registry, options, kRead, Bearer(reader_)).verdict, Verdict::kAllow);
}

TEST_F(AccessPolicy, AnonymousWritesOnlyWhileNoTokenAndAllowed) {
  auto registry = Registry(false);
  AccessOptions options;
  EXPECT_EQ(DecideAccess(*registry, options, kWrite, "").verdict, Verdict::kUnauthorized);
  options.anonymous_writes_allowed = true;
  EXPECT_EQ(DecideAccess(*registry, options, kWrite, "").verdict, Verdict::kAllow);
  EXPECT_EQ(DecideAccess(*registry, options, kAdmin, "").verdict, Verdict::kAllow);
  // A token sent to a server without tokens is still checked.
  EXPECT_EQ(DecideAccess(*registry, options, kWrite, Bearer(writer_)).verdict,
            Verdict::kUnauthorized);
}

}  // namespace
}  // namespace spinlog::auth
