#include "config/environment.h"

#include <gtest/gtest.h>

namespace spinlog::config {
namespace {

TEST(Environment, PicksPrefixedVariablesAsSettings) {
  std::string vars[] = {"PATH=/bin", "SPINLOG_LISTEN=127.0.0.1:1", "SPINLOG_CHART_CACHE_MB=8",
                        "SPINLOG_=x", "SPINLOGX=1", "SPINLOG_EMPTY="};
  std::vector<char*> env;
  for (std::string& v : vars) env.push_back(v.data());
  env.push_back(nullptr);
  std::vector<Setting> settings = ReadEnvironment(env.data(), "SPINLOG_");
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings[0].key, "listen");
  EXPECT_EQ(settings[0].value, "127.0.0.1:1");
  EXPECT_EQ(settings[0].origin, "SPINLOG_LISTEN");
  EXPECT_EQ(settings[1].key, "chart-cache-mb");
  EXPECT_EQ(settings[2].key, "empty");
  EXPECT_EQ(settings[2].value, "");
  EXPECT_TRUE(ReadEnvironment(nullptr, "SPINLOG_").empty());
}

TEST(Environment, NamesVariablesLikeOptions) {
  EXPECT_EQ(EnvironmentName("SPINLOG_", "chart-cache-mb"), "SPINLOG_CHART_CACHE_MB");
  EXPECT_EQ(EnvironmentName("SPINLOG_", "listen"), "SPINLOG_LISTEN");
}

}  // namespace
}  // namespace spinlog::config
