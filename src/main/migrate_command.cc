#include "main/migrate_command.h"

#include <cstdio>

#include "storage/postgresql/postgresql_store.h"

namespace spinlog {

int RunMigrate(const std::string& store) {
  if (!storage::IsPostgresUrl(store)) {
    std::fprintf(stderr,
                 "spinlog: --store: expected postgresql://user@host:port/db (the embedded "
                 "store upgrades itself when opened)\n");
    return 1;
  }
  Result<storage::MigrationReport> report = storage::MigratePostgres(store);
  if (!report.ok()) {
    std::fprintf(stderr, "spinlog: %s\n", report.status().message().c_str());
    return 1;
  }
  std::printf("schema version %d -> %d (%s)\n", report->from_version, report->to_version,
              storage::RedactPostgresUrl(store).c_str());
  return 0;
}

}  // namespace spinlog
