// `spinlog migrate`: creates or upgrades the schema of a shared PostgreSQL
// store to this build's version (docs/operations.md, "PostgreSQL").
#pragma once

#include <string>

namespace spinlog {

// Migrates the database that `store` (postgresql://...) names and prints
// "schema version A -> B" on stdout. Returns the exit code: 0 when the
// schema is at this build's version; 1 when `store` is no PostgreSQL URL,
// the server cannot be reached, the schema is newer than this build, or a
// migration failed (the reason on one line on stderr; nothing of a failed
// migration stays).
int RunMigrate(const std::string& store);

}  // namespace spinlog
