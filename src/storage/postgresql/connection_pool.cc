#include "storage/postgresql/connection_pool.h"

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <utility>

namespace spinlog::storage::pg {

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_), discard_);
}

ConnectionPool::ConnectionPool(std::string url, std::string description, std::size_t size,
                               std::chrono::milliseconds acquire_timeout, std::string session_setup)
    : url_(std::move(url)),
      description_(std::move(description)),
      size_(size == 0 ? 1 : size),
      acquire_timeout_(acquire_timeout),
      session_setup_(std::move(session_setup)) {}

ConnectionPool::~ConnectionPool() = default;

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (idle_.empty() && open_ >= size_) {
      ++figures_.waits;
      const bool got = returned_.wait_for(lock, acquire_timeout_,
                                          [this] { return !idle_.empty() || open_ < size_; });
      if (!got) {
        ++figures_.timeouts;
        return Status::Unavailable("no free connection to " + description_ + " within " +
                                   std::to_string(acquire_timeout_.count()) + " ms");
      }
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      ++figures_.in_use;
      return Lease(this, std::move(connection));
    }
    ++open_;  // a slot for the connection we make below, outside the lock
  }
  try {
    std::unique_ptr<pqxx::connection> connection = Connect();
    std::lock_guard<std::mutex> lock(mutex_);
    ++figures_.connects;
    ++figures_.in_use;
    return Lease(this, std::move(connection));
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    ++figures_.connect_failures;
    returned_.notify_one();
    std::string reason = e.what();
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return Status::Unavailable("cannot connect to " + description_ + ": " + reason);
  }
}

std::unique_ptr<pqxx::connection> ConnectionPool::Connect() {
  auto connection = std::make_unique<pqxx::connection>(url_);
  if (!session_setup_.empty()) {
    pqxx::nontransaction tx(*connection);
    tx.exec0(session_setup_);
  }
  return connection;
}

std::unique_ptr<pqxx::connection> ConnectionPool::ConnectDedicated() { return Connect(); }

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection, bool discard) {
  const bool keep = !discard && connection->is_open();
  if (!keep) {
    // Closing talks to the server (or times out): not under the lock.
    connection.reset();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  --figures_.in_use;
  if (keep) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
    ++figures_.discarded;
  }
  returned_.notify_one();
}

ConnectionPool::Figures ConnectionPool::figures() {
  std::lock_guard<std::mutex> lock(mutex_);
  Figures figures = figures_;
  figures.open = open_;
  return figures;
}

}  // namespace spinlog::storage::pg
