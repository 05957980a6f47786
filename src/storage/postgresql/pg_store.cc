// Opening the PostgreSQL store, running statements with their errors turned
// into Status, and the partitions of plays.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <random>
#include <utility>

#include "storage/postgresql/migrations.h"
#include "storage/postgresql/pg_store_impl.h"
#include "storage/postgresql/postgresql_store.h"

namespace spinlog::storage {
namespace {

std::string Trimmed(const char* message) {
  std::string text = message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// "PostgreSQL at host:port/db", without user or password.
std::string DescribeUrl(std::string_view url) {
  std::string_view rest =
      url.substr(url.find("://") == std::string_view::npos ? 0 : url.find("://") + 3);
  if (const std::size_t at = rest.rfind('@', rest.find('/')); at != std::string_view::npos) {
    rest.remove_prefix(at + 1);
  }
  if (const std::size_t query = rest.find('?'); query != std::string_view::npos) {
    rest = rest.substr(0, query);
  }
  return "PostgreSQL at " + std::string(rest.empty() ? "the default server" : rest);
}

// Runs `body` on a fresh connection outside any store (for MigratePostgres).
template <typename T>
Result<T> OnConnection(const std::string& url,
                       const std::function<Result<T>(pqxx::connection&)>& body) {
  try {
    pqxx::connection connection(url);
    return body(connection);
  } catch (const pqxx::broken_connection& e) {
    return Status::Unavailable("cannot reach " + DescribeUrl(url) + ": " + Trimmed(e.what()));
  } catch (const std::exception& e) {
    return Status::IOError("cannot migrate the schema in " + DescribeUrl(url) + ": " +
                           Trimmed(e.what()));
  }
}

}  // namespace

bool IsPostgresUrl(std::string_view store) {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

Status CheckPostgresUrl(std::string_view store) {
  if (IsPostgresUrl(store)) return Status::OK();
  return Status::InvalidArgument("--store: expected postgresql://user@host:port/db, got '" +
                                 RedactPostgresUrl(store) + "'");
}

std::string RedactPostgresUrl(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t authority = scheme + 3;
  const std::size_t path = url.find_first_of("/?", authority);
  const std::size_t at = url.substr(0, path).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  const std::size_t colon = url.substr(0, at).find(':', authority);
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

int LatestPostgresSchemaVersion() { return pg::Migrations().back().version; }

Result<MigrationReport> MigratePostgres(const std::string& url) {
  if (url.empty()) return Status::InvalidArgument("the PostgreSQL URL is empty");
  return OnConnection<MigrationReport>(url, [](pqxx::connection& c) -> Result<MigrationReport> {
    SPINLOG_ASSIGN_OR_RETURN(pg::SchemaVersions versions, pg::MigrateSchema(c, true));
    return MigrationReport{versions.from, versions.to};
  });
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresStoreOptions& options) {
  if (options.url.empty()) return Status::InvalidArgument("the PostgreSQL URL is empty");
  auto store = std::make_unique<pg::PostgresStore>(std::make_unique<pg::ConnectionPool>(
      options.url, DescribeUrl(options.url), options.pool_size, options.acquire_timeout,
      options.synchronous_commit ? "" : "SET synchronous_commit = off"));
  Status migrated = store->Run(
      "check the schema", pg::Retry::kOnBrokenConnection,
      [&](pqxx::connection& c) { return pg::MigrateSchema(c, options.migrate).status(); });
  SPINLOG_RETURN_IF_ERROR(migrated);
  SPINLOG_RETURN_IF_ERROR(store->Load());
  return std::unique_ptr<Store>(std::move(store));
}

namespace pg {
namespace {

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
constexpr std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Month number (year * 12 + month - 1) of a day.
constexpr std::int64_t MonthOfDay(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return (y + (m <= 2)) * 12 + (m - 1);
}

constexpr UnixMicros MonthStart(std::int64_t month) {
  return DaysFromCivil(month / 12, static_cast<unsigned>(month % 12) + 1, 1) * kMicrosPerDay;
}

// Monthly partitions cover [1900-01, 3000-01); migrations.cc's catch-alls
// hold the rest.
constexpr std::int64_t kFirstMonth = 1900 * 12;
constexpr std::int64_t kEndMonth = 3000 * 12;
static_assert(MonthStart(kFirstMonth) == -2'208'988'800 * kMicrosPerSecond);
static_assert(MonthStart(kEndMonth) == 32'503'680'000 * kMicrosPerSecond);
static_assert(MonthOfDay(DayOf(-1)) == 1969 * 12 + 11);

std::string PartitionName(std::int64_t month) {
  char name[32];
  std::snprintf(name, sizeof name, "plays_%04lld_%02lld", static_cast<long long>(month / 12),
                static_cast<long long>(month % 12 + 1));
  return name;
}

// pg_advisory_xact_lock key serialising partition creation across nodes.
constexpr char kPartitionLock[] = "SELECT pg_advisory_xact_lock(7310312799105136)";

}  // namespace

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return "channel";
    case Kind::kPerformer:
      return "performer";
    case Kind::kSong:
      return "song";
    case Kind::kChannelGroup:
      return "channel_group";
  }
  return "channel";
}

pqxx::binarystring Bytes(std::string_view bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

std::string BytesOf(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

PostgresStore::PostgresStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)),
      node_id_(static_cast<std::int64_t>(
          ((std::uint64_t{std::random_device()()} << 32) | std::random_device()()) >> 1)) {}

PostgresStore::~PostgresStore() = default;

Failure ClassifyFailure(const std::string& what, const std::string& server) {
  Failure f;
  std::string reason;
  bool unavailable = false;
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    f.broken = f.retry_on_new_connection = true;
    reason = "lost the connection to " + server + ": " + Trimmed(e.what());
    unavailable = true;
  } catch (const pqxx::in_doubt_error& e) {
    f.broken = true;
    reason = "the connection to " + server +
             " broke while committing, so the outcome is unknown: " + Trimmed(e.what());
    unavailable = true;
  } catch (const pqxx::serialization_failure& e) {
    f.conflict = true;
    reason = Trimmed(e.what());
    unavailable = true;
  } catch (const pqxx::deadlock_detected& e) {
    f.conflict = true;
    reason = Trimmed(e.what());
    unavailable = true;
  } catch (const pqxx::transaction_rollback& e) {
    reason = Trimmed(e.what());
    unavailable = true;
  } catch (const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    f.conflict = state == "40001" || state == "40P01";
    // Connection exceptions and the server shutting down or starting.
    f.broken = f.retry_on_new_connection = state.starts_with("08") || state.starts_with("57P");
    // Those, a read-only server (a replica, or in recovery) and no resources
    // left are PostgreSQL being unavailable, not a fault of ours.
    unavailable = f.conflict || f.broken || state.starts_with("53") || state == "25006";
    reason = Trimmed(e.what()) + " (SQLSTATE " + state + ")";
  } catch (const pqxx::conversion_error& e) {
    f.status = Status::Corruption("cannot " + what + ": unexpected value in " + server + ": " +
                                  Trimmed(e.what()));
    return f;
  } catch (const std::exception& e) {
    f.broken = true;  // in an unknown state: not worth keeping
    reason = Trimmed(e.what());
  }
  f.status = unavailable ? Status::Unavailable("cannot " + what + ": " + reason)
                         : Status::IOError("cannot " + what + " in " + server + ": " + reason);
  return f;
}

Status PostgresStore::Run(const std::string& what, Retry retry,
                          const std::function<Status(pqxx::connection&)>& body) {
  int reconnects = retry == Retry::kOnBrokenConnection ? 1 : 0;
  int conflicts = 5;  // serialization failures and deadlocks: rare, retried
  while (true) {
    SPINLOG_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
    try {
      return body(*lease);
    } catch (...) {
      const Failure f = ClassifyFailure(what, pool_->description());
      if (f.broken) lease.Discard();
      if ((f.conflict && conflicts-- > 0) || (f.retry_on_new_connection && reconnects-- > 0)) {
        ++statement_retries_;
        continue;
      }
      ++statement_failures_;
      return f.status;
    }
  }
}

Status PostgresStore::RunDedicated(const std::string& what,
                                   const std::function<Status(pqxx::connection&)>& body) {
  try {
    std::unique_ptr<pqxx::connection> connection = pool_->ConnectDedicated();
    return body(*connection);
  } catch (...) {
    ++statement_failures_;
    return ClassifyFailure(what, pool_->description()).status;
  }
}

Status PostgresStore::LoadCounters() {
  return Run("read the id counters", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const pqxx::row& row : tx.exec("SELECT kind, last_id FROM id_counters")) {
      const std::string kind = row[0].as<std::string>();
      for (Kind k : {Kind::kChannel, Kind::kPerformer, Kind::kSong, Kind::kChannelGroup}) {
        if (kind == KindName(k)) {
          std::atomic<std::uint32_t>& last = last_ids_[static_cast<std::size_t>(k)];
          const auto value = row[1].as<std::uint32_t>();
          // Only forward: a concurrent upsert of ours may have stored a newer one.
          std::uint32_t seen = last.load();
          while (seen < value && !last.compare_exchange_weak(seen, value)) {
          }
        }
      }
    }
    return Status::OK();
  });
}

Status PostgresStore::Load() {
  SPINLOG_RETURN_IF_ERROR(LoadCounters());
  // Plays of other nodes are followed from here (or from ScanDailyCounts).
  std::string snapshot;
  SPINLOG_RETURN_IF_ERROR(
      Run("read a snapshot", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        snapshot = tx.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>();
        return Status::OK();
      }));
  {
    std::lock_guard<std::mutex> guard(catalogue_feed_mutex_);
    catalogue_snapshot_ = snapshot;
  }
  {
    std::lock_guard<std::mutex> guard(feed_mutex_);
    feed_snapshot_ = std::move(snapshot);
  }
  std::set<std::int64_t> months;
  SPINLOG_RETURN_IF_ERROR(
      Run("list the partitions of plays", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const pqxx::result rows = tx.exec(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'plays'::regclass");
        for (const pqxx::row& row : rows) {
          int year = 0;
          int month = 0;
          if (std::sscanf(row[0].c_str(), "plays_%d_%d", &year, &month) == 2) {
            months.insert(std::int64_t{year} * 12 + month - 1);
          }
        }
        return Status::OK();
      }));
  {
    std::lock_guard<std::mutex> guard(partitions_mutex_);
    partitions_ = std::move(months);
  }
  // The months that live plays start in: made ahead, so that writes of
  // "now" never wait for a partition to be made.
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const UnixMicros ahead[] = {now, now + 32 * kMicrosPerDay};
  std::vector<PlayRecord> probes;
  for (UnixMicros t : ahead) probes.push_back(PlayRecord{0, t, t + 1, 0});
  return EnsurePartitions(probes);
}

Status PostgresStore::EnsurePartitions(std::span<const PlayRecord> plays) {
  std::vector<std::int64_t> missing;
  {
    std::lock_guard<std::mutex> guard(partitions_mutex_);
    std::int64_t previous = -1;
    for (const PlayRecord& play : plays) {
      if (play.start < MonthStart(kFirstMonth) || play.start >= MonthStart(kEndMonth)) continue;
      const std::int64_t month = MonthOfDay(DayOf(play.start));
      if (month == previous) continue;
      previous = month;
      if (!partitions_.contains(month)) missing.push_back(month);
    }
  }
  if (missing.empty()) return Status::OK();
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (std::int64_t month : missing) {
    const std::string name = PartitionName(month);
    SPINLOG_RETURN_IF_ERROR(
        Run("create partition " + name, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
          pqxx::work tx(c);
          tx.exec(kPartitionLock);
          tx.exec0("SET LOCAL client_min_messages = warning");  // no "already exists" notice
          tx.exec0("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF plays FOR VALUES FROM (" +
                   std::to_string(MonthStart(month)) + ") TO (" +
                   std::to_string(MonthStart(month + 1)) + ")");
          tx.commit();
          return Status::OK();
        }));
    std::lock_guard<std::mutex> guard(partitions_mutex_);
    partitions_.insert(month);
  }
  return Status::OK();
}

}  // namespace pg
}  // namespace spinlog::storage
