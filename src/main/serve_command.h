// `spinlog serve`: wires config -> storage -> indexes -> services -> HTTP, and
// runs until SIGINT or SIGTERM.
#pragma once

#include <cstddef>
#include <string>

namespace spinlog {

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
};

// Serves until a stop signal; returns the process exit code (0 after a clean
// stop, 1 when the server could not start; the reason is printed on one line).
// REQUIRES: SIGINT and SIGTERM are blocked in every thread (see main.cc).
int RunServe(const ServeOptions& options);

}  // namespace spinlog
