// Whether the PostgreSQL store can write, and figures of its connection pool.
//
// The probe writes a row, as plays are written (a commit that PostgreSQL
// makes durable), so it fails exactly when a play would: the server is
// unreachable, read-only (a replica or in recovery), out of disk, or out of
// connections.
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {

Status PostgresStore::CheckWritable() {
  return Run("write to the store", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec0(
        "INSERT INTO spinlog_meta (name, value) VALUES ('write_probe', now()::text) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    return Status::OK();
  });
}

std::vector<StoreStatistic> PostgresStore::Statistics() {
  const ConnectionPool::Figures f = pool_->figures();
  return {
      {"pool_connections", "Connections to PostgreSQL open now.", false, f.open},
      {"pool_connections_in_use", "Connections lent to a request now.", false, f.in_use},
      {"pool_waits_total", "Requests that waited for a free connection.", true, f.waits},
      {"pool_timeouts_total", "Requests that found no free connection in time (answered 503).",
       true, f.timeouts},
      {"pool_connects_total", "Connections made to PostgreSQL.", true, f.connects},
      {"pool_connect_failures_total", "Attempts to connect to PostgreSQL that failed.", true,
       f.connect_failures},
      {"pool_discarded_total", "Connections dropped because they broke.", true, f.discarded},
      {"statement_retries_total",
       "Statements run again after a deadlock, a serialization failure or a broken connection.",
       true, statement_retries_.load()},
      {"statement_failures_total", "Statements that failed for good.", true,
       statement_failures_.load()},
      {"foreign_plays_total",
       "Plays created by other nodes that this node took from the play feed (for its charts).",
       true, feed_plays_.load()},
  };
}

}  // namespace spinlog::storage::pg
