// Where API tokens are kept: the token file of one data directory
// (auth/token_file.h) or a table that every node over a shared PostgreSQL
// store reads (auth/postgresql/postgresql_token_store.h). `spinlog token`
// edits a TokenStore; a server's TokenRegistry follows one. A store holds
// hashes only, never a token's text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/scopes.h"
#include "auth/token_secret.h"
#include "common/result.h"

namespace spinlog::auth {

struct TokenRecord {
  std::string id;    // 12 hex digits, unique
  std::string name;  // what the operator called it
  ScopeSet scopes = 0;
  TokenHash hash{};
  std::int64_t created = 0;  // Unix seconds
  std::int64_t revoked = 0;  // Unix seconds; 0 while active
};

// Implementations may be used from one thread at a time (the registry's
// poller, or a command); every method may fail with the backend's error
// (IOError, Unavailable when a database cannot be reached, Corruption when
// a stored record is not a token record).
class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // Where the tokens are, for messages: "/srv/spinlog/tokens.json",
  // "PostgreSQL at db.example:5432/spinlog".
  virtual std::string Describe() const = 0;

  // A value that changes whenever a token is added or revoked; cheap, as a
  // server asks for it several times a second. A change made after the
  // value was read gives a different value on the next call.
  virtual Result<std::string> Version() = 0;

  // Every record ever added (revoked ones too), oldest first.
  virtual Result<std::vector<TokenRecord>> ReadAll() = 0;

  // Adds `record`. AlreadyExists when a record has its id (48 random bits:
  // all but impossible, but a token must never alias another).
  virtual Status Add(const TokenRecord& record) = 0;

  // Marks the token `id` revoked at `when` (Unix seconds) and returns its
  // record; one revoked before keeps its time (and is returned with it).
  // NotFound when no token has that id.
  virtual Result<TokenRecord> Revoke(std::string_view id, std::int64_t when) = 0;
};

}  // namespace spinlog::auth
