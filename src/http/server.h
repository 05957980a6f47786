// Server: HTTP/1.1 over RESTinio, behind Request/Response. Keep-alive, requests
// on one connection answered in order, a pool of event-loop threads.
//
// Threading: one event loop (asio io_context) run by `threads` threads; each
// connection's work is serialized on its own strand, so handlers for
// different connections run in parallel. Handlers run on an event-loop thread
// and must not block it: slow work goes elsewhere and answers through the
// Responder later, from any thread. A Responder destroyed unanswered answers
// 500; an exception out of a handler answers 500 and is logged with the
// request id.
//
// Limits: a request whose request line or any single header exceeds
// max_header_bytes, whose body (declared by Content-Length, or chunked)
// exceeds max_body_bytes, or that is not HTTP/1.x is refused while parsing:
// answered 431 / 413 / 400 through Router::Reject with "Connection: close",
// then the connection closes (http/guarded_socket.h). Headers that fit one
// by one but exceed max_header_bytes in total are answered 431 and the
// connection stays open. Per-route body limits below max_body_bytes are
// answered 413 by the Router.
//
// The server installs no signal handlers.
//
// Thread-safety: Start and Stop from one controlling thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/router.h"

namespace spinlog::http {

// One answered request, for the access log and the server's observer.
struct AccessLogEntry {
  Method method = Method::kGet;
  // Raw, without the query; empty when the server has no access log.
  std::string_view path;
  // The peer's IP address; empty when the server has no access log.
  std::string_view client;
  // The pattern of the route that served it ("/api/v1/songs/{id}"), empty
  // when no route matched (404, 405): a bounded set, fit for metric labels.
  std::string_view route;
  int status = 0;
  // From the request being received to its answer being handed to the
  // connection (not yet written).
  std::chrono::microseconds duration{0};
  std::string_view request_id;
  std::size_t body_bytes = 0;  // response body size
};

// Called once per answered request, on whichever thread answered it: must be
// thread-safe, quick and must not throw.
using AccessLogHook = std::function<void(const AccessLogEntry& entry)>;

// Watches the server's connections and answers, for metrics. Every method is
// called on whichever thread the event happened (event loops, or a handler's
// own thread for a late answer): implementations must be thread-safe, quick
// (they run once per request), must not block and must not throw.
class ServerObserver {
 public:
  virtual ~ServerObserver() = default;
  // A connection was accepted; OnConnectionClosed follows once it closes
  // (connections still open when the server is destroyed may get none).
  virtual void OnConnectionOpened() = 0;
  virtual void OnConnectionClosed() = 0;
  // One request was answered (the answer handed to its connection).
  virtual void OnRequestAnswered(const AccessLogEntry& entry) = 0;
};

struct ServerOptions {
  // Address to listen on. Default: 127.0.0.1
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port()). Default: 8080
  std::uint16_t port = 8080;
  // Event-loop threads; 0 means one per usable core but one, at least one
  // (http::EventLoopThreadsFor). Default: 0
  std::size_t threads = 0;
  // Largest request line plus headers; http_parser refuses a header
  // section over 80 KiB whatever this says. Default: 64 KiB
  std::size_t max_header_bytes = 64 << 10;
  // Largest body the connection reads at all (routes may accept less).
  // Default: 16 MiB
  std::size_t max_body_bytes = 16 << 20;
  // A connection is closed when the next request has not arrived whole this
  // long after the previous answer (or the connection's start): keep-alive
  // idle time and a slow request's arrival count together. Default: 30 s
  std::chrono::seconds read_timeout{30};
  // A response that cannot be written for this long closes the connection. Default: 30 s
  std::chrono::seconds write_timeout{30};
  // Most simultaneous connections; more wait in the backlog. Lowered to fit
  // the process's open-file limit (RLIMIT_NOFILE) at Start. Default: 10000
  std::size_t max_connections = 10000;
  // A request whose handler has not answered for this long gets its
  // connection closed; the late answer is dropped. Default: 60 s
  std::chrono::seconds response_timeout{60};
  // Whether requests carry the peer's address (Request::client_address),
  // for per-address rate limits and the access log. Default: false
  bool record_client_address = false;
  // Called for every answered request; empty for none. Default: none
  AccessLogHook access_log;
  // Told of every connection and answered request; not owned, and must
  // outlive the server and every Responder it hands out. Default: none
  ServerObserver* observer = nullptr;
  // A TCP socket already listening (socket activation, a handover) to serve
  // on instead of binding host:port, which are then ignored. The server
  // owns it from Start on (on failure it may be closed). Default: -1 (bind)
  int listen_fd = -1;
};

class Server {
 public:
  // Binds and starts serving `router` (which must outlive the server).
  // `options.host` is an IPv4 or IPv6 address, or "localhost" (no name
  // resolution). Returns Unavailable with a one-line reason when the address
  // cannot be bound, e.g. "cannot listen on 127.0.0.1:8080: address already
  // in use" or "...: invalid address"; InvalidArgument when router is null.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, const Router* router);

  virtual ~Server() = default;

  // The bound port (useful when options.port was 0).
  virtual std::uint16_t port() const = 0;

  // The listening socket's descriptor, to hand to a successor process
  // (which then shares the socket). Valid until Stop.
  virtual int listen_fd() const = 0;

  // Stops accepting, waits until every request already received has been
  // answered and written (at most `grace`), then stops the event loops and
  // joins the threads. Answers written while stopping carry
  // "Connection: close". Connections close when Stop returns; but if a
  // handler still holds a Responder past the grace, every connection stays
  // open (unserved) until the last such Responder is called or destroyed,
  // and its answer is dropped. Calling Stop again does nothing; the
  // destructor calls Stop(0) if needed.
  // Accepting stops by dropping this process's descriptor of the listening
  // socket: when no other process holds the socket it closes (connections
  // waiting in its backlog are reset, new ones refused); when one does
  // (systemd, a successor), connections keep queueing there for it.
  virtual void Stop(std::chrono::milliseconds grace) = 0;
};

}  // namespace spinlog::http
