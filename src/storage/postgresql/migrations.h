// The versioned schema of the PostgreSQL backend. Each migration is one
// transaction of DDL; applied ones are rows of schema_migrations. A database
// whose newest row is above the newest migration here was upgraded by a
// newer build, and this one refuses it.
#pragma once

#include <pqxx/connection>
#include <span>

#include "common/result.h"

namespace spinlog::storage::pg {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// In version order, 1, 2, ...
std::span<const Migration> Migrations();

struct SchemaVersions {
  int from = 0;  // before: 0 for an empty database
  int to = 0;    // after
};

// Brings the schema to the newest version (`apply`), or only checks that it
// is there (`!apply`: InvalidArgument when it is behind). Holds an advisory
// lock meanwhile, so that nodes starting together migrate once. Throws
// libpqxx's exceptions; InvalidArgument when the schema is newer than this
// build knows.
Result<SchemaVersions> MigrateSchema(pqxx::connection& connection, bool apply);

}  // namespace spinlog::storage::pg
