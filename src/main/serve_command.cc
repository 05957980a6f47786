#include "main/serve_command.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "api/access_gate.h"
#include "api/routes.h"
#include "auth/postgresql/postgresql_token_store.h"
#include "auth/token_file.h"
#include "auth/token_registry.h"
#include "charts/chart_service.h"
#include "charts/store_follower.h"
#include "common/logging.h"
#include "common/task_pool.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"
#include "http/server.h"
#include "json/json_writer.h"
#include "ingest/play_committer.h"
#include "main/handover.h"
#include "main/listen_address.h"
#include "main/pid_file.h"
#include "main/socket_activation.h"
#include "main/store_wait.h"
#include "main/systemd_notify.h"
#include "main/version.h"
#include "observability/http_metrics.h"
#include "observability/ingest_metrics.h"
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

// One JSON object per request, on a line of its own (docs/operations.md,
// "Logs"). Never a header or a query string: no token reaches the log.
void LogAccess(const http::AccessLogEntry& entry) {
  json::JsonWriter w;
  w.StartObject();
  w.Key("time");
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  w.String(fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", seconds,
                       std::chrono::duration_cast<std::chrono::microseconds>(now - seconds).count()));
  w.Key("type");
  w.String("access");
  w.Key("request_id");
  w.String(entry.request_id);
  w.Key("method");
  w.String(http::MethodName(entry.method));
  w.Key("path");
  w.String(entry.path);
  w.Key("route");
  if (entry.route.empty()) {
    w.Null();
  } else {
    w.String(entry.route);
  }
  w.Key("status");
  w.Int(entry.status);
  w.Key("duration_us");
  w.Int(entry.duration.count());
  w.Key("bytes");
  w.Uint(entry.body_bytes);
  w.Key("client");
  w.String(entry.client);
  w.EndObject();
  logging::Structured(w.Take());
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

// Waits for SIGINT, SIGTERM or SIGUSR2, which main blocked in every thread.
int WaitForSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR2);
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

// How long a successor has to parse its options and take the socket.
constexpr std::chrono::seconds kSuccessorReadyTimeout{10};

// Waits for a stop signal. SIGUSR2 starts a successor on `listen_fd` and
// stops once it is ready (setting *handed_over); if it cannot start, this
// server keeps serving.
int WaitForStop(const ServeOptions& options, int listen_fd, bool* handed_over) {
  while (true) {
    const int signal = WaitForSignal();
    if (signal != SIGUSR2) return signal;
    if (options.command_line.empty()) {
      logging::Warn("SIGUSR2: handover is not available in this process; ignored");
      continue;
    }
    logging::Info("SIGUSR2: starting a successor to hand the listening socket over to");
    Result<pid_t> successor = StartSuccessor(listen_fd, options.command_line,
                                             kSuccessorReadyTimeout);
    if (!successor.ok()) {
      logging::Error("handover aborted, still serving: " + successor.status().message());
      continue;
    }
    logging::Info("handing over to pid " + std::to_string(*successor));
    *handed_over = true;
    return signal;
  }
}

using Millis = std::chrono::duration<double, std::milli>;

std::string Ms(std::chrono::steady_clock::duration d) {
  return fmt::format("{:.1f} ms", Millis(d).count());
}

// A bucket of one second's worth unless the operator chose its size.
std::uint32_t BurstOf(double rate, std::uint32_t burst) {
  if (burst > 0) return burst;
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil(std::min(rate, 4e9))));
}

storage::RocksDbStoreOptions RocksDbOptionsOf(const ServeOptions& options) {
  storage::RocksDbStoreOptions store_options;
  store_options.path = options.data_dir;
  store_options.sync_writes = options.durability == Durability::kDurable;
  return store_options;
}

// The shared PostgreSQL store when --store names one, else the embedded one.
Result<std::unique_ptr<storage::Store>> OpenStore(const ServeOptions& options) {
  if (!options.store.empty()) {
    SPINLOG_RETURN_IF_ERROR(storage::CheckPostgresUrl(options.store));
    storage::PostgresStoreOptions store_options;
    store_options.url = options.store;
    store_options.pool_size = options.store_connections;
    store_options.synchronous_commit = options.durability == Durability::kDurable;
    return storage::OpenPostgresStore(store_options);
  }
  return storage::OpenRocksDbStore(RocksDbOptionsOf(options));
}

// The tokens of the shared store when --store names one (polled four times
// a second: every node sees a change within a second), else those of the
// data directory's token file.
Result<std::unique_ptr<auth::TokenRegistry>> OpenTokenRegistry(const ServeOptions& options) {
  if (options.store.empty()) {
    return auth::TokenRegistry::Open(auth::TokenFilePath(options.data_dir));
  }
  SPINLOG_RETURN_IF_ERROR(storage::CheckPostgresUrl(options.store));
  // Tokens a node would silently ignore: refused, lest a node behind a
  // proxy that relied on them take anonymous writes.
  const std::string file = auth::TokenFilePath(options.data_dir);
  if (Result<std::vector<auth::TokenRecord>> local = auth::ReadTokenFile(file); local.ok()) {
    const auto active = std::count_if(local->begin(), local->end(),
                                      [](const auth::TokenRecord& r) { return r.revoked == 0; });
    if (active > 0) {
      return Status::InvalidArgument(
          file + " holds " + std::to_string(active) +
          " active token(s), but with --store every node reads the tokens in PostgreSQL: make "
          "them there (spinlog token create --store URL), then remove " + file);
    }
  }
  SPINLOG_ASSIGN_OR_RETURN(std::unique_ptr<auth::TokenStore> tokens,
                           auth::OpenPostgresTokenStore(options.store));
  return auth::TokenRegistry::Open(std::move(tokens), std::chrono::milliseconds(250));
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
  // Socket activation or a handover: the socket stays open across restarts.
  Result<std::optional<InheritedSocket>> inherited = TakeInheritedSocket();
  if (!inherited.ok()) return Fail(inherited.status().message());

  // Before telling a predecessor we are ready: a successor that refuses to
  // start must do so while the old server still serves.
  Result<std::unique_ptr<auth::TokenRegistry>> tokens = OpenTokenRegistry(options);
  if (!tokens.ok()) return Fail(tokens.status().message());
  // The address actually served: an inherited socket's, not --listen's.
  const std::string& served_host =
      inherited->has_value() ? (*inherited)->host : address->host;
  const std::string served_address =
      inherited->has_value() ? (*inherited)->address : options.listen;
  const bool loopback = IsLoopbackHost(served_host);
  if (!loopback && !options.allow_anonymous_writes && !(*tokens)->HasActiveTokens()) {
    return Fail("refusing to listen on " + served_address +
                ", which is not a loopback address, with no API token: anyone who can reach it "
                "could write. Create one (spinlog token create " +
                (options.store.empty() ? "--data " + options.data_dir
                                       : "--store " + storage::RedactPostgresUrl(options.store)) +
                " --name NAME --scope write) or pass --allow-anonymous-writes");
  }
  const std::optional<pid_t> predecessor = TellPredecessorReady();
  const auto start = std::chrono::steady_clock::now();

  // Only a server on an inherited socket waits: it is a restart, and the
  // previous server is draining. A second server on its own port fails.
  // A shared store (--store) is never held by one process: nothing to wait for.
  if (inherited->has_value() && options.store.empty()) {
    logging::Info(fmt::format("opening the store in {} (waiting up to {} s while a previous "
                              "server still holds it)",
                              options.data_dir, options.store_wait_seconds));
  }
  Result<std::unique_ptr<storage::Store>> opened =
      inherited->has_value() && options.store.empty()
          ? OpenRocksDbStoreWaiting(RocksDbOptionsOf(options),
                                    std::chrono::seconds(options.store_wait_seconds))
          : OpenStore(options);
  if (!opened.ok()) return Fail(opened.status().message());
  std::unique_ptr<storage::Store> store = std::move(opened).value();
  const auto store_opened = std::chrono::steady_clock::now();
  const std::optional<StopRecord> previous_stop = TakeStopRecord(options.data_dir);

  api::AccessGateOptions gate_options;
  gate_options.access.reads_need_token = options.reads_need_token;
  gate_options.access.anonymous_writes_allowed = loopback || options.allow_anonymous_writes;
  gate_options.per_token = {options.token_rate, BurstOf(options.token_rate, options.token_burst)};
  gate_options.per_address = {options.address_rate,
                              BurstOf(options.address_rate, options.address_burst)};
  api::AccessGate gate(tokens->get(), gate_options);

  charts::ChartService charts(store.get(), options.chart_cache_mib << 20);
  if (Status rebuilt = charts.Rebuild(); !rebuilt.ok()) {
    return Fail("cannot load charts: " + rebuilt.ToString());
  }
  // After the charts' full read, which would otherwise share the cores
  // with it; before the first write, which would otherwise pay for it.
  store->StartSettling();
  // Before the committer: its thread may still answer requests (and so
  // report them) while the committer stops.
  std::unique_ptr<observability::HttpMetrics> http_metrics;
  ingest::PlayCommitterOptions committer_options;
  // The embedded store overlaps as many writes as it says; a shared one as
  // many as the operator allows its connections.
  committer_options.writers =
      options.store.empty() ? store->ConcurrentPlayWrites()
                            : std::min(options.store_writers, store->ConcurrentPlayWrites());
  observability::IngestMetrics ingest_metrics;
  ingest::PlayCommitter committer(
      store.get(), committer_options,
      [&charts](std::span<const storage::PlayRecord> created) { charts.OnPlaysStored(created); },
      &ingest_metrics);
  domain::CatalogueService catalogue(store.get(), &charts);
  // Over a shared store, the plays and catalogue writes of other nodes
  // reach these charts and caches within about one interval
  // (docs/architecture.md). Declared after the catalogue: stopped first.
  charts::StoreFollower follower(store.get(), &charts, std::chrono::milliseconds(250));
  follower.OnCatalogueChange(
      [&catalogue](const storage::CatalogueChange& c) { catalogue.ForgetChanged(c); });
  follower.Start();
  domain::PlayService plays(store.get(), &catalogue, &committer);

  domain::ChannelGroupService groups(store.get(), &catalogue);
  api::Services services{&catalogue, &plays, &charts, &groups};
  observability::Readiness readiness(store.get());
  http::Router router;
  api::RegisterRoutes(services, &router);
  gate.Install(&router);
  observability::RegisterOpsRoutes({&readiness, &metrics}, &router);
  // Built once every route is added: it keeps counters per route.
  http_metrics = std::make_unique<observability::HttpMetrics>(router);
  metrics.http = http_metrics.get();
  metrics.plays = &plays;
  metrics.ingest = &ingest_metrics;
  metrics.committer = &committer;
  metrics.charts = &charts;
  metrics.store = store.get();
  metrics.gate = &gate;

  // Over PostgreSQL a request may wait for network round trips: its handler
  // runs on a thread of this pool, one per store connection, so that they
  // are all kept busy while the event loops go on serving (charts answer
  // from memory, on the loops). Declared before the server: stopped after it.
  std::optional<TaskPool> store_waits;
  if (!options.store.empty()) {
    store_waits.emplace(options.store_connections, "store-waits");
    router.SetOffload([pool = &*store_waits](std::function<void()> task) {
      pool->Post(std::move(task));
    });
  }
  http::ServerOptions server_options;
  server_options.host = address->host;
  server_options.port = address->port;
  server_options.threads = options.threads;
  server_options.record_client_address = options.address_rate > 0;
  if (options.access_log) server_options.access_log = LogAccess;
  server_options.observer = http_metrics.get();
  server_options.max_connections = options.max_connections;
  server_options.max_header_bytes = options.max_header_bytes;
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.read_timeout = std::chrono::seconds(options.read_timeout_seconds);
  server_options.write_timeout = std::chrono::seconds(options.write_timeout_seconds);
  server_options.response_timeout = std::chrono::seconds(options.max_request_time_seconds);
  if (inherited->has_value()) server_options.listen_fd = (*inherited)->fd;
  const auto charts_loaded = std::chrono::steady_clock::now();
  Result<std::unique_ptr<http::Server>> server = http::Server::Start(server_options, &router);
  if (!server.ok()) return Fail(server.status().message());
  const auto accepting = std::chrono::steady_clock::now();

  const std::string serving_on =
      inherited->has_value()
          ? (*inherited)->address + " (inherited socket" +
                (predecessor.has_value() ? " from pid " + std::to_string(*predecessor)
                                         : std::string(" from socket activation")) +
                ")"
          : FormatListenAddress(address->host, (*server)->port());
  logging::Info(std::string("spinlog ") + kVersion + " serving on " + serving_on +
                (options.store.empty()
                     ? " with data in " + options.data_dir
                     : " with store " + storage::RedactPostgresUrl(options.store)) +
                " (durability: " + DurabilityName(options.durability) + ")");
  if (options.durability == Durability::kRelaxed) {
    logging::Warn(
        "durability relaxed: writes are answered before they are synced to disk; a crash of "
        "spinlog loses none, a power loss or OS crash may lose the last answered writes");
  }

  if (inherited->has_value()) {
    // The restart's pause: how long the socket held connections unserved.
    logging::Info(fmt::format(
        "restart: {}; since start: waited for and opened the store in {}, loaded charts in {}, "
        "accepting after {}",
        previous_stop.has_value()
            ? fmt::format("accepting again {} after pid {} stopped accepting",
                          Ms(previous_stop->ago), previous_stop->pid)
            : std::string("no record of the previous server stopping"),
        Ms(store_opened - start), Ms(charts_loaded - store_opened), Ms(accepting - start)));
  }
  if (!options.pid_file.empty()) {
    if (Status written = WritePidFile(options.pid_file); !written.ok()) {
      logging::Error(written.message());
    }
  }
  NotifySystemd("READY=1\nSTATUS=serving on " + serving_on);

  bool handed_over = false;
  const int signal = WaitForStop(options, (*server)->listen_fd(), &handed_over);
  logging::Info(std::string("stopping on ") +
                (signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGUSR2"));
  // The socket outlives us (systemd holds it, or our successor): note when
  // it stops being served, for the next server's log.
  if (inherited->has_value() || handed_over) RecordStopAccepting(options.data_dir);
  NotifySystemd("STOPPING=1\nSTATUS=draining");
  // /readyz answers 503 from now on, on connections still open while draining.
  readiness.SetDraining();
  (*server)->Stop(std::chrono::seconds(options.shutdown_grace_seconds));
  committer.Stop();
  follower.Stop();
  if (Status flushed = store->Flush(); !flushed.ok()) {
    logging::Error("flush at shutdown failed: " + flushed.ToString());
    return 1;
  }
  // While the store is still ours, so a successor's pid is never removed.
  if (!options.pid_file.empty()) RemovePidFileIfOurs(options.pid_file);
  logging::Info("stopped");
  return 0;
}

}  // namespace spinlog
