#include "ingest/byte_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace spinlog::ingest {
namespace {

TEST(ByteSource, FileHasItsNameAndSize) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/plays.ndjson";
  std::ofstream(path) << "hello\n";
  Result<std::unique_ptr<ByteSource>> source = OpenFileSource(path);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->name(), path);
  EXPECT_EQ((*source)->size(), 6u);
  char buffer[16];
  Result<std::size_t> n = (*source)->Read(buffer, sizeof(buffer));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buffer, *n), "hello\n");
  n = (*source)->Read(buffer, sizeof(buffer));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
}

TEST(ByteSource, MissingFileIsNotFoundNamingIt) {
  Result<std::unique_ptr<ByteSource>> source = OpenFileSource("/no/such/plays.csv");
  ASSERT_FALSE(source.ok());
  EXPECT_TRUE(source.status().IsNotFound());
  EXPECT_EQ(source.status().message(), "cannot open /no/such/plays.csv: No such file or directory");
}

TEST(ByteSource, DirectoryIsRefused) {
  testing::TempDir dir;
  Result<std::unique_ptr<ByteSource>> source = OpenFileSource(dir.path());
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message(), dir.path() + " is a directory");
}

TEST(ByteSource, DashIsStandardInput) {
  Result<std::unique_ptr<ByteSource>> source = OpenFileSource("-");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ((*source)->name(), "<stdin>");
}

TEST(InputBuffer, FillKeepsUnconsumedBytesAndGrowsForLongRecords) {
  std::unique_ptr<ByteSource> source = MakeStringSource("s", "abcdefghij", 3);
  InputBuffer buffer(source.get(), 4);
  Result<bool> more = buffer.Fill();
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(buffer.data(), "abc");
  buffer.Consume(1);
  ASSERT_TRUE(*buffer.Fill());
  EXPECT_EQ(buffer.data(), "bcdef");
  ASSERT_TRUE(*buffer.Fill());
  ASSERT_TRUE(*buffer.Fill());
  EXPECT_EQ(buffer.data(), "bcdefghij");
  EXPECT_FALSE(*buffer.Fill());
  EXPECT_TRUE(buffer.at_end());
  EXPECT_EQ(buffer.data(), "bcdefghij");
  buffer.Consume(9);
  EXPECT_EQ(buffer.consumed(), 10u);
}

}  // namespace
}  // namespace spinlog::ingest
