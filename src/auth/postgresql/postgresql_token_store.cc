#include "auth/postgresql/postgresql_token_store.h"

#include <functional>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <utility>

#include "storage/postgresql/postgresql_store.h"

namespace spinlog::auth {
namespace {

std::string Trimmed(const char* message) {
  std::string text = message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Result<TokenRecord> RecordFrom(const pqxx::row& row) {
  TokenRecord record;
  record.id = row[0].as<std::string>();
  record.name = row[1].as<std::string>();
  Result<ScopeSet> scopes = ParseScopes(row[2].as<std::string>());
  Result<TokenHash> hash = HashFromHex(row[3].as<std::string>());
  if (!scopes.ok() || !hash.ok()) {
    return Status::Corruption("api_tokens row '" + record.id +
                              "' is not a token record: " +
                              (scopes.ok() ? hash.status() : scopes.status()).message());
  }
  record.scopes = *scopes;
  record.hash = *hash;
  record.created = row[4].as<std::int64_t>();
  record.revoked = row[5].as<std::int64_t>();
  return record;
}

constexpr char kSelectColumns[] =
    "SELECT id, name, scopes, encode(sha256, 'hex'), created, revoked FROM api_tokens ";

class PostgresTokenStore final : public TokenStore {
 public:
  explicit PostgresTokenStore(std::string url)
      : url_(std::move(url)), description_("PostgreSQL " + storage::RedactPostgresUrl(url_)) {}

  std::string Describe() const override { return description_; }

  Result<std::string> Version() override {
    std::string version;
    SPINLOG_RETURN_IF_ERROR(Run("read the tokens' version", [&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      version = tx.exec1("SELECT version FROM api_token_version")[0].as<std::string>();
      return Status::OK();
    }));
    return version;
  }

  Result<std::vector<TokenRecord>> ReadAll() override {
    std::vector<TokenRecord> records;
    SPINLOG_RETURN_IF_ERROR(Run("read the tokens", [&](pqxx::connection& c) -> Status {
      records.clear();
      pqxx::nontransaction tx(c);
      for (const pqxx::row& row : tx.exec(std::string(kSelectColumns) + "ORDER BY created, id")) {
        SPINLOG_ASSIGN_OR_RETURN(TokenRecord record, RecordFrom(row));
        records.push_back(std::move(record));
      }
      return Status::OK();
    }));
    return records;
  }

  Status Add(const TokenRecord& r) override {
    return Run("add a token", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      const pqxx::result added = tx.exec_params(
          "INSERT INTO api_tokens (id, name, scopes, sha256, created, revoked) "
          "VALUES ($1, $2, $3, decode($4, 'hex'), $5, $6) ON CONFLICT (id) DO NOTHING "
          "RETURNING id",
          r.id, r.name, FormatScopes(r.scopes), HashToHex(r.hash), r.created, r.revoked);
      if (added.empty()) return Status::AlreadyExists("token id " + r.id + " is taken");
      tx.commit();
      return Status::OK();
    });
  }

  Result<TokenRecord> Revoke(std::string_view id, std::int64_t when) override {
    std::optional<TokenRecord> record;
    SPINLOG_RETURN_IF_ERROR(Run("revoke a token", [&](pqxx::connection& c) -> Status {
      record.reset();
      pqxx::work tx(c);
      // Revoked once: a second revoke keeps the first time.
      tx.exec_params0("UPDATE api_tokens SET revoked = $2 WHERE id = $1 AND revoked = 0",
                      std::string(id), when);
      const pqxx::result found =
          tx.exec_params(std::string(kSelectColumns) + "WHERE id = $1", std::string(id));
      if (!found.empty()) {
        SPINLOG_ASSIGN_OR_RETURN(TokenRecord stored, RecordFrom(found[0]));
        record = std::move(stored);
      }
      tx.commit();
      return Status::OK();
    }));
    if (!record) {
      return Status::NotFound("no token with id '" + std::string(id) + "' in " + description_);
    }
    return *record;
  }

 private:
  // Runs `body` on the store's connection (made when there is none), with
  // libpqxx's exceptions turned into a Status: Unavailable when PostgreSQL
  // cannot be reached (the connection is then dropped, and made again on
  // the next call), IOError otherwise.
  Status Run(const std::string& what, const std::function<Status(pqxx::connection&)>& body) {
    try {
      if (connection_ == nullptr || !connection_->is_open()) {
        connection_.reset();
        connection_ = std::make_unique<pqxx::connection>(url_);
      }
      return body(*connection_);
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      return Status::Unavailable("cannot " + what + ": lost the connection to " + description_ +
                                 ": " + Trimmed(e.what()));
    } catch (const pqxx::sql_error& e) {
      const std::string state = e.sqlstate();
      // Connection exceptions and a server shutting down: make a new one.
      if (state.starts_with("08") || state.starts_with("57P")) {
        connection_.reset();
        return Status::Unavailable("cannot " + what + " in " + description_ + ": " +
                                   Trimmed(e.what()));
      }
      return Status::IOError("cannot " + what + " in " + description_ + ": " + Trimmed(e.what()) +
                             " (SQLSTATE " + state + ")");
    } catch (const std::exception& e) {
      connection_.reset();  // in an unknown state: not worth keeping
      return Status::IOError("cannot " + what + " in " + description_ + ": " + Trimmed(e.what()));
    }
  }

  const std::string url_;
  const std::string description_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace

Result<std::unique_ptr<TokenStore>> OpenPostgresTokenStore(const std::string& url) {
  SPINLOG_RETURN_IF_ERROR(storage::CheckPostgresUrl(url));
  SPINLOG_RETURN_IF_ERROR(storage::MigratePostgres(url).status());
  return std::unique_ptr<TokenStore>(std::make_unique<PostgresTokenStore>(url));
}

}  // namespace spinlog::auth
