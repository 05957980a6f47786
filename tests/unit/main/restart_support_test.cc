// The pieces of zero-downtime restarts that need no second process: the
// socket-activation variables, the stop record, the pid file, and waiting
// for a store another server holds. tests/e2e/zero_downtime_test.cc runs the
// whole restart.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "main/handover.h"
#include "main/pid_file.h"
#include "main/socket_activation.h"
#include "main/store_wait.h"
#include "support/temp_dir.h"

namespace spinlog {
namespace {

using testing::TempDir;

void SetActivation(const std::string& pid, const std::string& fds) {
  ::setenv("LISTEN_PID", pid.c_str(), 1);
  ::setenv("LISTEN_FDS", fds.c_str(), 1);
  ::setenv("LISTEN_FDNAMES", "http", 1);
}

std::string Self() { return std::to_string(::getpid()); }

bool ActivationVariablesGone() {
  return std::getenv("LISTEN_PID") == nullptr && std::getenv("LISTEN_FDS") == nullptr &&
         std::getenv("LISTEN_FDNAMES") == nullptr;
}

TEST(SocketActivation, NoVariablesMeansNoSocket) {
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  Result<std::optional<InheritedSocket>> taken = TakeInheritedSocket();
  ASSERT_TRUE(taken.ok());
  EXPECT_FALSE(taken->has_value());
}

TEST(SocketActivation, SocketsMeantForAnotherProcessAreIgnoredAndForgotten) {
  SetActivation(std::to_string(::getpid() + 1), "1");
  Result<std::optional<InheritedSocket>> taken = TakeInheritedSocket();
  ASSERT_TRUE(taken.ok());
  EXPECT_FALSE(taken->has_value());
  EXPECT_TRUE(ActivationVariablesGone());
}

TEST(SocketActivation, ZeroSocketsIsNone) {
  SetActivation(Self(), "0");
  Result<std::optional<InheritedSocket>> taken = TakeInheritedSocket();
  ASSERT_TRUE(taken.ok());
  EXPECT_FALSE(taken->has_value());
}

TEST(SocketActivation, MalformedVariablesAreNamed) {
  SetActivation("12x", "1");
  Result<std::optional<InheritedSocket>> taken = TakeInheritedSocket();
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().message(),
            "LISTEN_PID: expected the pid the sockets are for, got \"12x\"");
  EXPECT_TRUE(ActivationVariablesGone());

  SetActivation(Self(), "one");
  taken = TakeInheritedSocket();
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().message(), "LISTEN_FDS: expected a number of sockets, got \"one\"");

  SetActivation(Self(), "3");
  taken = TakeInheritedSocket();
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().message(),
            "LISTEN_FDS: spinlog serves one listening socket, got 3 (one ListenStream= per unit)");
}

TEST(StopRecord, RoundTripsOnceAndMeasuresFromTheStop) {
  TempDir dir;
  EXPECT_FALSE(TakeStopRecord(dir.path()).has_value());
  RecordStopAccepting(dir.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::optional<StopRecord> record = TakeStopRecord(dir.path());
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->pid, ::getpid());
  EXPECT_GE(record->ago, std::chrono::milliseconds(20));
  EXPECT_LT(record->ago, std::chrono::seconds(30));
  // Taken: a later start has nothing to report.
  EXPECT_FALSE(TakeStopRecord(dir.path()).has_value());
}

TEST(StopRecord, ARecordFromAnotherBootOrGarbledIsIgnoredAndRemoved) {
  TempDir dir;
  const std::string path = dir.path() + "/spinlog.handover";
  std::ofstream(path) << "00000000-0000-0000-0000-000000000000 5 42\n";
  EXPECT_FALSE(TakeStopRecord(dir.path()).has_value());
  EXPECT_FALSE(std::filesystem::exists(path));
  std::ofstream(path) << "garbage\n";
  EXPECT_FALSE(TakeStopRecord(dir.path()).has_value());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(PidFile, WrittenAndRemovedOnlyWhileItNamesUs) {
  TempDir dir;
  const std::string path = dir.path() + "/spinlog.pid";
  ASSERT_TRUE(WritePidFile(path).ok());
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  EXPECT_EQ(pid, static_cast<long>(::getpid()));
  RemovePidFileIfOurs(path);
  EXPECT_FALSE(std::filesystem::exists(path));

  std::ofstream(path) << ::getpid() + 1 << "\n";  // a successor's
  RemovePidFileIfOurs(path);
  EXPECT_TRUE(std::filesystem::exists(path));

  EXPECT_FALSE(WritePidFile(dir.path() + "/missing/spinlog.pid").ok());
}

TEST(StoreWait, GivesUpAfterTheWaitSayingSo) {
  TempDir dir;
  storage::RocksDbStoreOptions options;
  options.path = dir.path() + "/data";
  Result<std::unique_ptr<storage::Store>> holder = storage::OpenRocksDbStore(options);
  ASSERT_TRUE(holder.ok()) << holder.status().ToString();
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<storage::Store>> waited =
      OpenRocksDbStoreWaiting(options, std::chrono::milliseconds(100));
  ASSERT_FALSE(waited.ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ(waited.status().message(),
            "data directory " + options.path +
                " is still in use by another spinlog process after waiting 100 ms");
}

TEST(StoreWait, OpensOnceTheHolderReleasesIt) {
  TempDir dir;
  storage::RocksDbStoreOptions options;
  options.path = dir.path() + "/data";
  Result<std::unique_ptr<storage::Store>> holder = storage::OpenRocksDbStore(options);
  ASSERT_TRUE(holder.ok()) << holder.status().ToString();
  std::thread release([&holder] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    holder->reset();
  });
  Result<std::unique_ptr<storage::Store>> waited =
      OpenRocksDbStoreWaiting(options, std::chrono::seconds(20));
  release.join();
  EXPECT_TRUE(waited.ok()) << waited.status().ToString();
}

TEST(StoreWait, OtherErrorsReturnAtOnce) {
  TempDir dir;
  const std::string file = dir.path() + "/file";
  std::ofstream(file) << "x";
  storage::RocksDbStoreOptions options;
  options.path = file + "/data";  // under a regular file: cannot be created
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(OpenRocksDbStoreWaiting(options, std::chrono::seconds(20)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace spinlog
