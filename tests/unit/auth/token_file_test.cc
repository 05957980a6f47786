#include "auth/token_file.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "support/temp_dir.h"

namespace spinlog::auth {
namespace {

TokenRecord Record(const std::string& id, const std::string& name, ScopeSet scopes) {
  return TokenRecord{id, name, scopes, HashToken(id + name), 1700000000, 0};
}

TEST(TokenFile, MissingFileHasNoTokens) {
  testing::TempDir dir;
  Result<std::vector<TokenRecord>> records = ReadTokenFile(TokenFilePath(dir.path()));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_TRUE(records->empty());
}

TEST(TokenFile, WritesAndReadsBackEveryField) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  std::vector<TokenRecord> written = {Record("0123456789ab", "ingest \"eu\"\n", kRead | kWrite),
                                      Record("ba9876543210", "ops", kAdmin)};
  written[1].revoked = 1700000100;
  ASSERT_TRUE(WriteTokenFile(path, written).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "hashes are not for other users to read";

  Result<std::vector<TokenRecord>> read = ReadTokenFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*read)[i].id, written[i].id);
    EXPECT_EQ((*read)[i].name, written[i].name);
    EXPECT_EQ((*read)[i].scopes, written[i].scopes);
    EXPECT_TRUE(SameHash((*read)[i].hash, written[i].hash));
    EXPECT_EQ((*read)[i].created, written[i].created);
    EXPECT_EQ((*read)[i].revoked, written[i].revoked);
  }
}

TEST(TokenFile, CorruptLineIsReportedWithItsNumber) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  ASSERT_TRUE(WriteTokenFile(path, {Record("0123456789ab", "a", kRead)}).ok());
  {
    std::ofstream out(path, std::ios::app);
    out << "{\"id\":\"x\",\"scopes\":\"read\"}\n";
  }
  Result<std::vector<TokenRecord>> read = ReadTokenFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("tokens.json:2"), std::string::npos)
      << read.status().message();
}

TEST(TokenFile, LockIsExclusive) {
  testing::TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  Result<TokenFileLock> first = TokenFileLock::Acquire(path);
  ASSERT_TRUE(first.ok());
  // flock locks belong to the open file description: a second open of the
  // same file in this process must not get it while the first is held.
  const int fd = ::open((path + ".lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  EXPECT_NE(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ::close(fd);
}

}  // namespace
}  // namespace spinlog::auth
