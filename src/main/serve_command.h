// `spinlog serve`: wires config -> storage -> indexes -> services -> HTTP, and
// runs until SIGINT or SIGTERM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
  // With `store`: batches of plays the node writes to it at once (each holds
  // a connection while it commits). More help when PostgreSQL has cores to
  // spare; on a 2-core machine shared with it, one larger batch at a time
  // was faster (docs/benchmarks.md). Default: 1
  std::size_t store_writers = 1;
  // Event-loop threads; 0 means one per usable core but one, at least one
  // (http::EventLoopThreadsFor). Default: 0
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
  // Seconds a server started on an inherited socket (socket activation, a
  // handover) waits for the previous server to release the data directory.
  // Default: 30
  int store_wait_seconds = 30;
  // File to write the serving process's pid to (replaced by a successor,
  // removed at a clean stop). Default: none
  std::string pid_file;
  // How this process was started (argv), for the successor that SIGUSR2
  // starts; empty disables SIGUSR2 handover. Default: empty
  std::vector<std::string> command_line;

  // Limits that protect the process (docs/operations.md, "Limits"); the
  // defaults are http::ServerOptions'.
  // Most simultaneous connections; more wait in the listen backlog. Default: 10000
  std::size_t max_connections = 10000;
  // Largest request line plus headers; larger answers 431. Default: 65536
  std::size_t max_header_bytes = 64 << 10;
  // Largest body of any request; larger answers 413 (routes may accept
  // less). Default: 16 MiB
  std::size_t max_body_bytes = 16 << 20;
  // Seconds a connection may take to deliver a whole request, counted from
  // the end of the previous answer (so idle keep-alive time counts too). Default: 30
  int read_timeout_seconds = 30;
  // Seconds an answer may take to be written out. Default: 30
  int write_timeout_seconds = 30;
  // Seconds a handler may take to answer before its connection is closed. Default: 60
  int max_request_time_seconds = 60;
};

// Serves until a stop signal; returns the process exit code (0 after a clean
// stop, 1 when the server could not start; the reason is printed on one line).
// Serves on a socket passed by socket activation (LISTEN_FDS) instead of
// --listen when there is one. SIGUSR2 hands the socket to a successor
// started with options.command_line, then stops like SIGTERM
// (main/handover.h).
// REQUIRES: SIGINT, SIGTERM and SIGUSR2 are blocked in every thread (main.cc).
int RunServe(const ServeOptions& options);

}  // namespace spinlog
