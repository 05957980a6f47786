// The server's view of its TokenStore (the token file, or the shared
// PostgreSQL table): which presented tokens are valid and with which scopes.
// A thread of its own asks the store for its version every `poll_every` and
// rereads the tokens when it changed, so `spinlog token create|revoke`
// takes effect within about that time without a restart, on every node
// that follows the store. Authenticate never waits for the store: a slow or
// unreachable store leaves the tokens last read in force (and is logged).
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "auth/scopes.h"
#include "auth/token_secret.h"
#include "auth/token_store.h"
#include "common/result.h"

namespace spinlog::auth {

struct TokenIdentity {
  std::string id;
  ScopeSet scopes = 0;
};

class TokenRegistry {
 public:
  // Follows the token file at `path`, checked once a second.
  static Result<std::unique_ptr<TokenRegistry>> Open(std::string path);

  // Reads `store` now and follows it; fails (with the store's one-line
  // reason) when the tokens cannot be read. A store without tokens is fine.
  static Result<std::unique_ptr<TokenRegistry>> Open(std::unique_ptr<TokenStore> store,
                                                     std::chrono::milliseconds poll_every);

  ~TokenRegistry();  // stops following the store
  TokenRegistry(const TokenRegistry&) = delete;
  TokenRegistry& operator=(const TokenRegistry&) = delete;

  // The identity of an active token whose text is `token`; nullopt when the
  // text is malformed, unknown or revoked. Compares hashes in constant time.
  std::optional<TokenIdentity> Authenticate(std::string_view token);

  // Whether at least one token is active.
  bool HasActiveTokens();

 private:
  struct Entry {
    TokenHash hash{};
    ScopeSet scopes = 0;
  };
  using Table = std::unordered_map<std::string, Entry>;

  TokenRegistry(std::unique_ptr<TokenStore> store, std::chrono::milliseconds poll_every)
      : store_(std::move(store)), poll_every_(poll_every) {}
  std::shared_ptr<const Table> Current();
  // Rereads the tokens if the store's version changed. On failure the old
  // table stays, and the failure is logged once (not once per poll).
  void Refresh();
  Status Load(const std::string& version);
  void Follow();

  // Used by the poller thread only (and by Open before it starts).
  const std::unique_ptr<TokenStore> store_;
  const std::chrono::milliseconds poll_every_;
  std::string version_;
  std::string last_failure_;

  std::mutex mutex_;  // guards table_ and stop_
  std::condition_variable wake_;
  std::shared_ptr<const Table> table_;
  bool stop_ = false;
  std::thread poller_;
};

}  // namespace spinlog::auth
