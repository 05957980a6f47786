#include "config/config_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace spinlog::config {
namespace {

std::string Write(const testing::TempDir& dir, const std::string& text) {
  const std::string path = dir.path() + "/spinlog.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigFile, ReadsScalarsAndListsInOrderWithTheirLines) {
  testing::TempDir dir;
  const std::string path = Write(dir,
                                 "# comment\n"
                                 "listen = \"127.0.0.1:9000\"\n"
                                 "chart_cache_mb = 64\n"
                                 "access-log = true\n"
                                 "rate-limit-token = 2.5\n"
                                 "groups = [\"a\", 1, false]\n");
  Result<std::vector<Setting>> settings = ReadConfigFile(path);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  ASSERT_EQ(settings->size(), 5u);
  const auto expect = [&](std::size_t i, const char* key, const char* value, int line) {
    EXPECT_EQ((*settings)[i].key, key);
    EXPECT_EQ((*settings)[i].value, value);
    EXPECT_EQ((*settings)[i].origin, path + ":" + std::to_string(line));
  };
  expect(0, "listen", "127.0.0.1:9000", 2);
  expect(1, "chart-cache-mb", "64", 3);
  expect(2, "access-log", "true", 4);
  expect(3, "rate-limit-token", "2.5", 5);
  expect(4, "groups", "a,1,false", 6);
}

TEST(ConfigFile, ErrorsNameTheFileAndLine) {
  testing::TempDir dir;
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"listen = \n", "spinlog.toml:1"},
      {"a = 1\n[serve]\nlisten = \"x\"\n", "serve: expected a string, number, boolean or list, not a table"},
      {"when = 2026-01-01\n", "not a date or time"},
      {"x = [[1]]\n", "a list may hold only"},
      {"a = 1\na = 2\n", "spinlog.toml:2"},
  };
  for (const auto& c : cases) {
    Result<std::vector<Setting>> settings = ReadConfigFile(Write(dir, c.text));
    ASSERT_FALSE(settings.ok()) << c.text;
    EXPECT_NE(settings.status().message().find(c.expected), std::string::npos)
        << settings.status().message();
    EXPECT_EQ(settings.status().message().find('\n'), std::string::npos) << "one line";
  }
  Result<std::vector<Setting>> missing = ReadConfigFile(dir.path() + "/absent.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("absent.toml"), std::string::npos);
}

}  // namespace
}  // namespace spinlog::config
