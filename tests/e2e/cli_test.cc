// The spinlog binary as an operator meets it: flags, start-up failures, and
// stopping on signals.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

int CountLines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

TEST(Cli, VersionPrintsTheVersion) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"--version"}, &out), 0);
  EXPECT_EQ(out.rfind("spinlog ", 0), 0u) << out;
}

TEST(Cli, HelpListsServe) {
  std::string out;
  EXPECT_EQ(RunSpinlog({"--help"}, &out), 0);
  EXPECT_NE(out.find("serve"), std::string::npos) << out;
  EXPECT_EQ(RunSpinlog({"serve", "--help"}, &out), 0);
  EXPECT_NE(out.find("--listen"), std::string::npos) << out;
  EXPECT_NE(out.find("--data"), std::string::npos) << out;
}

TEST(Cli, UnknownFlagFailsWithOneLine) {
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--no-such-flag"}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find("--no-such-flag"), std::string::npos) << out;
}

TEST(Cli, BadListenAddressFailsWithOneLine) {
  TempDir dir;
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:99999", "--data", dir.path()}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find("--listen"), std::string::npos) << out;
}

TEST(Cli, PortInUseFailsWithOneLine) {
  TempDir first_dir, second_dir;
  ServerProcess first;
  ASSERT_TRUE(first.Start(first_dir.path())) << first.Log();
  std::string out;
  const std::string listen = "127.0.0.1:" + std::to_string(first.port());
  EXPECT_NE(RunSpinlog({"serve", "--listen", listen, "--data", second_dir.path()}, &out), 0);
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
}

TEST(Cli, DataDirectoryOfARunningServerIsRefused) {
  TempDir dir;
  ServerProcess first;
  ASSERT_TRUE(first.Start(dir.path())) << first.Log();
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", dir.path()}, &out), 0);
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
  EXPECT_EQ(CountLines(out), 1) << out;
  // The first server is unharmed.
  EXPECT_EQ(Get(first.port(), "/get_top?channels=%5B%22x%22%5D&start=2014-01-01").status, 404);
}

TEST(Cli, UncreatableDataDirectoryFailsWithOneLine) {
  TempDir dir;
  const std::string file = dir.path() + "/a-file";
  std::ofstream(file) << "not a directory";
  std::string out;
  EXPECT_NE(RunSpinlog({"serve", "--listen", "127.0.0.1:0", "--data", file + "/data"}, &out), 0);
  EXPECT_EQ(CountLines(out), 1) << out;
  EXPECT_NE(out.find(file), std::string::npos) << out;
}

TEST(Cli, StartLogNamesVersionAddressAndData) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  const std::string log = server.Log();
  EXPECT_NE(log.find("spinlog "), std::string::npos) << log;
  EXPECT_NE(log.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos) << log;
  EXPECT_NE(log.find(dir.path()), std::string::npos) << log;
}

class StopSignal : public ::testing::TestWithParam<int> {};

TEST_P(StopSignal, StopsCleanlyWithExitZero) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  ASSERT_EQ(Post(server.port(), "/add_channel", "name=C").status, 200);
  server.Signal(GetParam());
  EXPECT_EQ(server.Wait(), 0) << server.Log();
  EXPECT_NE(server.Log().find("stopped"), std::string::npos) << server.Log();
}

INSTANTIATE_TEST_SUITE_P(Signals, StopSignal, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return param_info.param == SIGINT ? "Sigint" : "Sigterm";
                         });

}  // namespace
}  // namespace spinlog::e2e
