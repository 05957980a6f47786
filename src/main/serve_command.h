// `spinlog serve`: wires config -> storage -> indexes -> services -> HTTP, and
// runs until SIGINT or SIGTERM.
#pragma once

#include <cstddef>
#include <cstdint>
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
  // Reads need a token with the `read` scope. Default: false (reads open)
  bool reads_need_token = false;
  // Accept writes without a token (while no token exists) on a listener that
  // is not loopback. Without it, such a server refuses to start with no
  // token. Default: false
  bool allow_anonymous_writes = false;
  // Rate limits (token buckets): requests per second per token, and per
  // client address for requests without a token; 0 means none. The bursts
  // are the bucket sizes; 0 means one second's worth. Default: none
  double token_rate = 0;
  std::uint32_t token_burst = 0;
  double address_rate = 0;
  std::uint32_t address_burst = 0;
};

// Serves until a stop signal; returns the process exit code (0 after a clean
// stop, 1 when the server could not start; the reason is printed on one line).
// REQUIRES: SIGINT and SIGTERM are blocked in every thread (see main.cc).
int RunServe(const ServeOptions& options);

}  // namespace spinlog
