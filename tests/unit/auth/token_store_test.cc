// The two TokenStores (the token file, the shared PostgreSQL table on a
// throwaway PostgreSQL 15: tests/support/pg_test_server.h) pass the same
// tests, and TokenRegistry follows each: registries standing for two nodes
// see a token added or revoked through a third store within a second.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "auth/postgresql/postgresql_token_store.h"
#include "auth/token_file.h"
#include "auth/token_registry.h"
#include "support/pg_test_server.h"
#include "support/temp_dir.h"

namespace spinlog::auth {
namespace {

using spinlog::testing::PgScratchDatabase;
using spinlog::testing::RunSql;

class Backing {
 public:
  virtual ~Backing() = default;
  virtual std::string SkipReason() const { return ""; }
  // Another handle on the same tokens, as another process would open.
  virtual Result<std::unique_ptr<TokenStore>> Open() = 0;
};

class FileBacking : public Backing {
 public:
  Result<std::unique_ptr<TokenStore>> Open() override {
    return OpenTokenFile(TokenFilePath(dir_.path()));
  }

 private:
  testing::TempDir dir_;
};

class PostgresBacking : public Backing {
 public:
  std::string SkipReason() const override { return database_.skip_reason(); }
  Result<std::unique_ptr<TokenStore>> Open() override {
    if (database_.url().empty()) return Status::Unavailable("no database: " + database_.error());
    return OpenPostgresTokenStore(database_.url());
  }
  const std::string& url() const { return database_.url(); }

 private:
  PgScratchDatabase database_;
};

struct BackingKind {
  std::string name;
  std::function<std::unique_ptr<Backing>()> make;
};

class TokenStoreTest : public ::testing::TestWithParam<BackingKind> {
 protected:
  void SetUp() override {
    backing_ = GetParam().make();
    if (!backing_->SkipReason().empty()) GTEST_SKIP() << backing_->SkipReason();
  }
  std::unique_ptr<TokenStore> Open() {
    Result<std::unique_ptr<TokenStore>> store = backing_->Open();
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<Backing> backing_;
};

TokenRecord RecordOf(const NewToken& token, const std::string& name, ScopeSet scopes) {
  return TokenRecord{token.id, name, scopes, token.hash, 1700000000, 0};
}

// Calls `check` every 20 ms until it holds or `limit` passes; the time taken.
std::chrono::milliseconds TimeUntil(const std::function<bool()>& check,
                                    std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (!check() && std::chrono::steady_clock::now() - start < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST_P(TokenStoreTest, AddsListsAndRevokesAndItsVersionFollows) {
  std::unique_ptr<TokenStore> store = Open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<TokenRecord>> none = store->ReadAll();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  const Result<std::string> empty_version = store->Version();
  ASSERT_TRUE(empty_version.ok()) << empty_version.status().ToString();
  EXPECT_EQ(*store->Version(), *empty_version) << "nothing changed";

  const NewToken first = *MakeToken();
  const NewToken second = *MakeToken();
  ASSERT_TRUE(store->Add(RecordOf(first, "ingest \"eu\" \xc3\xa9", kRead | kWrite)).ok());
  TokenRecord later = RecordOf(second, "ops", kAdmin);
  later.created += 10;
  ASSERT_TRUE(store->Add(later).ok());
  const Result<std::string> two_version = store->Version();
  ASSERT_TRUE(two_version.ok());
  EXPECT_NE(*two_version, *empty_version);

  TokenRecord same_id = RecordOf(first, "again", kRead);
  EXPECT_EQ(store->Add(same_id).code(), StatusCode::kAlreadyExists);

  std::unique_ptr<TokenStore> other = Open();  // what another process reads
  ASSERT_NE(other, nullptr);
  Result<std::vector<TokenRecord>> read = other->ReadAll();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].id, first.id);
  EXPECT_EQ((*read)[0].name, "ingest \"eu\" \xc3\xa9");
  EXPECT_EQ((*read)[0].scopes, kRead | kWrite);
  EXPECT_EQ((*read)[0].hash, first.hash);
  EXPECT_EQ((*read)[0].created, 1700000000);
  EXPECT_EQ((*read)[0].revoked, 0);
  EXPECT_EQ((*read)[1].id, second.id);
  EXPECT_EQ((*read)[1].scopes, kAdmin);

  Result<TokenRecord> revoked = other->Revoke(second.id, 1700000500);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->revoked, 1700000500);
  EXPECT_EQ(revoked->name, "ops");
  const Result<std::string> revoked_version = store->Version();
  ASSERT_TRUE(revoked_version.ok());
  EXPECT_NE(*revoked_version, *two_version);
  // A second revoke keeps the first time.
  Result<TokenRecord> again = store->Revoke(second.id, 1700000900);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked, 1700000500);
  EXPECT_EQ(store->Revoke("0123456789ab", 1700000900).status().code(), StatusCode::kNotFound);

  Result<std::vector<TokenRecord>> after = store->ReadAll();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].revoked, 0);
  EXPECT_EQ((*after)[1].revoked, 1700000500);
}

TEST_P(TokenStoreTest, RegistriesOfTwoNodesFollowAThirdWithinASecond) {
  std::unique_ptr<TokenStore> writer = Open();
  ASSERT_NE(writer, nullptr);
  const NewToken existing = *MakeToken();
  ASSERT_TRUE(writer->Add(RecordOf(existing, "existing", kRead)).ok());

  constexpr std::chrono::milliseconds kPoll{250};
  Result<std::unique_ptr<TokenRegistry>> node_a = TokenRegistry::Open(Open(), kPoll);
  Result<std::unique_ptr<TokenRegistry>> node_b = TokenRegistry::Open(Open(), kPoll);
  ASSERT_TRUE(node_a.ok()) << node_a.status().ToString();
  ASSERT_TRUE(node_b.ok()) << node_b.status().ToString();
  EXPECT_TRUE((*node_a)->Authenticate(existing.text).has_value()) << "read at open";
  EXPECT_TRUE((*node_b)->HasActiveTokens());

  const NewToken created = *MakeToken();
  ASSERT_TRUE(writer->Add(RecordOf(created, "new", kWrite)).ok());
  for (TokenRegistry* node : {node_a->get(), node_b->get()}) {
    const auto took =
        TimeUntil([&] { return node->Authenticate(created.text).has_value(); }, std::chrono::seconds(5));
    ASSERT_TRUE(node->Authenticate(created.text).has_value()) << "new token not seen";
    EXPECT_LE(took.count(), 1000) << "a node saw the new token after " << took.count() << " ms";
    EXPECT_EQ(node->Authenticate(created.text)->scopes, kWrite);
  }

  ASSERT_TRUE(writer->Revoke(created.id, 1700000600).ok());
  for (TokenRegistry* node : {node_a->get(), node_b->get()}) {
    const auto took = TimeUntil([&] { return !node->Authenticate(created.text).has_value(); },
                                std::chrono::seconds(5));
    ASSERT_FALSE(node->Authenticate(created.text).has_value()) << "revocation not seen";
    EXPECT_LE(took.count(), 1000) << "a node saw the revocation after " << took.count() << " ms";
  }
  EXPECT_TRUE((*node_b)->Authenticate(existing.text).has_value());
}

std::string BackingName(const ::testing::TestParamInfo<BackingKind>& param) {
  return param.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Backings, TokenStoreTest,
    ::testing::Values(BackingKind{"File", [] { return std::make_unique<FileBacking>(); }},
                      BackingKind{"PostgreSql", [] { return std::make_unique<PostgresBacking>(); }}),
    BackingName);

// What only the shared table has: SQL edits by an operator, and rows that
// are not token records.
class PostgresTokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!backing_.SkipReason().empty()) GTEST_SKIP() << backing_.SkipReason();
    ASSERT_FALSE(backing_.url().empty());
  }
  PostgresBacking backing_;
};

TEST_F(PostgresTokenStoreTest, StoresOnlyTheHashAndSeesEditsMadeInSql) {
  Result<std::unique_ptr<TokenStore>> store = backing_.Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const NewToken token = *MakeToken();
  ASSERT_TRUE((*store)->Add(RecordOf(token, "sql", kRead)).ok());
  // "spl_<id>_<secret>": the secret is base64url, which may hold '_' itself,
  // so it starts after the id's underscore (not after the last one).
  const std::string secret = token.text.substr(token.text.find('_', 4) + 1);
  ASSERT_EQ(secret.size(), 43u) << token.text;
  EXPECT_EQ(RunSql(backing_.url(),
                   "DO $$ BEGIN IF EXISTS (SELECT 1 FROM api_tokens WHERE "
                   "position('" + secret + "' in id || name || scopes || encode(sha256, 'hex')) > 0) "
                   "THEN RAISE 'secret stored'; END IF; END $$"),
            "");

  Result<std::unique_ptr<TokenRegistry>> registry =
      TokenRegistry::Open(std::move(store).value(), std::chrono::milliseconds(100));
  ASSERT_TRUE(registry.ok());
  ASSERT_TRUE((*registry)->Authenticate(token.text).has_value());
  // An operator revokes by hand: the trigger raises the version all the same.
  ASSERT_EQ(RunSql(backing_.url(), "UPDATE api_tokens SET revoked = 1700000001"), "");
  TimeUntil([&] { return !(*registry)->Authenticate(token.text).has_value(); },
            std::chrono::seconds(5));
  EXPECT_FALSE((*registry)->Authenticate(token.text).has_value());
  ASSERT_EQ(RunSql(backing_.url(), "UPDATE api_tokens SET revoked = 0"), "");
  TimeUntil([&] { return (*registry)->Authenticate(token.text).has_value(); },
            std::chrono::seconds(5));
  EXPECT_TRUE((*registry)->Authenticate(token.text).has_value());

  // A row that is not a token record: the tokens read before stay in force.
  ASSERT_EQ(RunSql(backing_.url(),
                   "INSERT INTO api_tokens (id, name, scopes, sha256, created) VALUES "
                   "('aaaaaaaaaaaa', 'bad', 'everything', decode(repeat('00', 32), 'hex'), 1)"),
            "");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_TRUE((*registry)->Authenticate(token.text).has_value());
  Result<std::unique_ptr<TokenStore>> reader = backing_.Open();
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->ReadAll().status().code(), StatusCode::kCorruption);
  // The table refuses what is not shaped like a token at all.
  EXPECT_NE(RunSql(backing_.url(),
                   "INSERT INTO api_tokens (id, name, scopes, sha256, created) VALUES "
                   "('short', 'bad', 'read', decode('00', 'hex'), 1)"),
            "");
}

TEST_F(PostgresTokenStoreTest, OpenNamesWhatIsWrong) {
  EXPECT_EQ(OpenPostgresTokenStore("/var/lib/spinlog").status().code(),
            StatusCode::kInvalidArgument);
  // A port nothing listens on (the cluster's port is random, 20000+).
  EXPECT_EQ(OpenPostgresTokenStore("postgresql://postgres@127.0.0.1:1/postgres").status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace spinlog::auth
