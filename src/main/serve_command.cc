#include "main/serve_command.h"

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "api/routes.h"
#include "charts/chart_service.h"
#include "charts/store_follower.h"
#include "common/logging.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"
#include "http/server.h"
#include "ingest/play_committer.h"
#include "main/listen_address.h"
#include "main/version.h"
#include "observability/http_metrics.h"
#include "observability/metrics_page.h"
#include "observability/ops_routes.h"
#include "observability/readiness.h"
#include "storage/postgresql/postgresql_store.h"
#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "spinlog: %s\n", message.c_str());
  return 1;
}

void LogAccess(const http::AccessLogEntry& entry) {
  logging::Info(fmt::format("{} {} {} {} {}us {}B", entry.request_id, http::MethodName(entry.method),
                            entry.path, entry.status, entry.duration.count(), entry.body_bytes));
}

// Raises the open-file limit to its hard maximum: every connection is a file
// descriptor, and running out makes the HTTP library stop accepting.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    // Failing leaves the old limit, which the server then works within.
    (void)setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Waits for SIGINT or SIGTERM, which main blocked in every thread.
int WaitForStopSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

// The shared PostgreSQL store when --store names one, else the embedded one.
Result<std::unique_ptr<storage::Store>> OpenStore(const ServeOptions& options) {
  if (!options.store.empty()) {
    if (!storage::IsPostgresUrl(options.store)) {
      return Status::InvalidArgument("--store: expected postgresql://user@host:port/db, got '" +
                                     storage::RedactPostgresUrl(options.store) + "'");
    }
    storage::PostgresStoreOptions store_options;
    store_options.url = options.store;
    store_options.pool_size = options.store_connections;
    store_options.synchronous_commit = options.durability == Durability::kDurable;
    return storage::OpenPostgresStore(store_options);
  }
  storage::RocksDbStoreOptions store_options;
  store_options.path = options.data_dir;
  store_options.sync_writes = options.durability == Durability::kDurable;
  return storage::OpenRocksDbStore(store_options);
}

}  // namespace

const char* DurabilityName(Durability durability) {
  return durability == Durability::kRelaxed ? "relaxed" : "durable";
}

int RunServe(const ServeOptions& options) {
  observability::MetricsSources metrics;
  metrics.version = kVersion;
  metrics.started_at = std::chrono::system_clock::now();
  metrics.started_steady = std::chrono::steady_clock::now();
  RaiseOpenFileLimit();
  Result<ListenAddress> address = ParseListenAddress(options.listen);
  if (!address.ok()) return Fail("--listen: " + address.status().message());

  Result<std::unique_ptr<storage::Store>> opened = OpenStore(options);
  if (!opened.ok()) return Fail(opened.status().message());
  std::unique_ptr<storage::Store> store = std::move(opened).value();

  charts::ChartService charts(store.get(), options.chart_cache_mib << 20);
  if (Status rebuilt = charts.Rebuild(); !rebuilt.ok()) {
    return Fail("cannot load charts: " + rebuilt.ToString());
  }
  // Over a shared store, the plays other nodes create reach these charts
  // within about one interval (docs/architecture.md).
  charts::StoreFollower follower(store.get(), &charts, std::chrono::milliseconds(250));
  follower.Start();
  // Before the committer: its thread may still answer requests (and so
  // report them) while the committer stops.
  std::unique_ptr<observability::HttpMetrics> http_metrics;
  ingest::PlayCommitter committer(
      store.get(), ingest::PlayCommitterOptions{},
      [&charts](std::span<const storage::PlayRecord> created) { charts.OnPlaysStored(created); });
  domain::CatalogueService catalogue(store.get(), &charts);
  domain::PlayService plays(store.get(), &catalogue, &committer);

  domain::ChannelGroupService groups(store.get(), &catalogue);
  api::Services services{&catalogue, &plays, &charts, &groups};
  observability::Readiness readiness(store.get());
  http::Router router;
  api::RegisterRoutes(services, &router);
  observability::RegisterOpsRoutes({&readiness, &metrics}, &router);
  // Built once every route is added: it keeps counters per route.
  http_metrics = std::make_unique<observability::HttpMetrics>(router);
  metrics.http = http_metrics.get();
  metrics.plays = &plays;
  metrics.charts = &charts;
  metrics.store = store.get();

  http::ServerOptions server_options;
  server_options.host = address->host;
  server_options.port = address->port;
  // Over PostgreSQL a request waits for network round trips on its event-loop
  // thread: by default, one thread per store connection keeps them all busy.
  server_options.threads = options.threads == 0 && !options.store.empty()
                               ? options.store_connections
                               : options.threads;
  if (options.access_log) server_options.access_log = LogAccess;
  server_options.observer = http_metrics.get();
  Result<std::unique_ptr<http::Server>> server = http::Server::Start(server_options, &router);
  if (!server.ok()) return Fail(server.status().message());

  logging::Info(std::string("spinlog ") + kVersion + " serving on " +
                FormatListenAddress(address->host, (*server)->port()) +
                (options.store.empty()
                     ? " with data in " + options.data_dir
                     : " with store " + storage::RedactPostgresUrl(options.store)) +
                " (durability: " + DurabilityName(options.durability) + ")");
  if (options.durability == Durability::kRelaxed) {
    logging::Warn(
        "durability relaxed: writes are answered before they are synced to disk; a crash of "
        "spinlog loses none, a power loss or OS crash may lose the last answered writes");
  }

  const int signal = WaitForStopSignal();
  logging::Info(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
  // /readyz answers 503 from now on, on connections still open while draining.
  readiness.SetDraining();
  (*server)->Stop(std::chrono::seconds(options.shutdown_grace_seconds));
  committer.Stop();
  follower.Stop();
  if (Status flushed = store->Flush(); !flushed.ok()) {
    logging::Error("flush at shutdown failed: " + flushed.ToString());
    return 1;
  }
  logging::Info("stopped");
  return 0;
}

}  // namespace spinlog
