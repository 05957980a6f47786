// The serve command's settings from flags, SPINLOG_* variables and the
// config file, in that order of precedence.
#include "main/serve_options.h"

#include <gtest/gtest.h>

#include <fstream>

#include <CLI/CLI.hpp>

#include "support/temp_dir.h"

namespace spinlog {
namespace {

struct Parsed {
  std::string error;
  ServeCommandLine line;
  std::string printed;
};

Parsed Parse(std::vector<std::string> args, std::vector<std::string> environment) {
  Parsed parsed;
  CLI::App app;
  CLI::App* serve = app.add_subcommand("serve");
  AddServeOptions(serve, &parsed.line);
  std::vector<const char*> argv = {"spinlog", "serve"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  std::vector<char*> env;
  for (std::string& v : environment) env.push_back(v.data());
  env.push_back(nullptr);
  parsed.error = FinishServeOptions(serve, &parsed.line, env.data());
  if (parsed.error.empty()) parsed.printed = PrintServeConfig(*serve);
  return parsed;
}

TEST(ServeOptions, FlagsBeatEnvironmentBeatsFileBeatsDefaults) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/spinlog.toml";
  std::ofstream(file) << "listen = \"127.0.0.1:1001\"\nthreads = 3\nchart_cache_mb = 7\n"
                         "durability = \"relaxed\"\naccess_log = true\n";
  Parsed p = Parse({"--config", file, "--listen", "127.0.0.1:1003"},
                   {"SPINLOG_LISTEN=127.0.0.1:1002", "SPINLOG_THREADS=4"});
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.line.options.listen, "127.0.0.1:1003");
  EXPECT_EQ(p.line.options.threads, 4u);
  EXPECT_EQ(p.line.options.chart_cache_mib, 7u);
  EXPECT_EQ(p.line.options.durability, Durability::kRelaxed);
  EXPECT_TRUE(p.line.options.access_log);
  EXPECT_EQ(p.line.options.shutdown_grace_seconds, 10);  // default
  EXPECT_NE(p.printed.find("listen = \"127.0.0.1:1003\"  # command line"), std::string::npos)
      << p.printed;
  EXPECT_NE(p.printed.find("threads = 4  # SPINLOG_THREADS"), std::string::npos) << p.printed;
  EXPECT_NE(p.printed.find("chart-cache-mb = 7  # " + file + ":3"), std::string::npos)
      << p.printed;
  EXPECT_NE(p.printed.find("access-log = true"), std::string::npos) << p.printed;
  EXPECT_NE(p.printed.find("shutdown-grace = 10  # default"), std::string::npos) << p.printed;
}

TEST(ServeOptions, TheEnvironmentMayNameTheConfigFile) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/spinlog.toml";
  std::ofstream(file) << "data = \"/srv/spinlog\"\n";
  Parsed p = Parse({}, {"SPINLOG_CONFIG=" + file});
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.line.options.data_dir, "/srv/spinlog");
}

TEST(ServeOptions, BadValuesAreOneLineNamingTheirSource) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/spinlog.toml";
  std::ofstream(file) << "threads = 2\nlisten = 5\ndurability = \"sometimes\"\n";
  Parsed from_file = Parse({"--config", file}, {});
  EXPECT_NE(from_file.error.find(file + ":3"), std::string::npos) << from_file.error;
  EXPECT_NE(from_file.error.find("durability"), std::string::npos) << from_file.error;

  Parsed from_env = Parse({}, {"SPINLOG_CHART_CACHE_MB=0"});
  EXPECT_NE(from_env.error.find("SPINLOG_CHART_CACHE_MB"), std::string::npos) << from_env.error;

  std::ofstream(file) << "no_such_option = 1\n";
  Parsed unknown = Parse({"--config", file}, {});
  EXPECT_NE(unknown.error.find("no-such-option is not a serve setting"), std::string::npos)
      << unknown.error;

  std::ofstream(file) << "config = \"/elsewhere.toml\"\n";
  EXPECT_NE(Parse({"--config", file}, {}).error.find("cannot name another"), std::string::npos);

  // A bad value the command line overrides is never looked at.
  std::ofstream(file) << "threads = \"many\"\n";
  EXPECT_EQ(Parse({"--config", file, "--threads", "2"}, {}).error, "");
  // Unknown variables are only warned about: other tools share the prefix.
  EXPECT_EQ(Parse({}, {"SPINLOG_NOT_AN_OPTION=1"}).error, "");
}

TEST(ServeOptions, PrintConfigMasksPasswordsInUrls) {
  CLI::App app;
  CLI::App* serve = app.add_subcommand("serve");
  ServeCommandLine line;
  AddServeOptions(serve, &line);
  std::vector<const char*> argv = {"spinlog", "serve", "--store",
                                   "postgresql://spin:hunter2@db:5432/spinlog"};
  app.parse(static_cast<int>(argv.size()), argv.data());
  char* no_env[] = {nullptr};
  ASSERT_EQ(FinishServeOptions(serve, &line, no_env), "");
  const std::string printed = PrintServeConfig(*serve);
  EXPECT_EQ(printed.find("hunter2"), std::string::npos) << printed;
  EXPECT_NE(printed.find("store = \"postgresql://spin:****@db:5432/spinlog\""), std::string::npos)
      << printed;
  EXPECT_EQ(line.options.store, "postgresql://spin:hunter2@db:5432/spinlog") << "only shown masked";
}

}  // namespace
}  // namespace spinlog
