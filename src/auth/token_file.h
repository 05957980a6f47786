// The token file: `tokens.json` in the data directory, one JSON object per
// line per token ever made (revoked ones stay, marked, for the record). It
// holds hashes only, never a token's text. `spinlog token` edits it, under
// an advisory lock, while a server may be running; the server rereads it
// when it changes (auth/token_registry.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/token_store.h"
#include "common/result.h"

namespace spinlog::auth {

// "<data dir>/tokens.json".
std::string TokenFilePath(const std::string& data_dir);

// The token file at `path` as a TokenStore (its directory must exist for
// Add and Revoke). Version is the file's identity (inode, size,
// modification time); Add and Revoke hold TokenFileLock for their
// read-modify-write, so commands running at once lose nothing.
std::unique_ptr<TokenStore> OpenTokenFile(std::string path);

// Reads every record; a missing file is an empty list. Corruption naming the
// file and line when a line is not a token record.
Result<std::vector<TokenRecord>> ReadTokenFile(const std::string& path);

// Replaces the file's contents atomically and durably (a temporary file,
// fsync, rename, fsync of the directory); mode 0600.
Status WriteTokenFile(const std::string& path, const std::vector<TokenRecord>& records);

// Holds an exclusive advisory lock (flock) on "<path>.lock" for one
// read-modify-write of the token file by `spinlog token`.
class TokenFileLock {
 public:
  static Result<TokenFileLock> Acquire(const std::string& path);
  TokenFileLock(TokenFileLock&& other) noexcept;
  TokenFileLock& operator=(TokenFileLock&&) = delete;
  ~TokenFileLock();

 private:
  explicit TokenFileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace spinlog::auth
