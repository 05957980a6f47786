// The server's view of the token file: which presented tokens are valid and
// with which scopes. Rereads the file when it changes (checked at most once
// a second), so `spinlog token create|revoke` takes effect within a second
// without a restart.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/scopes.h"
#include "auth/token_secret.h"
#include "common/result.h"

namespace spinlog::auth {

struct TokenIdentity {
  std::string id;
  ScopeSet scopes = 0;
};

class TokenRegistry {
 public:
  // Reads `path` now; fails (with the reader's one-line reason) when the
  // file exists but cannot be read or parsed. A missing file means no tokens.
  static Result<std::unique_ptr<TokenRegistry>> Open(std::string path);

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
  struct FileStamp {
    long long inode = -1, size = -1, mtime_ns = -1;
    bool operator==(const FileStamp&) const = default;
  };

  explicit TokenRegistry(std::string path) : path_(std::move(path)) {}
  // Rereads the file if a second has passed and its stamp changed; keeps the
  // old table (and logs) when the new file cannot be read.
  std::shared_ptr<const Table> Current();
  FileStamp StampNow() const;
  Status Load(const FileStamp& stamp);

  const std::string path_;
  std::mutex mutex_;
  std::shared_ptr<const Table> table_;
  FileStamp stamp_;
  std::chrono::steady_clock::time_point checked_{};
};

}  // namespace spinlog::auth
