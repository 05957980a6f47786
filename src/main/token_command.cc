#include "main/token_command.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <memory>

#include "auth/postgresql/postgresql_token_store.h"
#include "auth/scopes.h"
#include "auth/token_file.h"
#include "auth/token_secret.h"

namespace spinlog {
namespace {

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "spinlog: %s\n", message.c_str());
  return code;
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// The directory may not exist yet: a token can be made before the first start.
bool EnsureDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return true;
  return false;
}

// The tokens the options name: the shared store's, or the data directory's
// file (the directory is made when `create`, as a token may come before the
// first start).
Result<std::unique_ptr<auth::TokenStore>> OpenTokens(const TokenCommandOptions& options,
                                                     bool create) {
  if (!options.store.empty()) return auth::OpenPostgresTokenStore(options.store);
  if (create && !EnsureDirectory(options.data_dir)) {
    return Status::IOError("cannot create " + options.data_dir + ": " + std::strerror(errno));
  }
  return auth::OpenTokenFile(auth::TokenFilePath(options.data_dir));
}

}  // namespace

int RunTokenCreate(const TokenCommandOptions& options) {
  if (options.name.empty() || options.name.size() > 200) {
    return Fail(2, "--name: give the token a name of 1 to 200 characters");
  }
  for (unsigned char c : options.name) {
    if (c < 0x20 || c == 0x7f) return Fail(2, "--name: control characters are not allowed");
  }
  Result<auth::ScopeSet> scopes = auth::ParseScopes(options.scopes);
  if (!scopes.ok()) return Fail(2, "--scope: " + scopes.status().message());
  Result<std::unique_ptr<auth::TokenStore>> tokens = OpenTokens(options, true);
  if (!tokens.ok()) return Fail(1, tokens.status().message());
  Result<auth::NewToken> token = auth::MakeToken();
  if (!token.ok()) return Fail(1, token.status().message());
  const Status added = (*tokens)->Add(
      auth::TokenRecord{token->id, options.name, *scopes, token->hash, NowSeconds(), 0});
  if (added.code() == StatusCode::kAlreadyExists) {
    // 48 random bits: a repeat is all but impossible, but must not alias.
    return Fail(1, "token id collision; run the command again");
  }
  if (!added.ok()) return Fail(1, added.message());
  std::fprintf(stderr, "token %s (%s) created with scopes %s; it is shown only now:\n",
               token->id.c_str(), options.name.c_str(), auth::FormatScopes(*scopes).c_str());
  std::printf("%s\n", token->text.c_str());
  return 0;
}

int RunTokenList(const TokenCommandOptions& options) {
  Result<std::unique_ptr<auth::TokenStore>> tokens = OpenTokens(options, false);
  if (!tokens.ok()) return Fail(1, tokens.status().message());
  Result<std::vector<auth::TokenRecord>> records = (*tokens)->ReadAll();
  if (!records.ok()) return Fail(1, records.status().message());
  std::printf("%-12s  %-20s  %-16s  %-20s  %s\n", "ID", "CREATED", "SCOPES", "REVOKED", "NAME");
  for (const auth::TokenRecord& r : *records) {
    if (r.revoked != 0 && !options.all) continue;
    std::printf("%-12s  %-20s  %-16s  %-20s  %s\n", r.id.c_str(), Utc(r.created).c_str(),
                auth::FormatScopes(r.scopes).c_str(), r.revoked ? Utc(r.revoked).c_str() : "-",
                r.name.c_str());
  }
  return 0;
}

int RunTokenRevoke(const TokenCommandOptions& options) {
  Result<std::unique_ptr<auth::TokenStore>> tokens = OpenTokens(options, false);
  if (!tokens.ok()) return Fail(1, tokens.status().message());
  const std::int64_t now = NowSeconds();
  Result<auth::TokenRecord> record = (*tokens)->Revoke(options.id, now);
  if (record.status().code() == StatusCode::kNotFound) {
    return Fail(2, record.status().message() + " (see spinlog token list)");
  }
  if (!record.ok()) return Fail(1, record.status().message());
  if (record->revoked != now) {
    std::fprintf(stderr, "token %s was already revoked at %s\n", record->id.c_str(),
                 Utc(record->revoked).c_str());
    return 0;
  }
  std::fprintf(stderr, "token %s (%s) revoked; running servers refuse it within a second\n",
               record->id.c_str(), record->name.c_str());
  return 0;
}

}  // namespace spinlog
