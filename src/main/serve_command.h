// `spinlog serve`: wires config -> storage -> indexes -> services -> HTTP, and
// runs until SIGINT or SIGTERM.
#pragma once

#include <cstddef>
#include <string>

namespace spinlog {

// When an answered write is on disk (docs/operations.md, "Durability").
enum class Durability {
  // Every answered write has its write-ahead log synced (fsync) first;
  // concurrent writes share one sync (group commit). Survives a power loss.
  kDurable,
  // The store does not sync on each write: answers come once the write-ahead
  // log has reached the operating system. Survives kill -9 of spinlog, not a
  // power loss or an OS crash; the WAL is synced at a clean shutdown.
  kRelaxed,
};

// "durable" or "relaxed", as the --durability flag spells it.
const char* DurabilityName(Durability durability);

struct ServeOptions {
  // HOST:PORT to listen on; [::1]:PORT for IPv6. Default: 127.0.0.1:8080
  std::string listen = "127.0.0.1:8080";
  // Data directory of the embedded store, created when missing. Default: ./data
  std::string data_dir = "./data";
  // The shared store instead: postgresql://user@host:port/db (its schema is
  // migrated at start). Default: "" (the embedded store in data_dir)
  std::string store;
  // Connections to the shared store kept open at most. Default: 16
  std::size_t store_connections = 16;
  // Event-loop threads; 0 means one per core. Default: 0
  std::size_t threads = 0;
  // Seconds to let requests in flight finish at shutdown. Default: 10
  int shutdown_grace_seconds = 10;
  // Log one line per request (method, path, status, duration, request id).
  // Default: false (it costs a few microseconds per request)
  bool access_log = false;
  // Whether answers wait for the write-ahead log sync. Default: kDurable
  Durability durability = Durability::kDurable;
  // Memory for counted chart periods kept for reuse (charts::RankingCache),
  // in MiB; at least 1. Default: 256
  std::size_t chart_cache_mib = 256;
};

// Serves until a stop signal; returns the process exit code (0 after a clean
// stop, 1 when the server could not start; the reason is printed on one line).
// REQUIRES: SIGINT and SIGTERM are blocked in every thread (see main.cc).
int RunServe(const ServeOptions& options);

}  // namespace spinlog
