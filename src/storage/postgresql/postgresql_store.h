// The shared storage backend: a Store in a PostgreSQL (15 or later)
// database, so that many stateless spinlog nodes serve one data set. This
// header is the backend's whole public surface and includes no libpqxx
// header: only files in this folder compile against libpqxx.
//
// The schema (docs/architecture.md, "PostgreSQL backend") is created and
// upgraded by versioned migrations recorded in the table schema_migrations.
// A store never opens a schema newer than this build knows.
//
// Ownership: the returned Store owns a pool of connections, closed when it is
// destroyed. Thread-safety: the Store is thread-safe, as store.h requires;
// any number of processes may open stores over one database at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/store.h"

namespace spinlog::storage {

// Whether a --store value names a PostgreSQL database (postgresql:// or
// postgres://) rather than an embedded data directory.
bool IsPostgresUrl(std::string_view store);

// `url` with its password (if any) replaced by "***", for logs and messages.
std::string RedactPostgresUrl(std::string_view url);

// OK when `store` is a PostgreSQL URL (IsPostgresUrl), else InvalidArgument
// "--store: expected postgresql://user@host:port/db, got '<redacted>'".
Status CheckPostgresUrl(std::string_view store);

struct PostgresStoreOptions {
  // A libpq connection URI: postgresql://user[:password]@host[:port]/db[?k=v].
  // Default: "" (must be set)
  std::string url;

  // Connections kept open at most; each request holds one for one statement
  // or one short transaction.
  // Default: 16
  std::size_t pool_size = 16;

  // How long a call waits for a free connection (or to connect) before it
  // fails with Unavailable.
  // Default: 5 s
  std::chrono::milliseconds acquire_timeout{5000};

  // When true, a commit returns once PostgreSQL has synced its WAL
  // (synchronous_commit on); when false, before (synchronous_commit off:
  // a crash of PostgreSQL may lose the last answered writes, never half of
  // one). spinlog's --durability relaxed sets it false.
  // Default: true
  bool synchronous_commit = true;

  // When true, Open applies the migrations this build knows and the
  // database lacks (under an advisory lock: nodes starting together apply
  // each once). When false, a schema behind this build is refused.
  // Default: true
  bool migrate = true;
};

// Opens a store over the database at options.url (migrating it when asked).
// Returns:
//   InvalidArgument  options.url is empty or malformed, or the schema is
//                    newer than this build knows ("schema version N ...");
//                    or older and options.migrate is false;
//   Unavailable      PostgreSQL cannot be reached;
//   IOError          a migration or the first reads failed.
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresStoreOptions& options);

// What MigratePostgres did.
struct MigrationReport {
  int from_version = 0;  // 0: an empty database
  int to_version = 0;
};

// Creates or upgrades the schema of the database at `url` to this build's
// newest version; errors as OpenPostgresStore's.
Result<MigrationReport> MigratePostgres(const std::string& url);

// The newest schema version this build knows.
int LatestPostgresSchemaVersion();

}  // namespace spinlog::storage
