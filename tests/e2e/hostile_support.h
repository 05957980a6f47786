// HostileRequests: the fixture of the hostile-request tests
// (hostile_*_test.cc), which send malformed and hostile requests to the
// classic API (plays-api.md) as data, one Case each.
//
// One server serves the whole suite: SetUpTestSuite starts the real binary in
// a temp directory of its own and stores a small known dataset that no case
// may change; TearDownTestSuite kills it and removes the directory. The
// fixture owns both. Before and after every test, and after every case, the
// server must still answer reads with exactly the stored data, and names
// used only in rejected writes ("Ghost ...") must not exist. Every answer
// must be JSON of the documented error shape (see ExpectErrorBody).
// Not thread-safe; GoogleTest runs the tests one at a time.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "e2e/hostile_case.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e::hostile {

class HostileRequests : public ::testing::Test {
 protected:
  // Starts the server and stores the dataset; a failure is kept in
  // start_error_ and fails every test in SetUp.
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  static std::uint16_t port() { return server_->port(); }

  // The server answers reads with exactly the known data, and not the ghosts.
  void ExpectStoredDataUnchanged(const std::string& when);

  // Sends the case's request; returns the answer (status kClosed when none)
  // and whether the server neither answered nor closed in time.
  static HttpResponse Send(const Case& c, bool* hung);

  // Every read of the known data and of the ghosts: "<status> <target> <body>"
  // each.
  static std::vector<std::string> ReadEverything();

  // Runs every case, each followed by a check that the server still serves
  // and that the case changed none of the reads.
  void RunCases(const std::vector<Case>& cases);

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::string start_error_;
};

}  // namespace spinlog::e2e::hostile
