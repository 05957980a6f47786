// API tokens in a shared PostgreSQL store (the table api_tokens, schema
// migration 4), so that every node over the database honours the same
// tokens: `spinlog token create|revoke --store URL` writes them, each
// node's TokenRegistry follows them. Only the SHA-256 of a token is stored.
//
// Version() reads a counter that a trigger on api_tokens raises in the
// statement that changes it (a manual edit in SQL included): one row, one
// round trip per poll.
//
// Ownership: the store keeps one connection of its own, made on first use
// and made again after it broke. Thread-safety: as TokenStore (one thread at
// a time).
#pragma once

#include <memory>
#include <string>

#include "auth/token_store.h"
#include "common/result.h"

namespace spinlog::auth {

// The tokens of the database at `url` (postgresql://...), after bringing
// its schema to this build's version as `spinlog serve --store` does at
// start. Returns InvalidArgument for a schema newer than this build knows,
// Unavailable when PostgreSQL cannot be reached, IOError when the schema
// cannot be migrated.
Result<std::unique_ptr<TokenStore>> OpenPostgresTokenStore(const std::string& url);

}  // namespace spinlog::auth
