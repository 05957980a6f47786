// Server: HTTP/1.1 over RESTinio, behind Request/Response. Keep-alive, requests
// on one connection answered in order, a pool of event-loop threads.
//
// Thread-safety: Start and Stop from one controlling thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/router.h"

namespace spinlog::http {

struct ServerOptions {
  // Address to listen on. Default: 127.0.0.1
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port()). Default: 8080
  std::uint16_t port = 8080;
  // Event-loop threads; 0 means one per core. Default: 0
  std::size_t threads = 0;
  // Largest request line plus headers. Default: 64 KiB
  std::size_t max_header_bytes = 64 << 10;
  // Largest body the connection reads at all (routes may accept less).
  // Default: 16 MiB
  std::size_t max_body_bytes = 16 << 20;
  // A connection that sends nothing for this long is closed. Default: 30 s
  std::chrono::seconds read_timeout{30};
  // A response that cannot be written for this long closes the connection. Default: 30 s
  std::chrono::seconds write_timeout{30};
  // Most simultaneous connections; more wait in the backlog. Default: 10000
  std::size_t max_connections = 10000;
};

class Server {
 public:
  // Binds and starts serving `router` (which must outlive the server).
  // Returns Unavailable with a one-line reason when the address cannot be
  // bound, e.g. "cannot listen on 127.0.0.1:8080: address already in use".
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, const Router* router);

  virtual ~Server() = default;

  // The bound port (useful when options.port was 0).
  virtual std::uint16_t port() const = 0;

  // Stops accepting, waits until every request already received has been
  // answered (at most `grace`), then closes connections and joins the threads.
  virtual void Stop(std::chrono::milliseconds grace) = 0;
};

}  // namespace spinlog::http
