// `spinlog token create|list|revoke`: manages the API tokens of a data
// directory (auth/token_file.h) or, with --store, of a shared PostgreSQL
// store (auth/postgresql/postgresql_token_store.h), which every node over it
// follows. Safe while servers run: they see a change within a second.
#pragma once

#include <string>

namespace spinlog {

struct TokenCommandOptions {
  std::string data_dir = "./data";
  // A shared store (postgresql://...): its tokens table instead of
  // --data's token file. Default: "" (the data directory's file)
  std::string store;
  std::string name;          // create
  std::string scopes = "read";  // create: "read,write,admin" or a subset
  std::string id;            // revoke
  bool all = false;          // list: revoked tokens too
};

// Each returns the process exit code: 0, 1 with one line on stderr when the
// operation failed, 2 for a bad value (an unknown scope, no such token).
// create prints the new token alone on stdout (it is shown only this once).
int RunTokenCreate(const TokenCommandOptions& options);
int RunTokenList(const TokenCommandOptions& options);
int RunTokenRevoke(const TokenCommandOptions& options);

}  // namespace spinlog
