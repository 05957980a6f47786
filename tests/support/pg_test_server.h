// A throwaway PostgreSQL 15 for tests, and scratch databases in it.
//
// Under ctest, the fixture tests pg_cluster_start / pg_cluster_stop (see
// tests/CMakeLists.txt) run one cluster for the whole run, in
// $PG_TEST_CLUSTER_DIR, whose file `url` names it. A test binary run on its
// own starts its own cluster in a temporary directory on first use and stops
// it at exit. Both run tests/support/pg_test_cluster.sh (initdb, pg_ctl on a
// loopback port); nothing depends on a system-wide database.
//
// Each test takes a database of its own (PgScratchDatabase), dropped after.
#pragma once

#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "support/temp_dir.h"

#ifndef SPINLOG_PG_CLUSTER_SCRIPT
#error "SPINLOG_PG_CLUSTER_SCRIPT must name tests/support/pg_test_cluster.sh"
#endif

namespace spinlog::testing {

// Runs one SQL command on `url`; "" on success, else the error.
inline std::string RunSql(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(connection) != CONNECTION_OK) {
    error = PQerrorMessage(connection);
  } else {
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(connection);
  return error;
}

// `url` (postgresql://user@host:port/db) naming database `database` instead.
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

class PgTestServer {
 public:
  // The running cluster: the ctest fixture's, or one started now.
  static PgTestServer& Get() {
    static PgTestServer server;
    return server;
  }

  // Why PostgreSQL tests cannot run here ("" when they can): the server
  // binaries are not installed.
  const std::string& skip_reason() const { return skip_reason_; }
  // The cluster's URL (database "postgres"); "" with error() set when it
  // could not start.
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

  ~PgTestServer() {
    if (own_dir_ != nullptr) {
      const std::string stop = std::string(SPINLOG_PG_CLUSTER_SCRIPT) + " stop '" +
                               own_dir_->path() + "/pg' >/dev/null 2>&1";
      static_cast<void>(std::system(stop.c_str()));
    }
  }

 private:
  PgTestServer() {
    const char* bindir = std::getenv("SPINLOG_PG_BINDIR");
    const std::string initdb =
        std::string(bindir != nullptr ? bindir : "/usr/lib/postgresql/15/bin") + "/initdb";
    if (::access(initdb.c_str(), X_OK) != 0) {
      skip_reason_ = initdb + " is not installed (Debian package postgresql-15)";
      return;
    }
    if (const char* dir = std::getenv("PG_TEST_CLUSTER_DIR"); dir != nullptr && *dir != '\0') {
      std::ifstream file(std::string(dir) + "/url");
      std::string url;
      if (std::getline(file, url) && RunSql(url, "SELECT 1").empty()) {
        url_ = url;
        return;
      }
    }
    own_dir_ = std::make_unique<TempDir>();
    if (own_dir_->path().empty()) {
      error_ = "cannot make a temporary directory";
      return;
    }
    // The server may run as user postgres (when we are root): let it in.
    ::chmod(own_dir_->path().c_str(), 0755);
    const std::string start = std::string(SPINLOG_PG_CLUSTER_SCRIPT) + " start '" +
                              own_dir_->path() + "/pg' >'" + own_dir_->path() + "/start.log' 2>&1";
    const int rc = std::system(start.c_str());
    std::ifstream file(own_dir_->path() + "/pg/url");
    if (rc != 0 || !std::getline(file, url_)) {
      std::ifstream log(own_dir_->path() + "/start.log");
      error_ = "cannot start PostgreSQL: " +
               std::string(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
      url_.clear();
    }
  }

  std::string skip_reason_;
  std::string url_;
  std::string error_;
  std::unique_ptr<TempDir> own_dir_;
};

// A database of its own for one test, created empty and dropped (with any
// connections still open to it) when the object goes away.
class PgScratchDatabase {
 public:
  PgScratchDatabase() {
    PgTestServer& server = PgTestServer::Get();
    if (!server.skip_reason().empty()) return;
    if (server.url().empty()) {
      error_ = server.error();
      return;
    }
    static std::atomic<int> counter{0};
    name_ = "spinlog_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
            std::to_string(std::random_device()() % 100000);
    error_ = RunSql(server.url(), "CREATE DATABASE " + name_);
    if (!error_.empty()) {
      name_.clear();
      return;
    }
    url_ = WithDatabase(server.url(), name_);
  }
  ~PgScratchDatabase() {
    if (!name_.empty()) {
      static_cast<void>(
          RunSql(PgTestServer::Get().url(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"));
    }
  }
  PgScratchDatabase(const PgScratchDatabase&) = delete;
  PgScratchDatabase& operator=(const PgScratchDatabase&) = delete;

  const std::string& skip_reason() const { return PgTestServer::Get().skip_reason(); }
  // postgresql://... naming the scratch database; "" with error() set when
  // it could not be made.
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

 private:
  std::string name_;
  std::string url_;
  std::string error_;
};

}  // namespace spinlog::testing
