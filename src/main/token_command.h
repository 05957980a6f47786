// `spinlog token create|list|revoke`: manages the API tokens of a data
// directory (auth/token_file.h). Safe while a server runs on that directory:
// the server rereads the token file within a second.
#pragma once

#include <string>

namespace spinlog {

struct TokenCommandOptions {
  std::string data_dir = "./data";
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
