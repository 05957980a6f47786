// ConnectionPool: up to N open libpqxx connections to one database, lent
// out one at a time. Connections are made on demand (so a node starts while
// PostgreSQL is away and recovers when it is back) and a connection that
// broke is dropped rather than returned.
//
// Thread-safety: Acquire may be called from any thread; a Lease belongs to
// the thread that holds it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "common/result.h"

namespace spinlog::storage::pg {

class ConnectionPool {
 public:
  // A borrowed connection, given back when destroyed (or dropped, after
  // Discard).
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    pqxx::connection& operator*() { return *connection_; }
    pqxx::connection* operator->() { return connection_.get(); }
    // The connection is broken or in an unknown state: close it.
    void Discard() { discard_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    bool discard_ = false;
  };

  struct Figures {
    std::uint64_t open = 0;      // connections open now
    std::uint64_t in_use = 0;    // lent out now
    std::uint64_t waits = 0;     // Acquire calls that had to wait
    std::uint64_t timeouts = 0;  // Acquire calls that gave up
    std::uint64_t connects = 0;  // connections made
    std::uint64_t connect_failures = 0;
    std::uint64_t discarded = 0;  // connections dropped as broken
  };

  // `url` as libpq takes it; `description` (redacted) names it in errors;
  // `session_setup` (SQL, may be "") runs on each new connection.
  ConnectionPool(std::string url, std::string description, std::size_t size,
                 std::chrono::milliseconds acquire_timeout, std::string session_setup = "");
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Connections open at most.
  std::size_t size() const { return size_; }

  // A connection: an idle one, or a new one while fewer than `size` are
  // open; otherwise waits up to the acquire timeout. Unavailable when the
  // wait times out or PostgreSQL cannot be reached.
  Result<Lease> Acquire();

  // A new connection outside the pool (closed when the caller drops it).
  // Throws libpqxx's exceptions.
  std::unique_ptr<pqxx::connection> ConnectDedicated();

  Figures figures();
  const std::string& description() const { return description_; }

 private:
  void Return(std::unique_ptr<pqxx::connection> connection, bool discard);
  std::unique_ptr<pqxx::connection> Connect();

  const std::string url_;
  const std::string description_;
  const std::size_t size_;
  const std::chrono::milliseconds acquire_timeout_;
  const std::string session_setup_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;  // idle + lent + being made
  Figures figures_;
};

}  // namespace spinlog::storage::pg
